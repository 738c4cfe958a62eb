/* SPDX-License-Identifier: MIT */
/* The CSV reader: RFC 4180, line numbers, encodings, broken files. */
#include "test_helpers.h"

#include "io/csv.h"

static char *dir;

static int setup(void **state)
{
    (void)state;
    dir = test_tmpdir();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    test_rmdir(dir);
    return 0;
}

static myo_csv_reader *open_text(const char *text, myo_error *err,
                                 myo_status *rc)
{
    char path[512];
    myo_csv_reader *r = NULL;

    test_write(dir, "t.csv", text);
    (void)snprintf(path, sizeof(path), "%s/t.csv", dir);
    *rc = myo_csv_open(&r, path, "t.csv", err);
    return r;
}

/* A file of exact bytes (NULs included). */
static myo_csv_reader *open_bytes(const char *bytes, size_t len,
                                  myo_error *err, myo_status *rc)
{
    char path[512];
    myo_csv_reader *r = NULL;
    FILE *f;

    (void)snprintf(path, sizeof(path), "%s/b.csv", dir);
    f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(bytes, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    *rc = myo_csv_open(&r, path, "b.csv", err);
    return r;
}

static void reads_quotes_crlf_and_multiline_fields(void **state)
{
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;
    myo_csv_row row;
    size_t n;
    myo_csv_reader *r = open_text(
        "id,text\r\n"
        "a,\"with, comma\"\r\n"
        "b,\"two\nlines\"\r\n"
        "\r\n"
        "c,\"say \"\"hi\"\"\"\r\n"
        "d,",
        &err, &rc);

    (void)state;
    assert_int_equal(rc, MYO_OK);
    assert_string_equal(myo_csv_header(r, &n)[1], "text");
    assert_int_equal(n, 2);
    assert_int_equal(myo_csv_next(r, &row, &err), MYO_OK);
    assert_string_equal(row.fields[1], "with, comma");
    assert_int_equal(row.line, 2);
    assert_int_equal(myo_csv_next(r, &row, &err), MYO_OK);
    assert_string_equal(row.fields[1], "two\nlines");
    assert_int_equal(row.line, 3);
    assert_int_equal(myo_csv_next(r, &row, &err), MYO_OK);
    assert_string_equal(row.fields[1], "say \"hi\"");
    assert_int_equal(row.line, 6); /* after a blank line */
    assert_int_equal(myo_csv_next(r, &row, &err), MYO_OK);
    assert_string_equal(row.fields[0], "d");
    assert_string_equal(row.fields[1], "");
    assert_int_equal(row.line, 7);
    assert_int_equal(myo_csv_next(r, &row, &err), MYO_ENOTFOUND);
    myo_csv_close(r);
}

/*
 * Lines that end in CR alone are classic Mac files and read as such; a
 * lone CR among LF or CRLF line ends is a line break pasted unquoted into
 * a value, which used to split its row silently in two.
 */
static void a_lone_cr_is_a_line_end_only_in_a_file_of_them(void **state)
{
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;
    myo_csv_row row;
    myo_csv_reader *r = open_text("id,x\r1,a\r2,b\r", &err, &rc);

    (void)state;
    assert_int_equal(rc, MYO_OK);
    assert_int_equal(myo_csv_next(r, &row, &err), MYO_OK);
    assert_string_equal(row.fields[1], "a");
    assert_int_equal(myo_csv_next(r, &row, &err), MYO_OK);
    assert_int_equal(row.line, 3);
    assert_int_equal(myo_csv_next(r, &row, &err), MYO_ENOTFOUND);
    myo_csv_close(r);

    r = open_text("id,x\r\n1,\"a\rb\"\r\n2,c\rd\r\n", &err, &rc);
    assert_int_equal(rc, MYO_OK);
    assert_int_equal(myo_csv_next(r, &row, &err), MYO_OK);
    assert_string_equal(row.fields[1], "a\rb"); /* quoted: a value */
    rc = myo_csv_next(r, &row, &err);
    if (rc == MYO_OK) { /* the row before the break may come first */
        rc = myo_csv_next(r, &row, &err);
    }
    assert_int_equal(rc, MYO_EPARSE);
    assert_int_equal(err.line, 3);
    assert_non_null(strstr(err.message, "carriage return alone"));
    myo_csv_close(r);
}

static void accepts_a_utf8_bom_and_rejects_utf16(void **state)
{
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;
    size_t n;
    myo_csv_reader *r = open_text("\xEF\xBB\xBFid,x\n1,2\n", &err, &rc);

    (void)state;
    assert_int_equal(rc, MYO_OK);
    assert_string_equal(myo_csv_header(r, &n)[0], "id");
    myo_csv_close(r);
    r = open_text("\xFF\xFEi\0d\0", &err, &rc);
    assert_null(r);
    assert_int_equal(rc, MYO_EPARSE);
    assert_non_null(strstr(err.message, "UTF-16"));
    /* UTF-32, both byte orders: its little-endian mark begins like
     * UTF-16's (issue 13, item 14) */
    myo_error_clear(&err);
    r = open_bytes("\xFF\xFE\0\0i\0\0\0d\0\0\0", 12, &err, &rc);
    assert_null(r);
    assert_int_equal(rc, MYO_EPARSE);
    assert_non_null(strstr(err.message, "UTF-32"));
    myo_error_clear(&err);
    r = open_bytes("\0\0\xFE\xFF\0\0\0i\0\0\0d", 12, &err, &rc);
    assert_null(r);
    assert_non_null(strstr(err.message, "UTF-32"));
    myo_error_clear(&err);
    r = open_bytes("\xFE\xFF\0i\0d", 6, &err, &rc);
    assert_null(r);
    assert_non_null(strstr(err.message, "UTF-16"));
}

static void reports_broken_files_with_their_line(void **state)
{
    static const struct {
        const char *text;
        unsigned long line;
        const char *words;
    } cases[] = {
        { "", 1, "empty" },
        { "id;patient;code\n1;2;3\n", 1, "separated by ';'" },
        { "id\tpatient\n", 1, "separated by tabs" },
        { "id,x\n1,\"open\n2,3\n", 2, "ends inside a quoted field" },
        { "id,x\n1,ab\"c\n", 2, "malformed CSV" },
        { "id,x\n1,\"a\"b\n", 2, "malformed CSV" },
        { "id,x\n1,caf\xE9\n", 2, "not valid UTF-8" },
        { "id,x\n1,2\n\xEF\xBB\xBFid,x\n", 3, "byte order mark" },
        { "id,x\n1,2\0\n", 1, "NUL bytes" },
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
        myo_error err = MYO_ERROR_INIT;
        myo_status rc;
        myo_csv_row row;
        char path[512];
        myo_csv_reader *r;
        FILE *fp;
        size_t len = strlen(cases[i].text);

        if (i == 8) {
            len = 10; /* includes the NUL */
        }
        (void)snprintf(path, sizeof(path), "%s/b.csv", dir);
        fp = fopen(path, "wb");
        assert_int_equal(fwrite(cases[i].text, 1, len, fp), len);
        fclose(fp);
        rc = myo_csv_open(&r, path, "b.csv", &err);
        while (rc == MYO_OK) {
            rc = myo_csv_next(r, &row, &err);
        }
        if (r != NULL) {
            myo_csv_close(r);
        }
        if (rc == MYO_ENOTFOUND || strstr(err.message, cases[i].words) == NULL ||
            err.line != cases[i].line || strcmp(err.file, "b.csv") != 0) {
            fail_msg("case %zu: rc %d, %s:%lu: %s", i, rc, err.file, err.line,
                     err.message);
        }
    }
}

static void field_count_errors_let_reading_go_on(void **state)
{
    myo_error err = MYO_ERROR_INIT;
    myo_status rc;
    myo_csv_row row;
    myo_csv_reader *r = open_text("a,b\n1,2,3\n4,5\n", &err, &rc);

    (void)state;
    assert_int_equal(rc, MYO_OK);
    assert_int_equal(myo_csv_next(r, &row, &err), MYO_EINVAL);
    assert_int_equal(err.line, 2);
    assert_non_null(strstr(err.message, "3 fields but the header has 2"));
    myo_error_clear(&err);
    assert_int_equal(myo_csv_next(r, &row, &err), MYO_OK);
    assert_string_equal(row.fields[0], "4");
    myo_csv_close(r);
}

static void writes_quoted_and_neutralised_fields(void **state)
{
    myo_strbuf sb;

    (void)state;
    myo_strbuf_init(&sb, 0);
    myo_csv_put_field(&sb, "plain", true);
    myo_strbuf_putc(&sb, '|');
    myo_csv_put_field(&sb, "a, \"b\"", true);
    myo_strbuf_putc(&sb, '|');
    myo_csv_put_field(&sb, "=HYPERLINK(\"x\")", true);
    myo_strbuf_putc(&sb, '|');
    myo_csv_put_field(&sb, "-6..-2", false);
    myo_strbuf_putc(&sb, '|');
    myo_csv_put_field(&sb, "@SUM(A1)", true);
    myo_strbuf_putc(&sb, '|');
    myo_csv_put_field(&sb, "'quoted", true);
    assert_string_equal(myo_strbuf_cstr(&sb),
                        "plain|\"a, \"\"b\"\"\"|\"'=HYPERLINK(\"\"x\"\")\"|"
                        "-6..-2|'@SUM(A1)|''quoted");
    assert_string_equal(myo_csv_unneutralise("'=1+1"), "=1+1");
    assert_string_equal(myo_csv_unneutralise("''quoted"), "'quoted");
    assert_string_equal(myo_csv_unneutralise("'plain"), "'plain");
    myo_strbuf_release(&sb);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(reads_quotes_crlf_and_multiline_fields),
        T(a_lone_cr_is_a_line_end_only_in_a_file_of_them),
        T(accepts_a_utf8_bom_and_rejects_utf16),
        T(reports_broken_files_with_their_line),
        T(field_count_errors_let_reading_go_on),
        T(writes_quoted_and_neutralised_fields),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
