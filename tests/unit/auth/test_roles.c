/* SPDX-License-Identifier: MIT */
/*
 * The authorisation rule, every role x action x site: the grid below is
 * issue 10's roles spelled out (docs/accounts.md prints the same table),
 * written here apart from the library's own table so that a change of
 * either fails this test.
 */
#include "test_helpers.h"

#include <myoreg/auth.h>

/* Per role, per action in myo_action order: A anywhere, O at its own
 * sites only, - never. */
static const char *const grid[MYO_ROLE_COUNT] = {
    /* session, patient read/write, pseudonymised read, import, export
     * identified/pseudonymised, report, query raise/answer/close,
     * specimen read/write, audit read, user admin, site admin */
    [MYO_ROLE_ADMINISTRATOR] = "A------------AAA",
    [MYO_ROLE_DATA_MANAGER] = "AAAAAAAAAAAAAA--",
    [MYO_ROLE_CLINICIAN] = "AOO----O-O-O----",
    [MYO_ROLE_ANALYST] = "A--A--AA--------",
    [MYO_ROLE_BIOBANK] = "A----------OO---",
};

static myo_principal who(myo_role role)
{
    myo_principal p;

    memset(&p, 0, sizeof(p));
    (void)snprintf(p.user, sizeof(p.user), "u");
    p.role = role;
    if (myo_role_site_bound(role)) {
        p.nsites = 2;
        (void)snprintf(p.sites[0], sizeof(p.sites[0]), "leeds");
        (void)snprintf(p.sites[1], sizeof(p.sites[1]), "gosh");
    }
    return p;
}

static void every_role_action_and_site(void **state)
{
    int r;
    int a;

    (void)state;
    for (r = 0; r < MYO_ROLE_COUNT; r++) {
        myo_principal p = who((myo_role)r);
        assert_int_equal(strlen(grid[r]), MYO_ACT_COUNT);
        for (a = 0; a < MYO_ACT_COUNT; a++) {
            char want = grid[r][a];
            bool own = myo_authorize(&p, (myo_action)a, "gosh");
            bool other = myo_authorize(&p, (myo_action)a, "oxford");
            bool none = myo_authorize(&p, (myo_action)a, NULL);
            bool any = myo_authorize_any(&p, (myo_action)a);
            if (own != (want != '-') || other != (want == 'A') ||
                none != (want == 'A') || any != (want != '-')) {
                fail_msg("%s may %s: want %c, got own %d other %d none %d "
                         "any %d",
                         myo_role_name((myo_role)r),
                         myo_action_name((myo_action)a), want, own, other,
                         none, any);
            }
        }
    }
}

static void a_site_bound_role_without_sites_may_do_nothing_there(void **state)
{
    myo_principal p = who(MYO_ROLE_CLINICIAN);

    (void)state;
    p.nsites = 0;
    assert_false(myo_authorize(&p, MYO_ACT_PATIENT_READ, "gosh"));
    assert_false(myo_authorize_any(&p, MYO_ACT_PATIENT_READ));
    assert_false(myo_authorize(&p, MYO_ACT_PATIENT_READ, ""));
    /* a site id is compared whole, not as a prefix */
    p = who(MYO_ROLE_CLINICIAN);
    assert_false(myo_authorize(&p, MYO_ACT_PATIENT_READ, "gos"));
    assert_false(myo_authorize(&p, MYO_ACT_PATIENT_READ, "gosh2"));
    assert_true(myo_authorize(&p, MYO_ACT_PATIENT_READ, "leeds"));
}

static void nonsense_is_refused(void **state)
{
    myo_principal p = who(MYO_ROLE_DATA_MANAGER);

    (void)state;
    assert_false(myo_authorize(NULL, MYO_ACT_SESSION, NULL));
    assert_false(myo_authorize_any(NULL, MYO_ACT_SESSION));
    assert_false(myo_authorize(&p, MYO_ACT_COUNT, NULL));
    assert_false(myo_authorize(&p, (myo_action)-1, NULL));
    p.role = MYO_ROLE_COUNT;
    assert_false(myo_authorize(&p, MYO_ACT_SESSION, NULL));
}

static void role_names_round_trip(void **state)
{
    myo_error err = MYO_ERROR_INIT;
    myo_role r;
    int i;

    (void)state;
    for (i = 0; i < MYO_ROLE_COUNT; i++) {
        assert_int_equal(myo_role_parse(myo_role_name((myo_role)i), &r, &err),
                         MYO_OK);
        assert_int_equal(r, i);
        assert_non_null(strstr(myo_role_choices(), myo_role_name((myo_role)i)));
    }
    assert_string_equal(myo_role_name(MYO_ROLE_DATA_MANAGER), "data-manager");
    assert_int_equal(myo_role_parse("admin", &r, &err), MYO_EINVAL);
    assert_non_null(strstr(err.message, "unknown role \"admin\""));
    assert_non_null(strstr(err.message, "data-manager"));
    myo_error_clear(&err);
    assert_int_equal(myo_role_parse("Clinician", &r, &err), MYO_EINVAL);
    assert_string_equal(myo_role_name(MYO_ROLE_COUNT), "?");
    assert_string_equal(myo_action_name(MYO_ACT_QUERY_CLOSE), "query-close");
    for (i = 0; i < MYO_ACT_COUNT; i++) {
        assert_string_not_equal(myo_action_name((myo_action)i), "?");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(every_role_action_and_site),
        cmocka_unit_test(a_site_bound_role_without_sites_may_do_nothing_there),
        cmocka_unit_test(nonsense_is_refused),
        cmocka_unit_test(role_names_round_trip),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
