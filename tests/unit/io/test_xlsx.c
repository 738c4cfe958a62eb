/* SPDX-License-Identifier: MIT */
/*
 * XLSX export (xlsx_export.c): the workbook is a well-formed zip (local
 * header, central directory and end record that agree with the file's
 * size) holding a worksheet per table; a pseudonymised one leaves notes
 * out; a path that cannot be written is an error.  The sheets' XML is
 * deflated, so its content is checked in e2e/export_formats.sh (Python's
 * zipfile), not here.
 */
#include "test_helpers.h"

#include <myoreg/io.h>
#include <myoreg/store.h>

#include <unistd.h>

typedef struct fixture {
    char *dir;
    myo_store *s;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));
    myo_store_options o = MYO_STORE_OPTIONS_INIT;
    myo_import_options io = MYO_IMPORT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_diag diag;
    char path[300];
    const char *p[1];

    assert_non_null(f);
    f->dir = test_tmpdir();
    (void)snprintf(path, sizeof(path), "%s/r.db", f->dir);
    o.create = true;
    o.user = "test";
    assert_int_equal(myo_store_open(&f->s, path, &o, &err), MYO_OK);
    (void)snprintf(path, sizeof(path), "%s/in", f->dir);
    assert_int_equal(mkdir(path, 0777), 0);
    test_write(path, "patients.csv",
               "id,site,sex,birth_date\n"
               "p1,s1,female,1987-03-14\n"
               "p2,s1,male,1990\n");
    test_write(path, "observations.csv",
               "patient,date,code,value,unit\n"
               "p1,2010-06-01,ck,1200,U/L\n"
               "p2,2011-02,rash,yes,\n");
    test_write(path, "notes.csv",
               "id,patient,date,text\n"
               "n1,p1,2010-06-02,a note\n");
    p[0] = path;
    memset(&diag, 0, sizeof(diag));
    assert_int_equal(myo_import_csv(f->s, p, 1, &io, &diag, NULL, &err),
                     MYO_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    myo_store_close(f->s);
    test_rmdir(f->dir);
    free(f);
    return 0;
}

static unsigned get16(const unsigned char *p)
{
    return (unsigned)p[0] | (unsigned)p[1] << 8;
}

static unsigned long get32(const unsigned char *p)
{
    return (unsigned long)p[0] | (unsigned long)p[1] << 8 |
           (unsigned long)p[2] << 16 | (unsigned long)p[3] << 24;
}

typedef struct zip {
    unsigned char *data;
    size_t size;
    char names[64][64]; /* member names from the central directory */
    size_t n;
} zip;

/*
 * Read a zip's central directory (APPNOTE.TXT 4.3.12, 4.3.16): the end
 * record is the last 22 bytes (libxlsxwriter writes no comment), and the
 * directory it points at must end where the record starts.
 */
static void read_zip(const char *path, zip *z)
{
    FILE *in = fopen(path, "rb");
    const unsigned char *end;
    unsigned long cd_size;
    unsigned long cd_at;
    size_t entries;
    size_t at;
    size_t i;
    long n;

    memset(z, 0, sizeof(*z));
    assert_non_null(in);
    assert_int_equal(fseek(in, 0, SEEK_END), 0);
    n = ftell(in);
    assert_true(n > 22);
    assert_int_equal(fseek(in, 0, SEEK_SET), 0);
    z->size = (size_t)n;
    z->data = malloc(z->size);
    assert_non_null(z->data);
    assert_int_equal(fread(z->data, 1, z->size, in), z->size);
    assert_int_equal(fclose(in), 0);

    assert_memory_equal(z->data, "PK\x03\x04", 4); /* a local file header */
    end = z->data + z->size - 22;
    assert_memory_equal(end, "PK\x05\x06", 4);
    entries = get16(end + 10);
    cd_size = get32(end + 12);
    cd_at = get32(end + 16);
    assert_int_equal(cd_at + cd_size, z->size - 22);
    assert_true(entries <= 64);
    at = cd_at;
    for (i = 0; i < entries; i++) {
        const unsigned char *h = z->data + at;
        size_t name = get16(h + 28);
        size_t extra = get16(h + 30);
        size_t comment = get16(h + 32);
        unsigned long local = get32(h + 42);

        assert_true(at + 46 + name <= z->size - 22);
        assert_memory_equal(h, "PK\x01\x02", 4);
        /* each entry points at its local header, inside the file */
        assert_true(local + 30 <= cd_at);
        assert_memory_equal(z->data + local, "PK\x03\x04", 4);
        assert_true(name < sizeof(z->names[0]));
        (void)memcpy(z->names[z->n], h + 46, name);
        z->names[z->n][name] = '\0';
        z->n++;
        at += 46 + name + extra + comment;
    }
    assert_int_equal(at, cd_at + cd_size);
}

static bool has_member(const zip *z, const char *name)
{
    size_t i;

    for (i = 0; i < z->n; i++) {
        if (strcmp(z->names[i], name) == 0) {
            return true;
        }
    }
    return false;
}

/* Worksheets sheet1.xml ... sheetN.xml, and no more. */
static size_t sheets(const zip *z)
{
    char name[64];
    size_t k = 0;

    for (;;) {
        (void)snprintf(name, sizeof(name), "xl/worksheets/sheet%zu.xml", k + 1);
        if (!has_member(z, name)) {
            return k;
        }
        k++;
    }
}

static void workbook_is_a_zip_with_a_sheet_per_table(void **state)
{
    fixture *f = *state;
    myo_error err = MYO_ERROR_INIT;
    char path[300];
    zip z;

    (void)snprintf(path, sizeof(path), "%s/r.xlsx", f->dir);
    assert_int_equal(myo_export_xlsx(f->s, path, NULL, &err), MYO_OK);
    read_zip(path, &z);
    assert_true(has_member(&z, "[Content_Types].xml"));
    assert_true(has_member(&z, "xl/workbook.xml"));
    assert_true(has_member(&z, "xl/styles.xml"));
    assert_int_equal(sheets(&z), MYO_ENTITY_COUNT);
    free(z.data);
}

static void an_empty_registry_still_gives_every_sheet(void **state)
{
    fixture *f = *state;
    myo_store_options o = MYO_STORE_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    myo_store *empty = NULL;
    char path[300];
    zip z;

    (void)snprintf(path, sizeof(path), "%s/empty.db", f->dir);
    o.create = true;
    o.user = "test";
    assert_int_equal(myo_store_open(&empty, path, &o, &err), MYO_OK);
    (void)snprintf(path, sizeof(path), "%s/empty.xlsx", f->dir);
    assert_int_equal(myo_export_xlsx(empty, path, NULL, &err), MYO_OK);
    myo_store_close(empty);
    read_zip(path, &z);
    assert_int_equal(sheets(&z), MYO_ENTITY_COUNT);
    free(z.data);
}

static void pseudonymised_workbook_leaves_notes_out(void **state)
{
    fixture *f = *state;
    myo_export_options o = MYO_EXPORT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    char path[300];
    zip z;

    o.pseudonymise = true;
    o.secret = (const unsigned char *)"a site secret of 32 bytes.......";
    o.secret_len = 32;
    (void)snprintf(path, sizeof(path), "%s/p.xlsx", f->dir);
    assert_int_equal(myo_export_xlsx(f->s, path, &o, &err), MYO_OK);
    read_zip(path, &z);
    assert_int_equal(sheets(&z), MYO_ENTITY_COUNT - 1);
    free(z.data);
    /* without a secret, nothing is written */
    o.secret = NULL;
    o.secret_len = 0;
    (void)snprintf(path, sizeof(path), "%s/nosecret.xlsx", f->dir);
    assert_int_equal(myo_export_xlsx(f->s, path, &o, &err), MYO_EINVAL);
    assert_int_equal(access(path, F_OK), -1);
}

static void a_path_that_cannot_be_written_is_an_error(void **state)
{
    fixture *f = *state;
    myo_error err = MYO_ERROR_INIT;
    char path[300];

    (void)snprintf(path, sizeof(path), "%s/no/such/folder/r.xlsx", f->dir);
    assert_int_equal(myo_export_xlsx(f->s, path, NULL, &err), MYO_EIO);
    assert_non_null(strstr(err.message, path));
    assert_non_null(strstr(err.message, "could not create"));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(workbook_is_a_zip_with_a_sheet_per_table),
        T(an_empty_registry_still_gives_every_sheet),
        T(pseudonymised_workbook_leaves_notes_out),
        T(a_path_that_cannot_be_written_is_an_error),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
