/* SPDX-License-Identifier: MIT */
/*
 * myo_web_html, the one HTML escaping function of the pages: the five
 * characters as entities, bytes that are not UTF-8 as U+FFFD, control
 * characters other than tab and newline dropped, everything else as it is
 * (it adds runs of plain bytes at once, so runs are cut at every kind of
 * byte here: first, last, alone, next to each other).
 */
#include "test_helpers.h"

#include "web/web_int.h"

#include <string.h>

static void expect_html(const char *in, const char *want)
{
    myo_web_buf b = { 0 };

    myo_web_html(&b, in);
    assert_false(b.failed);
    assert_string_equal(b.data != NULL ? b.data : "", want);
    myo_web_buf_release(&b);
}

static void test_entities(void **state)
{
    (void)state;
    expect_html("", "");
    expect_html(NULL, "");
    expect_html("plain text 123", "plain text 123");
    expect_html("<script>alert('x')</script>",
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;");
    expect_html("a&b\"c", "a&amp;b&quot;c");
    expect_html("&&", "&amp;&amp;");
    expect_html("=1+2", "=1+2");
}

static void test_utf8_and_controls(void **state)
{
    (void)state;
    expect_html("caf\xC3\xA9 \xE2\x82\xAC", "caf\xC3\xA9 \xE2\x82\xAC");
    /* a lone continuation byte, a cut sequence, an overlong '/' */
    expect_html("a\x80z", "a\xEF\xBF\xBDz");
    expect_html("\xC3", "\xEF\xBF\xBD");
    expect_html("x\xC0\xAFy", "x\xEF\xBF\xBD\xEF\xBF\xBDy");
    /* controls dropped, tab and newline kept, DEL dropped */
    expect_html("\x01start", "start");
    expect_html("a\x1b[31mb", "a[31mb");
    expect_html("t\tn\nd\x7F", "t\tn\nd");
    expect_html("<\x01>", "&lt;&gt;");
}

static void test_appends(void **state)
{
    myo_web_buf b = { 0 };

    (void)state;
    myo_web_buf_puts(&b, "<td>");
    myo_web_html(&b, "1 < 2");
    myo_web_buf_puts(&b, "</td>");
    assert_string_equal(b.data, "<td>1 &lt; 2</td>");
    assert_int_equal(b.len, strlen("<td>1 &lt; 2</td>"));
    myo_web_buf_release(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_entities),
        cmocka_unit_test(test_utf8_and_controls),
        cmocka_unit_test(test_appends),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
