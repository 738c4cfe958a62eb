/* SPDX-License-Identifier: MIT */
/*
 * docs/schemas/records.schema.json says what the field tables say: for
 * every entity a closed object with exactly its fields, each of the JSON
 * type myo_record_json writes, the enumerations' values, and the id and
 * required fields required.  The schema was written from the tables once;
 * this keeps it from falling behind them (a new field, a new enum value),
 * which the schema test of the commands would catch only once some data
 * used it.
 */
#include "test_helpers.h"

#include <myoreg/model.h>

#include <jansson.h>
#include <string.h>

static json_t *load_defs(void)
{
    json_error_t jerr;
    json_t *doc = json_load_file(
        MYO_SOURCE_DIR "/docs/schemas/records.schema.json", 0, &jerr);

    if (doc == NULL) {
        fail_msg("records.schema.json:%d: %s", jerr.line, jerr.text);
    }
    return doc;
}

/* The JSON type myo_record_json writes for a field; NULL for dates and
 * enumerations, checked apart. */
static const char *written_type(const myo_field *f)
{
    switch (f->type) {
    case MYO_FT_TEXT:
    case MYO_FT_REF:
        return "string";
    case MYO_FT_INT:
        return "integer";
    case MYO_FT_REAL:
        return "number";
    case MYO_FT_BOOL:
        return "boolean";
    case MYO_FT_DATE:
    case MYO_FT_ENUM:
        break;
    }
    return NULL;
}

static void check_enum(const char *entity, const myo_field *f, json_t *p)
{
    json_t *values = json_object_get(p, "enum");
    size_t k;

    for (k = 0; f->values[k] != NULL; k++) {
        const char *v = json_string_value(json_array_get(values, k));
        if (v == NULL || strcmp(v, f->values[k]) != 0) {
            fail_msg("%s.%s: enum value %zu is %s in the table, %s in the "
                     "schema", entity, f->name, k, f->values[k],
                     v != NULL ? v : "(none)");
        }
    }
    if (json_array_size(values) != k) {
        fail_msg("%s.%s: %zu enum values in the table, %zu in the schema",
                 entity, f->name, k, json_array_size(values));
    }
}

/* The schema of one field against its type in the table. */
static void check_field(const char *entity, const myo_field *f, json_t *p)
{
    const char *want = written_type(f);
    const char *type = json_string_value(json_object_get(p, "type"));
    const char *ref = json_string_value(json_object_get(p, "$ref"));

    if (f->type == MYO_FT_ENUM) {
        check_enum(entity, f, p);
    } else if (f->type == MYO_FT_DATE) {
        if (ref == NULL || strcmp(ref, "#/$defs/date") != 0) {
            fail_msg("%s.%s: a date field, its schema is not #/$defs/date",
                     entity, f->name);
        }
    } else if (type == NULL || strcmp(type, want) != 0) {
        fail_msg("%s.%s: type %s in the schema, the table writes a JSON %s",
                 entity, f->name, type != NULL ? type : "(none)", want);
    }
}

static bool required_in(json_t *required, const char *name)
{
    size_t i;
    json_t *v;

    json_array_foreach(required, i, v)
    {
        if (strcmp(json_string_value(v), name) == 0) {
            return true;
        }
    }
    return false;
}

/* One field's property; 1 when the field must be required. */
static size_t check_property(const myo_entity_info *info, const myo_field *f,
                             json_t *props, json_t *required)
{
    json_t *p = json_object_get(props, f->name);
    /* the id is always written (made up when not given); other required
     * fields unless derived on import */
    bool must = (f->flags & MYO_FF_ID) != 0 ||
                ((f->flags & MYO_FF_REQUIRED) != 0 &&
                 (f->flags & MYO_FF_DERIVED) == 0);

    if (p == NULL) {
        fail_msg("$defs/%s has no property %s", info->name, f->name);
    }
    check_field(info->name, f, p);
    if (must != required_in(required, f->name)) {
        fail_msg("$defs/%s: %s is%s required in the schema", info->name,
                 f->name, must ? " not" : "");
    }
    return must ? 1 : 0;
}

/* One entity's $defs entry: closed, its fields, the right ones required. */
static void check_entity(json_t *defs, const myo_entity_info *info)
{
    json_t *def = json_object_get(defs, info->name);
    json_t *props = json_object_get(def, "properties");
    json_t *required = json_object_get(def, "required");
    size_t nrequired = 0;
    size_t i;

    if (def == NULL || props == NULL) {
        fail_msg("records.schema.json has no $defs/%s", info->name);
    }
    if (!json_is_false(json_object_get(def, "additionalProperties"))) {
        fail_msg("$defs/%s is not closed", info->name);
    }
    if (json_object_size(props) != info->nfields) {
        fail_msg("$defs/%s has %zu properties, the table %zu fields",
                 info->name, json_object_size(props), info->nfields);
    }
    for (i = 0; i < info->nfields; i++) {
        nrequired += check_property(info, &info->fields[i], props, required);
    }
    assert_int_equal(json_array_size(required), nrequired);
}

static void schema_matches_tables(void **state)
{
    json_t *doc = load_defs();
    int k;

    (void)state;
    for (k = 0; k < MYO_ENTITY_COUNT; k++) {
        check_entity(json_object_get(doc, "$defs"),
                     myo_entity_info_get((myo_entity)k));
    }
    json_decref(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(schema_matches_tables),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
