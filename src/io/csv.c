/* SPDX-License-Identifier: MIT */
/*
 * CSV reading on libcsv (strict RFC 4180) with line tracking and the
 * encoding and shape checks of csv.h; CSV field writing.
 *
 * The file is fed to libcsv one physical line at a time, so the line being
 * fed is the line a record starts on when its first field completes.
 */
#include "myo_internal.h"

#include "io/csv.h"

#include <csv.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "util/alloc.h"
#include "util/strbuf.h"
#include "util/file.h"
#include "util/text.h"

#define CHUNK ((size_t)64 * 1024)
#define MAX_FIELDS 4096

typedef struct pending_row {
    char **fields;
    size_t n;
    unsigned long line;
} pending_row;

struct myo_csv_reader {
    FILE *f;
    char name[256];
    struct csv_parser p;
    bool parser_ready;
    myo_arena *arena;  /* fields of queued and pending rows */
    char **cur;        /* the record being assembled */
    size_t ncur;
    size_t capcur;
    unsigned long cur_line;
    pending_row queue[4];
    size_t qhead;
    size_t qlen;
    unsigned long line; /* physical line being fed (1-based) */
    bool last_was_cr;
    bool cr_ended_row;   /* the last row ended at a CR (outside quotes) */
    bool lines_use_lf;   /* rows have ended in LF or CRLF: not classic Mac */
    unsigned char buf[CHUNK];
    size_t buf_len;
    size_t buf_pos;
    bool eof;
    bool finished;
    size_t done;
    size_t total;
    char **header;
    size_t ncols;
    myo_arena *header_arena;
    myo_error cb_err; /* an error found inside a libcsv callback */
};

static void cb_error(myo_csv_reader *r, unsigned long column, const char *fmt,
                     ...) MYO_PRINTF(3, 4);

static void cb_error(myo_csv_reader *r, unsigned long column, const char *fmt,
                     ...)
{
    myo_srcloc where = { r->name, r->line, column, NULL, NULL };
    va_list ap;

    va_start(ap, fmt);
    (void)myo_error_setv(&r->cb_err, MYO_EPARSE, &where, fmt, ap);
    va_end(ap);
}

/* A U+FEFF inside a field: files joined together, or a stray BOM. */
static bool has_bom(const void *data, size_t len)
{
    const unsigned char *s = data;
    size_t i;

    for (i = 0; i + 2 < len; i++) {
        if (s[i] == 0xEF && s[i + 1] == 0xBB && s[i + 2] == 0xBF) {
            return true;
        }
    }
    return false;
}

static void on_field(void *data, size_t len, void *payload)
{
    myo_csv_reader *r = payload;
    size_t bad;
    char *copy;

    if (r->cb_err.code != MYO_OK) {
        return;
    }
    if (r->ncur == 0) {
        r->cur_line = r->line;
    }
    if (r->ncur >= MAX_FIELDS) {
        cb_error(r, r->ncur + 1, "record has more than %d fields", MAX_FIELDS);
        return;
    }
    if (!myo_utf8_valid(data, len, &bad)) {
        cb_error(r, r->ncur + 1,
                 "text is not valid UTF-8 (byte %zu of the field): save the "
                 "file as UTF-8",
                 bad + 1);
        return;
    }
    if (has_bom(data, len)) {
        cb_error(r, r->ncur + 1,
                 "field contains a byte order mark (U+FEFF): were files "
                 "joined together?");
        return;
    }
    if (r->ncur == r->capcur) {
        size_t cap = r->capcur == 0 ? 32 : r->capcur * 2;
        char **cur = myo_realloc(r->cur, cap * sizeof(*cur));
        if (cur == NULL) {
            cb_error(r, 0, "out of memory");
            return;
        }
        r->cur = cur;
        r->capcur = cap;
    }
    copy = myo_arena_strndup(r->arena, data != NULL ? data : "", len);
    if (copy == NULL) {
        cb_error(r, 0, "out of memory");
        return;
    }
    r->cur[r->ncur++] = copy;
}

static void on_record(int c, void *payload)
{
    myo_csv_reader *r = payload;
    pending_row *row;

    r->cr_ended_row = c == '\r';
    r->lines_use_lf |= c == '\n';
    if (r->cb_err.code != MYO_OK) {
        return;
    }
    if (r->qlen == MYO_ARRAY_LEN(r->queue)) {
        cb_error(r, 0, "too many records on one line");
        return;
    }
    row = &r->queue[(r->qhead + r->qlen) % MYO_ARRAY_LEN(r->queue)];
    row->fields = myo_arena_calloc(r->arena, r->ncur + 1, sizeof(char *));
    if (row->fields == NULL) {
        cb_error(r, 0, "out of memory");
        return;
    }
    if (r->ncur > 0) {
        memcpy(row->fields, r->cur, r->ncur * sizeof(char *));
    }
    row->n = r->ncur;
    row->line = r->cur_line;
    r->qlen++;
    r->ncur = 0;
}

static myo_status refill(myo_csv_reader *r, myo_error *err)
{
    char eb[128]; /* strerror text */
    size_t n;

    if (r->buf_pos < r->buf_len || r->eof) {
        return MYO_OK;
    }
    n = fread(r->buf, 1, sizeof(r->buf), r->f);
    if (n == 0) {
        if (ferror(r->f)) {
            return myo_error_set(err, MYO_EIO, NULL, "%s: could not read: %s",
                                 r->name, myo_strerror(errno, eb, sizeof(eb)));
        }
        r->eof = true;
    }
    r->buf_len = n;
    r->buf_pos = 0;
    r->done += n;
    if (memchr(r->buf, '\0', n) != NULL) {
        myo_srcloc where = { r->name, r->line, 0, NULL, NULL };
        return myo_error_set(err, MYO_EPARSE, &where,
                             "file contains NUL bytes: it is not a text CSV "
                             "file (UTF-16, or a spreadsheet?)");
    }
    return MYO_OK;
}

static myo_status parse_error(myo_csv_reader *r, myo_error *err)
{
    myo_srcloc where = { r->name, r->line, r->ncur + 1, NULL, NULL };

    if (r->cb_err.code != MYO_OK) {
        *err = r->cb_err;
        return r->cb_err.code;
    }
    if (csv_error(&r->p) == CSV_ENOMEM || csv_error(&r->p) == CSV_ETOOBIG) {
        return myo_error_set(err, MYO_ENOMEM, &where, "out of memory");
    }
    return myo_error_set(err, MYO_EPARSE, &where,
                         "malformed CSV: a quote inside an unquoted field, or "
                         "text after a closing quote (quote a field that "
                         "contains quotes, and double the quotes inside it)");
}

/* End of file: let libcsv finish the last record. */
static myo_status finish(myo_csv_reader *r, myo_error *err)
{
    /* Name the line where an unfinished record began. */
    myo_srcloc where = { r->name, r->ncur > 0 ? r->cur_line : r->line,
                         r->ncur + 1, NULL, NULL };

    if (r->finished) {
        return MYO_OK;
    }
    r->finished = true;
    if (csv_fini(&r->p, on_field, on_record, r) == 0 &&
        r->cb_err.code == MYO_OK) {
        return MYO_OK;
    }
    if (r->cb_err.code != MYO_OK) {
        *err = r->cb_err;
        return r->cb_err.code;
    }
    return myo_error_set(err, MYO_EPARSE, &where,
                         "file ends inside a quoted field: is it truncated, "
                         "or is a closing quote missing?");
}

/* Count the line break that ends the n bytes just fed ("\r\n" is one). */
static void count_break(myo_csv_reader *r, const unsigned char *start,
                        size_t n)
{
    unsigned char last = start[n - 1];

    if (last == '\n') {
        if (!(r->last_was_cr && n == 1)) {
            r->line++;
        }
    } else if (last == '\r') {
        r->line++;
    }
    r->last_was_cr = last == '\r';
}

/* Feed the next physical line (or what is buffered of it) to libcsv. */
static myo_status feed_line(myo_csv_reader *r, myo_error *err)
{
    const unsigned char *start;
    size_t avail;
    size_t n;
    myo_status rc = refill(r, err);

    if (rc != MYO_OK) {
        return rc;
    }
    if (r->buf_pos >= r->buf_len) {
        return finish(r, err);
    }
    start = r->buf + r->buf_pos;
    avail = r->buf_len - r->buf_pos;
    if (r->last_was_cr && start[0] == '\n') {
        r->lines_use_lf = true; /* CRLF */
    } else if (r->last_was_cr && r->lines_use_lf && r->cr_ended_row) {
        myo_srcloc where = { r->name, r->line - 1, 0, NULL, NULL };
        /* a CR pasted from a Mac cell into a file of LF or CRLF lines:
         * the row would be split silently in two */
        return myo_error_set(err, MYO_EPARSE, &where,
                             "the line ends in a carriage return alone, "
                             "but the file's lines end in a line feed: is "
                             "a line break inside a value not quoted?");
    } else if (r->last_was_cr && r->lines_use_lf) {
        r->line--; /* a CR inside a quoted value: not a line of the file */
    }
    r->cr_ended_row = false;
    for (n = 0; n < avail; n++) {
        if (start[n] == '\n' || start[n] == '\r') {
            n++;
            break;
        }
    }
    if (csv_parse(&r->p, start, n, on_field, on_record, r) != n ||
        r->cb_err.code != MYO_OK) {
        return parse_error(r, err);
    }
    if (csv_get_buffer_size(&r->p) > MYO_CSV_MAX_FIELD) {
        myo_srcloc where = { r->name, r->line, r->ncur + 1, NULL, NULL };
        /* the input's fault, not the machine's: exit 1 */
        return myo_error_set(err, MYO_EPARSE, &where,
                             "field is longer than %zu bytes",
                             MYO_CSV_MAX_FIELD);
    }
    r->buf_pos += n;
    count_break(r, start, n);
    return MYO_OK;
}

static bool take_row(myo_csv_reader *r, pending_row *out)
{
    if (r->qlen == 0) {
        return false;
    }
    *out = r->queue[r->qhead];
    r->qhead = (r->qhead + 1) % MYO_ARRAY_LEN(r->queue);
    r->qlen--;
    return true;
}

static myo_status next_raw(myo_csv_reader *r, pending_row *row, myo_error *err)
{
    myo_status rc;

    /* Rows handed out before are dead now; free them unless a record is
     * still being assembled in the same arena. */
    if (r->qlen == 0 && r->ncur == 0) {
        myo_arena_reset(r->arena);
    }
    while (!take_row(r, row)) {
        if (r->finished) {
            return MYO_ENOTFOUND;
        }
        rc = feed_line(r, err);
        if (rc != MYO_OK) {
            return rc;
        }
    }
    return MYO_OK;
}

/* UTF-16/32 files start with a byte order mark; UTF-8 ones may. */
static myo_status check_bom(myo_csv_reader *r, myo_error *err)
{
    myo_srcloc where = { r->name, 1, 0, NULL, NULL };
    myo_status rc = refill(r, err);

    if (rc != MYO_OK && !(r->buf_len >= 2 && (r->buf[0] == 0xFF ||
                                              r->buf[0] == 0xFE ||
                                              (r->buf[0] == 0 &&
                                               r->buf[1] == 0)))) {
        return rc;
    }
    myo_error_clear(err);
    /* UTF-32 first: its little-endian mark FF FE 00 00 begins like
     * UTF-16's FF FE */
    if (r->buf_len >= 4 &&
        ((r->buf[0] == 0 && r->buf[1] == 0 && r->buf[2] == 0xFE &&
          r->buf[3] == 0xFF) ||
         (r->buf[0] == 0xFF && r->buf[1] == 0xFE && r->buf[2] == 0 &&
          r->buf[3] == 0))) {
        return myo_error_set(err, MYO_EPARSE, &where,
                             "file is UTF-32 encoded: save it as \"CSV "
                             "UTF-8\"");
    }
    if (r->buf_len >= 2 && ((r->buf[0] == 0xFF && r->buf[1] == 0xFE) ||
                            (r->buf[0] == 0xFE && r->buf[1] == 0xFF))) {
        return myo_error_set(err, MYO_EPARSE, &where,
                             "file is UTF-16 encoded: save it as \"CSV "
                             "UTF-8\"");
    }
    if (rc != MYO_OK) {
        return refill(r, err);
    }
    if (r->buf_len >= 3 && memcmp(r->buf, "\xEF\xBB\xBF", 3) == 0) {
        r->buf_pos = 3; /* Excel's "CSV UTF-8" */
    }
    return MYO_OK;
}

static myo_status read_header(myo_csv_reader *r, myo_error *err)
{
    pending_row row;
    myo_srcloc where = { r->name, 1, 0, NULL, NULL };
    myo_status rc = next_raw(r, &row, err);
    size_t i;

    if (rc == MYO_ENOTFOUND) {
        return myo_error_set(err, MYO_EPARSE, &where,
                             "file is empty: expected a header row");
    }
    if (rc != MYO_OK) {
        return rc;
    }
    where.line = row.line;
    if (row.n == 1 && (strchr(row.fields[0], ';') != NULL ||
                       strchr(row.fields[0], '\t') != NULL)) {
        return myo_error_set(err, MYO_EPARSE, &where,
                             "fields are separated by %s, but myoreg CSV "
                             "files use commas",
                             strchr(row.fields[0], ';') != NULL ? "';'"
                                                                : "tabs");
    }
    r->header = myo_arena_calloc(r->header_arena, row.n + 1, sizeof(char *));
    if (r->header == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    for (i = 0; i < row.n; i++) {
        r->header[i] = myo_arena_strdup(r->header_arena, row.fields[i]);
        if (r->header[i] == NULL) {
            return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        }
    }
    r->ncols = row.n;
    return MYO_OK;
}

myo_status myo_csv_open(myo_csv_reader **out, const char *path,
                        const char *name, myo_error *err)
{
    myo_csv_reader *r;
    struct stat st;
    myo_status rc;

    *out = NULL;
    r = myo_calloc(1, sizeof(*r));
    if (r == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    (void)snprintf(r->name, sizeof(r->name), "%s", name);
    r->line = 1;
    r->f = myo_file_open_input(path, err);
    if (r->f == NULL) {
        rc = MYO_EIO;
        goto fail;
    }
    if (fstat(fileno(r->f), &st) == 0) {
        r->total = (size_t)st.st_size;
    }
    r->arena = myo_arena_new(0);
    r->header_arena = myo_arena_new(0);
    if (r->arena == NULL || r->header_arena == NULL ||
        csv_init(&r->p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        rc = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
        goto fail;
    }
    r->parser_ready = true;
    csv_set_realloc_func(&r->p, myo_realloc);
    csv_set_free_func(&r->p, myo_free);
    rc = check_bom(r, err);
    if (rc == MYO_OK) {
        rc = read_header(r, err);
    }
    if (rc != MYO_OK) {
        goto fail;
    }
    *out = r;
    return MYO_OK;
fail:
    myo_csv_close(r);
    return rc;
}

void myo_csv_close(myo_csv_reader *r)
{
    if (r == NULL) {
        return;
    }
    if (r->parser_ready) {
        csv_free(&r->p);
    }
    if (r->f != NULL) {
        (void)fclose(r->f);
    }
    myo_arena_free(r->arena);
    myo_arena_free(r->header_arena);
    myo_free(r->cur);
    myo_free(r);
}

const char *const *myo_csv_header(const myo_csv_reader *r, size_t *ncols)
{
    *ncols = r->ncols;
    return (const char *const *)r->header;
}

myo_status myo_csv_next(myo_csv_reader *r, myo_csv_row *row, myo_error *err)
{
    pending_row raw;
    myo_status rc = next_raw(r, &raw, err);

    if (rc != MYO_OK) {
        return rc;
    }
    if (raw.n != r->ncols) {
        myo_srcloc where = { r->name, raw.line, 0, NULL, NULL };
        return myo_error_set(err, MYO_EINVAL, &where,
                             "record has %zu field%s but the header has %zu "
                             "(a missing or extra comma, or an unquoted "
                             "comma inside a value?)",
                             raw.n, raw.n == 1 ? "" : "s", r->ncols);
    }
    row->fields = (const char *const *)raw.fields;
    row->nfields = raw.n;
    row->line = raw.line;
    return MYO_OK;
}

void myo_csv_progress(const myo_csv_reader *r, size_t *done, size_t *total)
{
    *done = r->done;
    *total = r->total;
}

static bool needs_quotes(const char *s)
{
    size_t n = strlen(s);

    if (n == 0) {
        return false;
    }
    return strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ' || s[0] == '\t' ||
           s[n - 1] == ' ' || s[n - 1] == '\t';
}

void myo_csv_put_field(myo_strbuf *sb, const char *text, bool neutralise)
{
    const char *p;
    bool quote;
    bool guard;

    if (text == NULL) {
        return;
    }
    guard = neutralise && (text[0] == '=' || text[0] == '+' ||
                           text[0] == '-' || text[0] == '@' ||
                           text[0] == '\'');
    quote = needs_quotes(text);
    if (quote) {
        myo_strbuf_putc(sb, '"');
    }
    if (guard) {
        /* An apostrophe makes spreadsheets treat the cell as text; a cell
         * that already starts with one gets a second, so it reads back. */
        myo_strbuf_putc(sb, '\'');
    }
    for (p = text; *p != '\0'; p++) {
        if (*p == '"') {
            myo_strbuf_putc(sb, '"');
        }
        myo_strbuf_putc(sb, *p);
    }
    if (quote) {
        myo_strbuf_putc(sb, '"');
    }
}

const char *myo_csv_unneutralise(const char *text)
{
    if (text[0] == '\'' && (text[1] == '=' || text[1] == '+' ||
                            text[1] == '-' || text[1] == '@' ||
                            text[1] == '\'')) {
        return text + 1;
    }
    return text;
}

const char *myo_csv_row_text(const myo_csv_row *row, myo_arena *arena)
{
    myo_strbuf sb;
    const char *out;
    size_t i;

    myo_strbuf_init(&sb, 0);
    for (i = 0; i < row->nfields; i++) {
        const char *f = row->fields[i];
        if (i > 0) {
            (void)myo_strbuf_putc(&sb, ',');
        }
        if (strpbrk(f, ",\"\r\n") != NULL) {
            (void)myo_strbuf_putc(&sb, '"');
            for (; *f != '\0'; f++) {
                if (*f == '"') {
                    (void)myo_strbuf_putc(&sb, '"');
                }
                (void)myo_strbuf_putc(&sb, *f);
            }
            (void)myo_strbuf_putc(&sb, '"');
        } else {
            (void)myo_strbuf_puts(&sb, f);
        }
    }
    out = myo_strbuf_failed(&sb)
              ? NULL
              : myo_arena_strdup(arena, myo_strbuf_cstr(&sb));
    myo_strbuf_release(&sb);
    return out;
}
