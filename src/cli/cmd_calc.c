/* SPDX-License-Identifier: MIT */
/*
 * myoreg calc NAME: the clinical calculators of src/clinical as a command.
 * One JSON object in (stdin, --input FILE or key=value arguments), one JSON
 * object out; --ndjson streams cases line by line and --csv FILE adds the
 * result columns to every row of a CSV, so a cohort is scored in one call.
 */
#include "myo_internal.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <string.h>

#include "cli/calc_int.h"
#include "cli/cli.h"
#include "io/csv.h"
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

static const char help[] =
    "usage: myoreg calc NAME [key=value ...]\n"
    "       myoreg calc NAME [--input FILE] [--pretty] [--json]  (one JSON "
    "object)\n"
    "       myoreg calc NAME --ndjson [--input FILE]     (one case per line)\n"
    "       myoreg calc NAME --csv FILE [key=value ...]  (adds result "
    "columns)\n"
    "       myoreg calc --list | myoreg calc NAME --help\n"
    "\n"
    "Clinical calculators: JSON in, JSON out (docs/calculators.md).\n"
    "\n"
    "  --input FILE  read the case(s) from FILE instead of stdin\n"
    "  --ndjson      one JSON object per line in, one result per line out\n"
    "  --csv FILE    score every row of a CSV (a header names the inputs;\n"
    "                nested inputs as baseline.phys_global); prints the CSV\n"
    "                with the result columns added\n"
    "  --pretty      indent the JSON output\n"
    "  --json        JSON output (the default; not with --csv)\n"
    "  --list        list the calculators\n"
    "\n"
    "key=value arguments set inputs (values are JSON when they parse as\n"
    "JSON, else text; dotted keys nest: baseline.mmt=60).  With --ndjson or\n"
    "--csv they apply to every case.  An input field 'id' is copied to the\n"
    "output.  Numbers are printed in full (the shortest text that reads\n"
    "back as the same double), never rounded.  In names, '-' and '_' are\n"
    "the same (gehan-george = gehan_george, eular_acr_2017).  Exit status:\n"
    "0 ok, 1 bad input (every bad case is reported), 2 usage.\n";

void calc_ctx_release(calc_ctx *ctx)
{
    free(ctx->growth_path);
    free(ctx->growth_text);
    free(ctx->growth_rows);
    memset(ctx, 0, sizeof(*ctx));
}

static const calc *find_calc(const char *name)
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

static void list(void)
{
    size_t i;

    (void)printf("Calculators (myoreg calc NAME --help for inputs and "
                 "units):\n\n");
    for (i = 0; i < MYO_ARRAY_LEN(calcs); i++) {
        (void)printf("  %-22s %s\n", calcs[i]->name, calcs[i]->summary);
    }
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

static int print_json(json_t *v, bool pretty)
{
    myo_strbuf sb;
    myo_json j;
    int rc;

    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, pretty);
    emit(&j, v, 0);
    rc = cli_emit_json(&sb);
    myo_strbuf_release(&sb);
    return rc;
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

/* ---- one case ---- */

static void print_case_error(const char *name,
                             const char *file,
                             unsigned long line,
                             const myo_error *e)
{
    char buf[768];

    (void)myo_error_format(e, buf, sizeof buf);
    if (file != NULL) {
        (void)fprintf(stderr, "%s:%lu: %s\n", file, line, buf);
    } else {
        (void)fprintf(stderr, "myoreg calc %s: %s\n", name, buf);
    }
}

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
    calc_in_init(&in, obj, strict, err);
    in.calc_name = k->name;
    if (k->run(&in, out, ctx) != MYO_OK || !calc_in_finish(&in)) {
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
        calc_put_int(o, "line", (long long)line);
    }
    calc_put_str(d, "field", e->field[0] != '\0' ? e->field : NULL);
    calc_put_str(d, "message", e->message);
    (void)json_object_set_new(o, "error", d);
    return o;
}

/* ---- input files ---- */

static FILE *open_input(const char *path)
{
    FILE *f;

    if (path == NULL || strcmp(path, "-") == 0) {
        return stdin;
    }
    f = fopen(path, "rb");
    if (f == NULL) {
        (void)fprintf(stderr, "myoreg calc: cannot open \"%s\": %s\n", path,
                      strerror(errno));
    }
    return f;
}

static int run_single(const calc *k,
                      const char *path,
                      json_t *args,
                      bool from_args,
                      bool pretty,
                      calc_ctx *ctx)
{
    myo_error err = MYO_ERROR_INIT;
    json_error_t je;
    json_t *obj;
    json_t *out;
    int rc;

    if (from_args) {
        obj = json_incref(args);
    } else {
        FILE *f = open_input(path);

        if (f == NULL) {
            return EXIT_INPUT;
        }
        obj = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
        if (f != stdin) {
            (void)fclose(f);
        }
        if (obj == NULL) {
            (void)fprintf(
                stderr, "myoreg calc %s: %s:%d:%d: invalid JSON: %s\n", k->name,
                path != NULL ? path : "<stdin>", je.line, je.column, je.text);
            return EXIT_INPUT;
        }
        if (json_is_object(obj)) {
            overlay(obj, args);
        }
    }
    out = run_case(k, obj, true, ctx, &err);
    json_decref(obj);
    if (out == NULL) {
        print_case_error(k->name, NULL, 0, &err);
        return EXIT_INPUT;
    }
    rc = print_json(out, pretty);
    json_decref(out);
    return rc;
}

static int
run_ndjson(const calc *k, const char *path, json_t *args, calc_ctx *ctx)
{
    const char *name = path != NULL ? path : "<stdin>";
    FILE *f = open_input(path);
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned long lineno = 0;
    int status = EXIT_OK;

    if (f == NULL) {
        return EXIT_INPUT;
    }
    while ((len = getline(&line, &cap, f)) != -1) {
        myo_error err = MYO_ERROR_INIT;
        json_error_t je;
        json_t *obj;
        json_t *out;
        json_t *id;
        int rc;

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

            (void)myo_error_set(&err, MYO_EPARSE, &where,
                                "invalid JSON at column %d: %s", je.column,
                                je.text);
            out = NULL;
        } else {
            if (json_is_object(obj)) {
                overlay(obj, args);
            }
            out = run_case(k, obj, true, ctx, &err);
            json_decref(obj);
        }
        if (out == NULL) {
            print_case_error(k->name, name, lineno, &err);
            out = error_object(&err, lineno, id);
            status = EXIT_INPUT;
        }
        json_decref(id);
        rc = print_json(out, false);
        json_decref(out);
        if (rc != EXIT_OK) {
            status = rc;
            break;
        }
    }
    free(line);
    if (f != stdin) {
        (void)fclose(f);
    }
    return status;
}

/* ---- CSV ---- */

typedef struct strlist {
    char **v;
    size_t n;
    size_t cap;
} strlist;

static void sl_push(strlist *l, const char *s)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        char **v = realloc(l->v, cap * sizeof(*v));

        if (v == NULL) {
            abort(); /* the CLI has no recovery from OOM here */
        }
        l->v = v;
        l->cap = cap;
    }
    l->v[l->n++] = s != NULL ? strdup(s) : NULL;
    if (s != NULL && l->v[l->n - 1] == NULL) {
        abort();
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
                        int *status)
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
    print_case_error(k->name, path, row->line, &err);
    *status = EXIT_INPUT;
    out = json_object();
    calc_put_str(out, "status", "error");
    (void)snprintf(msg, sizeof msg, "%s%s%s", err.field,
                   err.field[0] != '\0' ? ": " : "", err.message);
    calc_put_str(out, "error", msg);
    return out;
}

typedef struct csv_table {
    csv_row *rows;
    size_t n;
    size_t cap;
    strlist columns; /* result columns, in order of first appearance */
} csv_table;

static void
keep_row(csv_table *t, const myo_csv_row *row, size_t ncols, json_t *out)
{
    csv_row *cr;
    size_t c;

    if (t->n == t->cap) {
        t->cap = t->cap ? 2 * t->cap : 64;
        t->rows = realloc(t->rows, t->cap * sizeof(*t->rows));
        if (t->rows == NULL) {
            abort(); /* the CLI has no recovery from OOM here */
        }
    }
    cr = &t->rows[t->n++];
    memset(cr, 0, sizeof(*cr));
    for (c = 0; c < ncols; c++) {
        sl_push(&cr->in, c < row->nfields ? row->fields[c] : "");
    }
    flatten(out, "", &cr->keys, &cr->vals);
    for (c = 0; c < cr->keys.n; c++) {
        if (sl_find(&t->columns, cr->keys.v[c]) < 0) {
            sl_push(&t->columns, cr->keys.v[c]);
        }
    }
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

static int write_csv(const char *const *hdr, size_t ncols, csv_table *t)
{
    myo_strbuf sb;
    int status = EXIT_OK;
    size_t i;

    myo_strbuf_init(&sb, 0);
    write_header(&sb, hdr, ncols, &t->columns);
    for (i = 0; i < t->n; i++) {
        write_row(&sb, &t->rows[i], ncols, &t->columns);
        sl_free(&t->rows[i].in);
        sl_free(&t->rows[i].keys);
        sl_free(&t->rows[i].vals);
    }
    free(t->rows);
    sl_free(&t->columns);
    if (myo_strbuf_failed(&sb) ||
        fwrite(myo_strbuf_cstr(&sb), 1, sb.len, stdout) != sb.len ||
        fflush(stdout) != 0) {
        status = EXIT_STORAGE;
    }
    myo_strbuf_release(&sb);
    return status;
}

static int run_csv(const calc *k, const char *path, json_t *args, calc_ctx *ctx)
{
    myo_error err = MYO_ERROR_INIT;
    myo_csv_reader *r = NULL;
    const char *const *hdr;
    size_t ncols;
    csv_table t;
    int status = EXIT_OK;
    int wrote;
    myo_status rc;

    memset(&t, 0, sizeof t);
    if (myo_csv_open(&r, path, path, &err) != MYO_OK) {
        cli_print_error(&err);
        return EXIT_INPUT;
    }
    hdr = myo_csv_header(r, &ncols);
    for (;;) {
        myo_csv_row row;
        json_t *out;

        myo_error_clear(&err);
        rc = myo_csv_next(r, &row, &err);
        if (rc == MYO_ENOTFOUND) {
            break;
        }
        if (rc != MYO_OK) {
            /* a row with the wrong field count is reported and skipped;
             * malformed CSV stops the reading */
            cli_print_error(&err);
            status = EXIT_INPUT;
            if (rc == MYO_EINVAL) {
                continue;
            }
            break;
        }
        out = csv_case(k, path, hdr, ncols, &row, args, ctx, &status);
        keep_row(&t, &row, ncols, out);
        json_decref(out);
    }
    wrote = write_csv(hdr, ncols, &t);
    myo_csv_close(r);
    return wrote != EXIT_OK ? wrote : status;
}

/* key=value arguments into one object. */
static bool parse_args(int argc, char **argv, int first, json_t *args)
{
    int i;

    for (i = first; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        char key[128];

        if (eq == NULL || eq == argv[i] ||
            (size_t)(eq - argv[i]) >= sizeof key) {
            (void)fprintf(stderr,
                          "myoreg calc: '%s' is not a key=value argument\n",
                          argv[i]);
            return false;
        }
        memcpy(key, argv[i], (size_t)(eq - argv[i]));
        key[eq - argv[i]] = '\0';
        if (!set_path(args, key, typed_value(eq + 1))) {
            (void)fprintf(stderr, "myoreg calc: bad key '%s'\n", key);
            return false;
        }
    }
    return true;
}

enum { OPT_INPUT = 2000, OPT_NDJSON, OPT_CSV, OPT_LIST, OPT_PRETTY };

int cmd_calc(cli *c, int argc, char **argv)
{
    static const struct option longopts[] = {
        CLI_COMMON_LONGOPTS,
        { "input", required_argument, NULL, OPT_INPUT },
        { "ndjson", no_argument, NULL, OPT_NDJSON },
        { "csv", required_argument, NULL, OPT_CSV },
        { "list", no_argument, NULL, OPT_LIST },
        { "pretty", no_argument, NULL, OPT_PRETTY },
        { "json", no_argument, NULL, OPT_JSON },
        { NULL, 0, NULL, 0 }
    };
    const char *input = NULL;
    const char *csv = NULL;
    bool ndjson = false;
    bool want_help = false;
    bool pretty = false;
    bool json = false;
    const calc *k;
    calc_ctx ctx;
    json_t *args;
    int status;
    int opt;

    cli_reset_getopt();
    while ((opt = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (opt) {
        case OPT_HELP:
            want_help = true;
            break;
        case OPT_INPUT:
            input = optarg;
            break;
        case OPT_NDJSON:
            ndjson = true;
            break;
        case OPT_CSV:
            csv = optarg;
            break;
        case OPT_PRETTY:
            pretty = true;
            break;
        case OPT_JSON:
            /* JSON is the output already; --json is accepted as every
             * read command takes it (docs/json.md) */
            json = true;
            break;
        case OPT_LIST:
            list();
            return EXIT_OK;
        default:
            if (!cli_common_option(c, opt, optarg)) {
                (void)fputs(help, stderr);
                return EXIT_USAGE;
            }
        }
    }
    if (optind >= argc) {
        if (want_help) {
            cli_help(help);
            return EXIT_OK;
        }
        (void)fputs(help, stderr);
        return EXIT_USAGE;
    }
    k = find_calc(argv[optind]);
    if (k == NULL) {
        (void)fprintf(stderr,
                      "myoreg calc: '%s' is not a calculator (see 'myoreg "
                      "calc --list')\n",
                      argv[optind]);
        return EXIT_USAGE;
    }
    if (want_help) {
        (void)printf("usage: myoreg calc %s [key=value ...] (or JSON on "
                     "stdin, --ndjson, --csv FILE)\n\n%s\n\n%s",
                     k->name, k->summary, k->help);
        return EXIT_OK;
    }
    if ((csv != NULL) + ndjson > 1 || (csv != NULL && input != NULL)) {
        (void)fprintf(stderr, "myoreg calc: use one of --ndjson and --csv "
                              "(--csv reads its own FILE)\n");
        return EXIT_USAGE;
    }
    if (json && csv != NULL) {
        (void)fprintf(stderr, "myoreg calc: --json and --csv are different "
                              "outputs: use one\n");
        return EXIT_USAGE;
    }
    args = json_object();
    if (!parse_args(argc, argv, optind + 1, args)) {
        json_decref(args);
        return EXIT_USAGE;
    }
    memset(&ctx, 0, sizeof ctx);
    if (csv != NULL) {
        status = run_csv(k, csv, args, &ctx);
    } else if (ndjson) {
        status = run_ndjson(k, input, args, &ctx);
    } else {
        status = run_single(k, input, args,
                            input == NULL && json_object_size(args) > 0, pretty,
                            &ctx);
    }
    calc_ctx_release(&ctx);
    json_decref(args);
    return status;
}
