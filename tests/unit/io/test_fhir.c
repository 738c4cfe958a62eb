/* SPDX-License-Identifier: MIT */
/*
 * FHIR R4 import and export (fhir_import.c, fhir_read.c, fhir_export.c,
 * ndjson.c): resource mapping with components, Bundles with urn:uuid:
 * references, unknown codes kept as warnings, error locations (JSON
 * Pointer and line), the NDJSON line cap, re-import, and ids that stay
 * apart on export (an event and a diagnosis of the same id).
 */
#include "test_store_helpers.h"

#include <myoreg/fhir.h>
#include <myoreg/store.h>

#include "io/fhir_int.h"

#define MAX_MSGS 16

typedef struct fixture {
    char *dir;
    myo_store *s;
    myo_arena *arena;
    myo_diag diag;
    char msgs[MAX_MSGS][512]; /* rendered diagnostics, in order */
    bool warning[MAX_MSGS];
    size_t nmsgs;
    const char *base; /* the import's --fhir-base, or NULL */
} fixture;

static void keep(void *payload, const myo_error *e, bool is_warning)
{
    fixture *f = payload;

    if (f->nmsgs < MAX_MSGS) {
        (void)myo_error_format(e, f->msgs[f->nmsgs], sizeof(f->msgs[0]));
        f->warning[f->nmsgs] = is_warning;
        f->nmsgs++;
    }
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    f->dir = test_tmpdir();
    f->s = test_open_store(f->dir, "r.db");
    f->arena = myo_arena_new(0);
    assert_non_null(f->arena);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;

    myo_store_close(f->s);
    myo_arena_free(f->arena);
    test_rmdir(f->dir);
    free(f);
    return 0;
}

/* Import the files named (in f->dir) into s; diagnostics go to f->msgs. */
static myo_status import_into(fixture *f,
                              myo_store *s,
                              bool dry,
                              myo_import_stats *st,
                              const char *const *names,
                              size_t n)
{
    myo_import_options o = MYO_IMPORT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    char paths[4][300];
    const char *p[4];
    myo_status rc;
    size_t i;

    assert_true(n <= 4);
    for (i = 0; i < n; i++) {
        (void)snprintf(paths[i], sizeof(paths[i]), "%s/%s", f->dir, names[i]);
        p[i] = paths[i];
    }
    o.dry_run = dry;
    o.fhir_base = f->base;
    memset(&f->diag, 0, sizeof(f->diag));
    f->diag.report = keep;
    f->diag.payload = f;
    f->diag.max_errors = dry ? 0 : 1;
    f->nmsgs = 0;
    rc = myo_import_fhir(s, p, n, &o, &f->diag, st, &err);
    if (rc != MYO_OK && rc != MYO_EINVAL) {
        fail_msg("import failed: %s", err.message);
    }
    return rc;
}

/* Write text to name and import it. */
static myo_status
import1(fixture *f, const char *name, const char *text, myo_import_stats *st)
{
    const char *names[1];

    names[0] = name;
    test_write(f->dir, name, text);
    return import_into(f, f->s, false, st, names, 1);
}

static void get(fixture *f, myo_entity kind, const char *id, myo_record *out)
{
    myo_error err = MYO_ERROR_INIT;
    myo_status rc = myo_store_get(f->s, kind, id, f->arena, out, &err);

    if (rc != MYO_OK) {
        fail_msg("%s \"%s\" not stored (%s)", myo_entity_info_get(kind)->name,
                 id, err.message);
    }
}

static int64_t count(myo_store *s, myo_entity k)
{
    int64_t n = -1;
    myo_error err = MYO_ERROR_INIT;

    assert_int_equal(myo_store_count(s, k, &n, &err), MYO_OK);
    return n;
}

/* The message list holds one containing text. */
static void assert_msg(const fixture *f, const char *text, bool warning)
{
    size_t i;

    for (i = 0; i < f->nmsgs; i++) {
        if (strstr(f->msgs[i], text) != NULL && f->warning[i] == warning) {
            return;
        }
    }
    for (i = 0; i < f->nmsgs; i++) {
        print_message("  %s: %s\n", f->warning[i] ? "warning" : "error",
                      f->msgs[i]);
    }
    fail_msg("no %s containing \"%s\"", warning ? "warning" : "error", text);
}

#define PATIENT                                                          \
    "{\"resourceType\":\"Patient\",\"id\":\"p1\",\"gender\":\"female\"," \
    "\"birthDate\":\"1990-04-02\"}\n"

static void maps_observations_converting_units(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    myo_record r;

    assert_int_equal(
        import1(f, "a.ndjson",
                PATIENT
                "{\"resourceType\":\"Observation\",\"id\":\"hb\","
                "\"status\":\"final\",\"code\":{\"coding\":[{\"system\":"
                "\"http://loinc.org\",\"code\":\"718-7\"}]},\"subject\":"
                "{\"reference\":\"Patient/p1\"},\"effectiveDateTime\":"
                "\"2012-03-04T08:15:00+01:00\",\"valueQuantity\":{\"value\":"
                "12.5,\"unit\":\"g/dL\",\"system\":\"http://unitsofmeasure."
                "org\",\"code\":\"g/dL\"},\"referenceRange\":[{\"low\":"
                "{\"value\":12,\"code\":\"g/dL\"},\"high\":{\"value\":16,"
                "\"code\":\"g/dL\"}}]}\n"
                "{\"resourceType\":\"Observation\",\"id\":\"rash\",\"status\":\"final\","
                "\"code\":{\"coding\":[{\"system\":\"urn:myoreg:measure\","
                "\"code\":\"rash\"}]},\"subject\":{\"reference\":"
                "\"Patient/p1\"},\"effectiveDateTime\":\"2012-03\","
                "\"valueBoolean\":true}\n",
                &st),
        MYO_OK);
    assert_int_equal(st.inserted, 3);
    get(f, MYO_ENTITY_OBSERVATION, "hb", &r);
    assert_string_equal(r.u.observation.patient, "p1");
    assert_string_equal(r.u.observation.value, "12.5");
    assert_string_equal(r.u.observation.unit, "g/dL");
    assert_close(r.u.observation.value_num, 125.0, 1e-9);
    assert_string_equal(r.u.observation.value_unit, "g/L");
    assert_string_equal(r.u.observation.time, "08:15");
    assert_string_equal(r.u.observation.ref_range, "12-16");
    assert_int_equal(r.u.observation.date.day, 4);
    get(f, MYO_ENTITY_OBSERVATION, "rash", &r);
    assert_string_equal(r.u.observation.value, "yes");
    assert_int_equal(r.u.observation.date.prec, MYO_DATE_MONTH);
}

static void components_become_numbered_observations(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    myo_record r;

    /* A panel without a value of its own: one record per component, each
     * with the panel's subject and date. */
    assert_int_equal(
        import1(f, "panel.ndjson",
                PATIENT
                "{\"resourceType\":\"Observation\",\"id\":\"panel\",\"status\":\"final\","
                "\"code\":{\"text\":\"muscle enzymes\",\"coding\":[{"
                "\"system\":\"http://loinc.org\",\"code\":\"24325-3\"}]},"
                "\"subject\":{\"reference\":\"Patient/p1\"},"
                "\"effectiveDateTime\":\"2013-01-02\",\"component\":["
                "{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\","
                "\"code\":\"2157-6\"}]},\"valueQuantity\":{\"value\":4200,"
                "\"code\":\"U/L\"}},"
                "{\"code\":{\"coding\":[{\"system\":\"http://loinc.org\","
                "\"code\":\"1742-6\"}]},\"valueQuantity\":{\"value\":88,"
                "\"unit\":\"IU/L\"}}]}\n",
                &st),
        MYO_OK);
    assert_int_equal(count(f->s, MYO_ENTITY_OBSERVATION), 2);
    get(f, MYO_ENTITY_OBSERVATION, "panel.1", &r);
    assert_string_equal(r.u.observation.code, "2157-6");
    assert_string_equal(r.u.observation.patient, "p1");
    assert_close(r.u.observation.value_num, 4200.0, 0);
    assert_int_equal(r.u.observation.date.day, 2);
    get(f, MYO_ENTITY_OBSERVATION, "panel.2", &r);
    assert_string_equal(r.u.observation.code, "1742-6");
    assert_close(r.u.observation.value_num, 88.0, 0);
}

static void bundle_resolves_urn_uuid_references(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    myo_record r;

    /* The Patient has no id: it takes its fullUrl's uuid, and the
     * Observation and the Encounter refer to it by that fullUrl. */
    assert_int_equal(
        import1(
            f, "tx.json",
            "{\"resourceType\":\"Bundle\",\"type\":\"transaction\","
            "\"entry\":[\n"
            "{\"fullUrl\":\"urn:uuid:0c3151bd-1cbf-4d64-b04d-cd9187a4c6e0\","
            "\"resource\":{\"resourceType\":\"Observation\",\"id\":\"w1\",\"status\":\"final\","
            "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\","
            "\"code\":\"29463-7\"}]},\"subject\":{\"reference\":"
            "\"urn:uuid:9d3c8f4e-2a4b-4a43-9d6c-6b8c1e0f7a11\"},"
            "\"encounter\":{\"reference\":\"urn:uuid:"
            "7b1f0e0e-1111-4222-8333-944455556666\"},"
            "\"effectiveDateTime\":\"2011-05-06\",\"valueQuantity\":"
            "{\"value\":185,\"unit\":\"lbs\",\"system\":"
            "\"http://unitsofmeasure.org\",\"code\":\"[lb_av]\"}},"
            "\"request\":{\"method\":\"POST\",\"url\":\"Observation\"}},\n"
            "{\"fullUrl\":\"urn:uuid:7b1f0e0e-1111-4222-8333-944455556666\","
            "\"resource\":{\"resourceType\":\"Encounter\",\"status\":"
            "\"finished\",\"class\":{\"code\":\"AMB\"},\"subject\":"
            "{\"reference\":\"urn:uuid:9d3c8f4e-2a4b-4a43-9d6c-"
            "6b8c1e0f7a11\"},\"period\":{\"start\":\"2011-05-06\"}},"
            "\"request\":{\"method\":\"POST\",\"url\":\"Encounter\"}},\n"
            "{\"fullUrl\":\"urn:uuid:9d3c8f4e-2a4b-4a43-9d6c-6b8c1e0f7a11\","
            "\"resource\":{\"resourceType\":\"Patient\",\"gender\":"
            "\"male\",\"birthDate\":\"1970\"},"
            "\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}\n"
            "]}\n",
            &st),
        MYO_OK);
    get(f, MYO_ENTITY_OBSERVATION, "w1", &r);
    assert_string_equal(r.u.observation.patient,
                        "9d3c8f4e-2a4b-4a43-9d6c-6b8c1e0f7a11");
    assert_string_equal(r.u.observation.visit,
                        "7b1f0e0e-1111-4222-8333-944455556666");
    /* 185 [lb_av] at 0.45359237 kg each */
    assert_close(r.u.observation.value_num, 83.91458845, 1e-9);
    get(f, MYO_ENTITY_PATIENT, "9d3c8f4e-2a4b-4a43-9d6c-6b8c1e0f7a11", &r);
    assert_string_equal(r.u.patient.sex, "male");
}

static void unknown_codes_are_kept_with_a_warning(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    myo_record r;

    assert_int_equal(
        import1(f, "u.ndjson",
                PATIENT
                "{\"resourceType\":\"Observation\",\"id\":\"rbc\",\"status\":\"final\","
                "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\","
                "\"code\":\"789-8\",\"display\":\"Erythrocytes [#/volume] "
                "in Blood\"}]},\"subject\":{\"reference\":\"Patient/p1\"},"
                "\"effectiveDateTime\":\"2012\",\"valueQuantity\":{\"value\":"
                "4.58,\"unit\":\"10*12/L\"}}\n"
                "{\"resourceType\":\"Condition\",\"id\":\"c1\",\"code\":"
                "{\"coding\":[{\"system\":\"http://snomed.info/sct\","
                "\"code\":\"39065001\",\"display\":\"Burn of ear\"}]},"
                "\"subject\":{\"reference\":\"Patient/p1\"},"
                "\"onsetDateTime\":\"2012-02\"}\n"
                "{\"resourceType\":\"Immunization\",\"id\":\"i1\"}\n",
                &st),
        MYO_OK);
    assert_int_equal(f->diag.errors, 0);
    assert_msg(f,
               "u.ndjson:2: Observation/rbc: code: code \"789-8\" of "
               "system \"http://loinc.org\" is not in the catalogue: kept "
               "as given",
               true);
    assert_msg(f, "Condition/c1: code: code \"39065001\"", true);
    assert_msg(f,
               "1 Immunization resource skipped: Immunization resources "
               "are not stored by the registry (the first at ",
               true);
    get(f, MYO_ENTITY_OBSERVATION, "rbc", &r);
    assert_string_equal(r.u.observation.system, "http://loinc.org");
    assert_string_equal(r.u.observation.code, "789-8");
    assert_string_equal(r.u.observation.display,
                        "Erythrocytes [#/volume] in Blood");
    assert_string_equal(r.u.observation.value, "4.58");
    get(f, MYO_ENTITY_DIAGNOSIS, "c1", &r);
    assert_string_equal(r.u.diagnosis.kind, "other");
    assert_string_equal(r.u.diagnosis.code, "39065001");
    assert_string_equal(r.u.diagnosis.display, "Burn of ear");
}

static void bundle_errors_name_json_pointer_and_line(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    char want[256];

    assert_int_equal(
        import1(f, "b.json",
                "{\n"
                "  \"resourceType\": \"Bundle\",\n"
                "  \"type\": \"collection\",\n"
                "  \"entry\": [\n"
                "    {\"resource\": " PATIENT "    },\n"
                "    {\"resource\": {\n"
                "      \"resourceType\": \"Observation\", \"id\": \"ck\", \"status\": \"final\",\n"
                "      \"code\": {\"coding\": [{\"system\": "
                "\"http://loinc.org\", \"code\": \"2157-6\"}]},\n"
                "      \"subject\": {\"reference\": \"Patient/p1\"},\n"
                "      \"effectiveDateTime\": \"2012-01-01\",\n"
                "      \"valueQuantity\": {\n"
                "        \"value\": 300,\n"
                "        \"code\": \"mg/dL\"\n"
                "      }\n"
                "    }}\n"
                "  ]\n"
                "}\n",
                &st),
        MYO_EINVAL);
    assert_int_equal(f->diag.errors, 1);
    /* the element's JSON Pointer from the top of the file, and its line */
    (void)snprintf(want, sizeof(want),
                   "%s/b.json:14: Observation/ck: "
                   "/entry/1/resource/valueQuantity/code: ",
                   f->dir);
    assert_msg(f, want, false);
    assert_msg(f, "mg/dL", false);
    assert_int_equal(count(f->s, MYO_ENTITY_PATIENT), 0);
}

static void ndjson_errors_name_line_and_element(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    const char *names[1] = { "e.ndjson" };
    char want[256];

    test_write(f->dir, "e.ndjson",
               PATIENT
               "{\"resourceType\":\"Observation\",\"id\":\"a\",\"status\":\"final\",\"code\":"
               "{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":"
               "\"2157-6\"}]},\"subject\":{\"reference\":\"Patient/p1\"},"
               "\"effectiveDateTime\":\"2012\",\"valueQuantity\":{\"value\":"
               "\"300\",\"code\":\"U/L\"}}\n"
               "{\"resourceType\":\"Observation\",\"id\":\"b\",\"status\":\"final\",\"code\":"
               "{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":"
               "\"2157-6\"}]},\"subject\":{\"reference\":\"Patient/p1\"},"
               "\"effectiveDateTime\":\"2012-13-01\",\"valueQuantity\":"
               "{\"value\":3,\"code\":\"U/L\"}}\n"
               "{\"resourceType\":\"Observation\",\"id\":\"c\",\"status\":\"final\",\n"
               "{\"resourceType\":\"Observation\",\"id\":\"d\",\"status\":\"final\",\"code\":"
               "{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":"
               "\"2157-6\"}]},\"subject\":{\"reference\":\"Patient/nobody\"},"
               "\"effectiveDateTime\":\"2012\",\"valueQuantity\":{\"value\":"
               "3,\"code\":\"U/L\"}}\n");
    /* a dry run lists every error, each on its own line */
    assert_int_equal(import_into(f, f->s, true, &st, names, 1), MYO_EINVAL);
    assert_int_equal(f->diag.errors, 4);
    (void)snprintf(want, sizeof(want),
                   "%s/e.ndjson:2: Observation/a: valueQuantity.value: must "
                   "be a JSON number (FHIR decimals are not quoted)",
                   f->dir);
    assert_msg(f, want, false);
    assert_msg(f,
               "e.ndjson:3: Observation/b: effectiveDateTime: "
               "\"2012-13-01\" is not a real calendar date",
               false);
    assert_msg(f, "e.ndjson:4:", false);
    assert_msg(f, "invalid JSON", false);
    assert_msg(f, "e.ndjson:5: Observation/d: subject", false);
    assert_int_equal(count(f->s, MYO_ENTITY_PATIENT), 0);
}

/* A line over the cap is reported with its number and skipped: the lines
 * after it are still read. */
static void ndjson_line_over_the_cap_is_skipped_and_reported(void **state)
{
    fixture *f = *state;
    char path[300];
    FILE *out;
    char *chunk;
    size_t i;
    myo_ndjson *r = NULL;
    myo_error err = MYO_ERROR_INIT;
    const char *text;
    size_t len;
    unsigned long line;
    myo_import_stats st;
    const char *names[1] = { "big.ndjson" };

    (void)snprintf(path, sizeof(path), "%s/big.ndjson", f->dir);
    out = fopen(path, "wb");
    assert_non_null(out);
    chunk = malloc(1 << 20);
    assert_non_null(chunk);
    memset(chunk, 'x', 1 << 20);
    assert_true(fputs(PATIENT "{\"resourceType\":\"Patient\",\"id\":\"", out) >=
                0);
    for (i = 0; i <= MYO_FHIR_MAX_LINE >> 20; i++) {
        assert_int_equal(fwrite(chunk, 1, 1 << 20, out), 1 << 20);
    }
    assert_true(
        fputs("\"}\n{\"resourceType\":\"Patient\",\"id\":\"p3\"}\n", out) >= 0);
    assert_int_equal(fclose(out), 0);
    free(chunk);

    assert_int_equal(myo_ndjson_open(&r, path, &err), MYO_OK);
    assert_int_equal(myo_ndjson_next(r, &text, &len, &line, &err), MYO_OK);
    assert_int_equal(line, 1);
    assert_int_equal(myo_ndjson_next(r, &text, &len, &line, &err), MYO_ENOMEM);
    assert_int_equal(err.code, MYO_OK); /* reported by the caller */
    assert_int_equal(line, 2);
    assert_int_equal(myo_ndjson_next(r, &text, &len, &line, &err), MYO_OK);
    assert_int_equal(line, 3);
    assert_string_equal(text, "{\"resourceType\":\"Patient\",\"id\":\"p3\"}");
    assert_int_equal(myo_ndjson_next(r, &text, &len, &line, &err),
                     MYO_ENOTFOUND);
    myo_ndjson_close(r);

    assert_int_equal(import_into(f, f->s, true, &st, names, 1), MYO_EINVAL);
    assert_msg(f,
               "big.ndjson:2: line is longer than the 67108864 bytes "
               "accepted",
               false);
    assert_int_equal(f->diag.errors, 1);
}

static void reimport_updates_instead_of_duplicating(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    myo_record r;

    assert_int_equal(import1(f, "p.ndjson", PATIENT, &st), MYO_OK);
    assert_int_equal(st.inserted, 1);
    assert_int_equal(import1(f, "p.ndjson", PATIENT, &st), MYO_OK);
    assert_int_equal(st.unchanged, 1);
    assert_int_equal(import1(f, "p.ndjson",
                             "{\"resourceType\":\"Patient\",\"id\":\"p1\","
                             "\"gender\":\"female\",\"birthDate\":\"1990\"}\n",
                             &st),
                     MYO_OK);
    assert_int_equal(st.updated, 1);
    assert_int_equal(st.inserted, 0);
    assert_int_equal(count(f->s, MYO_ENTITY_PATIENT), 1);
    get(f, MYO_ENTITY_PATIENT, "p1", &r);
    assert_int_equal(r.u.patient.birth_date.prec, MYO_DATE_YEAR);
}

static void patients_in_later_files_resolve(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    const char *names[2] = { "Observation.ndjson", "Patient.ndjson" };

    test_write(f->dir, "Observation.ndjson",
               "{\"resourceType\":\"Observation\",\"id\":\"ck\",\"status\":\"final\",\"code\":"
               "{\"coding\":[{\"system\":\"http://loinc.org\",\"code\":"
               "\"2157-6\"}]},\"subject\":{\"reference\":"
               "\"https://ehr.example.org/fhir/Patient/p1/_history/3\"},"
               "\"effectiveDateTime\":\"2012\",\"valueQuantity\":{\"value\":"
               "3,\"code\":\"U/L\"}}\n");
    test_write(f->dir, "Patient.ndjson", PATIENT);
    f->base = "https://ehr.example.org/fhir"; /* the absolute reference's */
    assert_int_equal(import_into(f, f->s, false, &st, names, 2), MYO_OK);
    assert_int_equal(st.files, 2);
    assert_int_equal(count(f->s, MYO_ENTITY_OBSERVATION), 1);
}

/* An observation about p1 with the subject reference given. */
static void write_obs(fixture *f, const char *name, const char *ref)
{
    char text[1024];

    (void)snprintf(text, sizeof(text),
                   "{\"resourceType\":\"Observation\",\"id\":\"ck\","
                   "\"status\":\"final\",\"code\":{\"coding\":[{\"system\":"
                   "\"http://loinc.org\",\"code\":\"2157-6\"}]},"
                   "\"subject\":{\"reference\":\"%s\"},"
                   "\"effectiveDateTime\":\"2012\",\"valueQuantity\":"
                   "{\"value\":3,\"code\":\"U/L\"}}\n",
                   ref);
    test_write(f->dir, name, text);
}

/*
 * Issue 13, item 13: a reference to another server's Patient/p1 was linked
 * to the local p1.  An absolute reference resolves only on the import's
 * own base (--fhir-base) or its Bundle entry's fullUrl base.
 */
static void absolute_references_resolve_only_on_own_base(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    const char *names[2] = { "Patient.ndjson", "Observation.ndjson" };
    const char *bundle[1] = { "b.json" };

    test_write(f->dir, "Patient.ndjson", PATIENT);
    write_obs(f, "Observation.ndjson",
              "http://evil.example/fhir/Patient/p1");
    assert_int_equal(import_into(f, f->s, false, &st, names, 2), MYO_EINVAL);
    assert_non_null(strstr(f->msgs[0], "has no base to resolve it against"));
    f->base = "https://ehr.example.org/fhir/";
    assert_int_equal(import_into(f, f->s, false, &st, names, 2), MYO_EINVAL);
    assert_non_null(strstr(f->msgs[0], "is not on this import's server "
                                       "(https://ehr.example.org/fhir/)"));
    /* a look-alike base is another server too */
    write_obs(f, "Observation.ndjson",
              "https://ehr.example.org/fhir2/Patient/p1");
    assert_int_equal(import_into(f, f->s, false, &st, names, 2), MYO_EINVAL);
    write_obs(f, "Observation.ndjson",
              "https://ehr.example.org/fhir/Patient/p1/_history/2");
    assert_int_equal(import_into(f, f->s, false, &st, names, 2), MYO_OK);
    assert_int_equal(count(f->s, MYO_ENTITY_OBSERVATION), 1);

    /* in a Bundle, the entry's own fullUrl gives the base */
    f->base = NULL;
    test_write(f->dir, "b.json",
               "{\"resourceType\":\"Bundle\",\"type\":\"collection\","
               "\"entry\":[{\"fullUrl\":\"http://other.example/r4/"
               "Observation/ck2\",\"resource\":{\"resourceType\":"
               "\"Observation\",\"id\":\"ck2\",\"status\":\"final\","
               "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\","
               "\"code\":\"2157-6\"}]},\"subject\":{\"reference\":"
               "\"http://other.example/r4/Patient/p1\"},"
               "\"effectiveDateTime\":\"2013\",\"valueQuantity\":"
               "{\"value\":4,\"code\":\"U/L\"}}}]}");
    assert_int_equal(import_into(f, f->s, false, &st, bundle, 1), MYO_OK);
    assert_int_equal(count(f->s, MYO_ENTITY_OBSERVATION), 2);
}

/* Read a whole file into a malloc'd string. */
static char *slurp(const char *path)
{
    FILE *in = fopen(path, "rb");
    char *buf;
    long n;

    assert_non_null(in);
    assert_int_equal(fseek(in, 0, SEEK_END), 0);
    n = ftell(in);
    assert_true(n >= 0);
    assert_int_equal(fseek(in, 0, SEEK_SET), 0);
    buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, in), (size_t)n);
    buf[n] = '\0';
    assert_int_equal(fclose(in), 0);
    return buf;
}

/*
 * A diagnosis and an event may share an id in the registry (ids are per
 * kind), as may an episode and a procedure event; in FHIR both would be
 * Condition/x (or Procedure/x).  The export writes events as event-ID and
 * the import maps them back.
 */
static void events_keep_their_own_ids_in_fhir(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    myo_error err = MYO_ERROR_INIT;
    myo_store *s2 = test_open_store(f->dir, "r2.db");
    const char *names[1] = { "out1" };
    char path[300];
    char *cond1;
    char *proc1;
    char *cond2;
    char *proc2;
    myo_record r;

    assert_int_equal(
        import1(f, "x.ndjson",
                PATIENT
                "{\"resourceType\":\"Condition\",\"id\":\"x\",\"code\":"
                "{\"coding\":[{\"system\":\"http://hl7.org/fhir/sid/icd-10\","
                "\"code\":\"M33.0\"}]},\"subject\":{\"reference\":"
                "\"Patient/p1\"},\"onsetDateTime\":\"2000\"}\n"
                "{\"resourceType\":\"Condition\",\"id\":\"x\",\"code\":"
                "{\"coding\":[{\"system\":\"urn:myoreg:event\",\"code\":"
                "\"infection\"}]},\"subject\":{\"reference\":\"Patient/p1\"},"
                "\"onsetDateTime\":\"2001\"}\n"
                "{\"resourceType\":\"Procedure\",\"id\":\"y\",\"status\":"
                "\"completed\",\"code\":{\"coding\":[{\"system\":"
                "\"urn:myoreg:therapy\",\"code\":\"ahsct\"}]},\"subject\":"
                "{\"reference\":\"Patient/p1\"},\"performedDateTime\":"
                "\"2002-03-04\"}\n"
                "{\"resourceType\":\"Procedure\",\"id\":\"event-y\","
                "\"status\":\"completed\",\"code\":{\"coding\":[{\"system\":"
                "\"urn:myoreg:event\",\"code\":\"procedure\"},{\"system\":"
                "\"http://snomed.info/sct\",\"code\":\"79287003\"}]},"
                "\"subject\":{\"reference\":\"Patient/p1\"},"
                "\"performedDateTime\":\"2003\"}\n",
                &st),
        MYO_OK);
    /* event-y of the file was the event y */
    get(f, MYO_ENTITY_EVENT, "x", &r);
    assert_string_equal(r.u.event.kind, "infection");
    get(f, MYO_ENTITY_EVENT, "y", &r);
    assert_string_equal(r.u.event.kind, "procedure");
    get(f, MYO_ENTITY_DIAGNOSIS, "x", &r);
    get(f, MYO_ENTITY_EPISODE, "y", &r);

    (void)snprintf(path, sizeof(path), "%s/out1", f->dir);
    assert_int_equal(myo_export_fhir_ndjson(f->s, path, NULL, &err), MYO_OK);
    (void)snprintf(path, sizeof(path), "%s/out1/Condition.ndjson", f->dir);
    cond1 = slurp(path);
    assert_non_null(
        strstr(cond1, "\"resourceType\":\"Condition\",\"id\":\"x\""));
    assert_non_null(
        strstr(cond1, "\"resourceType\":\"Condition\",\"id\":\"event-x\""));
    (void)snprintf(path, sizeof(path), "%s/out1/Procedure.ndjson", f->dir);
    proc1 = slurp(path);
    assert_non_null(
        strstr(proc1, "\"resourceType\":\"Procedure\",\"id\":\"y\""));
    assert_non_null(
        strstr(proc1, "\"resourceType\":\"Procedure\",\"id\":\"event-y\""));

    /* into an empty registry, and out again: the same files */
    assert_int_equal(import_into(f, s2, false, &st, names, 1), MYO_OK);
    assert_int_equal(count(s2, MYO_ENTITY_EVENT), 2);
    assert_int_equal(count(s2, MYO_ENTITY_DIAGNOSIS), 1);
    assert_int_equal(count(s2, MYO_ENTITY_EPISODE), 1);
    (void)snprintf(path, sizeof(path), "%s/out2", f->dir);
    assert_int_equal(myo_export_fhir_ndjson(s2, path, NULL, &err), MYO_OK);
    (void)snprintf(path, sizeof(path), "%s/out2/Condition.ndjson", f->dir);
    cond2 = slurp(path);
    (void)snprintf(path, sizeof(path), "%s/out2/Procedure.ndjson", f->dir);
    proc2 = slurp(path);
    assert_string_equal(cond1, cond2);
    assert_string_equal(proc1, proc2);
    free(cond1);
    free(cond2);
    free(proc1);
    free(proc2);
    myo_store_close(s2);
}

/* The records of one kind of a store, as the NDJSON export writes them. */
static char *ndjson_of(fixture *f, myo_store *s, const char *out,
                       const char *type)
{
    myo_error err = MYO_ERROR_INIT;
    char path[300];

    (void)snprintf(path, sizeof(path), "%s/%s", f->dir, out);
    assert_int_equal(myo_export_fhir_ndjson(s, path, NULL, &err), MYO_OK);
    (void)snprintf(path, sizeof(path), "%s/%s/%s.ndjson", f->dir, out, type);
    return slurp(path);
}

/*
 * Ids too long for FHIR, even escaped (a 200-character patient id with
 * '_', a 60-character event id that "event-" makes 66), become digest ids
 * with the registry id beside them as an identifier, in the resource and
 * in every reference; the import takes the registry id back, and a second
 * export writes the same files.
 */
static void long_ids_survive_fhir(void **state)
{
    fixture *f = *state;
    myo_error err = MYO_ERROR_INIT;
    myo_import_stats st;
    myo_store *s2 = test_open_store(f->dir, "r2.db");
    const char *names[1] = { "out1" };
    myo_record rec;
    char pid[65];
    char vid[65];
    /* 60 characters: a valid FHIR id, but not with "event-" */
    static const char eid[] = "e2345678901234567890123456789012345678901234567"
                              "8901234567890";
    static const char *const types[] = { "Patient", "Encounter", "Condition" };
    char *one[3];
    size_t i;

    memset(pid, 'p', sizeof(pid) - 1);
    pid[sizeof(pid) - 1] = '\0';
    pid[5] = '_';
    (void)snprintf(vid, sizeof(vid), "%.49s-event_1_arm_1", pid + 1);
    assert_int_equal(myo_store_begin(f->s, "test", &err), MYO_OK);
    myo_record_init(&rec, MYO_ENTITY_PATIENT);
    rec.u.patient.id = pid;
    rec.u.patient.sex = "female";
    assert_int_equal(myo_store_put(f->s, &rec, NULL, &err), MYO_OK);
    myo_record_init(&rec, MYO_ENTITY_VISIT);
    rec.u.visit.id = vid;
    rec.u.visit.patient = pid;
    rec.u.visit.date.year = 2001;
    rec.u.visit.date.prec = MYO_DATE_YEAR;
    assert_int_equal(myo_store_put(f->s, &rec, NULL, &err), MYO_OK);
    myo_record_init(&rec, MYO_ENTITY_EVENT);
    rec.u.event.id = eid;
    rec.u.event.patient = pid;
    rec.u.event.kind = "infection";
    rec.u.event.date.year = 2001;
    rec.u.event.date.prec = MYO_DATE_YEAR;
    assert_int_equal(myo_store_put(f->s, &rec, NULL, &err), MYO_OK);
    assert_int_equal(myo_store_commit(f->s, &err), MYO_OK);

    for (i = 0; i < 3; i++) {
        one[i] = ndjson_of(f, f->s, "out1", types[i]);
        /* every id is a FHIR id: the digest id, with the registry id */
        assert_null(strstr(one[i], "\"id\":\"pppp"));
        assert_non_null(strstr(one[i], "urn:myoreg:id"));
    }
    assert_non_null(strstr(one[1], pid)); /* the subject's identifier */
    assert_non_null(strstr(one[2], eid));
    assert_non_null(
        strstr(one[2], "\"id\":\"event-" MYO_FHIR_ID_DIGEST_PREFIX));

    assert_int_equal(import_into(f, s2, false, &st, names, 1), MYO_OK);
    assert_int_equal(
        myo_store_get(s2, MYO_ENTITY_PATIENT, pid, f->arena, &rec, &err),
        MYO_OK);
    assert_int_equal(
        myo_store_get(s2, MYO_ENTITY_VISIT, vid, f->arena, &rec, &err),
        MYO_OK);
    assert_string_equal(rec.u.visit.patient, pid);
    assert_int_equal(
        myo_store_get(s2, MYO_ENTITY_EVENT, eid, f->arena, &rec, &err),
        MYO_OK);
    assert_string_equal(rec.u.event.patient, pid);
    for (i = 0; i < 3; i++) {
        char *two = ndjson_of(f, s2, "out2", types[i]);

        assert_string_equal(one[i], two);
        free(two);
        free(one[i]);
    }
    myo_store_close(s2);
}

/*
 * Only what the export wrote is decoded: a digest-shaped id without the
 * identifier beside it, or with one whose digest is another id, is
 * someone else's id and kept as it is.
 */
static void foreign_digest_shaped_ids_are_kept(void **state)
{
    fixture *f = *state;
    myo_error err = MYO_ERROR_INIT;
    myo_record r;
    char fid[MYO_FHIR_ID_BUFSZ];
    char text[300];

    /* the identifier's digest id is not this id: the id stays as it is,
     * which the registry cannot hold (it starts with '-'), so the import
     * refuses it by that id instead of storing it as p9 */
    assert_int_equal(
        import1(f, "d.ndjson",
                "{\"resourceType\":\"Patient\",\"id\":\"-.h1123456789"
                "abcdef0123456789abcdef01234567\",\"identifier\":[{"
                "\"system\":\"urn:myoreg:id\",\"value\":\"p9\"}],"
                "\"gender\":\"female\"}\n",
                NULL),
        MYO_EINVAL);
    assert_true(f->nmsgs >= 1);
    assert_non_null(strstr(f->msgs[0], "\"-.h1123456789abcdef0123456789"
                                       "abcdef01234567\" is not a valid id"));
    assert_int_equal(
        myo_store_get(f->s, MYO_ENTITY_PATIENT, "p9", f->arena, &r, &err),
        MYO_ENOTFOUND);
    /* the digest id of p9 with p9 beside it is p9 */
    myo_fhir_id_digest("p9", fid);
    (void)snprintf(text, sizeof(text),
                   "{\"resourceType\":\"Patient\",\"id\":\"%s\","
                   "\"identifier\":[{\"system\":\"urn:myoreg:id\","
                   "\"value\":\"p9\"}],\"gender\":\"female\"}\n",
                   fid);
    assert_int_equal(import1(f, "e.ndjson", text, NULL), MYO_OK);
    assert_int_equal(
        myo_store_get(f->s, MYO_ENTITY_PATIENT, "p9", f->arena, &r, &err),
        MYO_OK);
}

/*
 * A value as typed that value[x] cannot give back (a JSON number keeps no
 * text: 1.0 reads as 1; valueBoolean no word) travels as the value
 * extension too, and comes back as typed; an empty registry still writes
 * Patient.ndjson, which reads back as no records.
 */
static void values_keep_their_text_through_fhir(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    myo_store *s2 = test_open_store(f->dir, "r2.db");
    myo_store *s3 = test_open_store(f->dir, "r3.db");
    const char *names[1] = { "v1" };
    const char *empty[1] = { "e1" };
    myo_error err = MYO_ERROR_INIT;
    char *obs1;
    char *obs2;
    myo_record r;

    assert_int_equal(
        import1(f, "v.ndjson",
                PATIENT
                "{\"resourceType\":\"Observation\",\"id\":\"w\","
                "\"extension\":[{\"url\":\"urn:myoreg:field:value\","
                "\"valueString\":\"11.0\"}],\"status\":\"final\","
                "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\","
                "\"code\":\"29463-7\"}]},\"subject\":{\"reference\":"
                "\"Patient/p1\"},\"effectiveDateTime\":\"2020-01-01\","
                "\"valueQuantity\":{\"value\":11.0,\"unit\":\"kg\","
                "\"system\":\"http://unitsofmeasure.org\",\"code\":"
                "\"kg\"}}\n"
                "{\"resourceType\":\"Observation\",\"id\":\"h\","
                "\"status\":\"final\",\"code\":{\"coding\":[{\"system\":"
                "\"http://loinc.org\",\"code\":\"8302-2\"}]},\"subject\":"
                "{\"reference\":\"Patient/p1\"},\"effectiveDateTime\":"
                "\"2020-01-01\",\"valueQuantity\":{\"value\":154,\"unit\":"
                "\"cm\",\"system\":\"http://unitsofmeasure.org\",\"code\":"
                "\"cm\"}}\n",
                &st),
        MYO_OK);
    get(f, MYO_ENTITY_OBSERVATION, "w", &r);
    assert_string_equal(r.u.observation.value, "11.0");
    obs1 = ndjson_of(f, f->s, "v1", "Observation");
    assert_non_null(strstr(obs1, "{\"url\":\"urn:myoreg:field:value\","
                                 "\"valueString\":\"11.0\"}"));
    /* 154 reads back as 154: no extension */
    assert_null(strstr(obs1, "\"valueString\":\"154\""));
    assert_int_equal(import_into(f, s2, false, &st, names, 1), MYO_OK);
    assert_int_equal(
        myo_store_get(s2, MYO_ENTITY_OBSERVATION, "w", f->arena, &r, &err),
        MYO_OK);
    assert_string_equal(r.u.observation.value, "11.0");
    obs2 = ndjson_of(f, s2, "v2", "Observation");
    assert_string_equal(obs1, obs2);
    free(obs1);
    free(obs2);

    free(ndjson_of(f, s3, "e1", "Patient")); /* there, and empty */
    assert_int_equal(import_into(f, s3, false, &st, empty, 1), MYO_OK);
    assert_int_equal(st.records, 0);
    myo_store_close(s2);
    myo_store_close(s3);
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(maps_observations_converting_units),
        T(components_become_numbered_observations),
        T(bundle_resolves_urn_uuid_references),
        T(unknown_codes_are_kept_with_a_warning),
        T(bundle_errors_name_json_pointer_and_line),
        T(ndjson_errors_name_line_and_element),
        T(ndjson_line_over_the_cap_is_skipped_and_reported),
        T(reimport_updates_instead_of_duplicating),
        T(patients_in_later_files_resolve),
        T(absolute_references_resolve_only_on_own_base),
        T(events_keep_their_own_ids_in_fhir),
        T(long_ids_survive_fhir),
        T(foreign_digest_shaped_ids_are_kept),
        T(values_keep_their_text_through_fhir),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
