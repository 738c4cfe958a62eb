/* SPDX-License-Identifier: MIT */
/*
 * NEAR groups on PostgreSQL (store/fts_near.c): the parser refuses what
 * FTS5 refuses, the prefilter is what the server is asked, and a group
 * matches as FTS5 matches it (the cases were checked against SQLite's
 * FTS5: at most N tokens from the end of the first phrase to the start of
 * the last, in any order).  Stems here are the tokens themselves.
 */
#include "test_helpers.h"

#ifdef MYO_HAVE_POSTGRES

#include "store/fts_near.h"

static const char *same_stem(void *payload, const char *word)
{
    (void)payload;
    return word;
}

typedef struct toks {
    const char *t[64];
    size_t n;
} toks;

static bool keep(void *payload, const char *token)
{
    toks *t = payload;

    t->t[t->n++] = token;
    return t->n < 64;
}

/* Does query q match text? */
static bool matches(const char *q, const char *text)
{
    myo_arena *a = myo_arena_new(0);
    myo_fts_node *tree = NULL;
    const char *why = NULL;
    toks t = { { 0 }, 0 };
    int m;

    assert_int_equal(myo_fts_parse(q, a, &tree, &why), MYO_OK);
    assert_true(myo_fts_tokens(text, a, keep, &t));
    m = myo_fts_match(tree, t.t, t.n, same_stem, NULL, a);
    assert_true(m >= 0);
    myo_arena_free(a);
    return m == 1;
}

static void near_counts_tokens_between_first_and_last(void **state)
{
    (void)state;
    assert_true(matches("NEAR(a d, 2)", "a b c d e"));
    assert_false(matches("NEAR(a d, 1)", "a b c d e"));
    assert_true(matches("NEAR(d a, 2)", "a b c d e"));
    assert_false(matches("NEAR(a \"b c\" e, 1)", "a b c d e"));
    assert_false(matches("NEAR(a \"b c\" e, 2)", "a b c d e"));
    assert_true(matches("NEAR(a \"b c\" e, 3)", "a b c d e"));
    assert_false(matches("NEAR(\"c d\" a, 0)", "a b c d e"));
    assert_true(matches("NEAR(\"b c\" d, 0)", "a b c d e"));
    assert_false(matches("NEAR(a m)", "a b c d e f g h i j k l m"));
    assert_true(matches("NEAR(a l)", "a b c d e f g h i j k l m"));
    assert_false(matches("NEAR(a m, 10)", "a b c d e f g h i j k l m"));
    assert_true(matches("NEAR(a m, 11)", "a b c d e f g h i j k l m"));
    assert_true(matches("NEAR(a)", "x a"));
    assert_false(matches("NEAR(a z)", "a b"));
    /* another occurrence may close the window */
    assert_true(matches("NEAR(a b, 0)", "a x x x b x a b"));
}

static void near_combines_with_words_and_operators(void **state)
{
    (void)state;
    assert_true(matches("NEAR(stem cell, 0)", "Stem-cell transplant"));
    assert_true(matches("NEAR(transplant* stem, 0)",
                        "transplantation stem"));
    assert_true(matches("flare NEAR(stem cell, 0)", "flare: stem cells? "
                                                    "no, stem cell"));
    assert_false(matches("flare NEAR(stem cell, 0)", "stem cell"));
    assert_true(matches("NEAR(a b, 0) OR z", "z"));
    assert_false(matches("NEAR(a b, 0) NOT z", "a b z"));
    assert_true(matches("(x OR NEAR(a b, 0)) AND c", "c a b"));
    assert_true(matches("a NEAR b", "near a b")); /* bare NEAR: a word */
}

static void refused(const char *q, const char *why_part)
{
    myo_arena *a = myo_arena_new(0);
    myo_fts_node *tree = NULL;
    const char *why = NULL;

    assert_int_equal(myo_fts_parse(q, a, &tree, &why), MYO_EPARSE);
    if (strstr(why, why_part) == NULL) {
        fail_msg("'%s': '%s' does not say '%s'", q, why, why_part);
    }
    myo_arena_free(a);
}

static void bad_groups_are_refused(void **state)
{
    (void)state;
    refused("NEAR(a b", "not closed");
    refused("NEAR()", "no phrase");
    refused("NEAR(a b, -1)", "whole number");
    refused("NEAR(a b,)", "whole number");
    refused("a NEAR/3 b", "NEAR/N");
    refused("NEAR(\"a b)", "phrase is not closed");
    refused("NEAR(a b) AND", "lacks a word after");
    refused("OR NEAR(a b)", "lacks a word before");
    refused("(NEAR(a b)", "parenthesis is not closed");
    refused("NEAR(a b))", "closes nothing");
    refused("NEAR(--- b)", "no letters or digits");
    refused("((((((((((((((((((((((((((((((((((a))))))))))))))))))))))))))))))))))",
            "nested");
}

static void the_server_is_asked_for_every_phrase(void **state)
{
    myo_arena *a = myo_arena_new(0);
    myo_fts_node *tree = NULL;
    const char *why = NULL;
    myo_strbuf sb;

    (void)state;
    assert_true(myo_fts_has_near("x NEAR (a b)"));
    assert_false(myo_fts_has_near("\"NEAR(a b)\" NEAR"));
    assert_false(myo_fts_has_near("xNEAR(a b)"));
    assert_int_equal(myo_fts_parse("NEAR(\"stem cell\" transplant*, 3) NOT "
                                   "Flare",
                                   a, &tree, &why),
                     MYO_OK);
    myo_strbuf_init(&sb, 0);
    myo_fts_prefilter(tree, &sb);
    assert_string_equal(myo_strbuf_cstr(&sb),
                        "(((stem <-> cell) & (transplant:*)) & !(flare))");
    myo_strbuf_release(&sb);
    myo_arena_free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(near_counts_tokens_between_first_and_last),
        cmocka_unit_test(near_combines_with_words_and_operators),
        cmocka_unit_test(bad_groups_are_refused),
        cmocka_unit_test(the_server_is_asked_for_every_phrase),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}

#else

int main(void)
{
    return 77; /* built without the PostgreSQL backend */
}

#endif
