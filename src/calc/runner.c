/* SPDX-License-Identifier: MIT */
/*
 * The calculator runner (myoreg/calc.h): the registry of calculators,
 * cases read from JSON objects, NDJSON lines or CSV rows, inputs set for
 * every case, and the results written as JSON or as CSV columns.  The
 * adapters (calc_*.c) check each calculator's inputs and build its result.
 */
#include "myo_internal.h"

#include <myoreg/calc.h>

#include <errno.h>
#include <math.h>
#include <string.h>

#include "calc/calc_int.h"
#include "io/csv.h"
#include "util/json.h"
#include "util/strbuf.h"
#include "util/text.h"

static const calc *const calcs[] = {
    &calc_bohan_peter,
    &calc_eular_acr,
    &calc_tis,
    &calc_imacs_doi,
    &calc_printo_improvement,
    &calc_printo_inactive,
    &calc_mmt8,
    &calc_cmas,
    &calc_das,
    &calc_cdasi,
    &calc_mdaat,
    &calc_bsa,
    &calc_pred_equivalent,
    &calc_dose,
    &calc_dose_check,
    &calc_cumulative_cyc,
    &calc_engraftment,
    &calc_immune_reconstitution,
    &calc_growth,
};

struct myo_calc_session {
    const calc *k;
    json_t *args; /* inputs set for every case */
    calc_ctx ctx;
};

size_t myo_calc_count(void)
{
    return MYO_ARRAY_LEN(calcs);
}

const myo_calc *myo_calc_at(size_t i)
{
    return i < MYO_ARRAY_LEN(calcs) ? calcs[i] : NULL;
}

const myo_calc *myo_calc_find(const char *name)
{
    size_t i;

    for (i = 0; i < MYO_ARRAY_LEN(calcs); i++) {
        /* "eular_acr_2017" is "eular-acr-2017" (issue 11, item 4) */
        if (myo_clin_name_eq(calcs[i]->name, name)) {
            return calcs[i];
        }
    }
    return NULL;
}

const char *myo_calc_name(const myo_calc *c)
{
    return c->name;
}

const char *myo_calc_summary(const myo_calc *c)
{
    return c->summary;
}

const char *myo_calc_help(const myo_calc *c)
{
    return c->help;
}

void myo_calc_ctx_release(calc_ctx *ctx)
{
    free(ctx->growth_path);
    free(ctx->growth_text);
    free(ctx->growth_rows);
    memset(ctx, 0, sizeof(*ctx));
}

myo_calc_session *myo_calc_session_new(const myo_calc *k)
{
    myo_calc_session *s = calloc(1, sizeof(*s));

    if (s == NULL) {
        return NULL;
    }
    s->k = k;
    s->args = json_object();
    if (s->args == NULL) {
        free(s);
        return NULL;
    }
    return s;
}

void myo_calc_session_free(myo_calc_session *s)
{
    if (s == NULL) {
        return;
    }
    myo_calc_ctx_release(&s->ctx);
    json_decref(s->args);
    free(s);
}

/* ---- JSON output (shortest round-trip numbers, via util/json) ---- */

/* Recursion is bounded: past depth 16 a value is written as null. */
// NOLINTNEXTLINE(misc-no-recursion)
static void emit(myo_json *j, json_t *v, int depth)
{
    const char *key;
    json_t *x;
    size_t i;

    if (depth > 16) {
        myo_json_null(j);
        return;
    }
    switch (json_typeof(v)) {
    case JSON_OBJECT:
        myo_json_object_begin(j);
        json_object_foreach(v, key, x)
        {
            myo_json_key(j, key);
            emit(j, x, depth + 1);
        }
        myo_json_object_end(j);
        break;
    case JSON_ARRAY:
        myo_json_array_begin(j);
        json_array_foreach(v, i, x)
        {
            emit(j, x, depth + 1);
        }
        myo_json_array_end(j);
        break;
    case JSON_STRING:
        myo_json_stringn(j, json_string_value(v), json_string_length(v));
        break;
    case JSON_INTEGER:
        myo_json_int(j, (int64_t)json_integer_value(v));
        break;
    case JSON_REAL:
        myo_json_number(j, json_real_value(v));
        break;
    case JSON_TRUE:
        myo_json_bool(j, true);
        break;
    case JSON_FALSE:
        myo_json_bool(j, false);
        break;
    default:
        myo_json_null(j);
        break;
    }
}

/* The text of a result, as util/json writes it. */
static bool to_text(json_t *v, bool pretty, myo_strbuf *sb)
{
    myo_json j;

    myo_json_init(&j, sb, pretty);
    emit(&j, v, 0);
    return !myo_strbuf_failed(sb);
}

/* ---- building input objects ---- */

/* Set a dotted key ("baseline.mmt") in obj, creating nested objects. */
static bool set_path(json_t *obj, const char *path, json_t *value)
{
    const char *dot;
    char head[64];

    while ((dot = strchr(path, '.')) != NULL) {
        json_t *child;

        if ((size_t)(dot - path) >= sizeof head || dot == path) {
            json_decref(value);
            return false;
        }
        memcpy(head, path, (size_t)(dot - path));
        head[dot - path] = '\0';
        child = json_object_get(obj, head);
        if (child == NULL || !json_is_object(child)) {
            child = json_object();
            (void)json_object_set_new(obj, head, child);
        }
        obj = child;
        path = dot + 1;
    }
    (void)json_object_set_new(obj, path, value);
    return true;
}

/* A value typed at the terminal or in a CSV cell. */
static json_t *typed_value(const char *text)
{
    double d;
    json_t *v;

    if (myo_parse_number(text, &d)) {
        int64_t i;

        if (myo_parse_int(text, &i)) {
            return json_integer((json_int_t)i);
        }
        return json_real(d);
    }
    if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0) {
        return json_boolean(text[0] == 't');
    }
    if (strcmp(text, "null") == 0) {
        return json_null();
    }
    if (text[0] == '[' || text[0] == '{' || text[0] == '"') {
        v = json_loads(text, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
        if (v != NULL) {
            return v;
        }
    }
    return json_string(text);
}

/* Overlay src's keys on dst, merging nested objects (bounded depth). */
// NOLINTNEXTLINE(misc-no-recursion)
static void overlay_at(json_t *dst, json_t *src, int depth)
{
    const char *key;
    json_t *v;

    json_object_foreach(src, key, v)
    {
        json_t *d = json_object_get(dst, key);

        if (json_is_object(v) && d != NULL && json_is_object(d) && depth < 16) {
            overlay_at(d, v, depth + 1);
        } else {
            (void)json_object_set(dst, key, v);
        }
    }
}

static void overlay(json_t *dst, json_t *src)
{
    overlay_at(dst, src, 0);
}

myo_status
myo_calc_set(myo_calc_session *s, const char *assignment, myo_error *err)
{
    const char *eq = strchr(assignment, '=');
    char key[128];

    if (eq == NULL || eq == assignment ||
        (size_t)(eq - assignment) >= sizeof key) {
        return myo_error_set(err, MYO_EINVAL, NULL,
                             "'%s' is not a key=value argument", assignment);
    }
    memcpy(key, assignment, (size_t)(eq - assignment));
    key[eq - assignment] = '\0';
    if (!set_path(s->args, key, typed_value(eq + 1))) {
        return myo_error_set(err, MYO_EINVAL, NULL, "bad key '%s'", key);
    }
    return MYO_OK;
}

bool myo_calc_has_inputs(const myo_calc_session *s)
{
    return json_object_size(s->args) > 0;
}

/* ---- one case ---- */

/*
 * Run a calculator on one object.  Returns the result (owned) or NULL with
 * err set.  strict: unknown keys are errors.
 */
static json_t *
run_case(const calc *k, json_t *obj, bool strict, calc_ctx *ctx, myo_error *err)
{
    calc_in in;
    json_t *out;
    json_t *id;

    if (!json_is_object(obj)) {
        myo_srcloc where = { NULL, 0, 0, NULL, NULL };

        (void)myo_error_set(err, MYO_EPARSE, &where,
                            "input must be a JSON object");
        return NULL;
    }
    out = json_object();
    id = json_object_get(obj, "id");
    if (id != NULL) {
        (void)json_object_set(out, "id", id);
    }
    myo_calc_in_init(&in, obj, strict, err);
    in.calc_name = k->name;
    if (k->run(&in, out, ctx) != MYO_OK || !myo_calc_in_finish(&in)) {
        if (err->code == MYO_OK) {
            myo_srcloc where = { NULL, 0, 0, NULL, NULL };

            (void)myo_error_set(err, MYO_EINVAL, &where,
                                "the calculator failed");
        }
        json_decref(out);
        return NULL;
    }
    return out;
}

static json_t *error_object(const myo_error *e, unsigned long line, json_t *id)
{
    json_t *o = json_object();
    json_t *d = json_object();

    if (id != NULL) {
        (void)json_object_set(o, "id", id);
    }
    if (line > 0) {
        myo_calc_put_int(o, "line", (long long)line);
    }
    myo_calc_put_str(d, "field", e->field[0] != '\0' ? e->field : NULL);
    myo_calc_put_str(d, "message", e->message);
    (void)json_object_set_new(o, "error", d);
    return o;
}

myo_status myo_calc_run(myo_calc_session *s,
                        const char *json,
                        size_t len,
                        bool pretty,
                        myo_arena *arena,
                        const char **out,
                        myo_error *err)
{
    json_error_t je;
    json_t *obj;
    json_t *res;
    myo_strbuf sb;
    char *text = NULL;

    if (json == NULL) {
        obj = json_incref(s->args);
    } else {
        obj = json_loadb(json, len, JSON_REJECT_DUPLICATES, &je);
        if (obj == NULL) {
            myo_srcloc where = { NULL, (unsigned long)je.line,
                                 (unsigned long)je.column, NULL, NULL };
            return myo_error_set(err, MYO_EPARSE, &where, "invalid JSON: %s",
                                 je.text);
        }
        if (json_is_object(obj)) {
            overlay(obj, s->args);
        }
    }
    res = run_case(s->k, obj, true, &s->ctx, err);
    json_decref(obj);
    if (res == NULL) {
        return err->code;
    }
    myo_strbuf_init(&sb, 0);
    if (to_text(res, pretty, &sb)) {
        text = myo_arena_strndup(arena, myo_strbuf_cstr(&sb), sb.len);
    }
    myo_strbuf_release(&sb);
    json_decref(res);
    if (text == NULL) {
        return myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    }
    *out = text;
    return MYO_OK;
}

/* One line of results; false when writing failed. */
static bool put_line(json_t *v, FILE *out)
{
    myo_strbuf sb;
    bool ok;

    myo_strbuf_init(&sb, 0);
    ok = to_text(v, false, &sb) && myo_strbuf_putc(&sb, '\n') &&
         fwrite(myo_strbuf_cstr(&sb), 1, sb.len, out) == sb.len &&
         fflush(out) == 0;
    myo_strbuf_release(&sb);
    return ok;
}

myo_status myo_calc_run_ndjson(myo_calc_session *s,
                               FILE *in,
                               const char *name,
                               FILE *out,
                               myo_calc_report report,
                               void *payload,
                               myo_error *err)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long lineno = 0;
    myo_status status = MYO_OK;

    while ((len = getline(&line, &cap, in)) != -1) {
        myo_error e = MYO_ERROR_INIT;
        json_error_t je;
        json_t *obj;
        json_t *res;
        json_t *id;
        bool ok;

        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) {
            line[--len] = '\0';
        }
        if (strspn(line, " \t") == (size_t)len) {
            continue;
        }
        obj = json_loadb(line, (size_t)len, JSON_REJECT_DUPLICATES, &je);
        id = obj != NULL && json_is_object(obj)
                 ? json_incref(json_object_get(obj, "id"))
                 : NULL;
        if (obj == NULL) {
            myo_srcloc where = { NULL, 0, 0, NULL, NULL };

            (void)myo_error_set(&e, MYO_EPARSE, &where,
                                "invalid JSON at column %d: %s", je.column,
                                je.text);
            res = NULL;
        } else {
            if (json_is_object(obj)) {
                overlay(obj, s->args);
            }
            res = run_case(s->k, obj, true, &s->ctx, &e);
            json_decref(obj);
        }
        if (res == NULL) {
            report(payload, name, lineno, &e);
            res = error_object(&e, lineno, id);
            status = MYO_EINVAL;
        }
        json_decref(id);
        ok = put_line(res, out);
        json_decref(res);
        if (!ok) {
            status = myo_error_set(err, MYO_EIO, NULL,
                                   "could not write the results");
            break;
        }
    }
    free(line);
    return status;
}

/* ---- CSV ---- */

typedef struct strlist {
    char **v;
    size_t n;
    size_t cap;
    bool failed; /* out of memory: the run reports MYO_ENOMEM */
} strlist;

static void sl_push(strlist *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        char **v = realloc(l->v, cap * sizeof(*v));

        if (v == NULL) {
            l->failed = true;
            return;
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = s != NULL ? strdup(s) : NULL;
    if (s != NULL && l->v[l->n - 1] == NULL) {
        l->failed = true;
    }
}

static void sl_free(strlist *l)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        free(l->v[i]);
    }
    free(l->v);
    memset(l, 0, sizeof(*l));
}

static long sl_find(const strlist *l, const char *s)
{
    size_t i;

    for (i = 0; i < l->n; i++) {
        if (strcmp(l->v[i], s) == 0) {
            return (long)i;
        }
    }
    return -1;
}

/* Text of a scalar result for a CSV cell (NULL for null). */
static char *cell_text(json_t *v)
{
    char buf[32];

    switch (json_typeof(v)) {
    case JSON_STRING:
        return strdup(json_string_value(v));
    case JSON_INTEGER:
        (void)snprintf(buf, sizeof buf, "%lld",
                       (long long)json_integer_value(v));
        return strdup(buf);
    case JSON_REAL:
        if (!isfinite(json_real_value(v))) {
            return NULL;
        }
        (void)myo_fmt_double(json_real_value(v), buf);
        return strdup(buf);
    case JSON_TRUE:
        return strdup("true");
    case JSON_FALSE:
        return strdup("false");
    case JSON_NULL:
        return NULL;
    default:
        return json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
    }
}

/* Flatten a result into (column, text) pairs; objects nest with '.'
 * (results nest at most two levels). */
// NOLINTNEXTLINE(misc-no-recursion)
static void flatten(json_t *v, const char *prefix, strlist *keys, strlist *vals)
{
    const char *key;
    json_t *x;
    char path[256];

    json_object_foreach(v, key, x)
    {
        (void)snprintf(path, sizeof path, "%s%s", prefix, key);
        if (json_is_object(x) && json_object_size(x) > 0) {
            char sub[260];

            (void)snprintf(sub, sizeof sub, "%s.", path);
            flatten(x, sub, keys, vals);
        } else {
            char *t = cell_text(x);

            sl_push(keys, path);
            sl_push(vals, t);
            free(t);
        }
    }
}

typedef struct csv_row {
    strlist in;   /* the input cells */
    strlist keys; /* result columns */
    strlist vals;
} csv_row;

/* Score one CSV row: the result, or an error result (and a message). */
static json_t *csv_case(const calc *k,
                        const char *path,
                        const char *const *hdr,
                        size_t ncols,
                        const myo_csv_row *row,
                        json_t *args,
                        calc_ctx *ctx,
                        myo_calc_report report,
                        void *payload,
                        myo_status *status)
{
    myo_error err = MYO_ERROR_INIT;
    json_t *obj = json_object();
    json_t *out;
    char msg[600];
    size_t c;

    for (c = 0; c < row->nfields && c < ncols; c++) {
        if (row->fields[c][0] != '\0') {
            (void)set_path(obj, hdr[c], typed_value(row->fields[c]));
        }
    }
    overlay(obj, args);
    out = run_case(k, obj, false, ctx, &err);
    json_decref(obj);
    if (out != NULL) {
        return out;
    }
    report(payload, path, row->line, &err);
    *status = MYO_EINVAL;
    out = json_object();
    myo_calc_put_str(out, "status", "error");
    (void)snprintf(msg, sizeof msg, "%s%s%s", err.field,
                   err.field[0] != '\0' ? ": " : "", err.message);
    myo_calc_put_str(out, "error", msg);
    return out;
}

typedef struct csv_table {
    csv_row *rows;
    size_t n;
    size_t cap;
    strlist columns; /* result columns, in order of first appearance */
    bool failed;     /* out of memory */
} csv_table;

static void
keep_row(csv_table *t, const myo_csv_row *row, size_t ncols, json_t *out)
{
    csv_row *cr;
    size_t c;

    if (t->n == t->cap) {
        size_t cap = t->cap ? 2 * t->cap : 64;
        csv_row *rows = realloc(t->rows, cap * sizeof(*t->rows));

        if (rows == NULL) {
            t->failed = true;
            return;
        }
        t->rows = rows;
        t->cap = cap;
    }
    cr = &t->rows[t->n++];
    memset(cr, 0, sizeof(*cr));
    for (c = 0; c < ncols; c++) {
        sl_push(&cr->in, c < row->nfields ? row->fields[c] : "");
    }
    flatten(out, "", &cr->keys, &cr->vals);
    for (c = 0; c < cr->keys.n; c++) {
        if (cr->keys.v[c] != NULL && sl_find(&t->columns, cr->keys.v[c]) < 0) {
            sl_push(&t->columns, cr->keys.v[c]);
        }
    }
    t->failed |= cr->in.failed || cr->keys.failed || cr->vals.failed ||
                 t->columns.failed;
}

/* The input's header, then the result columns (prefixed on a clash). */
static void write_header(myo_strbuf *sb,
                         const char *const *hdr,
                         size_t ncols,
                         const strlist *columns)
{
    size_t c;
    size_t h;

    for (c = 0; c < ncols; c++) {
        myo_csv_put_field(sb, hdr[c], false);
        myo_strbuf_putc(sb, c + 1 < ncols || columns->n > 0 ? ',' : '\n');
    }
    for (c = 0; c < columns->n; c++) {
        char name[300];
        bool clash = false;

        for (h = 0; h < ncols; h++) {
            clash = clash || strcmp(hdr[h], columns->v[c]) == 0;
        }
        (void)snprintf(name, sizeof name, "%s%s", clash ? "result." : "",
                       columns->v[c]);
        myo_csv_put_field(sb, name, false);
        myo_strbuf_putc(sb, c + 1 < columns->n ? ',' : '\n');
    }
}

static void write_row(myo_strbuf *sb,
                      const csv_row *r,
                      size_t ncols,
                      const strlist *columns)
{
    size_t c;

    for (c = 0; c < ncols; c++) {
        myo_csv_put_field(sb, r->in.v[c], false);
        myo_strbuf_putc(sb, c + 1 < ncols || columns->n > 0 ? ',' : '\n');
    }
    for (c = 0; c < columns->n; c++) {
        long at = sl_find(&r->keys, columns->v[c]);

        if (at >= 0 && r->vals.v[at] != NULL) {
            myo_csv_put_field(sb, r->vals.v[at], false);
        }
        myo_strbuf_putc(sb, c + 1 < columns->n ? ',' : '\n');
    }
}

static myo_status write_csv(const char *const *hdr,
                            size_t ncols,
                            csv_table *t,
                            FILE *out,
                            myo_error *err)
{
    myo_strbuf sb;
    myo_status status = MYO_OK;
    size_t i;

    myo_strbuf_init(&sb, 0);
    if (!t->failed) {
        write_header(&sb, hdr, ncols, &t->columns);
    }
    for (i = 0; i < t->n; i++) {
        if (!t->failed) {
            write_row(&sb, &t->rows[i], ncols, &t->columns);
        }
        sl_free(&t->rows[i].in);
        sl_free(&t->rows[i].keys);
        sl_free(&t->rows[i].vals);
    }
    free(t->rows);
    sl_free(&t->columns);
    if (t->failed || myo_strbuf_failed(&sb)) {
        status = myo_error_set(err, MYO_ENOMEM, NULL, "out of memory");
    } else if (fwrite(myo_strbuf_cstr(&sb), 1, sb.len, out) != sb.len ||
               fflush(out) != 0) {
        status =
            myo_error_set(err, MYO_EIO, NULL, "could not write the results");
    }
    myo_strbuf_release(&sb);
    return status;
}

myo_status myo_calc_run_csv(myo_calc_session *s,
                            const char *path,
                            FILE *out,
                            myo_calc_report report,
                            void *payload,
                            myo_error *fatal)
{
    myo_error err = MYO_ERROR_INIT;
    myo_csv_reader *r = NULL;
    const char *const *hdr;
    size_t ncols;
    csv_table t;
    myo_status status = MYO_OK;
    myo_status wrote;
    myo_status rc;

    memset(&t, 0, sizeof t);
    rc = myo_csv_open(&r, path, path, fatal);
    if (rc != MYO_OK) {
        return rc;
    }
    hdr = myo_csv_header(r, &ncols);
    for (;;) {
        myo_csv_row row;
        json_t *res;

        myo_error_clear(&err);
        rc = myo_csv_next(r, &row, &err);
        if (rc == MYO_ENOTFOUND) {
            break;
        }
        if (rc != MYO_OK) {
            /* a row with the wrong field count is reported and skipped;
             * malformed CSV stops the reading */
            report(payload, NULL, 0, &err);
            status = MYO_EINVAL;
            if (rc == MYO_EINVAL) {
                continue;
            }
            break;
        }
        res = csv_case(s->k, path, hdr, ncols, &row, s->args, &s->ctx, report,
                       payload, &status);
        keep_row(&t, &row, ncols, res);
        json_decref(res);
    }
    wrote = write_csv(hdr, ncols, &t, out, fatal);
    myo_csv_close(r);
    return wrote != MYO_OK ? wrote : status;
}
