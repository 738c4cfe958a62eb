/* SPDX-License-Identifier: MIT */
/*
 * docs/csv-format.md documents every column of every file, every measure
 * and every drug of the catalogue: the documentation cannot fall behind
 * the field tables without this test failing.
 */
#include "test_helpers.h"

#include <myoreg/codes.h>
#include <myoreg/io.h>

#include "io/layout.h"

static char *doc;

static int load(void **state)
{
    FILE *f = fopen(MYO_SOURCE_DIR "/docs/csv-format.md", "rb");
    long n;

    (void)state;
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    n = ftell(f);
    assert_int_equal(fseek(f, 0, SEEK_SET), 0);
    doc = malloc((size_t)n + 1);
    assert_int_equal(fread(doc, 1, (size_t)n, f), (size_t)n);
    doc[n] = '\0';
    fclose(f);
    return 0;
}

static int unload(void **state)
{
    (void)state;
    free(doc);
    return 0;
}

static void every_column_is_documented(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < myo_file_entity_count; i++) {
        myo_entity kind = myo_file_entities[i];
        myo_col cols[MYO_MAX_COLS];
        size_t n = myo_file_columns(kind, cols);
        char heading[64];
        const char *section;
        const char *end;
        size_t k;

        (void)snprintf(heading, sizeof(heading), "### %s\n",
                       myo_csv_file_name(kind));
        section = strstr(doc, heading);
        if (section == NULL) {
            fail_msg("docs/csv-format.md has no section \"%s\"", heading);
        }
        end = strstr(section + 1, "\n### ");
        for (k = 0; k < n; k++) {
            char cell[96];
            const char *hit;
            (void)snprintf(cell, sizeof(cell), "| `%s` |", cols[k].name);
            hit = strstr(section, cell);
            if (hit == NULL || (end != NULL && hit > end)) {
                fail_msg("column %s of %s is not documented", cols[k].name,
                         myo_csv_file_name(kind));
            }
        }
    }
}

static void every_measure_and_drug_is_documented(void **state)
{
    const myo_measure *m;
    const myo_drug *d;
    char cell[96];
    size_t i;

    (void)state;
    for (i = 0; (m = myo_measure_at(i)) != NULL; i++) {
        (void)snprintf(cell, sizeof(cell), "`%s` (", m->code);
        if (strstr(doc, cell) == NULL) {
            fail_msg("measure %s is not documented", m->code);
        }
    }
    for (i = 0; (d = myo_drug_at(i)) != NULL; i++) {
        (void)snprintf(cell, sizeof(cell), "| `%s` | %s |", d->atc, d->name);
        if (strstr(doc, cell) == NULL) {
            fail_msg("drug %s is not documented", d->atc);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_column_is_documented),
        cmocka_unit_test(every_measure_and_drug_is_documented),
    };
    return cmocka_run_group_tests(tests, load, unload);
}
