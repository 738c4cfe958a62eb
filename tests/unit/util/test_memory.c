/* SPDX-License-Identifier: MIT */
/* Arena, capped string buffer and hash map, including allocation failure. */
#include "test_helpers.h"

#include <myoreg/arena.h>

#include <stdalign.h>

#include "util/alloc.h"
#include "util/strbuf.h"
#include "util/strmap.h"

static void arena_allocations_are_aligned_and_distinct(void **state)
{
    myo_arena *a = myo_arena_new(256);
    char *prev = NULL;
    int i;

    (void)state;
    assert_non_null(a);
    for (i = 0; i < 1000; i++) {
        char *p = myo_arena_alloc(a, (size_t)(i % 37) + 1);
        assert_non_null(p);
        /* _Alignof, not sizeof: the two differ on x86_64 (STYLE.md). */
        assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
        memset(p, 0xAB, (size_t)(i % 37) + 1);
        assert_true(p != prev);
        prev = p;
    }
    myo_arena_free(a);
}

static void arena_oversized_and_reset(void **state)
{
    myo_arena *a = myo_arena_new(64);
    char *big;
    char *s;

    (void)state;
    big = myo_arena_alloc(a, 100000);
    assert_non_null(big);
    memset(big, 1, 100000);
    s = myo_arena_strdup(a, "after the big one");
    assert_string_equal(s, "after the big one");
    assert_true(myo_arena_used(a) >= 100000);
    myo_arena_reset(a);
    assert_int_equal(myo_arena_used(a), 0);
    s = myo_arena_printf(a, "%d-%s", 42, "x");
    assert_string_equal(s, "42-x");
    assert_null(myo_arena_calloc(a, SIZE_MAX / 2, 4)); /* overflow */
    assert_null(myo_arena_strdup(a, NULL));
    myo_arena_free(a);
    myo_arena_free(NULL);
}

static void arena_survives_every_failed_allocation(void **state)
{
    long n;

    (void)state;
    /* Fail the 1st, 2nd, ... allocation: no crash, NULL reported. */
    for (n = 0; n < 8; n++) {
        myo_arena *a;
        bool failed = false;
        int i;

        myo_alloc_fail_after(n);
        a = myo_arena_new(32);
        if (a == NULL) {
            myo_alloc_fail_after(-1);
            continue;
        }
        for (i = 0; i < 20; i++) {
            if (myo_arena_alloc(a, 24) == NULL) {
                failed = true;
            }
        }
        myo_alloc_fail_after(-1);
        assert_true(failed);
        myo_arena_free(a);
    }
}

static void strbuf_grows_and_caps(void **state)
{
    myo_strbuf sb;
    int i;

    (void)state;
    myo_strbuf_init(&sb, 100);
    assert_string_equal(myo_strbuf_cstr(&sb), "");
    assert_true(myo_strbuf_printf(&sb, "%s=%d", "x", 5));
    assert_string_equal(myo_strbuf_cstr(&sb), "x=5");
    for (i = 0; i < 40; i++) {
        (void)myo_strbuf_puts(&sb, "abc");
    }
    assert_true(myo_strbuf_failed(&sb)); /* 3 + 120 > 100 */
    assert_true(sb.len <= 100);
    assert_false(myo_strbuf_putc(&sb, 'z')); /* sticky */
    myo_strbuf_reset(&sb);
    assert_false(myo_strbuf_failed(&sb));
    assert_true(myo_strbuf_puts(&sb, "again"));
    assert_string_equal(myo_strbuf_cstr(&sb), "again");
    myo_strbuf_release(&sb);
}

static void strmap_stores_many_keys(void **state)
{
    myo_strmap m;
    char key[32];
    bool found;
    int i;

    (void)state;
    myo_strmap_init(&m);
    assert_null(myo_strmap_get(&m, "absent", &found));
    assert_false(found);
    for (i = 0; i < 10000; i++) {
        (void)snprintf(key, sizeof(key), "k%d", i);
        assert_true(myo_strmap_put(&m, key, (void *)(intptr_t)(i + 1)));
    }
    assert_int_equal(m.size, 10000);
    for (i = 0; i < 10000; i++) {
        (void)snprintf(key, sizeof(key), "k%d", i);
        assert_int_equal((intptr_t)myo_strmap_get(&m, key, &found), i + 1);
        assert_true(found);
    }
    assert_true(myo_strmap_put(&m, "k5", NULL));
    assert_null(myo_strmap_get(&m, "k5", &found));
    assert_true(found);
    assert_int_equal(m.size, 10000);
    myo_strmap_release(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(arena_allocations_are_aligned_and_distinct),
        cmocka_unit_test(arena_oversized_and_reset),
        cmocka_unit_test(arena_survives_every_failed_allocation),
        cmocka_unit_test(strbuf_grows_and_caps),
        cmocka_unit_test(strmap_stores_many_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
