/* SPDX-License-Identifier: MIT */
/* NEAR groups of the search language for PostgreSQL (fts_near.h). */
#include "myo_internal.h"

#include "store/fts_near.h"

#include <string.h>

enum { MYO_FTS_PHRASE, MYO_FTS_NEAR, MYO_FTS_AND, MYO_FTS_OR, MYO_FTS_NOT };

/* Phrases of one NEAR group at most. */
#define FTS_MAX_PHRASES 16
/* FTS5's distance when a NEAR group names none. */
#define FTS_NEAR_DEFAULT 10
/* Nodes of a query at most, and parentheses nested at most: the tree is
 * walked recursively. */
#define FTS_MAX_NODES 256
#define FTS_MAX_DEPTH 32

typedef struct fts_phrase {
    const char **words; /* its tokens */
    size_t n;
    bool prefix;        /* the last word is a prefix (word*) */
} fts_phrase;

struct myo_fts_node {
    int kind;
    myo_fts_node *l;
    myo_fts_node *r;
    fts_phrase *ph; /* MYO_FTS_PHRASE: one; MYO_FTS_NEAR: nph */
    size_t nph;
    long dist;
};

typedef struct parser {
    const char *p;
    myo_arena *a;
    const char *why;
    bool oom;
    int nodes;
    int depth;
} parser;

static bool token_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
           (c >= 'A' && c <= 'Z');
}

bool myo_fts_tokens(const char *text, myo_arena *a,
                    bool (*cb)(void *payload, const char *token),
                    void *payload)
{
    const unsigned char *p = (const unsigned char *)text;

    while (*p != '\0') {
        const unsigned char *start;
        char *tok;
        size_t i;

        while (*p != '\0' && !token_byte(*p)) {
            p++;
        }
        start = p;
        while (*p != '\0' && token_byte(*p)) {
            p++;
        }
        if (p == start) {
            break;
        }
        tok = myo_arena_strndup(a, (const char *)start, (size_t)(p - start));
        if (tok == NULL) {
            return false;
        }
        for (i = 0; tok[i] != '\0'; i++) {
            if (tok[i] >= 'A' && tok[i] <= 'Z') {
                tok[i] = (char)(tok[i] - 'A' + 'a');
            }
        }
        if (!cb(payload, tok)) {
            return false;
        }
    }
    return true;
}

bool myo_fts_has_near(const char *q)
{
    bool quoted = false;
    const char *p;

    for (p = q; *p != '\0'; p++) {
        if (*p == '"') {
            quoted = !quoted;
        } else if (!quoted && strncmp(p, "NEAR", 4) == 0 &&
                   (p == q || strchr(" \t\n\r()\"", p[-1]) != NULL)) {
            const char *after = p + 4;
            while (*after == ' ' || *after == '\t' || *after == '\n' ||
                   *after == '\r') {
                after++;
            }
            if (*after == '(') {
                return true;
            }
        }
    }
    return false;
}

static void skip_space(parser *ps)
{
    while (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' ||
           *ps->p == '\r') {
        ps->p++;
    }
}

/* Is the keyword kw (AND, OR, NOT) at the parser, as a whole word? */
static bool at_keyword(const parser *ps, const char *kw)
{
    size_t n = strlen(kw);

    return strncmp(ps->p, kw, n) == 0 &&
           (ps->p[n] == '\0' || strchr(" \t\n\r()\"", ps->p[n]) != NULL);
}

static bool at_near(const parser *ps)
{
    const char *after = ps->p + 4;

    if (strncmp(ps->p, "NEAR", 4) != 0) {
        return false;
    }
    while (*after == ' ' || *after == '\t' || *after == '\n' ||
           *after == '\r') {
        after++;
    }
    return *after == '(';
}

static myo_fts_node *new_node(parser *ps, int kind)
{
    myo_fts_node *n;

    if (++ps->nodes > FTS_MAX_NODES) {
        ps->why = "the query has more than 256 words and operators";
        return NULL;
    }
    n = myo_arena_calloc(ps->a, 1, sizeof(*n));
    if (n == NULL) {
        ps->oom = true;
    } else {
        n->kind = kind;
    }
    return n;
}

typedef struct word_list {
    parser *ps;
    const char *words[64];
    size_t n;
} word_list;

static bool add_word(void *payload, const char *token)
{
    word_list *w = payload;

    if (w->n == MYO_ARRAY_LEN(w->words)) {
        w->ps->why = "a phrase has more than 64 words";
        return false;
    }
    w->words[w->n++] = token;
    return true;
}

/* A word or "phrase" (optionally followed by *) into ph; in a NEAR group
 * a comma also ends a word. */
static bool parse_phrase(parser *ps, fts_phrase *ph, bool in_near)
{
    word_list w;
    const char *text;
    size_t len;
    char *copy;

    w.ps = ps;
    w.n = 0;
    if (*ps->p == '"') {
        const char *end = strchr(ps->p + 1, '"');
        if (end == NULL) {
            ps->why = "a phrase is not closed with \"";
            return false;
        }
        text = ps->p + 1;
        len = (size_t)(end - text);
        ps->p = end + 1;
        ph->prefix = *ps->p == '*';
        ps->p += ph->prefix;
    } else {
        len = strcspn(ps->p, in_near ? " \t\n\r()\"," : " \t\n\r()\"");
        text = ps->p;
        ps->p += len;
        if (len >= 5 && strncmp(text, "NEAR/", 5) == 0) {
            ps->why = "NEAR/N is not this syntax: write NEAR(a b, N)";
            return false;
        }
        ph->prefix = len > 0 && text[len - 1] == '*';
        len -= ph->prefix;
    }
    copy = myo_arena_strndup(ps->a, text, len);
    if (copy == NULL || !myo_fts_tokens(copy, ps->a, add_word, &w)) {
        ps->oom = ps->why == NULL;
        return false;
    }
    if (w.n == 0) {
        ps->why = "a word or phrase has no letters or digits";
        return false;
    }
    ph->words = myo_arena_alloc(ps->a, w.n * sizeof(*ph->words));
    if (ph->words == NULL) {
        ps->oom = true;
        return false;
    }
    memcpy(ph->words, w.words, w.n * sizeof(*ph->words));
    ph->n = w.n;
    return true;
}

/* NEAR(phrase phrase ... [, N]) at the parser. */
static myo_fts_node *parse_near(parser *ps)
{
    fts_phrase ph[FTS_MAX_PHRASES];
    myo_fts_node *n;
    size_t k = 0;
    long dist = FTS_NEAR_DEFAULT;

    ps->p = strchr(ps->p, '(') + 1;
    for (;;) {
        skip_space(ps);
        if (*ps->p == ')' || *ps->p == ',' || *ps->p == '\0') {
            break;
        }
        if (k == FTS_MAX_PHRASES) {
            ps->why = "a NEAR group has more than 16 phrases";
            return NULL;
        }
        memset(&ph[k], 0, sizeof(ph[k]));
        if (!parse_phrase(ps, &ph[k], true)) {
            return NULL;
        }
        k++;
    }
    if (*ps->p == ',') {
        ps->p++;
        skip_space(ps);
        if (*ps->p < '0' || *ps->p > '9') {
            ps->why = "NEAR(..., N) needs a whole number N";
            return NULL;
        }
        dist = 0;
        while (*ps->p >= '0' && *ps->p <= '9') {
            dist = dist < 100000 ? dist * 10 + (*ps->p - '0') : dist;
            ps->p++;
        }
        skip_space(ps);
    }
    if (*ps->p != ')') {
        ps->why = "a NEAR group is not closed with )";
        return NULL;
    }
    ps->p++;
    if (k == 0) {
        ps->why = "a NEAR group holds no phrase";
        return NULL;
    }
    n = new_node(ps, MYO_FTS_NEAR);
    if (n != NULL) {
        n->ph = myo_arena_alloc(ps->a, k * sizeof(*n->ph));
        if (n->ph == NULL) {
            ps->oom = true;
            return NULL;
        }
        memcpy(n->ph, ph, k * sizeof(*n->ph));
        n->nph = k;
        n->dist = dist;
    }
    return n;
}

// NOLINTNEXTLINE(misc-no-recursion): depth bounded by the parser
static myo_fts_node *parse_or(parser *ps);

/* An operand: a group, a NEAR group or a phrase; NULL (why unset) when
 * there is none here. */
// NOLINTNEXTLINE(misc-no-recursion): depth bounded by the parser
static myo_fts_node *parse_primary(parser *ps)
{
    myo_fts_node *n;

    skip_space(ps);
    if (*ps->p == '\0' || *ps->p == ')') {
        return NULL;
    }
    if (at_keyword(ps, "AND") || at_keyword(ps, "OR") ||
        at_keyword(ps, "NOT")) {
        ps->why = "an operator lacks a word before it";
        return NULL;
    }
    if (*ps->p == '(') {
        if (++ps->depth > FTS_MAX_DEPTH) {
            ps->why = "parentheses are nested more than 32 deep";
            return NULL;
        }
        ps->p++;
        n = parse_or(ps);
        ps->depth--;
        skip_space(ps);
        if (ps->why == NULL && !ps->oom && n == NULL) {
            ps->why = "a parenthesis closes nothing or an empty group";
        }
        if (ps->why == NULL && *ps->p != ')') {
            ps->why = "a parenthesis is not closed";
        }
        ps->p += *ps->p == ')';
        return ps->why != NULL ? NULL : n;
    }
    if (at_near(ps)) {
        return parse_near(ps);
    }
    n = new_node(ps, MYO_FTS_PHRASE);
    if (n == NULL) {
        return NULL;
    }
    n->ph = myo_arena_calloc(ps->a, 1, sizeof(*n->ph));
    n->nph = 1;
    if (n->ph == NULL) {
        ps->oom = true;
        return NULL;
    }
    return parse_phrase(ps, n->ph, false) ? n : NULL;
}

/* The operand after an operator: there must be one. */
// NOLINTNEXTLINE(misc-no-recursion): depth bounded by the parser
static myo_fts_node *operand_after(parser *ps)
{
    myo_fts_node *n = parse_primary(ps);

    if (n == NULL && ps->why == NULL && !ps->oom) {
        ps->why = "an operator lacks a word after it";
    }
    return n;
}

static myo_fts_node *binary(parser *ps, int kind, myo_fts_node *l,
                            myo_fts_node *r)
{
    myo_fts_node *n;

    if (l == NULL || r == NULL) {
        return NULL;
    }
    n = new_node(ps, kind);
    if (n != NULL) {
        n->l = l;
        n->r = r;
    }
    return n;
}

/* a NOT b NOT c: NOT binds tightest, as in FTS5 */
// NOLINTNEXTLINE(misc-no-recursion): depth bounded by the parser
static myo_fts_node *parse_not(parser *ps)
{
    myo_fts_node *l = parse_primary(ps);

    for (;;) {
        skip_space(ps);
        if (l == NULL || !at_keyword(ps, "NOT")) {
            return l;
        }
        ps->p += 3;
        l = binary(ps, MYO_FTS_NOT, l, operand_after(ps));
    }
}

/* a AND b, or a b side by side */
// NOLINTNEXTLINE(misc-no-recursion): depth bounded by the parser
static myo_fts_node *parse_and(parser *ps)
{
    myo_fts_node *l = parse_not(ps);

    for (;;) {
        skip_space(ps);
        if (l == NULL || *ps->p == '\0' || *ps->p == ')' ||
            at_keyword(ps, "OR")) {
            return l;
        }
        if (at_keyword(ps, "AND")) {
            ps->p += 3;
            l = binary(ps, MYO_FTS_AND, l, operand_after(ps));
        } else {
            myo_fts_node *r = parse_not(ps);
            if (r == NULL) {
                return NULL;
            }
            l = binary(ps, MYO_FTS_AND, l, r);
        }
    }
}

// NOLINTNEXTLINE(misc-no-recursion): depth bounded by the parser
static myo_fts_node *parse_or(parser *ps)
{
    myo_fts_node *l = parse_and(ps);

    for (;;) {
        skip_space(ps);
        if (l == NULL || !at_keyword(ps, "OR")) {
            return l;
        }
        ps->p += 2;
        skip_space(ps);
        {
            myo_fts_node *r = parse_and(ps);
            if (r == NULL && ps->why == NULL && !ps->oom) {
                ps->why = "an operator lacks a word after it";
            }
            l = binary(ps, MYO_FTS_OR, l, r);
        }
    }
}

myo_status myo_fts_parse(const char *q, myo_arena *a, myo_fts_node **out,
                         const char **why)
{
    parser ps = { q, a, NULL, false, 0, 0 };
    myo_fts_node *n = parse_or(&ps);

    *out = NULL;
    *why = NULL;
    if (ps.oom) {
        return MYO_ENOMEM;
    }
    skip_space(&ps);
    if (ps.why == NULL && *ps.p != '\0') {
        ps.why = "a parenthesis closes nothing or an empty group";
    }
    if (ps.why == NULL && n == NULL) {
        ps.why = "the query has no word to search for";
    }
    if (ps.why != NULL) {
        *why = ps.why;
        return MYO_EPARSE;
    }
    *out = n;
    return MYO_OK;
}

static void put_phrase(const fts_phrase *ph, myo_strbuf *out)
{
    size_t i;

    myo_strbuf_putc(out, '(');
    for (i = 0; i < ph->n; i++) {
        myo_strbuf_printf(out, "%s%s", i > 0 ? " <-> " : "", ph->words[i]);
    }
    myo_strbuf_puts(out, ph->prefix ? ":*)" : ")");
}

// NOLINTNEXTLINE(misc-no-recursion): depth bounded by the parser
void myo_fts_prefilter(const myo_fts_node *n, myo_strbuf *out)
{
    size_t i;

    switch (n->kind) {
    case MYO_FTS_PHRASE:
        put_phrase(n->ph, out);
        return;
    case MYO_FTS_NEAR:
        myo_strbuf_putc(out, '(');
        for (i = 0; i < n->nph; i++) {
            if (i > 0) {
                myo_strbuf_puts(out, " & ");
            }
            put_phrase(&n->ph[i], out);
        }
        myo_strbuf_putc(out, ')');
        return;
    default:
        myo_strbuf_putc(out, '(');
        myo_fts_prefilter(n->l, out);
        myo_strbuf_puts(out, n->kind == MYO_FTS_AND  ? " & "
                             : n->kind == MYO_FTS_OR ? " | "
                                                 : " & !");
        myo_fts_prefilter(n->r, out);
        myo_strbuf_putc(out, ')');
    }
}

// NOLINTNEXTLINE(misc-no-recursion): depth bounded by the parser
bool myo_fts_words(const myo_fts_node *n,
                   bool (*cb)(void *payload, const char *word),
                   void *payload)
{
    size_t i;
    size_t j;

    if (n->kind == MYO_FTS_PHRASE || n->kind == MYO_FTS_NEAR) {
        for (i = 0; i < n->nph; i++) {
            for (j = 0; j < n->ph[i].n; j++) {
                if (!cb(payload, n->ph[i].words[j])) {
                    return false;
                }
            }
        }
        return true;
    }
    return myo_fts_words(n->l, cb, payload) &&
           myo_fts_words(n->r, cb, payload);
}

typedef struct match_ctx {
    const char *const *stems;
    size_t count;
    myo_fts_stem_fn stem;
    void *payload;
    myo_arena *scratch;
} match_ctx;

/* The starts of a phrase's occurrences into *at (*n of them); false on
 * out of memory. */
static bool occurrences(const match_ctx *m, const fts_phrase *ph,
                        size_t **at, size_t *n)
{
    const char **want = myo_arena_alloc(m->scratch, ph->n * sizeof(*want));
    size_t i;
    size_t j;

    *n = 0;
    *at = myo_arena_alloc(m->scratch, (m->count + 1) * sizeof(**at));
    if (want == NULL || *at == NULL) {
        return false;
    }
    for (j = 0; j < ph->n; j++) {
        want[j] = m->stem(m->payload, ph->words[j]);
    }
    for (i = 0; i + ph->n <= m->count; i++) {
        for (j = 0; j < ph->n; j++) {
            const char *have = m->stems[i + j];
            bool last_prefix = ph->prefix && j + 1 == ph->n;
            if (last_prefix ? strncmp(have, want[j], strlen(want[j])) != 0
                            : strcmp(have, want[j]) != 0) {
                break;
            }
        }
        if (j == ph->n) {
            (*at)[(*n)++] = i;
        }
    }
    return true;
}

/* Some occurrence of every phrase after occurrence s of phrase f (the
 * first of the window: no other starts before it, or at it and shorter),
 * the last starting at most dist tokens after f ends. */
static bool window_from(const myo_fts_node *n, size_t *const *at,
                        const size_t *nat, size_t f, size_t s)
{
    size_t bound = s + n->ph[f].n + (size_t)n->dist;
    size_t i;
    size_t k;

    for (i = 0; i < n->nph; i++) {
        bool found = false;
        if (i == f) {
            continue;
        }
        for (k = 0; k < nat[i] && !found; k++) {
            size_t t = at[i][k];
            found = t <= bound &&
                    (t > s || (t == s && n->ph[i].n >= n->ph[f].n));
        }
        if (!found) {
            return false;
        }
    }
    return true;
}

static int near_match(const match_ctx *m, const myo_fts_node *n)
{
    size_t *at[FTS_MAX_PHRASES];
    size_t nat[FTS_MAX_PHRASES];
    size_t f;
    size_t k;

    for (f = 0; f < n->nph; f++) {
        if (!occurrences(m, &n->ph[f], &at[f], &nat[f])) {
            return -1;
        }
        if (nat[f] == 0) {
            return 0;
        }
    }
    for (f = 0; f < n->nph; f++) {
        for (k = 0; k < nat[f]; k++) {
            if (window_from(n, at, nat, f, at[f][k])) {
                return 1;
            }
        }
    }
    return 0;
}

// NOLINTNEXTLINE(misc-no-recursion): depth bounded by the parser
static int eval(const match_ctx *m, const myo_fts_node *n)
{
    size_t *at;
    size_t nat;
    int l;

    switch (n->kind) {
    case MYO_FTS_PHRASE:
        return occurrences(m, n->ph, &at, &nat) ? nat > 0 : -1;
    case MYO_FTS_NEAR:
        return near_match(m, n);
    default:
        break;
    }
    l = eval(m, n->l);
    if (l < 0 || (n->kind == MYO_FTS_OR && l == 1) ||
        (n->kind != MYO_FTS_OR && l == 0)) {
        return l;
    }
    if (n->kind == MYO_FTS_NOT) {
        int r = eval(m, n->r);
        return r < 0 ? r : !r;
    }
    return eval(m, n->r);
}

int myo_fts_match(const myo_fts_node *n, const char *const *stems,
                  size_t count, myo_fts_stem_fn stem, void *payload,
                  myo_arena *scratch)
{
    match_ctx m = { stems, count, stem, payload, scratch };

    return eval(&m, n);
}
