/* SPDX-License-Identifier: MIT */
/*
 * Record digests across schema upgrades (store/digest.h).  A field added
 * by a migration (MYO_FF_LATE) is digested only when set, so a record
 * written before the migration keeps the digest sealed in its change, and
 * `audit verify` still passes after the upgrade.  The pinned digest is the
 * one myoreg 24b4a92 (schema 4, before the specimen fields of schemas 7
 * and 8) stored for this specimen: imported from d/specimens.csv line 2.
 * The cohort's is the one schema 8 (a04b0d8) computes for a cohort before
 * schema 9 added a trial's protocol to it.
 */
#include "test_helpers.h"

#include "myo_internal.h"
#include "store/digest.h"

static void old_specimen(myo_record *rec)
{
    myo_record_init(rec, MYO_ENTITY_SPECIMEN);
    rec->u.specimen.id = "sp1";
    rec->u.specimen.patient = "pa";
    rec->u.specimen.type = "serum";
    assert_int_equal(myo_date_parse("2024-01-02", 10,
                                    &rec->u.specimen.collected),
                     MYO_OK);
    rec->u.specimen.volume_ml = 1.5;
    rec->u.specimen.location = "F1/R1/B1/A1";
    rec->u.specimen.provenance = "d/specimens.csv:2";
}

static void hex(const unsigned char *d, char out[2 * MYO_DIGEST_BYTES + 1])
{
    size_t i;

    for (i = 0; i < MYO_DIGEST_BYTES; i++) {
        (void)snprintf(out + 2 * i, 3, "%02X", d[i]);
    }
}

static void record_written_before_the_late_fields_keeps_its_digest(
    void **state)
{
    myo_record rec;
    unsigned char d[MYO_DIGEST_BYTES];
    char h[2 * MYO_DIGEST_BYTES + 1];

    (void)state;
    old_specimen(&rec);
    myo_record_digest(&rec, d);
    hex(d, h);
    assert_string_equal(h, "D335C89D02BCE5E36DE453DBD6E684E6");
}

static void each_late_field_changes_the_digest_when_set(void **state)
{
    myo_record a;
    myo_record b;
    unsigned char da[MYO_DIGEST_BYTES];
    unsigned char db[MYO_DIGEST_BYTES];

    (void)state;
    /* two late text fields holding the same value must not agree */
    old_specimen(&a);
    old_specimen(&b);
    a.u.specimen.system = "http://snomed.info/sct";
    b.u.specimen.code = "http://snomed.info/sct";
    myo_record_digest(&a, da);
    myo_record_digest(&b, db);
    assert_memory_not_equal(da, db, MYO_DIGEST_BYTES);
    old_specimen(&b);
    myo_record_digest(&b, db);
    assert_memory_not_equal(da, db, MYO_DIGEST_BYTES);
}

static void old_cohort(myo_record *rec)
{
    myo_record_init(rec, MYO_ENTITY_COHORT);
    rec->u.cohort.id = "seed003";
    rec->u.cohort.name = "MSCT pilot";
    rec->u.cohort.description = "ten patients";
    rec->u.cohort.provenance = "d/cohorts.csv:2";
}

static void cohort_written_before_schema_9_keeps_its_digest(void **state)
{
    myo_record rec;
    myo_record b;
    unsigned char d[MYO_DIGEST_BYTES];
    unsigned char db[MYO_DIGEST_BYTES];
    char h[2 * MYO_DIGEST_BYTES + 1];

    (void)state;
    old_cohort(&rec);
    myo_record_digest(&rec, d);
    hex(d, h);
    assert_string_equal(h, "1EB885E7B2905CFED3BFC7F3113D3F02");
    /* a declared window alone is a change; so is a schedule holding the
     * same text as the criteria would */
    old_cohort(&b);
    b.u.cohort.window_days = 14;
    myo_record_digest(&b, db);
    assert_memory_not_equal(d, db, MYO_DIGEST_BYTES);
    old_cohort(&rec);
    old_cohort(&b);
    rec.u.cohort.eligibility = "consent";
    b.u.cohort.schedule = "consent";
    myo_record_digest(&rec, d);
    myo_record_digest(&b, db);
    assert_memory_not_equal(d, db, MYO_DIGEST_BYTES);
}

/* A note of n letters: its encoding is gathered in the digester's buffer
 * (MYO_DIGEST_BUFSZ) and hashed in one call when it fits, streamed when it
 * does not; the pinned digests are those of the digester before it had a
 * buffer (myoreg dce9d0b), for an encoding that fits, one that overflows
 * the buffer in the middle of the text, and one longer than the buffer. */
static void long_text_keeps_its_digest(void **state)
{
    static const struct {
        size_t n;
        const char *digest;
    } pins[] = {
        { 100, "9C82E30FF2E9ECDE567BE5023C66693B" },
        { 490, "3362937046C099E839A711181AE75600" },
        { 3000, "5A525CC502A7C2012D70110FE4290FB6" },
    };
    static char text[3001];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(pins) / sizeof(pins[0]); i++) {
        myo_record rec;
        unsigned char d[MYO_DIGEST_BYTES];
        char h[2 * MYO_DIGEST_BYTES + 1];
        size_t k;

        for (k = 0; k < pins[i].n; k++) {
            text[k] = (char)('a' + k % 26);
        }
        text[pins[i].n] = '\0';
        myo_record_init(&rec, MYO_ENTITY_NOTE);
        rec.u.note.id = "n1";
        rec.u.note.patient = "p1";
        rec.u.note.author = "dr x";
        assert_int_equal(myo_date_parse("2024-03-04", 10, &rec.u.note.date),
                         MYO_OK);
        rec.u.note.text = text;
        rec.u.note.source = "clinic";
        myo_record_digest(&rec, d);
        hex(d, h);
        assert_string_equal(h, pins[i].digest);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(
            record_written_before_the_late_fields_keeps_its_digest),
        cmocka_unit_test(each_late_field_changes_the_digest_when_set),
        cmocka_unit_test(cohort_written_before_schema_9_keeps_its_digest),
        cmocka_unit_test(long_text_keeps_its_digest),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
