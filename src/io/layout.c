/* SPDX-License-Identifier: MIT */
/* Files and columns of the myoreg CSV folder format. */
#include "myo_internal.h"

#include "io/layout.h"

#include <myoreg/io.h>
#include <myoreg/validate.h>

#include <stdio.h>
#include <string.h>

#include "util/text.h"

const myo_entity myo_file_entities[] = {
    MYO_ENTITY_SITE,       MYO_ENTITY_PATIENT, MYO_ENTITY_DIAGNOSIS,
    MYO_ENTITY_EPISODE,    MYO_ENTITY_VISIT,   MYO_ENTITY_OBSERVATION,
    MYO_ENTITY_MEDICATION, MYO_ENTITY_EVENT,   MYO_ENTITY_SPECIMEN,
    MYO_ENTITY_NOTE,       MYO_ENTITY_MEMBER,
};
const size_t myo_file_entity_count = MYO_ARRAY_LEN(myo_file_entities);

const char *myo_csv_file_name(myo_entity kind)
{
    static const char *const names[MYO_ENTITY_COUNT] = {
        /* a site with no patient (an Organization no Patient names) has
         * nowhere else to go; patients.csv names its site too */
        [MYO_ENTITY_SITE] = "sites.csv",
        [MYO_ENTITY_PATIENT] = "patients.csv",
        [MYO_ENTITY_DIAGNOSIS] = "diagnoses.csv",
        [MYO_ENTITY_EPISODE] = "episodes.csv",
        [MYO_ENTITY_VISIT] = "visits.csv",
        [MYO_ENTITY_OBSERVATION] = "observations.csv",
        [MYO_ENTITY_MEDICATION] = "medications.csv",
        [MYO_ENTITY_EVENT] = "events.csv",
        [MYO_ENTITY_SPECIMEN] = "specimens.csv",
        [MYO_ENTITY_NOTE] = "notes.csv",
        [MYO_ENTITY_COHORT] = "cohorts.csv",
        [MYO_ENTITY_MEMBER] = "cohorts.csv",
    };

    MYO_ASSERT(kind < MYO_ENTITY_COUNT);
    return names[kind];
}

myo_entity myo_entity_for_file(const char *basename)
{
    size_t i;

    for (i = 0; i < myo_file_entity_count; i++) {
        if (strcmp(basename, myo_csv_file_name(myo_file_entities[i])) == 0) {
            return myo_file_entities[i];
        }
    }
    return MYO_ENTITY_COUNT;
}

/* The member's derived id is rebuilt from cohort and member. */
static bool is_column_field(const myo_field *f)
{
    return (f->flags & MYO_FF_DERIVED) == 0;
}

/* A trial's protocol, the cohort's fields added by schema 9 (MYO_FF_LATE),
 * given on any row of the cohort as its name is (myoreg/trial.h). */
static size_t protocol_columns(myo_col *out)
{
    const myo_entity_info *info = myo_entity_info_get(MYO_ENTITY_COHORT);
    size_t n = 0;
    size_t i;

    for (i = 0; i < info->nfields; i++) {
        if (info->fields[i].flags & MYO_FF_LATE) {
            out[n].kind = MYO_COL_COHORT_FIELD;
            out[n].field = &info->fields[i];
            out[n].name = info->fields[i].name;
            n++;
        }
    }
    return n;
}

size_t myo_file_columns(myo_entity kind, myo_col *out)
{
    const myo_entity_info *info = myo_entity_info_get(kind);
    size_t n = 0;
    size_t i;

    for (i = 0; i < info->nfields; i++) {
        const myo_field *f = &info->fields[i];

        if (!is_column_field(f)) {
            continue;
        }
        out[n].kind = MYO_COL_FIELD;
        out[n].field = f;
        out[n].name = f->name;
        n++;
        if (kind == MYO_ENTITY_PATIENT && strcmp(f->name, "site") == 0) {
            out[n].kind = MYO_COL_SITE_NAME;
            out[n].field = NULL;
            out[n].name = "site_name";
            n++;
        }
        if (kind == MYO_ENTITY_MEMBER && strcmp(f->name, "cohort") == 0) {
            out[n].kind = MYO_COL_COHORT_NAME;
            out[n].field = NULL;
            out[n].name = "name";
            n++;
            out[n].kind = MYO_COL_COHORT_DESC;
            out[n].field = NULL;
            out[n].name = "description";
            n++;
            n += protocol_columns(out + n);
        }
    }
    MYO_ASSERT(n <= MYO_MAX_COLS);
    return n;
}

bool myo_map_column(myo_entity kind, const char *name, myo_col *out)
{
    myo_col cols[MYO_MAX_COLS];
    size_t n = myo_file_columns(kind, cols);
    size_t i;

    if (name[0] == '_') {
        out->kind = MYO_COL_IGNORED;
        out->field = NULL;
        out->name = name;
        return true;
    }
    for (i = 0; i < n; i++) {
        if (strcmp(cols[i].name, name) == 0) {
            *out = cols[i];
            return true;
        }
    }
    return false;
}

bool myo_col_is_free_text(const myo_col *c)
{
    if (c->kind == MYO_COL_SITE_NAME || c->kind == MYO_COL_COHORT_NAME ||
        c->kind == MYO_COL_COHORT_DESC) {
        return true;
    }
    return c->kind == MYO_COL_FIELD && c->field->type == MYO_FT_TEXT &&
           c->field->check == NULL && (c->field->flags & MYO_FF_ID) == 0;
}

const char *myo_closest_column(myo_entity kind, const char *name)
{
    myo_col cols[MYO_MAX_COLS];
    const char *names[MYO_MAX_COLS];
    size_t n = myo_file_columns(kind, cols);
    size_t i;

    for (i = 0; i < n; i++) {
        names[i] = cols[i].name;
    }
    return myo_closest_name(name, names, n); /* the rule of every "did you
                                               * mean" (util/text.c) */
}

static const char *const bool_yes[] = { "yes", "true", "y", "1", NULL };
static const char *const bool_no[] = { "no", "false", "n", "0", NULL };

static int parse_yes_no(const char *s)
{
    size_t i;

    for (i = 0; bool_yes[i] != NULL; i++) {
        if (myo_ascii_eq_ci(s, bool_yes[i])) {
            return 1;
        }
    }
    for (i = 0; bool_no[i] != NULL; i++) {
        if (myo_ascii_eq_ci(s, bool_no[i])) {
            return 0;
        }
    }
    return -1;
}

static bool read_id_or_text(myo_record *rec,
                            const myo_field *f,
                            const char *text,
                            myo_arena *a,
                            char *msg,
                            size_t msgsz)
{
    void *p = myo_field_ptr(rec, f);

    if (((f->flags & MYO_FF_ID) || f->type == MYO_FT_REF ||
         (rec->kind == MYO_ENTITY_MEMBER && strcmp(f->name, "member") == 0)) &&
        !myo_id_valid(text)) {
        (void)snprintf(msg, msgsz,
                       "\"%s\" is not a valid id (1-64 letters, digits, "
                       "'.', '_', ':' or '-', starting with a letter or "
                       "digit)",
                       text);
        return false;
    }
    *(const char **)p = myo_arena_strdup(a, text);
    if (*(const char **)p == NULL) {
        (void)snprintf(msg, msgsz, "out of memory");
        return false;
    }
    return true;
}

bool myo_field_read_text(myo_record *rec,
                         const myo_field *f,
                         const char *text,
                         myo_arena *a,
                         char *msg,
                         size_t msgsz)
{
    void *p = myo_field_ptr(rec, f);
    myo_status rc;
    int b;

    if (text[0] == '\0') {
        return true; /* absent */
    }
    switch (f->type) {
    case MYO_FT_TEXT:
    case MYO_FT_ENUM:
    case MYO_FT_REF:
        return read_id_or_text(rec, f, text, a, msg, msgsz);
    case MYO_FT_INT:
        if (!myo_parse_int(text, (int64_t *)p) ||
            *(int64_t *)p == MYO_NULL_INT) {
            (void)snprintf(msg, msgsz, "\"%s\" is not a whole number", text);
            return false;
        }
        return true;
    case MYO_FT_REAL:
        if (!myo_parse_number(text, (double *)p)) {
            (void)snprintf(msg, msgsz, "\"%s\" is not a number%s", text,
                           strchr(text, ',') != NULL ? " (use '.' for decimals)"
                                                     : "");
            return false;
        }
        return true;
    case MYO_FT_BOOL:
        b = parse_yes_no(text);
        if (b < 0) {
            (void)snprintf(msg, msgsz, "\"%s\" is not yes or no", text);
            return false;
        }
        *(int8_t *)p = (int8_t)b;
        return true;
    case MYO_FT_DATE:
        rc = myo_date_parse(text, strlen(text), (myo_date *)p);
        if (rc == MYO_OK) {
            return true;
        }
        (void)snprintf(msg, msgsz,
                       rc == MYO_EINVAL
                           ? "\"%s\" is not a real calendar date"
                           : "\"%s\" is not a date: use YYYY-MM-DD, "
                             "YYYY-MM or YYYY",
                       text);
        return false;
    }
    (void)snprintf(msg, msgsz, "\"%s\" cannot be read", text);
    return false;
}
