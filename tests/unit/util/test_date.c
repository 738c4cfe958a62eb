/* SPDX-License-Identifier: MIT */
/* Civil dates with precision: parsing, formatting, arithmetic, order. */
#include "test_helpers.h"

#include <myoreg/date.h>

static myo_date parse(const char *s)
{
    myo_date d;

    assert_int_equal(myo_date_parse(s, strlen(s), &d), MYO_OK);
    return d;
}

static void parses_each_precision(void **state)
{
    myo_date d = parse("2005");
    char buf[MYO_DATE_BUFSZ];

    (void)state;
    assert_int_equal(d.prec, MYO_DATE_YEAR);
    d = parse("2005-06");
    assert_int_equal(d.prec, MYO_DATE_MONTH);
    assert_int_equal(d.month, 6);
    d = parse("2005-06-15");
    assert_int_equal(d.prec, MYO_DATE_DAY);
    myo_date_format(d, buf);
    assert_string_equal(buf, "2005-06-15");
    myo_date_format(parse("2005-06"), buf);
    assert_string_equal(buf, "2005-06");
    myo_date_format(parse("0999"), buf);
    assert_string_equal(buf, "0999");
}

static void rejects_malformed_and_impossible_dates(void **state)
{
    myo_date d;
    static const char *const malformed[] = { "",         "05",
                                             "2005-6",   "2005-06-1",
                                             "06/2005",  "2005/06/15",
                                             "2005-06-15T10:00", "June 2005",
                                             "2005-0a",  " 2005" };
    static const char *const impossible[] = { "2005-02-29", "2005-13",
                                              "2005-00",    "2005-04-31",
                                              "0000" };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof(malformed) / sizeof(*malformed); i++) {
        assert_int_equal(
            myo_date_parse(malformed[i], strlen(malformed[i]), &d),
            MYO_EPARSE);
    }
    for (i = 0; i < sizeof(impossible) / sizeof(*impossible); i++) {
        assert_int_equal(
            myo_date_parse(impossible[i], strlen(impossible[i]), &d),
            MYO_EINVAL);
    }
    /* leap years: 2000 yes, 1900 no, 2004 yes */
    assert_int_equal(myo_date_parse("2000-02-29", 10, &d), MYO_OK);
    assert_int_equal(myo_date_parse("1900-02-29", 10, &d), MYO_EINVAL);
    assert_int_equal(myo_date_parse("2004-02-29", 10, &d), MYO_OK);
}

static void day_numbers_round_trip(void **state)
{
    int32_t z;

    (void)state;
    assert_int_equal(myo_days_from_civil(1970, 1, 1), 0);
    assert_int_equal(myo_days_from_civil(2000, 3, 1), 11017);
    for (z = -800000; z < 800000; z += 997) {
        myo_date d = myo_date_from_days(z);
        assert_int_equal(myo_days_from_civil(d.year, d.month, d.day), z);
    }
}

static void partial_dates_are_intervals(void **state)
{
    myo_date june = parse("2005-06");
    myo_date year = parse("2005");

    (void)state;
    assert_int_equal(myo_date_first_day(june),
                     myo_days_from_civil(2005, 6, 1));
    assert_int_equal(myo_date_last_day(june),
                     myo_days_from_civil(2005, 6, 30));
    assert_int_equal(myo_date_mid_day(june), myo_days_from_civil(2005, 6, 15));
    assert_int_equal(myo_date_mid_day(year), myo_days_from_civil(2005, 7, 1));
    assert_int_equal(myo_date_last_day(parse("2004-02")),
                     myo_days_from_civil(2004, 2, 29));
    /* order is only certain when the intervals do not overlap */
    assert_int_equal(myo_date_order(parse("2005-05"), june), -1);
    assert_int_equal(myo_date_order(parse("2005-06-30"), june), 0);
    assert_int_equal(myo_date_order(year, june), 0);
    assert_int_equal(myo_date_order(parse("2005-07-01"), june), 1);
    assert_int_equal(myo_date_order(parse("2004-12-31"), year), -1);
}

static void adding_days_keeps_precision(void **state)
{
    char buf[MYO_DATE_BUFSZ];

    (void)state;
    myo_date_format(myo_date_add_days(parse("2005-06-25"), 10), buf);
    assert_string_equal(buf, "2005-07-05");
    myo_date_format(myo_date_add_days(parse("2005-06"), 10), buf);
    assert_string_equal(buf, "2005-06"); /* 15th + 10 = 25th */
    myo_date_format(myo_date_add_days(parse("2005-06"), 20), buf);
    assert_string_equal(buf, "2005-07");
    myo_date_format(myo_date_add_days(parse("2005-06"), -6), buf);
    assert_string_equal(buf, "2005-06");
    myo_date_format(myo_date_add_days(parse("2005"), 200), buf);
    assert_string_equal(buf, "2006");
}

static void sorting_order_puts_finer_first(void **state)
{
    (void)state;
    assert_true(myo_date_cmp(parse("2005-06-01"), parse("2005-06")) < 0);
    assert_true(myo_date_cmp(parse("2005-06"), parse("2005-06-02")) < 0);
    assert_true(myo_date_cmp(parse("2005"), parse("2005-01")) > 0);
    assert_int_equal(myo_date_cmp(parse("2005-06"), parse("2005-06")), 0);
}

/* The tests' clock is honoured in a test build and ignored in a release:
 * nobody dates a release's audit entries, or gets a future date past its
 * check, by setting an environment variable. */
static void today_honours_myoreg_now_only_in_test_builds(void **state)
{
    myo_date d;

    (void)state;
    assert_int_equal(setenv("MYOREG_NOW", "2100-01-15T10:00:00Z", 1), 0);
    d = myo_date_today();
#ifdef MYO_TEST_HOOKS
    assert_int_equal(d.year, 2100);
    assert_int_equal(d.month, 1);
    assert_int_equal(d.day, 15);
#else
    assert_true(d.year >= 2025 && d.year < 2100);
#endif
    assert_int_equal(unsetenv("MYOREG_NOW"), 0);
    d = myo_date_today();
    assert_true(d.year >= 2025 && d.year < 2100);
}

/* The text snprintf gives: the rule myo_date_format writes by hand. */
static size_t reference_format(myo_date d, char buf[MYO_DATE_BUFSZ])
{
    int n = 0;

    buf[0] = '\0';
    if (d.prec == MYO_DATE_YEAR) {
        n = snprintf(buf, MYO_DATE_BUFSZ, "%04d", d.year);
    } else if (d.prec == MYO_DATE_MONTH) {
        n = snprintf(buf, MYO_DATE_BUFSZ, "%04d-%02u", d.year,
                     (unsigned)d.month);
    } else if (d.prec == MYO_DATE_DAY) {
        n = snprintf(buf, MYO_DATE_BUFSZ, "%04d-%02u-%02u", d.year,
                     (unsigned)d.month, (unsigned)d.day);
    }
    return n > 0 ? (size_t)n : 0;
}

/* Every year 0-9999 at every precision with edge months and days, and
 * years out of range (a day count moved past them), as snprintf has it. */
static void formats_as_snprintf_does(void **state)
{
    static const int years[] = { -1, -999, 10000, 32767, -32768 };
    static const unsigned parts[] = { 0, 1, 9, 10, 12, 31, 99, 100, 255 };
    enum { NYEARS = sizeof(years) / sizeof(years[0]),
           NPARTS = sizeof(parts) / sizeof(parts[0]) };
    char want[MYO_DATE_BUFSZ];
    char got[MYO_DATE_BUFSZ];
    size_t i;
    size_t j;
    int y;
    int p;

    (void)state;
    for (p = MYO_DATE_NONE; p <= MYO_DATE_DAY; p++) {
        for (y = 0; y < 10000 + NYEARS; y++) {
            for (i = 0; i < NPARTS; i++) {
                for (j = 0; j < NPARTS; j += y < 9999 ? 4 : 1) {
                    myo_date d = { 0 };

                    d.year = (int16_t)(y <= 9999 ? y : years[y - 10000]);
                    d.month = (uint8_t)parts[i];
                    d.day = (uint8_t)parts[j];
                    d.prec = (uint8_t)p;
                    assert_int_equal(myo_date_format(d, got),
                                     reference_format(d, want));
                    assert_string_equal(got, want);
                }
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(parses_each_precision),
        cmocka_unit_test(formats_as_snprintf_does),
        cmocka_unit_test(rejects_malformed_and_impossible_dates),
        cmocka_unit_test(day_numbers_round_trip),
        cmocka_unit_test(partial_dates_are_intervals),
        cmocka_unit_test(adding_days_keeps_precision),
        cmocka_unit_test(sorting_order_puts_finer_first),
        cmocka_unit_test(today_honours_myoreg_now_only_in_test_builds),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
