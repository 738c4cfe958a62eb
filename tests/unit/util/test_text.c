/* SPDX-License-Identifier: MIT */
/* JSON writing, number formatting, UTF-8, number parsing, errors. */
#include "test_helpers.h"

#include <myoreg/status.h>

#include <math.h>

#include "util/json.h"
#include "util/text.h"

static void json_escapes_and_nests(void **state)
{
    myo_strbuf sb;
    myo_json j;

    (void)state;
    myo_strbuf_init(&sb, 0);
    myo_json_init(&j, &sb, false);
    myo_json_object_begin(&j);
    myo_json_key(&j, "text");
    myo_json_string(&j, "a \"quote\", a \\ and\na\ttab \x01");
    myo_json_key(&j, "list");
    myo_json_array_begin(&j);
    myo_json_int(&j, -3);
    myo_json_number(&j, 0.1);
    myo_json_number(&j, NAN);
    myo_json_bool(&j, true);
    myo_json_null(&j);
    myo_json_array_end(&j);
    myo_json_key(&j, "empty");
    myo_json_object_begin(&j);
    myo_json_object_end(&j);
    myo_json_object_end(&j);
    assert_false(myo_strbuf_failed(&sb));
    assert_string_equal(myo_strbuf_cstr(&sb),
                        "{\"text\":\"a \\\"quote\\\", a \\\\ and\\na\\ttab "
                        "\\u0001\",\"list\":[-3,0.1,null,true,null],"
                        "\"empty\":{}}");
    myo_strbuf_release(&sb);
}

/* printf into a buffer: what fits the room left is written in one pass,
 * what does not fit grows the buffer and is written again; past the cap
 * nothing is kept and the buffer fails. */
static void strbuf_printf_fits_grows_and_caps(void **state)
{
    myo_strbuf sb;
    char want[200];
    int i;

    (void)state;
    myo_strbuf_init(&sb, 0);
    for (i = 0; i < 40; i++) { /* crosses the first allocation's end */
        assert_true(myo_strbuf_printf(&sb, "%d,", i * 7));
    }
    assert_int_equal(myo_strbuf_cstr(&sb)[0], '0');
    assert_non_null(strstr(myo_strbuf_cstr(&sb), ",273,"));
    assert_int_equal(strlen(myo_strbuf_cstr(&sb)), sb.len);
    myo_strbuf_release(&sb);

    myo_strbuf_init(&sb, 0);
    assert_true(myo_strbuf_puts(&sb, "x")); /* a 64-byte allocation */
    memset(want, 'y', 62);
    want[62] = '\0';
    assert_true(myo_strbuf_printf(&sb, "%s", want)); /* exactly fills it */
    assert_int_equal(sb.len, 63);
    assert_true(myo_strbuf_printf(&sb, "%s", "z")); /* one past: grows */
    assert_int_equal(sb.len, 64);
    assert_int_equal(myo_strbuf_cstr(&sb)[63], 'z');
    assert_int_equal(myo_strbuf_cstr(&sb)[64], '\0');
    myo_strbuf_release(&sb);

    myo_strbuf_init(&sb, 10);
    assert_true(myo_strbuf_printf(&sb, "%s", "abc"));
    assert_false(myo_strbuf_printf(&sb, "%s", "defghijk")); /* 11 > 10 */
    assert_true(myo_strbuf_failed(&sb));
    assert_string_equal(myo_strbuf_cstr(&sb), "abc");
    assert_false(myo_strbuf_printf(&sb, "%s", "d")); /* failed stays */
    myo_strbuf_release(&sb);
}

static void doubles_print_shortest_exact(void **state)
{
    char buf[32];
    static const double values[] = { 0.1, 1.0 / 3, 1200, 2.5e-7, 123456.789,
                                     -0.05, 1e20, 4.35, 0.3 };
    size_t i;

    (void)state;
    myo_fmt_double(0.1, buf);
    assert_string_equal(buf, "0.1");
    myo_fmt_double(1200, buf);
    assert_string_equal(buf, "1200");
    myo_fmt_double(-0.0, buf);
    assert_string_equal(buf, "0");
    myo_fmt_double(4.35, buf);
    assert_string_equal(buf, "4.35");
    for (i = 0; i < sizeof(values) / sizeof(*values); i++) {
        myo_fmt_double(values[i], buf);
        assert_true(strtod(buf, NULL) == values[i]);
    }
}

/* The rule, plainly: the fewest significant digits (1 to 17) that read
 * back as v, whole numbers below 10^15 as "%.0f", zero as "0". */
static void reference_double(double v, char buf[32])
{
    int p;

    if (v == 0) {
        (void)snprintf(buf, 32, "0");
        return;
    }
    if (fabs(v) < 1e15 && v == floor(v)) {
        (void)snprintf(buf, 32, "%.0f", v);
        return;
    }
    for (p = 1; p < 17; p++) {
        (void)snprintf(buf, 32, "%.*g", p, v);
        if (strtod(buf, NULL) == v) {
            return;
        }
    }
    (void)snprintf(buf, 32, "%.17g", v);
}

/* myo_fmt_double's search gives the plain rule's text: on random doubles
 * of every magnitude (random bits), on decimals of few digits as data
 * has them, on whole numbers up to and past 10^15, and on powers of two
 * and their neighbours. */
static void doubles_print_as_the_plain_rule(void **state)
{
    char want[32];
    char got[32];
    uint64_t x = 0x9E3779B97F4A7C15ULL;
    size_t len;
    int i;

    (void)state;
    for (i = 0; i < 400000; i++) {
        double v;
        uint64_t bits;

        x ^= x << 13; /* xorshift64 */
        x ^= x >> 7;
        x ^= x << 17;
        switch (i % 4) {
        case 0:
            bits = x;
            memcpy(&v, &bits, sizeof(v));
            break;
        case 1:
            v = (double)(int64_t)(x % 2000001) / 1000.0 - 1000.0;
            break;
        case 2:
            v = ldexp(1.0, (int)(x % 2000) - 1000);
            v = (x >> 40) % 3 == 0   ? v
                : (x >> 40) % 3 == 1 ? nextafter(v, 0)
                                     : nextafter(v, INFINITY);
            break;
        default:
            v = (double)(int64_t)(x % 4000000000000000ULL) - 2000000000000000.0;
            break;
        }
        if (!isfinite(v)) {
            continue;
        }
        reference_double(v, want);
        len = myo_fmt_double(v, got);
        assert_string_equal(got, want);
        assert_int_equal(len, strlen(want));
    }
}

static void utf8_validation(void **state)
{
    size_t bad;

    (void)state;
    assert_true(myo_utf8_valid("plain", 5, NULL));
    assert_true(myo_utf8_valid("caf\xC3\xA9 \xE2\x80\x93 \xF0\x9F\x98\x80",
                               14, NULL));
    assert_false(myo_utf8_valid("caf\xE9", 4, &bad)); /* Latin-1 */
    assert_int_equal(bad, 3);
    assert_false(myo_utf8_valid("\xC0\xAF", 2, NULL)); /* overlong */
    assert_false(myo_utf8_valid("\xED\xA0\x80", 3, NULL)); /* surrogate */
    assert_false(myo_utf8_valid("\xF4\x90\x80\x80", 4, NULL)); /* > U+10FFFF */
    assert_false(myo_utf8_valid("\xE2\x80", 2, NULL)); /* truncated */
}

static void numbers_parse_strictly(void **state)
{
    double v;
    int64_t i;

    (void)state;
    assert_true(myo_parse_number("1200", &v));
    assert_true(v == 1200);
    assert_true(myo_parse_number("-0.5", &v));
    assert_true(myo_parse_number(".5", &v));
    assert_true(myo_parse_number("1e3", &v));
    assert_true(v == 1000);
    assert_false(myo_parse_number("1,5", &v));
    assert_false(myo_parse_number("12 ", &v));
    assert_false(myo_parse_number("nan", &v));
    assert_false(myo_parse_number("inf", &v));
    assert_false(myo_parse_number("0x10", &v));
    assert_false(myo_parse_number("1e999", &v));
    assert_false(myo_parse_number("", &v));
    assert_false(myo_parse_number("-", &v));
    assert_true(myo_parse_int("-12", &i));
    assert_int_equal(i, -12);
    assert_false(myo_parse_int("1.0", &i));
    assert_false(myo_parse_int("99999999999999999999", &i));
}

static int nat(const char *a, const char *b)
{
    int r = myo_natural_cmp(a, strlen(a), b, strlen(b));

    return r < 0 ? -1 : r > 0;
}

/* Issue 12, item 3: ids sort as people read them. */
static void ids_compare_naturally(void **state)
{
    (void)state;
    assert_int_equal(nat("p2", "p10"), -1);
    assert_int_equal(nat("p10", "p2"), 1);
    assert_int_equal(nat("seed000-p2", "seed000-p10"), -1);
    assert_int_equal(nat("p2-v10", "p2-v9"), 1);
    assert_int_equal(nat("a", "b"), -1);
    assert_int_equal(nat("p1", "p1"), 0);
    assert_int_equal(nat("p1", "p1a"), -1);
    assert_int_equal(nat("p01", "p1"), 1); /* same value: zeros decide */
    assert_int_equal(nat("p01", "p2"), -1);
    assert_int_equal(nat("99999999999999999999999", "100000000000000000000000"),
                     -1); /* beyond 64 bits: by length, then digits */
    assert_int_equal(nat("", "a"), -1);
}

static void errors_render_with_location_and_first_wins(void **state)
{
    myo_error e = MYO_ERROR_INIT;
    myo_srcloc where = { "labs.csv", 17, 4, "value", "o-1" };
    char buf[256];

    (void)state;
    assert_int_equal(myo_error_set(&e, MYO_EINVAL, &where,
                                   "12000 g/L is outside the plausible range "
                                   "for haemoglobin (20-250 g/L)"),
                     MYO_EINVAL);
    (void)myo_error_set(&e, MYO_EPARSE, NULL, "second");
    assert_int_equal(e.code, MYO_EINVAL);
    myo_error_format(&e, buf, sizeof(buf));
    assert_string_equal(buf, "labs.csv:17:4: value: 12000 g/L is outside the "
                             "plausible range for haemoglobin (20-250 g/L)");
    /* a short buffer is terminated and the full length reported */
    assert_true(myo_error_format(&e, buf, 10) > 10);
    assert_int_equal(strlen(buf), 9);
    myo_error_clear(&e);
    (void)myo_error_set(&e, MYO_EIO, NULL, "could not read");
    myo_error_format(&e, buf, sizeof(buf));
    assert_string_equal(buf, "could not read");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(json_escapes_and_nests),
        cmocka_unit_test(strbuf_printf_fits_grows_and_caps),
        cmocka_unit_test(doubles_print_shortest_exact),
        cmocka_unit_test(doubles_print_as_the_plain_rule),
        cmocka_unit_test(utf8_validation),
        cmocka_unit_test(numbers_parse_strictly),
        cmocka_unit_test(ids_compare_naturally),
        cmocka_unit_test(errors_render_with_location_and_first_wins),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
