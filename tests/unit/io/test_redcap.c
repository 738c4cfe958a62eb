/* SPDX-License-Identifier: MIT */
/*
 * REDCap import and export (redcap_import.c, redcap_export.c): raw and
 * label exports, checkboxes, missing-data codes, REDCap's date formats,
 * longitudinal events and repeating instruments, errors with file, line,
 * column and REDCap field, and an export that imports back.
 */
#include "test_store_helpers.h"

#include <myoreg/io.h>
#include <myoreg/redcap.h>
#include <myoreg/store.h>

#define DICT_HEADER                                                      \
    "\"Variable / Field Name\",\"Form Name\",\"Section Header\","        \
    "\"Field Type\",\"Field Label\",\"Choices, Calculations, OR Slider " \
    "Labels\",\"Field Note\",\"Text Validation Type OR Show Slider "     \
    "Number\"\n"

typedef struct fixture {
    char *dir;
    myo_store *s;
    myo_arena *arena;
    myo_diag diag;
    char first[512];
    char all[4096]; /* every error, one a line */
    size_t nerrors;
    char warning[512]; /* the first warning */
    bool dry_run; /* the next import only: every error, nothing written */
} fixture;

static void keep_first(void *payload, const myo_error *e, bool is_warning)
{
    fixture *f = payload;

    char line[512];
    size_t n = strlen(f->all);

    if (is_warning) {
        if (f->warning[0] == '\0') {
            (void)myo_error_format(e, f->warning, sizeof(f->warning));
        }
        return;
    }
    (void)myo_error_format(e, line, sizeof(line));
    if (f->nerrors++ == 0) {
        (void)snprintf(f->first, sizeof(f->first), "%s", line);
    }
    (void)snprintf(f->all + n, sizeof(f->all) - n, "%s\n", line);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof(*f));

    assert_non_null(f);
    f->dir = test_tmpdir();
    f->s = test_open_store(f->dir, "r.db");
    f->arena = myo_arena_new(0);
    assert_non_null(f->arena);
    /* a label export's project: radio, checkbox, D-M-Y and M-D-Y dates,
     * a decimal comma */
    test_write(f->dir, "dict.csv",
               DICT_HEADER
               "record_id,demographics,,text,\"Record ID\",,,\n"
               "sex,demographics,,radio,Sex,\"1, Female | 2, Male\",,\n"
               "dob,demographics,,text,\"Date of birth\",,,date_dmy\n"
               "visit_date,visit,,text,\"Visit date\",,,date_mdy\n"
               "ck,visit,,text,\"CK (U/L)\",,,number_comma_decimal\n"
               "skin,visit,,checkbox,\"Skin signs\",\"1, Heliotrope rash | "
               "2, Gottron papules\",,\n"
               "school,visit,,radio,School,\"1, normal | 2, impaired\",,\n"
               "ild,visit,,yesno,ILD,,,\n");
    test_write(f->dir, "map.csv",
               "redcap_field,target,code,unit,date_field,values\n"
               "sex,patient.sex,,,,\n"
               "dob,patient.birth_date,,,,\n"
               "visit_date,visit.date,,,,\n"
               "ck,observation,ck,U/L,,\n"
               "skin___1,observation,heliotrope,,,\n"
               "skin___2,observation,gottron-papules,,,\n"
               "school,observation,school-performance,,,\n"
               "ild,observation,ild,,,\n");
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

static myo_status import_into(fixture *f,
                              myo_store *s,
                              const char *records,
                              const char *dict,
                              const char *map,
                              myo_import_stats *st)
{
    myo_import_options o = MYO_IMPORT_OPTIONS_INIT;
    myo_error err = MYO_ERROR_INIT;
    char rp[300];
    char dp[300];
    char mp[300];
    const char *p[1];
    myo_status rc;

    (void)snprintf(rp, sizeof(rp), "%s/%s", f->dir, records);
    (void)snprintf(dp, sizeof(dp), "%s/%s", f->dir, dict != NULL ? dict : "");
    (void)snprintf(mp, sizeof(mp), "%s/%s", f->dir, map);
    p[0] = rp;
    memset(&f->diag, 0, sizeof(f->diag));
    f->diag.report = keep_first;
    f->diag.payload = f;
    f->nerrors = 0;
    f->first[0] = '\0';
    f->all[0] = '\0';
    f->warning[0] = '\0';
    o.dry_run = f->dry_run;
    f->dry_run = false;
    rc = myo_import_redcap(s, p, 1, dict != NULL ? dp : NULL, mp, &o,
                           &f->diag, st, &err);
    if (rc != MYO_OK && rc != MYO_EINVAL) {
        fail_msg("import failed: %s", err.message);
    }
    return rc;
}

static myo_status
import(fixture *f, const char *records_text, myo_import_stats *st)
{
    test_write(f->dir, "records.csv", records_text);
    return import_into(f, f->s, "records.csv", "dict.csv", "map.csv", st);
}

static void get(fixture *f, myo_entity kind, const char *id, myo_record *out)
{
    myo_error err = MYO_ERROR_INIT;

    if (myo_store_get(f->s, kind, id, f->arena, out, &err) != MYO_OK) {
        fail_msg("%s \"%s\" not stored", myo_entity_info_get(kind)->name, id);
    }
}

static bool has(fixture *f, myo_entity kind, const char *id)
{
    myo_error err = MYO_ERROR_INIT;
    myo_record r;

    return myo_store_get(f->s, kind, id, f->arena, &r, &err) == MYO_OK;
}

static int64_t count(myo_store *s, myo_entity k)
{
    int64_t n = -1;
    myo_error err = MYO_ERROR_INIT;

    assert_int_equal(myo_store_count(s, k, &n, &err), MYO_OK);
    return n;
}

#define RECORDS_HEADER                                                       \
    "record_id,redcap_event_name,redcap_repeat_instrument,"                  \
    "redcap_repeat_instance,sex,dob,visit_date,ck,skin___1,skin___2,school," \
    "ild\n"

static void label_export_with_checkboxes_and_missing_codes(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    myo_record r;

    assert_int_equal(
        import(f,
               RECORDS_HEADER
               "lab-1,baseline_arm_1,,,Female,03-04-2006,,,,,,\n"
               "lab-1,baseline_arm_1,visit,1,,,05/06/2012,\"1234,5\","
               "Checked,Unchecked,impaired,Yes\n"
               "lab-1,baseline_arm_1,visit,2,,,12/31/2012,UNK,Unchecked,"
               "Checked,NASK,\n",
               &st),
        MYO_OK);
    get(f, MYO_ENTITY_PATIENT, "lab-1", &r);
    assert_string_equal(r.u.patient.sex, "female");
    /* D-M-Y: 3 April */
    assert_int_equal(r.u.patient.birth_date.month, 4);
    assert_int_equal(r.u.patient.birth_date.day, 3);
    /* one visit per instance: RECORD-EVENT.INSTRUMENT.INSTANCE */
    get(f, MYO_ENTITY_VISIT, "lab-1-baseline_arm_1.visit.1", &r);
    assert_int_equal(r.u.visit.date.month, 5); /* M-D-Y: 6 May */
    assert_int_equal(r.u.visit.date.day, 6);
    get(f, MYO_ENTITY_OBSERVATION, "lab-1-baseline_arm_1.visit.1-ck", &r);
    assert_close(r.u.observation.value_num, 1234.5, 1e-9); /* a comma */
    assert_string_equal(r.u.observation.visit, "lab-1-baseline_arm_1.visit.1");
    get(f, MYO_ENTITY_OBSERVATION, "lab-1-baseline_arm_1.visit.1-skin___1", &r);
    assert_string_equal(r.u.observation.value_code, "yes");
    get(f, MYO_ENTITY_OBSERVATION, "lab-1-baseline_arm_1.visit.1-skin___2", &r);
    assert_string_equal(r.u.observation.value_code, "no");
    get(f, MYO_ENTITY_OBSERVATION, "lab-1-baseline_arm_1.visit.1-school", &r);
    assert_string_equal(r.u.observation.value_code, "impaired");
    get(f, MYO_ENTITY_OBSERVATION, "lab-1-baseline_arm_1.visit.1-ild", &r);
    assert_string_equal(r.u.observation.value_code, "yes");
    /* missing-data codes and empty cells are no value, not a value */
    assert_false(
        has(f, MYO_ENTITY_OBSERVATION, "lab-1-baseline_arm_1.visit.2-ck"));
    assert_false(
        has(f, MYO_ENTITY_OBSERVATION, "lab-1-baseline_arm_1.visit.2-school"));
    assert_false(
        has(f, MYO_ENTITY_OBSERVATION, "lab-1-baseline_arm_1.visit.2-ild"));
    get(f, MYO_ENTITY_OBSERVATION, "lab-1-baseline_arm_1.visit.2-skin___2", &r);
    assert_string_equal(r.u.observation.value_code, "yes");
    assert_int_equal(count(f->s, MYO_ENTITY_OBSERVATION), 7);

    /* importing again updates nothing and adds nothing */
    assert_int_equal(
        import(f,
               RECORDS_HEADER
               "lab-1,baseline_arm_1,,,Female,03-04-2006,,,,,,\n"
               "lab-1,baseline_arm_1,visit,1,,,05/06/2012,\"1234,5\","
               "Checked,Unchecked,impaired,Yes\n"
               "lab-1,baseline_arm_1,visit,2,,,12/31/2012,UNK,Unchecked,"
               "Checked,NASK,\n",
               &st),
        MYO_OK);
    assert_int_equal(st.inserted + st.updated, 0);
    assert_int_equal(count(f->s, MYO_ENTITY_OBSERVATION), 7);
}

static void raw_codes_translate_through_the_mapping(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    myo_record r;

    test_write(f->dir, "map.csv",
               "redcap_field,target,code,unit,date_field,values\n"
               "sex,patient.sex,,,,1=female|2=male\n"
               "visit_date,visit.date,,,,\n"
               "school,observation,school-performance,,,1=normal|2=impaired\n"
               "skin___1,observation,heliotrope,,,\n");
    assert_int_equal(import(f,
                            "record_id,sex,visit_date,school,skin___1\n"
                            "7,2,2015-02-03,1,1\n"
                            "8,1,2015-02-04 10:30,2,0\n",
                            &st),
                     MYO_OK);
    get(f, MYO_ENTITY_PATIENT, "7", &r);
    assert_string_equal(r.u.patient.sex, "male");
    get(f, MYO_ENTITY_PATIENT, "8", &r);
    assert_string_equal(r.u.patient.sex, "female");
    /* a flat project: the visit is the record's own */
    get(f, MYO_ENTITY_VISIT, "8-", &r);
    assert_int_equal(r.u.visit.date.day, 4); /* the datetime keeps its date */
    get(f, MYO_ENTITY_OBSERVATION, "7-school", &r);
    assert_string_equal(r.u.observation.value_code, "normal");
    get(f, MYO_ENTITY_OBSERVATION, "8-skin___1", &r);
    assert_string_equal(r.u.observation.value_code, "no");
}

static void values_take_a_date_field_of_their_own(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    myo_record r;

    test_write(f->dir, "dict.csv",
               DICT_HEADER "record_id,labs,,text,\"Record ID\",,,\n"
                           "lab_date,labs,,text,\"Lab date\",,,date_ymd\n"
                           "hb,labs,,text,\"Hb (g/dL)\",,,number\n");
    test_write(f->dir, "map.csv",
               "redcap_field,target,code,unit,date_field,values\n"
               "hb,observation,haemoglobin,g/dL,lab_date,\n");
    assert_int_equal(import(f,
                            "record_id,redcap_event_name,lab_date,hb\n"
                            "r1,month_6_arm_1,2016-07-01,12.5\n"
                            "r1,month_12_arm_1,2017-01-05,11\n",
                            &st),
                     MYO_OK);
    get(f, MYO_ENTITY_OBSERVATION, "r1-month_6_arm_1-hb", &r);
    assert_close(r.u.observation.value_num, 125.0, 1e-9); /* g/dL -> g/L */
    assert_int_equal(r.u.observation.date.month, 7);
    assert_null(r.u.observation.visit);
    get(f, MYO_ENTITY_OBSERVATION, "r1-month_12_arm_1-hb", &r);
    assert_int_equal(r.u.observation.date.year, 2017);
}

/* A date_field is read in its own dictionary format (date_mdy here): it
 * was read as ISO only, and 12-31-2011 was "not a date". */
static void a_date_field_is_read_in_its_own_format(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    myo_record r;

    test_write(f->dir, "dict.csv",
               DICT_HEADER "record_id,labs,,text,\"Record ID\",,,\n"
                           "lab_date,labs,,text,\"Lab date\",,,date_mdy\n"
                           "hb,labs,,text,\"Hb (g/dL)\",,,number\n");
    test_write(f->dir, "map.csv",
               "redcap_field,target,code,unit,date_field,values\n"
               "hb,observation,haemoglobin,g/dL,lab_date,\n");
    assert_int_equal(import(f,
                            "record_id,redcap_event_name,lab_date,hb\n"
                            "r1,month_6_arm_1,12-31-2011,12.5\n"
                            "r1,month_12_arm_1,04/05/2012,11\n",
                            &st),
                     MYO_OK);
    get(f, MYO_ENTITY_OBSERVATION, "r1-month_6_arm_1-hb", &r);
    assert_int_equal(r.u.observation.date.month, 12);
    assert_int_equal(r.u.observation.date.day, 31);
    get(f, MYO_ENTITY_OBSERVATION, "r1-month_12_arm_1-hb", &r);
    assert_int_equal(r.u.observation.date.month, 4);
    assert_int_equal(r.u.observation.date.day, 5);
}

/* Errors name FILE:LINE:COLUMN: FIELD with the REDCap column name, and
 * nothing is written. */
static void errors_name_file_line_column_and_field(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    char want[400];

    assert_int_equal(
        import(f,
               RECORDS_HEADER
               "lab-2,baseline_arm_1,,,Male,03-04-2006,,,,,,\n"
               "lab-2,baseline_arm_1,visit,1,,,13/45/2012,100,,,,\n",
               &st),
        MYO_EINVAL);
    (void)snprintf(want, sizeof(want),
                   "%s/records.csv:3:7: visit_date: \"13/45/2012\" is not a "
                   "date",
                   f->dir);
    assert_non_null(strstr(f->first, want));
    assert_int_equal(count(f->s, MYO_ENTITY_PATIENT), 0);

    /* a value out of its plausible range names the REDCap column */
    assert_int_equal(
        import(f,
               RECORDS_HEADER
               "lab-2,baseline_arm_1,,,Male,03-04-2006,,,,,,\n"
               "lab-2,baseline_arm_1,visit,1,,,05/06/2012,9000000,,,,\n",
               &st),
        MYO_EINVAL);
    (void)snprintf(want, sizeof(want), "%s/records.csv:3:8: value: ", f->dir);
    assert_non_null(strstr(f->first, want));

    /* the mapping: an unknown measure, a field the dictionary lacks */
    test_write(f->dir, "map.csv",
               "redcap_field,target,code,unit,date_field,values\n"
               "visit_date,visit.date,,,,\n"
               "ck,observation,creatine-kinase,U/L,,\n");
    assert_int_equal(import(f, RECORDS_HEADER, &st), MYO_EINVAL);
    (void)snprintf(want, sizeof(want),
                   "%s/map.csv:3:3: code: unknown measure "
                   "\"creatine-kinase\"",
                   f->dir);
    assert_non_null(strstr(f->first, want));
    test_write(f->dir, "map.csv",
               "redcap_field,target,code,unit,date_field,values\n"
               "weight,observation,weight,kg,,\n");
    assert_int_equal(import(f, RECORDS_HEADER, &st), MYO_EINVAL);
    assert_non_null(strstr(f->first, "map.csv:2:1: redcap_field: \"weight\" "
                                     "is not a field of the data dictionary"));
}

/* A patient field given by several rows of a record (events, instruments)
 * must agree: the last row used to win silently. */
static void patient_fields_agree_across_rows(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    myo_record r;
    char want[400];

    f->dry_run = true;
    assert_int_equal(
        import(f,
               RECORDS_HEADER
               "c-1,baseline_arm_1,,,Female,03-04-2006,,,,,,\n"
               "c-1,month_6_arm_1,,,Male,,,,,,,\n",
               &st),
        MYO_EINVAL);
    (void)snprintf(want, sizeof(want),
                   "%s/records.csv:3:5: sex: \"Male\" disagrees with "
                   "\"Female\" on line 2",
                   f->dir);
    assert_non_null(strstr(f->first, want));
    assert_int_equal(f->nerrors, 1);
    assert_int_equal(count(f->s, MYO_ENTITY_PATIENT), 0);

    /* dates are compared as dates: D-M-Y and ISO name the same day */
    assert_int_equal(
        import(f,
               RECORDS_HEADER
               "c-1,baseline_arm_1,,,Female,03-04-2006,,,,,,\n"
               "c-1,month_6_arm_1,,,female,2006-04-03,,,,,,\n",
               &st),
        MYO_OK);
    get(f, MYO_ENTITY_PATIENT, "c-1", &r);
    assert_string_equal(r.u.patient.sex, "female");
    assert_int_equal(
        import(f,
               RECORDS_HEADER
               "c-2,baseline_arm_1,,,,03-04-2006,,,,,,\n"
               "c-2,month_6_arm_1,,,,04-03-2006,,,,,,\n",
               &st),
        MYO_EINVAL);
    assert_non_null(strstr(f->first, "records.csv:3:6: dob: \"04-03-2006\" "
                                     "disagrees with \"03-04-2006\" on line "
                                     "2"));

    /* the data access group is the site: one per record */
    test_write(f->dir, "map.csv",
               "redcap_field,target,code,unit,date_field,values\n"
               "sex,patient.sex,,,,\n");
    assert_int_equal(
        import(f,
               "record_id,redcap_event_name,redcap_data_access_group,sex\n"
               "c-3,baseline_arm_1,north,Female\n"
               "c-3,month_6_arm_1,south,\n",
               &st),
        MYO_EINVAL);
    assert_non_null(strstr(f->first, "records.csv:3:3: "
                                     "redcap_data_access_group: \"south\" "
                                     "disagrees with \"north\" on line 2"));
}

/* A radio, dropdown or checkbox value must be one of the dictionary's
 * choices: "Unknown" for a sex whose choices are Female and Male was
 * taken because it happens to be a registry value. */
static void coded_values_must_be_choices(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    myo_record r;
    char want[400];

    f->dry_run = true;
    assert_int_equal(
        import(f, RECORDS_HEADER "u-1,baseline_arm_1,,,Unknown,,,,,,,\n", &st),
        MYO_EINVAL);
    (void)snprintf(want, sizeof(want),
                   "%s/records.csv:2:5: sex: \"Unknown\" is not one of the "
                   "choices of sex (1, Female | 2, Male)",
                   f->dir);
    assert_non_null(strstr(f->first, want));
    assert_int_equal(f->nerrors, 1);

    /* an observation's radio too, though "normal" is a value of the
     * measure ("impaired" is a label, matched case-insensitively) */
    f->dry_run = true;
    assert_int_equal(
        import(f,
               RECORDS_HEADER
               "u-1,baseline_arm_1,visit,1,,,05/06/2012,,,,IMPAIRED,\n"
               "u-1,baseline_arm_1,visit,2,,,05/07/2012,,,,ok,\n",
               &st),
        MYO_EINVAL);
    assert_non_null(strstr(f->first, "records.csv:3:11: school: \"ok\" is "
                                     "not one of the choices of school"));
    assert_int_equal(f->nerrors, 1);

    /* a checkbox column: 1/0, Checked/Unchecked or its own choice; "yes"
     * and another choice's label are neither */
    f->dry_run = true;
    assert_int_equal(
        import(f,
               RECORDS_HEADER
               "u-1,baseline_arm_1,visit,1,,,05/06/2012,,yes,,,\n"
               "u-1,baseline_arm_1,visit,2,,,05/07/2012,,Gottron papules,,,"
               "\n",
               &st),
        MYO_EINVAL);
    assert_non_null(strstr(f->first, "records.csv:2:9: skin___1: \"yes\" is not "
                                     "yes/no: checkbox skin___1 holds"));
    assert_int_equal(f->nerrors, 2);
    assert_int_equal(
        import(f,
               RECORDS_HEADER
               "u-1,baseline_arm_1,visit,1,,,05/06/2012,,heliotrope rash,"
               "Unchecked,IMPAIRED,\n",
               &st),
        MYO_OK);
    get(f, MYO_ENTITY_OBSERVATION, "u-1-baseline_arm_1.visit.1-skin___1", &r);
    assert_string_equal(r.u.observation.value_code, "yes");
    get(f, MYO_ENTITY_OBSERVATION, "u-1-baseline_arm_1.visit.1-school", &r);
    assert_string_equal(r.u.observation.value_code, "impaired");
}

/* Mistakes of the mapping are found when it is read, before any record,
 * at the mapping's line and column; they used to surface at the first
 * record that met them (records.csv:3: unit: ...), once per record. */
static void mapping_mistakes_are_found_in_the_mapping(void **state)
{
    fixture *f = *state;
    myo_import_stats st;

    test_write(f->dir, "map.csv",
               "redcap_field,target,code,unit,date_field,values\n"
               "sex,patient.sex,,,,1=female|2=mal\n"
               "visit_date,visit.date,,,,\n"
               "ck,observation,ck,mg,,\n"
               "ck,observation,ck,U/L,,\n"
               "skin___1,observation,cmas,,,\n"
               "school,observation,school-performance,,,1=normal|3=impaired\n"
               "ild,observation,ck,U/L,,\n"
               "skin___3,observation,heliotrope,,,\n");
    f->dry_run = true;
    assert_int_equal(
        import(f,
               RECORDS_HEADER
               "m-1,baseline_arm_1,,,Male,03-04-2006,,,,,,\n"
               "m-1,baseline_arm_1,visit,1,,,05/06/2012,100,1,0,1,1\n"
               "m-1,baseline_arm_1,visit,2,,,05/07/2012,100,1,0,1,1\n",
               &st),
        MYO_EINVAL);
    assert_non_null(strstr(f->first, "map.csv:2:6: values: \"mal\" is not one "
                                     "of: "));
    assert_non_null(strstr(f->all, "map.csv:4:4: unit: unit \"mg\" is a mass "
                                   "and cannot express creatine kinase"));
    assert_non_null(strstr(f->all, "map.csv:5:1: redcap_field: \"ck\" is "
                                   "mapped to an observation on line 4 "
                                   "already"));
    assert_non_null(strstr(f->all, "map.csv:6:3: code: checkbox skin___1 "
                                   "gives yes or no, which cmas does not "
                                   "take: \"yes\" is not a number"));
    assert_non_null(strstr(f->all, "map.csv:7:6: values: \"3\" is not a "
                                   "choice code of school"));
    assert_non_null(strstr(f->all, "map.csv:8:3: code: yesno ild gives yes "
                                   "or no, which ck does not take"));
    assert_non_null(strstr(f->all, "map.csv:9:1: redcap_field: \"3\" is not "
                                   "a choice of checkbox skin"));
    /* found once, in the mapping: the records add nothing */
    assert_null(strstr(f->all, "records.csv"));
    assert_int_equal(f->nerrors, 7);

    /* values translate codes: a label would never match */
    test_write(f->dir, "map.csv",
               "redcap_field,target,code,unit,date_field,values\n"
               "sex,patient.sex,,,,Female=female|2=male\n");
    assert_int_equal(import(f, RECORDS_HEADER, &st), MYO_EINVAL);
    assert_non_null(strstr(f->first, "map.csv:2:6: values: \"Female\" is "
                                     "not a choice code of sex"));

    /* a quantity needs its unit in the mapping (values of a visit date
     * are not looked at) */
    test_write(f->dir, "map.csv",
               "redcap_field,target,code,unit,date_field,values\n"
               "visit_date,visit.date,,,,2012=2013\n"
               "ck,observation,ck,,,\n");
    assert_int_equal(import(f, RECORDS_HEADER, &st), MYO_EINVAL);
    assert_non_null(strstr(f->first, "map.csv:3:4: unit: a unit is required "
                                     "for creatine kinase"));
}

/* A dry run reports each fault once: a visit date out of the patient's
 * life was repeated for every observation of its row, an unreadable one
 * added "a value without a date" for each, and a file that is not a
 * dictionary added "not a field of the data dictionary" for every line of
 * the mapping.  A fault of its own in the same row is still reported. */
static void a_fault_is_reported_once(void **state)
{
    static const char *const visit[] = { "05/06/2001", "05/06/2999",
                                         "13/45/2012" };
    fixture *f = *state;
    myo_import_stats st;
    char rec[400];
    size_t i;

    for (i = 0; i < sizeof(visit) / sizeof(visit[0]); i++) {
        (void)snprintf(rec, sizeof(rec),
                       RECORDS_HEADER
                       "o-1,baseline_arm_1,,,Female,03-04-2006,,,,,,\n"
                       "o-1,baseline_arm_1,visit,1,,,%s,100,1,0,impaired,"
                       "Yes\n",
                       visit[i]);
        f->dry_run = true;
        assert_int_equal(import(f, rec, &st), MYO_EINVAL);
        if (f->nerrors != 1) {
            fail_msg("visit date %s: %zu errors:\n%s", visit[i], f->nerrors,
                     f->all);
        }
        assert_non_null(strstr(f->first, "records.csv:3:7: "));
    }
    f->dry_run = true;
    assert_int_equal(import(f,
                            RECORDS_HEADER
                            "o-1,baseline_arm_1,,,Female,03-04-2006,,,,,,\n"
                            "o-1,baseline_arm_1,visit,1,,,05/06/2001,abc,1,0,"
                            "impaired,Yes\n",
                            &st),
                     MYO_EINVAL);
    assert_int_equal(f->nerrors, 2);
    assert_non_null(strstr(f->all, "records.csv:3:8: value: \"abc\" is not a "
                                   "number"));

    /* a row given twice: its visit is the duplicate, not each value */
    f->dry_run = true;
    assert_int_equal(import(f,
                            RECORDS_HEADER
                            "o-1,baseline_arm_1,visit,1,,,05/06/2012,100,1,0,"
                            "impaired,Yes\n"
                            "o-1,baseline_arm_1,visit,1,,,05/06/2012,100,1,0,"
                            "impaired,Yes\n",
                            &st),
                     MYO_EINVAL);
    if (f->nerrors != 1) {
        fail_msg("%zu errors:\n%s", f->nerrors, f->all);
    }
    assert_non_null(strstr(f->first, "duplicate visit id"));

    /* a date_field several values share: wrong once, reported once */
    test_write(f->dir, "dict.csv",
               DICT_HEADER "record_id,labs,,text,\"Record ID\",,,\n"
                           "dob,labs,,text,Born,,,date_ymd\n"
                           "lab_date,labs,,text,\"Lab date\",,,date_ymd\n"
                           "hb,labs,,text,Hb,,,number\n"
                           "ck,labs,,text,CK,,,number\n");
    test_write(f->dir, "map.csv",
               "redcap_field,target,code,unit,date_field,values\n"
               "dob,patient.birth_date,,,,\n"
               "hb,observation,haemoglobin,g/dL,lab_date,\n"
               "ck,observation,ck,U/L,lab_date,\n");
    for (i = 0; i < 2; i++) {
        f->dry_run = true;
        assert_int_equal(import(f,
                                i == 0 ? "record_id,dob,lab_date,hb,ck\n"
                                         "o-2,2006-04-03,2001-05-06,12,100\n"
                                       : "record_id,dob,lab_date,hb,ck\n"
                                         "o-2,2006-04-03,2001-13-06,12,100\n",
                                &st),
                         MYO_EINVAL);
        if (f->nerrors != 1) {
            fail_msg("%zu errors:\n%s", f->nerrors, f->all);
        }
        assert_non_null(strstr(f->first, "records.csv:2:3: "));
    }

    test_write(f->dir, "dict.csv", "name,type\nrecord_id,text\n");
    f->dry_run = true;
    assert_int_equal(import(f, RECORDS_HEADER, &st), MYO_EINVAL);
    assert_non_null(strstr(f->first, "dict.csv:1: not a REDCap data "
                                     "dictionary"));
    if (f->nerrors != 1) {
        fail_msg("%zu errors:\n%s", f->nerrors, f->all);
    }
}

/* REDCap's own formats only: M-D-Y and D-M-Y with a four-digit year, and
 * nothing after the date but a time. */
static void dates_need_the_fields_format(void **state)
{
    static const char *const bad[] = { "12/31/12", "12/31/2012x", "2012/12/31",
                                       "31.12.2012", "12-31/2012" };
    fixture *f = *state;
    myo_import_stats st;
    char rec[300];
    size_t i;

    for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        (void)snprintf(rec, sizeof(rec),
                       RECORDS_HEADER "d,e1,visit,1,,,%s,1,,,,\n", bad[i]);
        if (import(f, rec, &st) != MYO_EINVAL) {
            fail_msg("\"%s\" was taken for a date", bad[i]);
        }
        assert_non_null(strstr(f->first, "is not a date"));
    }
    assert_int_equal(
        import(f, RECORDS_HEADER "d,e1,visit,1,,,12-31-2012 08:15,1,,,,\n",
               &st),
        MYO_OK);
}

static void export_imports_back_into_an_empty_registry(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    myo_error err = MYO_ERROR_INIT;
    myo_store *s2 = test_open_store(f->dir, "r2.db");
    char out[300];
    FILE *in;
    char line[600];

    assert_int_equal(
        import(f,
               RECORDS_HEADER
               "lab-1,baseline_arm_1,,,Female,03-04-2006,,,,,,\n"
               "lab-1,baseline_arm_1,visit,1,,,05/06/2012,\"1234,5\","
               "Checked,Unchecked,impaired,Yes\n"
               "lab-2,baseline_arm_1,,,Male,2001-02-03,,,,,,\n"
               "lab-2,baseline_arm_1,visit,1,,,2013-01-02,300,,,normal,No\n",
               &st),
        MYO_OK);
    (void)snprintf(out, sizeof(out), "%s/rc", f->dir);
    assert_int_equal(myo_export_redcap(f->s, out, NULL, &err), MYO_OK);
    /* the dictionary opens with REDCap's own header */
    (void)snprintf(out, sizeof(out), "%s/rc/dictionary.csv", f->dir);
    in = fopen(out, "rb");
    assert_non_null(in);
    assert_non_null(fgets(line, sizeof(line), in));
    assert_int_equal(strncmp(line,
                             "Variable / Field Name,Form Name,Section "
                             "Header,Field Type,Field Label,",
                             68),
                     0);
    assert_int_equal(fclose(in), 0);
    assert_int_equal(import_into(f, s2, "rc/records.csv", "rc/dictionary.csv",
                                 "rc/mapping.csv", &st),
                     MYO_OK);
    assert_int_equal(count(s2, MYO_ENTITY_PATIENT), 2);
    assert_int_equal(count(s2, MYO_ENTITY_OBSERVATION),
                     count(f->s, MYO_ENTITY_OBSERVATION));
    myo_store_close(s2);
}

/* REDCap's API exports a project without records as an empty file (an
 * empty line): no records, with a word, not an error. */
static void an_empty_export_has_no_records(void **state)
{
    fixture *f = *state;
    myo_import_stats st;

    assert_int_equal(import(f, "\n", &st), MYO_OK);
    assert_int_equal(st.records, 0);
    assert_int_equal(st.files, 1);
    assert_non_null(strstr(f->warning, "records.csv:1: no records: the file "
                                       "is empty"));
    /* the mapping is still checked against the dictionary */
    test_write(f->dir, "bad.csv",
               "redcap_field,target,code,unit,date_field,values\n"
               "weight,observation,weight,kg,,\n");
    assert_int_equal(
        import_into(f, f->s, "records.csv", "dict.csv", "bad.csv", &st),
        MYO_EINVAL);
    assert_non_null(strstr(f->first, "bad.csv:2:1: redcap_field: "
                                     "\"weight\" is not a field of the data "
                                     "dictionary"));
}

/* Without a dictionary every field is text (codes as written, ISO dates,
 * decimal points) and field___code a checkbox's choice; an unnamed first
 * column (R's row names) is skipped with a warning. */
static void records_without_a_dictionary(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    myo_record r;

    test_write(f->dir, "nodict.csv",
               "redcap_field,target,code,unit,date_field,values\n"
               "sex,patient.sex,,,,1=female|2=male\n"
               "seen,visit.date,,,,\n"
               "weight,observation,weight,kg,,\n"
               "skin___1,observation,heliotrope,,,\n");
    test_write(f->dir, "r.csv",
               "\"\",\"record_id\",\"sex\",\"seen\",\"weight\","
               "\"skin___1\"\n"
               "\"1\",\"AAAA\",\"1\",\"2015-03-17\",\"52.5\",\"1\"\n"
               "\"2\",\"BBBB\",\"2\",\"2015-03-18\",\"NA\",\"0\"\n");
    assert_int_equal(import_into(f, f->s, "r.csv", NULL, "nodict.csv", &st),
                     MYO_OK);
    assert_non_null(strstr(f->warning, "r.csv:1:1: the first column has no "
                                       "name: taken for row names"));
    get(f, MYO_ENTITY_PATIENT, "AAAA", &r);
    assert_string_equal(r.u.patient.sex, "female");
    get(f, MYO_ENTITY_PATIENT, "BBBB", &r);
    assert_string_equal(r.u.patient.sex, "male");
    assert_false(has(f, MYO_ENTITY_PATIENT, "1"));
    get(f, MYO_ENTITY_OBSERVATION, "AAAA-weight", &r);
    assert_string_equal(r.u.observation.value, "52.5");
    get(f, MYO_ENTITY_OBSERVATION, "BBBB-skin___1", &r);
    assert_string_equal(r.u.observation.value_code, "no");
    assert_false(has(f, MYO_ENTITY_OBSERVATION, "BBBB-weight")); /* NA */
}

/* A date_field that is a date dates values a project records without one;
 * one that begins with a digit but is no date is a mapping error. */
static void a_date_field_may_be_a_date(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    myo_record r;

    test_write(f->dir, "fixed.csv",
               "redcap_field,target,code,unit,date_field,values\n"
               "ck,observation,ck,U/L,2012-05-06,\n");
    test_write(f->dir, "r.csv", "record_id,ck\nx,\"1,5\"\n");
    assert_int_equal(import_into(f, f->s, "r.csv", "dict.csv", "fixed.csv",
                                 &st),
                     MYO_OK);
    get(f, MYO_ENTITY_OBSERVATION, "x-ck", &r);
    assert_string_equal(r.u.observation.value, "1.5");
    assert_int_equal(r.u.observation.date.month, 5);
    assert_int_equal(r.u.observation.date.day, 6);
    test_write(f->dir, "fixed.csv",
               "redcap_field,target,code,unit,date_field,values\n"
               "ck,observation,ck,U/L,2012-13-06,\n");
    assert_int_equal(import_into(f, f->s, "r.csv", "dict.csv", "fixed.csv",
                                 &st),
                     MYO_EINVAL);
    assert_non_null(strstr(f->first, "fixed.csv:2:5: date_field: "
                                     "\"2012-13-06\" is neither a REDCap "
                                     "field"));
}

/* A survey's INSTRUMENT_timestamp is a column of the records, not of the
 * dictionary: a datetime, or "[not completed]" (no value). */
static void a_survey_timestamp_dates_a_visit(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    myo_record r;

    test_write(f->dir, "ts.csv",
               "redcap_field,target,code,unit,date_field,values\n"
               "visit_timestamp,visit.date,,,,\n");
    test_write(f->dir, "r.csv",
               "record_id,visit_timestamp\n"
               "a,\"2018-03-06 15:52:43\"\n"
               "b,[not completed]\n");
    assert_int_equal(import_into(f, f->s, "r.csv", "dict.csv", "ts.csv", &st),
                     MYO_OK);
    get(f, MYO_ENTITY_VISIT, "a-", &r);
    assert_int_equal(r.u.visit.date.day, 6);
    assert_true(has(f, MYO_ENTITY_PATIENT, "b"));
    assert_int_equal(count(f->s, MYO_ENTITY_VISIT), 1);
    /* a column named so for no instrument is no field */
    test_write(f->dir, "ts.csv",
               "redcap_field,target,code,unit,date_field,values\n"
               "survey_timestamp,visit.date,,,,\n");
    assert_int_equal(import_into(f, f->s, "r.csv", "dict.csv", "ts.csv", &st),
                     MYO_EINVAL);
    assert_non_null(strstr(f->first, "\"survey_timestamp\" is not a field"));
}

/* A code outside the catalogue, SYSTEM|CODE as the CSV files write it,
 * is kept as given (value and unit as typed, one warning for all rows);
 * a catalogue code so written is the catalogue's measure; a typo in a
 * LOINC code is an error at the mapping's line. */
static void codes_outside_the_catalogue(void **state)
{
    fixture *f = *state;
    myo_import_stats st;
    myo_record r;

    test_write(f->dir, "loinc.csv",
               "redcap_field,target,code,unit,date_field,values\n"
               "visit_date,visit.date,,,,\n"
               "ck,observation,http://loinc.org|8480-6,mm[Hg],,\n"
               "school,observation,urn:myoreg:measure|school-performance,,,"
               "\n");
    test_write(f->dir, "r.csv",
               "record_id,visit_date,ck,school\n"
               "a,01/02/2020,\"120,5\",1\n"
               "b,01/03/2020,118,2\n");
    assert_int_equal(
        import_into(f, f->s, "r.csv", "dict.csv", "loinc.csv", &st), MYO_OK);
    get(f, MYO_ENTITY_OBSERVATION, "a-ck", &r);
    assert_string_equal(r.u.observation.system, "http://loinc.org");
    assert_string_equal(r.u.observation.code, "8480-6");
    assert_string_equal(r.u.observation.value, "120.5");
    assert_string_equal(r.u.observation.unit, "mm[Hg]");
    get(f, MYO_ENTITY_OBSERVATION, "b-school", &r);
    assert_string_equal(r.u.observation.value_code, "impaired");
    assert_int_equal(f->diag.warnings, 1); /* not one per row */
    assert_non_null(strstr(f->warning, "code \"8480-6\" of system "
                                       "\"http://loinc.org\" is not in the "
                                       "catalogue: kept as given"));

    test_write(f->dir, "loinc.csv",
               "redcap_field,target,code,unit,date_field,values\n"
               "visit_date,visit.date,,,,\n"
               "ck,observation,http://loinc.org|8480-5,mm[Hg],,\n");
    assert_int_equal(
        import_into(f, f->s, "r.csv", "dict.csv", "loinc.csv", &st),
        MYO_EINVAL);
    assert_non_null(strstr(f->first, "loinc.csv:3:3: code: unknown code "
                                     "\"8480-5\" in system "
                                     "\"http://loinc.org\": its check digit "
                                     "should be 6"));
}

int main(void)
{
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
    const struct CMUnitTest tests[] = {
        T(label_export_with_checkboxes_and_missing_codes),
        T(raw_codes_translate_through_the_mapping),
        T(values_take_a_date_field_of_their_own),
        T(a_date_field_is_read_in_its_own_format),
        T(errors_name_file_line_column_and_field),
        T(dates_need_the_fields_format),
        T(patient_fields_agree_across_rows),
        T(coded_values_must_be_choices),
        T(mapping_mistakes_are_found_in_the_mapping),
        T(a_fault_is_reported_once),
        T(export_imports_back_into_an_empty_registry),
        T(an_empty_export_has_no_records),
        T(records_without_a_dictionary),
        T(a_date_field_may_be_a_date),
        T(a_survey_timestamp_dates_a_visit),
        T(codes_outside_the_catalogue),
    };
#undef T
    return cmocka_run_group_tests(tests, NULL, NULL);
}
