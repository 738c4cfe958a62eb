/* SPDX-License-Identifier: MIT */
/*
 * Complications of an episode (myo_event_is_complication): the one rule
 * the cohort analysis and the demo share.
 */
#include "test_helpers.h"

#include <myoreg/outcome.h>

#include <string.h>

static myo_record event(const char *kind, const char *organism,
                        const char *episode, int64_t day)
{
    myo_record r;

    myo_record_init(&r, MYO_ENTITY_EVENT);
    r.u.event.kind = kind;
    r.u.event.organism = organism;
    r.u.event.episode = episode;
    r.u.event.day = day;
    return r;
}

static void the_rule_and_its_text(void **state)
{
    myo_record ev[] = {
        event("infection", "EBV", "e1", 7),
        event("relapse", NULL, "e1", 300),     /* an outcome */
        event("flare", NULL, "e1", 310),       /* an outcome */
        event("death", NULL, "e1", 400),       /* an outcome */
        event("platelet transfusion", NULL, "e1", 9), /* care */
        event("infection", "CMV", "e2", 32),   /* another episode */
        event("infection", "HSV", NULL, 40),   /* no episode */
        event("ards", NULL, "e1", MYO_NULL_INT), /* no day */
        event("ards", NULL, "e1", 12),
    };
    myo_history h;
    char buf[64];
    char tiny[30];

    (void)state;
    memset(&h, 0, sizeof(h));
    h.items[MYO_ENTITY_EVENT] = ev;
    h.n[MYO_ENTITY_EVENT] = sizeof(ev) / sizeof(ev[0]);
    assert_true(myo_event_is_complication(&ev[0].u.event, "e1"));
    assert_false(myo_event_is_complication(&ev[1].u.event, "e1"));
    assert_false(myo_event_is_complication(&ev[4].u.event, "e1"));
    assert_false(myo_event_is_complication(&ev[5].u.event, "e1"));
    assert_true(myo_event_is_complication(&ev[5].u.event, "e2"));
    assert_false(myo_event_is_complication(&ev[6].u.event, "e1"));
    assert_false(myo_event_is_complication(&ev[7].u.event, "e1"));
    assert_string_equal(myo_complications_format(&h, "e1", buf, sizeof(buf)),
                        "EBV infection day 7; ards day 12");
    assert_string_equal(myo_complications_format(&h, "e3", buf, sizeof(buf)),
                        "");
    /* what does not fit is dropped whole, not cut */
    assert_string_equal(myo_complications_format(&h, "e1", tiny,
                                                 sizeof(tiny)),
                        "EBV infection day 7");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(the_rule_and_its_text),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
