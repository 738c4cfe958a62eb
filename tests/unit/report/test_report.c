/* SPDX-License-Identifier: MIT */
/*
 * Reports: the document model, the six renderers (checked by reading what
 * they write: JSON parsed back, CSV cells, escaping), survival endpoints
 * and groups, and the cohort report of the synthetic seed 004 cohort,
 * whose tables must state the published figures.
 */
#include "test_helpers.h"

#include <myoreg/analysis.h>
#include <myoreg/io.h>
#include <myoreg/report.h>
#include <myoreg/store.h>
#include <myoreg/validate.h>

#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <strings.h>
#include <sys/stat.h>
#include <zip.h>

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf;
    long n;

    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    (void)fclose(f);
    return buf;
}

/* A small document exercising what renderers must get right. */
static myo_doc *sample(myo_arena *a)
{
    static const char *const cols[] = { "Name | pipe", "Value", "Median (IQR)" };
    static const double v3[] = { 12.0, 8.0, 15.0 };
    myo_doc *d = myo_doc_new(a, "Sample <report>");
    myo_table *t;
    myo_cell *row;
    size_t i;

    assert_non_null(d);
    assert_non_null(myo_doc_section(d, "First & only"));
    assert_true(myo_doc_para(d, "%d patients, %s.", 3, "all analysed"));
    t = myo_doc_table(d, "sample", "A table", 3, cols);
    assert_non_null(t);
    for (i = 0; i < 20; i++) { /* more rows than the first allocation */
        row = myo_table_row(d, t);
        assert_non_null(row);
        myo_cell_printf(d, &row[0], "row %zu", i);
        myo_cell_num(d, &row[1], 1.0 / 3.0 + (double)i, 2);
    }
    row = myo_table_row(d, t);
    myo_cell_text(d, &row[0], "=1+1");
    myo_cell_num(d, &row[1], NAN, 2); /* empty */
    myo_cell_text(d, &row[2], "12.0 (8.0\xe2\x80\x93" "15.0)");
    myo_cell_values(&row[2], 3, v3);
    myo_table_note(d, t, "Note with %d%% and <b>.", 50);
    return d;
}

static void document_model(void **state)
{
    myo_arena *a = myo_arena_new(0);
    myo_doc *d = sample(a);
    const myo_table *t = d->first->first->next->table;

    (void)state;
    assert_int_equal(d->ntables, 1);
    assert_int_equal(t->nrows, 21);
    assert_string_equal(t->cells[0].text, "row 0");
    assert_string_equal(t->cells[19 * 3].text, "row 19");
    assert_string_equal(t->cells[1].text, "0.33");
    assert_close(t->cells[1].value[0], 1.0 / 3.0, 0);
    assert_int_equal(t->cells[20 * 3 + 1].nvalues, 0);
    assert_string_equal(t->cells[20 * 3 + 1].text, "");
    assert_string_equal(t->note, "Note with 50% and <b>.");
    myo_arena_free(a);
}

static void json_reads_back(void **state)
{
    myo_arena *a = myo_arena_new(0);
    myo_doc *d = sample(a);
    char *dir = test_tmpdir();
    char path[256];
    myo_error err = MYO_ERROR_INIT;
    json_error_t je;
    json_t *root;
    json_t *table;
    json_t *rows;
    json_t *composite;

    (void)state;
    (void)snprintf(path, sizeof(path), "%s/r.json", dir);
    assert_int_equal(myo_report_write(d, MYO_REPORT_JSON, path, NULL, &err),
                     MYO_OK);
    root = json_load_file(path, 0, &je);
    if (root == NULL) {
        fail_msg("%s:%d: %s", path, je.line, je.text);
    }
    assert_string_equal(
        json_string_value(json_object_get(root, "title")), "Sample <report>");
    table = json_array_get(
        json_object_get(json_array_get(json_object_get(root, "sections"), 0),
                        "blocks"),
        1);
    assert_string_equal(json_string_value(json_object_get(table, "kind")),
                        "table");
    rows = json_object_get(table, "rows");
    assert_int_equal(json_array_size(rows), 21);
    /* a number cell is the unrounded number */
    assert_close(json_number_value(json_array_get(json_array_get(rows, 0), 1)),
                 1.0 / 3.0, 1e-15);
    /* an empty cell is null, a composite one text and values */
    assert_true(json_is_null(json_array_get(json_array_get(rows, 20), 1)));
    composite = json_array_get(json_array_get(rows, 20), 2);
    assert_string_equal(json_string_value(json_object_get(composite, "text")),
                        "12.0 (8.0\xe2\x80\x93" "15.0)");
    assert_close(json_number_value(
                     json_array_get(json_object_get(composite, "values"), 2)),
                 15.0, 0);
    json_decref(root);
    test_rmdir(dir);
    myo_arena_free(a);
}

static void markdown_html_csv_escape(void **state)
{
    myo_arena *a = myo_arena_new(0);
    myo_doc *d = sample(a);
    char *dir = test_tmpdir();
    char path[256];
    myo_error err = MYO_ERROR_INIT;
    char *text;

    (void)state;
    (void)snprintf(path, sizeof(path), "%s/r.md", dir);
    assert_int_equal(myo_report_write(d, MYO_REPORT_MD, path, NULL, &err),
                     MYO_OK);
    text = slurp(path);
    assert_non_null(strstr(text, "| Name \\| pipe | Value |"));
    assert_non_null(strstr(text, "| --- | ---: | ---: |")); /* numbers right */
    assert_non_null(strstr(text, "| row 1 | 1.33 |  |"));
    free(text);

    (void)snprintf(path, sizeof(path), "%s/r.html", dir);
    assert_int_equal(myo_report_write(d, MYO_REPORT_HTML, path, NULL, &err),
                     MYO_OK);
    text = slurp(path);
    assert_non_null(strstr(text, "<title>Sample &lt;report&gt;</title>"));
    assert_non_null(strstr(text, "<h2>First &amp; only</h2>"));
    assert_non_null(strstr(text, "Note with 50% and &lt;b&gt;."));
    assert_non_null(strstr(text, "data-values=\"12 8 15\""));
    free(text);

    (void)snprintf(path, sizeof(path), "%s/csv", dir);
    assert_int_equal(myo_report_write(d, MYO_REPORT_CSV, path, NULL, &err),
                     MYO_OK);
    (void)snprintf(path, sizeof(path), "%s/csv/01-sample.csv", dir);
    text = slurp(path);
    assert_non_null(strstr(text, "Name | pipe,Value,Median (IQR)\r\n"));
    assert_non_null(strstr(text, "row 0,0.3333333333333333,\r\n"));
    assert_non_null(strstr(text, "'=1+1,,12.0 (8.0")); /* not a formula */
    free(text);
    (void)snprintf(path, sizeof(path), "%s/csv/index.csv", dir);
    text = slurp(path);
    assert_non_null(strstr(text, "01-sample.csv,First & only,A table,"));
    free(text);
    test_rmdir(dir);
    myo_arena_free(a);
}

static void text_and_xlsx(void **state)
{
    myo_arena *a = myo_arena_new(0);
    myo_doc *d = sample(a);
    char *dir = test_tmpdir();
    char path[256];
    myo_error err = MYO_ERROR_INIT;
    char *text;

    (void)state;
    (void)snprintf(path, sizeof(path), "%s/r.txt", dir);
    assert_int_equal(myo_report_write(d, MYO_REPORT_TEXT, path, NULL, &err),
                     MYO_OK);
    text = slurp(path);
    assert_non_null(strstr(text, "Sample <report>\n===============\n"));
    assert_non_null(strstr(text, "1. First & only\n---------------\n"));
    /* the number column is right-aligned under its heading */
    assert_non_null(strstr(text, "\n  row 9         9.33\n"));
    free(text);

    (void)snprintf(path, sizeof(path), "%s/r.xlsx", dir);
    assert_int_equal(myo_report_write(d, MYO_REPORT_XLSX, path, NULL, &err),
                     MYO_OK);
    text = slurp(path);
    assert_memory_equal(text, "PK", 2); /* a zip container */
    free(text);
    /* csv and xlsx need a place to go */
    assert_int_equal(myo_report_write(d, MYO_REPORT_CSV, NULL, stdout, &err),
                     MYO_EINVAL);
    assert_int_equal(myo_report_write(d, MYO_REPORT_XLSX, NULL, stdout, &err),
                     MYO_EINVAL);
    /* a file that cannot be written names itself */
    err = (myo_error)MYO_ERROR_INIT;
    assert_int_equal(myo_report_write(d, MYO_REPORT_TEXT,
                                      "/nonexistent/dir/r.txt", NULL, &err),
                     MYO_EIO);
    assert_non_null(strstr(err.message, "/nonexistent/dir/r.txt"));
    test_rmdir(dir);
    myo_arena_free(a);
}

/* Does the text hold the word "nan" or "inf" (any case), as printf writes
 * a value that is not a number? */
static bool has_nan_word(const char *text, size_t len)
{
    size_t i;

    for (i = 0; i + 3 <= len; i++) {
        if ((strncasecmp(text + i, "nan", 3) == 0 ||
             strncasecmp(text + i, "inf", 3) == 0) &&
            (i == 0 || !isalpha((unsigned char)text[i - 1])) &&
            (i + 3 == len || !isalpha((unsigned char)text[i + 3]) ||
             strncasecmp(text + i, "infinity", 8) == 0)) {
            return true;
        }
    }
    return false;
}

/* Every XML part of the workbook, inflated, is free of nan/inf. */
static void xlsx_has_no_nan(const char *path)
{
    int zerr = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &zerr);
    zip_int64_t n;
    zip_int64_t i;
    size_t sheets = 0;

    assert_non_null(z);
    n = zip_get_num_entries(z, 0);
    for (i = 0; i < n; i++) {
        zip_stat_t st;
        zip_file_t *f;
        char *buf;

        assert_int_equal(zip_stat_index(z, (zip_uint64_t)i, 0, &st), 0);
        if (strstr(st.name, "worksheets/sheet") == NULL) {
            continue;
        }
        sheets++;
        buf = malloc(st.size + 1);
        assert_non_null(buf);
        f = zip_fopen_index(z, (zip_uint64_t)i, 0);
        assert_non_null(f);
        assert_int_equal(zip_fread(f, buf, st.size), (zip_int64_t)st.size);
        (void)zip_fclose(f);
        buf[st.size] = '\0';
        if (has_nan_word(buf, st.size)) {
            fail_msg("%s: %s prints nan/inf", path, st.name);
        }
        free(buf);
    }
    assert_true(sheets > 0);
    zip_discard(z);
}

/* A cell whose number is missing (the SD of one value, a p that cannot be
 * computed, a bound not reached) is written in every format as that
 * format writes a missing value, never as printf's "nan" or "inf". */
static void not_a_number_is_never_printed(void **state)
{
    static const char *const cols[] = { "Row", "Mean (SD)", "p", "Bound" };
    static const char *const files[] = { "r.txt", "r.md", "r.html",
                                         "r.json", "csv/01-missing.csv" };
    static const myo_report_format formats[] = {
        MYO_REPORT_TEXT, MYO_REPORT_MD, MYO_REPORT_HTML, MYO_REPORT_JSON,
        MYO_REPORT_CSV
    };
    const double mean_sd[] = { 30.0, NAN };
    const double p = NAN;
    const double bound = INFINITY;
    myo_arena *a = myo_arena_new(0);
    myo_doc *d = myo_doc_new(a, "Missing numbers");
    char *dir = test_tmpdir();
    char path[256];
    myo_error err = MYO_ERROR_INIT;
    myo_table *t;
    myo_cell *row;
    size_t i;

    (void)state;
    assert_non_null(d);
    assert_non_null(myo_doc_section(d, "Only"));
    t = myo_doc_table(d, "missing", "One patient", 4, cols);
    assert_non_null(t);
    row = myo_table_row(d, t);
    assert_non_null(row);
    myo_cell_text(d, &row[0], "CMAS");
    myo_cell_text(d, &row[1], "30.0");
    myo_cell_values(&row[1], 2, mean_sd);
    myo_cell_values(&row[2], 1, &p); /* text stays empty */
    myo_cell_text(d, &row[3], "NR");
    myo_cell_values(&row[3], 1, &bound);
    for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
        char *text;
        const char *out = formats[i] == MYO_REPORT_CSV ? "csv" : files[i];
        (void)snprintf(path, sizeof(path), "%s/%s", dir, out);
        assert_int_equal(myo_report_write(d, formats[i], path, NULL, &err),
                         MYO_OK);
        (void)snprintf(path, sizeof(path), "%s/%s", dir, files[i]);
        text = slurp(path);
        if (has_nan_word(text, strlen(text))) {
            fail_msg("%s prints nan/inf:\n%s", files[i], text);
        }
        free(text);
    }
    /* HTML keeps the positions of the numbers, the missing one a dash */
    (void)snprintf(path, sizeof(path), "%s/r.html", dir);
    {
        char *text = slurp(path);
        assert_non_null(strstr(text, "data-values=\"30 \xe2\x80\x94\">30.0<"));
        free(text);
    }
    /* CSV writes the missing p and the unreached bound as shown */
    (void)snprintf(path, sizeof(path), "%s/csv/01-missing.csv", dir);
    {
        char *text = slurp(path);
        assert_non_null(strstr(text, "\r\nCMAS,30.0,,NR\r\n"));
        free(text);
    }
    (void)snprintf(path, sizeof(path), "%s/r.xlsx", dir);
    assert_int_equal(myo_report_write(d, MYO_REPORT_XLSX, path, NULL, &err),
                     MYO_OK);
    xlsx_has_no_nan(path);
    test_rmdir(dir);
    myo_arena_free(a);
}

/* A whole-number option is read once, in the library, for the command
 * line and the web server alike: the same words refuse the same text. */
static void window_days_parse(void **state)
{
    myo_report_options o = MYO_REPORT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    static const char *const bad[] = { "x", "-1", "1.5", "", " 3", "0x10" };
    int64_t n = -1;
    size_t i;

    (void)state;
    assert_int_equal(myo_report_window_days_parse("30", &o, &err), MYO_OK);
    assert_int_equal(o.schedule_window_days, 30);
    assert_int_equal(myo_report_options_check(&o, &err), MYO_OK);
    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char want[96];
        err = (myo_error)MYO_ERROR_INIT;
        assert_int_equal(myo_report_window_days_parse(bad[i], &o, &err),
                         MYO_EINVAL);
        (void)snprintf(want, sizeof(want),
                       "--schedule-window-days needs a whole number, not \"%s\"",
                       bad[i]);
        assert_string_equal(err.message, want);
        assert_int_equal(o.schedule_window_days, 30); /* left as it was */
    }
    /* a whole number too big for an int is still out of the check's range */
    err = (myo_error)MYO_ERROR_INIT;
    assert_int_equal(myo_report_window_days_parse("99999999999", &o, &err),
                     MYO_OK);
    assert_int_equal(myo_report_options_check(&o, &err), MYO_EINVAL);
    assert_non_null(strstr(err.message, "(0-366)"));
    /* the rule itself, for any option */
    assert_int_equal(myo_count_parse("--limit", "0", &n, &err), MYO_OK);
    assert_int_equal(n, 0);
    err = (myo_error)MYO_ERROR_INIT;
    assert_int_equal(myo_count_parse("--limit", "-2", &n, &err), MYO_EINVAL);
    assert_string_equal(err.message,
                        "--limit needs a whole number, not \"-2\"");
}

static void formats_and_endpoints_parse(void **state)
{
    myo_report_format f;
    myo_endpoint e;

    (void)state;
    assert_true(myo_report_format_parse("xlsx", &f));
    assert_int_equal(f, MYO_REPORT_XLSX);
    assert_true(myo_report_format_parse("markdown", &f));
    assert_int_equal(f, MYO_REPORT_MD);
    assert_false(myo_report_format_parse("pdf", &f));
    assert_true(myo_endpoint_parse("steroid-free", &e));
    assert_int_equal(e, MYO_ENDPOINT_STEROID_FREE);
    assert_string_equal(myo_endpoint_name(MYO_ENDPOINT_DEATH), "death");
    assert_false(myo_endpoint_parse("relapse-free", &e));
}

/* ---- survival on hand-made rows ------------------------------------------ */

static void survival_groups_and_endpoints(void **state)
{
    /* times 1..6 months, relapse at 1, 2, 4; sex alternating */
    static const double t[] = { 1, 2, 3, 4, 5, 6 };
    static const bool ev[] = { true, true, false, true, false, false };
    static const char *groups[] = { "female", "male" };
    myo_arena *a = myo_arena_new(0);
    myo_analysis an;
    myo_survival sv;
    myo_error err = MYO_ERROR_INIT;
    size_t i;

    (void)state;
    memset(&an, 0, sizeof(an));
    myo_analysis_options_init(&an.opt);
    an.rows = myo_arena_calloc(a, 6, sizeof(*an.rows));
    an.nrows = an.analysed = 6;
    for (i = 0; i < 6; i++) {
        myo_arow *r = &an.rows[i];
        r->rfs_months = t[i];
        r->rfs_event = ev[i];
        r->os_months = t[i];
        r->anc_nadir = i < 3 ? 0.1 : NAN; /* counts for three */
        r->anc_engraft_day = i < 2 ? 10.0 + (double)i : NAN;
        r->followup_months = t[i];
        r->group = groups[i % 2];
    }
    /* one group: R survfit(Surv(t, ev) ~ 1): median 4 */
    assert_int_equal(myo_survival_run(&an, MYO_ENDPOINT_RELAPSE, a, &sv, &err),
                     MYO_OK);
    assert_int_equal(sv.n, 6);
    assert_int_equal(sv.events, 3);
    assert_int_equal(sv.ngroups, 1);
    assert_null(sv.logrank);
    assert_close(sv.km->curves[0].median, 4, 0);
    /* overall survival: no deaths, median not reached */
    assert_int_equal(myo_survival_run(&an, MYO_ENDPOINT_DEATH, a, &sv, &err),
                     MYO_OK);
    assert_int_equal(sv.events, 0);
    assert_true(isnan(sv.km->curves[0].median));
    /* engraftment: only patients with daily counts, times in days */
    assert_int_equal(
        myo_survival_run(&an, MYO_ENDPOINT_ENGRAFTMENT, a, &sv, &err), MYO_OK);
    assert_int_equal(sv.n, 3);
    assert_int_equal(sv.events, 2);
    assert_string_equal(sv.unit, "days");
    /* by sex: two curves, a log-rank test and a Cox model */
    an.opt.by = "sex";
    an.groups = groups;
    an.ngroups = 2;
    assert_int_equal(myo_survival_run(&an, MYO_ENDPOINT_RELAPSE, a, &sv, &err),
                     MYO_OK);
    assert_int_equal(sv.ngroups, 2);
    assert_int_equal(sv.km->curves[0].n, 3);
    assert_non_null(sv.logrank);
    assert_int_equal(sv.logrank->test.df, 1);
    assert_non_null(sv.cox);
    assert_int_equal(sv.cox->p, 1);
    /* nobody to analyse */
    an.analysed = 0;
    assert_int_equal(myo_survival_run(&an, MYO_ENDPOINT_RELAPSE, a, &sv, &err),
                     MYO_EINVAL);
    myo_arena_free(a);
}

/* ---- the cohort report of seed 004 ----------------------------------------- */

static const myo_table *table_named(const myo_doc *d, const char *name)
{
    const myo_section *s;
    const myo_block *b;

    for (s = d->first; s != NULL; s = s->next) {
        for (b = s->first; b != NULL; b = b->next) {
            if (b->kind == MYO_BLOCK_TABLE &&
                strcmp(b->table->name, name) == 0) {
                return b->table;
            }
        }
    }
    fail_msg("no table %s", name);
    {
        static const myo_table none = { 0 };
        return &none;
    }
}

/* Column col of the row whose first two cells are a and b. */
static const char *cell(const myo_doc *d, const char *table, const char *a,
                        const char *b, size_t col)
{
    const myo_table *t = table_named(d, table);
    size_t r;

    for (r = 0; r < t->nrows; r++) {
        const myo_cell *row = &t->cells[r * t->ncols];
        if (strcmp(row[0].text, a) == 0 &&
            (b == NULL || strcmp(row[1].text, b) == 0)) {
            return row[col].text;
        }
    }
    fail_msg("no row %s / %s in %s", a, b != NULL ? b : "", table);
    return NULL;
}

static void seed004_report_tables(void **state)
{
    myo_store_options so = MYO_STORE_OPTIONS_INIT;
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_report_options ro = MYO_REPORT_OPTIONS_INIT;
    myo_diag diag = { 0 };
    myo_error err = MYO_ERROR_INIT;
    const char *paths[] = { MYO_SOURCE_DIR "/data/examples/seed004" };
    char *dir = test_tmpdir();
    char db[300];
    myo_store *s;
    myo_analysis_options o;
    myo_arena *a = myo_arena_new(0);
    myo_analysis an;
    myo_doc *d;

    (void)state;
    (void)snprintf(db, sizeof(db), "%s/r.db", dir);
    so.create = true;
    assert_int_equal(myo_store_open(&s, db, &so, &err), MYO_OK);
    assert_int_equal(myo_import_csv(s, paths, 1, &io, &diag, NULL, &err),
                     MYO_OK);
    myo_analysis_options_init(&o);
    o.select.diagnoses = "jdm";
    o.select.therapy = "iv-cyc";
    o.select.min_followup_months = 12;
    assert_int_equal(myo_analysis_run(s, &o, a, &an, &err), MYO_OK);
    d = myo_doc_new(a, "seed 004");
    ro.figures = false;
    assert_int_equal(myo_report_cohort(d, s, &an, &ro, &err), MYO_OK);
    assert_string_equal(cell(d, "flow", "Treated", NULL, 1), "56");
    assert_string_equal(cell(d, "flow", "Excluded: incomplete data", NULL, 1),
                        "5");
    assert_string_equal(
        cell(d, "flow", "Excluded: follow-up too short", NULL, 1), "3");
    assert_string_equal(cell(d, "flow", "Analysed", NULL, 1), "48");
    assert_string_equal(cell(d, "findings", "rash", "last", 5),
                        "26/46 (56.5%)");
    assert_string_equal(
        cell(d, "findings", "abnormal nailfold capillaries", "last", 5),
        "32/46 (69.6%)");
    assert_string_equal(cell(d, "findings", "Gottron's papules", "last", 5),
                        "37/45 (82.2%)");
    assert_string_equal(cell(d, "findings", "calcinosis", "last", 6),
                        "9/14 (64.3%)");
    assert_memory_equal(cell(d, "steroids", "6 months", NULL, 3), "65.8 (",
                        6);
    assert_string_equal(cell(d, "characteristics", "Therapy: iv-cyc", NULL, 1),
                        "48/48 (100.0%)");
    myo_store_close(s);
    myo_arena_free(a);
    test_rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(document_model),
        cmocka_unit_test(json_reads_back),
        cmocka_unit_test(markdown_html_csv_escape),
        cmocka_unit_test(text_and_xlsx),
        cmocka_unit_test(not_a_number_is_never_printed),
        cmocka_unit_test(formats_and_endpoints_parse),
        cmocka_unit_test(window_days_parse),
        cmocka_unit_test(survival_groups_and_endpoints),
        cmocka_unit_test(seed004_report_tables),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
