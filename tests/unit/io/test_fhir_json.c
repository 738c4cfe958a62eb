/* SPDX-License-Identifier: MIT */
/*
 * The FHIR reader's JSON text helpers (fhir_json.c): the fast parser must
 * build exactly jansson's tree or decline, never accept what jansson
 * rejects; JSON Pointer locations; resourceType peeks; FHIR syntax.
 */
#include "test_helpers.h"

#include "io/fhir_int.h"

/* The rules walk and the parser's clean flag give the same answer on a
 * tree the fast path built (the importer skips the walk when clean). */
static void rules_agree(json_t *tree, bool clean, const char *text, size_t len)
{
    char p1[160];
    char w1[200];
    char p2[160];
    char w2[200];
    bool walked = myo_fhir_json_rules(tree, p1, sizeof(p1), w1, sizeof(w1));
    bool quick = myo_fhir_json_rules_clean(tree, clean, p2, sizeof(p2), w2,
                                           sizeof(w2));

    if (walked != quick ||
        (!walked && (strcmp(p1, p2) != 0 || strcmp(w1, w2) != 0))) {
        fail_msg("rules differ (clean %d) for %.*s", (int)clean, (int)len,
                 text);
    }
}

/* fast and jansson agree: the same tree, or fast declined. */
static void agree(const char *text, size_t len)
{
    json_error_t je;
    json_t *ref = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    bool clean = false;
    json_t *fast = myo_json_fast_load_clean(text, len, &clean);

    if (fast != NULL && ref == NULL) {
        fail_msg("fast path accepted what jansson rejects (%s): %.*s", je.text,
                 (int)len, text);
    }
    if (fast != NULL && !json_equal(fast, ref)) {
        char *a = json_dumps(fast, JSON_ENCODE_ANY);
        char *b = json_dumps(ref, JSON_ENCODE_ANY);
        fail_msg("trees differ for %.*s:\n fast    %s\n jansson %s", (int)len,
                 text, a, b);
    }
    if (fast != NULL) {
        rules_agree(fast, clean, text, len);
    }
    json_decref(fast);
    json_decref(ref);
}

/* The fast path takes text (and agrees with jansson on it). */
static void takes(const char *text)
{
    json_t *fast = myo_json_fast_load(text, strlen(text));

    if (fast == NULL) {
        fail_msg("fast path declined %s", text);
    }
    json_decref(fast);
    agree(text, strlen(text));
}

/* The fast path declines text. */
static void declines(const char *text, size_t len)
{
    json_t *fast = myo_json_fast_load(text, len);

    if (fast != NULL) {
        json_decref(fast);
        fail_msg("fast path took %.*s", (int)len, text);
    }
    agree(text, len);
}

#define DECLINES(s) declines((s), sizeof(s) - 1)

static void fast_path_takes_what_bulk_data_holds(void **state)
{
    (void)state;
    takes("{}");
    takes(" \t\r\n{ } \n");
    takes(
        "{\"resourceType\":\"Observation\",\"id\":\"o1\",\"status\":\"final\","
        "\"code\":{\"coding\":[{\"system\":\"http://loinc.org\","
        "\"code\":\"718-7\"}]},\"subject\":{\"reference\":\"Patient/p1\"},"
        "\"valueQuantity\":{\"value\":12.5,\"unit\":\"g/dL\"},"
        "\"a\":[],\"b\":[[],{}],\"c\":[1,-2,0,true,false,null]}");
    /* escapes, including slashes escaped as some exporters do */
    takes("{\"s\":\"http:\\/\\/loinc.org \\\"q\\\" \\\\ \\b\\f\\n\\r\\t\"}");
    /* \u escapes: BMP, surrogate pair, and UTF-8 as is */
    takes("{\"s\":\"\\u00e9\\u20AC\\ud83d\\ude00 caf\xc3\xa9 \xe2\x82\xac "
          "\xf0\x9f\x98\x80\"}");
    takes("{\"\\u00e9t\\u00e9\":1,\"\xc3\xa9t\xc3\xa9x\":2}");
    /* numbers jansson makes integers, and reals converted exactly */
    takes("{\"i\":[0,-0,7,123456789012345678,-123456789012345678,"
          "9223372036854775807,-9223372036854775808,1000000000000000000]}");
    takes("{\"r\":[0.0,-0.0,1.5,-1.5,0.1,0.2,0.3,1e3,1E-3,2.5e+2,1.0e0,"
          "83.91,0.000001,123456789012345,1e22,1e-22,9.99e-7]}");
    /* reals beyond the exact fast conversion go through strtod */
    takes("{\"r\":[3.8227768159088433,57.177223184091154,1.0000000000000001,"
          "1e23,-2.2250738585072014e-308,123456789012345678901234567.0,"
          "0.1e1,1.7976931348623157e308,0e-400,0.000e-999]}");
    takes("{\"deep\":[[[[[[[[[[[[[[[[[[[[{\"x\":1}]]]]]]]]]]]]]]]]]]]]}");
    takes("{\"\":\"\",\"k\":\"\"}");
}

/* Where the first bad number of text starts, or -1. */
static long bad_number_at(const char *text)
{
    size_t at = 0;

    return myo_json_find_bad_number(text, strlen(text), &at) != NULL
               ? (long)at
               : -1;
}

/*
 * Issue 13, item 13: jansson reads 1e-400 as 0 (the CSV reader refuses
 * it).  The fast path declines an underflow, and the importer finds it in
 * what jansson parsed.  A zero written small is not an underflow.
 */
static void underflowing_numbers_are_found(void **state)
{
    (void)state;
    DECLINES("{\"a\":1e-400}");
    DECLINES("{\"a\":-4.9e-330}"); /* a subnormal */
    assert_int_equal(bad_number_at("{\"a\":1e-400}"), 5);
    assert_int_equal(bad_number_at("{\"s\":\"1e-400\",\"b\":[0,2.5e-330]}"),
                     21);
    assert_int_equal(bad_number_at("{\"a\":[0e-400,0.0e-999,-0,1e-300,"
                                   "2.2250738585072014e-308]}"),
                     -1);
    assert_int_equal(bad_number_at("{\"a\":\"\\\"1e-999\"}"), -1);
}

static void fast_path_declines_what_it_cannot_match(void **state)
{
    char deep[200];
    size_t i;

    (void)state;
    DECLINES("");
    DECLINES("   ");
    DECLINES("[1,2]"); /* top level is not an object */
    DECLINES("\"s\"");
    DECLINES("{\"a\":1,\"a\":2}"); /* duplicate key */
    DECLINES("{\"a\":1,}");        /* trailing comma */
    DECLINES("{\"a\":[1,]}");
    DECLINES("{,\"a\":1}");
    DECLINES("{\"a\" 1}");
    DECLINES("{\"a\":1 \"b\":2}");
    DECLINES("{\"a\":1}x");
    DECLINES("{\"a\":1}{}");
    DECLINES("{\"a\":1");
    DECLINES("{\"a\":\"x");
    DECLINES("{\"a\":tru}");
    DECLINES("{\"a\":truex}");
    DECLINES("{\"a\":nul}");
    DECLINES("{\"a\":01}");
    DECLINES("{\"a\":-}");
    DECLINES("{\"a\":+1}");
    DECLINES("{\"a\":1.}");
    DECLINES("{\"a\":.5}");
    DECLINES("{\"a\":1e}");
    DECLINES("{\"a\":1e+}");
    DECLINES("{\"a\":1.5.3}");
    DECLINES("{\"a\":9223372036854775808}"); /* overflow: jansson's error */
    DECLINES("{\"a\":-9223372036854775809}");
    DECLINES("{\"a\":12345678901234567890}");
    DECLINES("{\"a\":1e400}"); /* overflow */
    DECLINES("{\"a\":\"\\u0000\"}");
    DECLINES("{\"a\":\"\\ud83d\"}"); /* lone high surrogate */
    DECLINES("{\"a\":\"\\ude00\"}"); /* lone low surrogate */
    DECLINES("{\"a\":\"\\ud83d\\u0041\"}");
    DECLINES("{\"a\":\"\\x\"}");
    DECLINES("{\"a\":\"\\u12G4\"}");
    DECLINES("{\"a\":\"tab\there\"}");        /* control character */
    DECLINES("{\"a\":\"\xc3\"}");             /* truncated UTF-8 */
    DECLINES("{\"a\":\"\xc0\xaf\"}");         /* overlong */
    DECLINES("{\"a\":\"\xed\xa0\x80\"}");     /* encoded surrogate */
    DECLINES("{\"a\":\"\xf4\x90\x80\x80\"}"); /* above U+10FFFF */
    DECLINES("{\"a\":\"\xff\"}");
    DECLINES("\xef\xbb\xbf{}"); /* a byte order mark */
    DECLINES("{\"a\":1}\0");    /* NUL after the object */
    DECLINES("{\"a\":\"x\0y\"}");
    DECLINES("{'a':1}");
    DECLINES("{\"a\":NaN}");
    /* deeper than the fast path goes: jansson parses it */
    (void)snprintf(deep, sizeof(deep), "{\"a\":");
    for (i = 5; i < 5 + 70; i++) {
        deep[i] = '[';
    }
    for (; i < 5 + 140; i++) {
        deep[i] = ']';
    }
    deep[i++] = '}';
    declines(deep, i);
}

/* splitmix64: a fixed sequence, so a failure can be replayed */
static uint64_t next_random(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);

    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}

/*
 * Thousands of mutations of FHIR-like lines (a byte replaced, inserted or
 * deleted, drawn from the characters JSON cares about): whatever the fast
 * path accepts, jansson accepts with the same tree.
 */
static void mutations_never_disagree_with_jansson(void **state)
{
    static const char *const seeds[] = {
        "{\"resourceType\":\"Observation\",\"id\":\"o-1\",\"code\":{\"coding\":"
        "[{\"system\":\"http://loinc.org\",\"code\":\"2157-6\"}]},"
        "\"valueQuantity\":{\"value\":1200.5,\"unit\":\"U/L\"},"
        "\"x\":[true,false,null,-0.25e-2,17]}",
        "{\"a\":\"caf\xc3\xa9 \\u00e9\\ud83d\\ude00 \\\"\\\\\\/\",\"b\":{}}",
        "{\"n\":[0,1,12,123,0.5,1e5,2E-3,99999999999999999]}",
    };
    static const char alphabet[] =
        "{}[]\",:\\ u0123456789.eE+-tfnrl\xc3\xa9\x80";
    uint64_t rnd = 42;
    char buf[512];
    json_t *fast;
    size_t s;
    int i;
    int taken = 0;
    int clean_ones = 0;
    bool clean = false;

    (void)state;
    for (s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++) {
        for (i = 0; i < 4000; i++) {
            size_t len = strlen(seeds[s]);
            int k;

            (void)memcpy(buf, seeds[s], len);
            for (k = 0; k < 1 + (int)(next_random(&rnd) % 3); k++) {
                size_t at = (size_t)(next_random(&rnd) % len);
                char c = alphabet[next_random(&rnd) % (sizeof(alphabet) - 1)];
                switch (next_random(&rnd) % 3) {
                case 0:
                    buf[at] = c;
                    break;
                case 1:
                    if (len + 1 < sizeof(buf)) {
                        (void)memmove(buf + at + 1, buf + at, len - at);
                        buf[at] = c;
                        len++;
                    }
                    break;
                default:
                    (void)memmove(buf + at, buf + at + 1, len - at - 1);
                    len--;
                    break;
                }
            }
            agree(buf, len);
            fast = myo_json_fast_load_clean(buf, len, &clean);
            taken += fast != NULL;
            clean_ones += clean;
            json_decref(fast);
        }
    }
    /* the mutations exercise both outcomes, not only declines; and trees
     * that keep the rules as well as trees that break them */
    assert_true(taken > 500);
    assert_true(clean_ones > 100);
    assert_true(clean_ones < taken - 100);
    assert_true(taken < 3 * 4000 - 500);
}

static void locate_finds_the_line_of_a_pointer(void **state)
{
    static const char doc[] = "{\n"
                              "  \"entry\": [\n"
                              "    {\"resource\": {\"a\": 1}},\n"
                              "    {\n"
                              "      \"resource\": {\n"
                              "        \"x/y\": \"s\",\n"
                              "        \"v~\": [10,\n"
                              "                 20]\n"
                              "      }\n"
                              "    }\n"
                              "  ]\n"
                              "}\n";
    size_t n = sizeof(doc) - 1;

    (void)state;
    assert_int_equal(myo_json_locate(doc, n, ""), 1);
    assert_int_equal(myo_json_locate(doc, n, "/entry"), 2);
    assert_int_equal(myo_json_locate(doc, n, "/entry/0/resource/a"), 3);
    assert_int_equal(myo_json_locate(doc, n, "/entry/1"), 4);
    assert_int_equal(myo_json_locate(doc, n, "/entry/1/resource"), 5);
    /* ~1 is '/', ~0 is '~' (RFC 6901) */
    assert_int_equal(myo_json_locate(doc, n, "/entry/1/resource/x~1y"), 6);
    assert_int_equal(myo_json_locate(doc, n, "/entry/1/resource/v~0/1"), 8);
    assert_int_equal(myo_json_locate(doc, n, "/entry/2"), 0);
    assert_int_equal(myo_json_locate(doc, n, "/nothing"), 0);
    assert_int_equal(myo_json_locate(doc, n, "/entry/x"), 0);
}

static void peek_reads_resource_type_without_parsing(void **state)
{
    char t[16];
    static const char late[] =
        "{\"id\":\"1\",\"meta\":{\"resourceType\":\"X\"},"
        "\"resourceType\":\"Patient\"}";
    static const char bad[] = "{\"resourceType\":\"Pa\\u0074ient\"}";

    (void)state;
    assert_true(myo_json_peek_type(late, sizeof(late) - 1, t, sizeof(t)));
    assert_string_equal(t, "Patient");
    /* escaped names and names that do not fit are left to the parser */
    assert_false(myo_json_peek_type(bad, sizeof(bad) - 1, t, sizeof(t)));
    assert_false(myo_json_peek_type("{\"resourceType\":\"MedicationAdministr"
                                    "ation\"}",
                                    57, t, sizeof(t)));
    assert_false(myo_json_peek_type("[1]", 3, t, sizeof(t)));
    assert_false(myo_json_peek_type("{\"resourceType\":1}", 18, t, sizeof(t)));
}

static void fhir_dates_ids_and_numbers(void **state)
{
    myo_date d;
    char time[6];
    char buf[32];

    (void)state;
    assert_int_equal(myo_fhir_parse_datetime("2005-06-10", false, &d, time),
                     MYO_OK);
    assert_int_equal(d.day, 10);
    assert_string_equal(time, "");
    assert_int_equal(
        myo_fhir_parse_datetime("2005-06-10T08:30:00+01:00", true, &d, time),
        MYO_OK);
    assert_string_equal(time, "08:30");
    assert_int_equal(
        myo_fhir_parse_datetime("2005-06-10T08:30:00.123Z", true, &d, time),
        MYO_OK);
    assert_int_equal(
        myo_fhir_parse_datetime("2005-06-10T08:30:00", true, &d, time),
        MYO_EPARSE); /* a dateTime with a time needs a zone */
    assert_int_equal(
        myo_fhir_parse_datetime("2005-06-10T08:30:00Z", false, &d, time),
        MYO_EPARSE);
    assert_int_equal(myo_fhir_parse_datetime("2005-02-30", false, &d, time),
                     MYO_EINVAL);
    assert_int_equal(myo_fhir_parse_datetime("05-06-10", false, &d, time),
                     MYO_EPARSE);
    assert_true(myo_fhir_id_valid("a-1.B"));
    assert_false(myo_fhir_id_valid(""));
    assert_false(myo_fhir_id_valid("a_b"));
    assert_false(myo_fhir_id_valid("01234567890123456789012345678901234567"
                                   "890123456789012345678901234"));
    myo_fhir_number_text(462, buf);
    assert_string_equal(buf, "462");
    myo_fhir_number_text(-17, buf);
    assert_string_equal(buf, "-17");
    myo_fhir_number_text(-0.0, buf);
    assert_string_equal(buf, "0");
    myo_fhir_number_text(12.5, buf);
    assert_string_equal(buf, "12.5");
    myo_fhir_number_text(0.1, buf);
    assert_string_equal(buf, "0.1");
    myo_fhir_number_text(999999999999999.0, buf);
    assert_string_equal(buf, "999999999999999");
    myo_fhir_number_text(1e15, buf); /* as myo_fmt_double writes it */
    assert_string_equal(buf, "1e+15");
}

/* Registry ids FHIR cannot hold are escaped, and decoded exactly. */
static void registry_ids_survive_fhir(void **state)
{
    static const char *const ids[] = {
        "p1",     "1-event_1_arm_1", "1-event_1_arm_1.visit.2-weight",
        "a:b",    "x.y_z",           "a..b__c::d",
        "1-bp.1",
    };
    char fid[MYO_FHIR_ID_BUFSZ];
    char back[MYO_FHIR_ID_BUFSZ];
    char long_id[65];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        assert_true(myo_fhir_id_encode(ids[i], fid));
        assert_true(myo_fhir_id_valid(fid));
        assert_string_equal(myo_fhir_id_decode(fid, back), ids[i]);
    }
    /* valid FHIR ids are written unchanged */
    assert_true(myo_fhir_id_encode("1-bp.1", fid));
    assert_string_equal(fid, "1-bp.1");
    assert_true(myo_fhir_id_encode("1-event_1_arm_1", fid));
    assert_string_equal(fid, "-1-event.u1.uarm.u1");
    /* a foreign id starting with '-' that is no encoding is kept */
    assert_string_equal(myo_fhir_id_decode("-a.x", back), "-a.x");
    assert_string_equal(myo_fhir_id_decode("-abc", back), "-abc");
    assert_string_equal(myo_fhir_id_decode("-a..b", back), "-a..b");
    /* 64 characters with one '_' do not fit once escaped: a digest id,
     * the same every time, that the id it stands for and no other undoes */
    memset(long_id, 'a', 64);
    long_id[64] = '\0';
    long_id[3] = '_';
    assert_true(myo_fhir_id_encode(long_id, fid));
    assert_true(myo_fhir_id_valid(fid));
    assert_true(myo_fhir_id_is_digest(fid));
    assert_int_equal(strlen(fid), 43);
    assert_int_equal(strncmp(fid, MYO_FHIR_ID_DIGEST_PREFIX, 3), 0);
    assert_true(myo_fhir_id_encode(long_id, back));
    assert_string_equal(fid, back);
    assert_string_equal(myo_fhir_id_decode(fid, back), fid); /* not alone */
    assert_string_equal(myo_fhir_id_undigest(fid, long_id), long_id);
    long_id[4] = 'b';
    assert_null(myo_fhir_id_undigest(fid, long_id));
    assert_null(myo_fhir_id_undigest(fid, NULL));
    assert_null(myo_fhir_id_undigest("-.hxyz", "a"));
    assert_false(myo_fhir_id_encode("", fid));
    /* an escaped id never has the digest prefix: "-." starts only "-.." */
    assert_true(myo_fhir_id_encode(".h", fid));
    assert_string_equal(fid, "-..h");
    assert_false(myo_fhir_id_is_digest(fid));
}

/* rules_of(text): "" when the resource keeps FHIR's JSON rules, else
 * "POINTER: WHY". */
static const char *rules_of(const char *text)
{
    static char out[400];
    char ptr[160];
    char why[200];
    json_error_t je;
    json_t *r = json_loads(text, 0, &je);

    assert_non_null(r);
    agree(text, strlen(text)); /* the parser's clean flag says the same */
    out[0] = '\0';
    if (!myo_fhir_json_rules(r, ptr, sizeof(ptr), why, sizeof(why))) {
        (void)snprintf(out, sizeof(out), "%s: %s", ptr, why);
    }
    json_decref(r);
    return out;
}

/* s starts with prefix. */
static bool starts(const char *s, const char *prefix)
{
    if (strncmp(s, prefix, strlen(prefix)) != 0) {
        print_message("got: %s\n", s);
        return false;
    }
    return true;
}

static void fhir_json_rules_find_the_first_broken(void **state)
{
    char deep[2048];
    size_t n = 0;
    size_t i;

    (void)state;
    assert_string_equal(rules_of("{\"resourceType\":\"Patient\",\"id\":\"a\","
                                 "\"_birthDate\":{\"id\":\"x\"},"
                                 "\"name\":[{\"given\":[\"A\"]}]}"),
                        "");
    /* HL7 validator: empty-array.json */
    assert_true(starts(rules_of("{\"resourceType\":\"DocumentReference\","
                                "\"category\":[{\"coding\":[]}]}"),
                       "/category/0/coding: empty array"));
    assert_true(starts(rules_of("{\"resourceType\":\"Patient\","
                                "\"name\":[{\"text\":\"\"}]}"),
                       "/name/0/text: empty string"));
    assert_true(starts(rules_of("{\"resourceType\":\"Patient\","
                                "\"meta\":{}}"),
                       "/meta: empty object"));
    /* json-comments.json: DSTU2's fhir_comments */
    assert_true(starts(rules_of("{\"resourceType\":\"Patient\","
                                "\"fhir_comments\":[\"x\"]}"),
                       "/fhir_comments: \"fhir_comments\" is not an R4 "
                       "element name"));
    assert_true(starts(rules_of("{\"resourceType\":\"Patient\","
                                "\"name\":[{\"__given\":[\"A\"]}]}"),
                       "/name/0/__given: "));
    /* patient-duplicate-contained.json */
    assert_true(
        starts(rules_of("{\"resourceType\":\"Patient\",\"contained\":"
                        "[{\"resourceType\":\"Patient\",\"id\":\"p\"},"
                        "{\"resourceType\":\"Patient\",\"id\":\"p\"}]}"),
               "/contained/1/id: \"p\" is the id of another "
               "contained resource (/contained/0)"));
    assert_true(starts(rules_of("{\"resourceType\":\"Patient\",\"contained\":"
                                "[{\"resourceType\":\"Patient\"}]}"),
                       "/contained/0: a contained resource needs an id"));
    /* nesting deeper than the walk follows is not refused for it */
    n += (size_t)snprintf(deep, sizeof(deep),
                          "{\"resourceType\":\"Basic\",\"a\":");
    for (i = 0; i < 200; i++) {
        deep[n++] = '[';
    }
    deep[n++] = '1';
    for (i = 0; i < 200; i++) {
        deep[n++] = ']';
    }
    deep[n++] = '}';
    deep[n] = '\0';
    assert_string_equal(rules_of(deep), "");
}

/* hint_of(text): what the syntax error of text most likely is. */
static const char *hint_of(const char *text)
{
    json_error_t je;
    json_t *r = json_loads(text, JSON_REJECT_DUPLICATES, &je);

    assert_null(r);
    return myo_json_error_hint(text, strlen(text), je.text,
                               (size_t)je.position);
}

static void json_syntax_errors_are_explained(void **state)
{
    (void)state;
    assert_string_equal(hint_of("// c\n{\"a\":1}"),
                        " (comments are not allowed in JSON)");
    assert_string_equal(hint_of("{\"a\":1 /* c */}"),
                        " (comments are not allowed in JSON)");
    assert_string_equal(hint_of("{\"a\":1\n \"b\":2}"),
                        " (a comma is missing)");
    assert_string_equal(hint_of("{\"a\":[1,2,]}"), " (a comma before ']')");
    assert_string_equal(hint_of("{\"a\":1,}"), " (a comma before '}')");
    assert_string_equal(hint_of("{a:1}"), " (a name or string without quotes)");
    assert_string_equal(hint_of("{\"a\":Sarah}"),
                        " (a name or string without quotes)");
    assert_string_equal(hint_of("{\"a\":925.}"),
                        " (a decimal point needs digits after it)");
    assert_string_equal(hint_of("{\"a\":1]"), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(fast_path_takes_what_bulk_data_holds),
        cmocka_unit_test(fast_path_declines_what_it_cannot_match),
        cmocka_unit_test(underflowing_numbers_are_found),
        cmocka_unit_test(mutations_never_disagree_with_jansson),
        cmocka_unit_test(locate_finds_the_line_of_a_pointer),
        cmocka_unit_test(peek_reads_resource_type_without_parsing),
        cmocka_unit_test(fhir_dates_ids_and_numbers),
        cmocka_unit_test(registry_ids_survive_fhir),
        cmocka_unit_test(fhir_json_rules_find_the_first_broken),
        cmocka_unit_test(json_syntax_errors_are_explained),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
