/* SPDX-License-Identifier: MIT */
/*
 * UCUM unit parsing and conversion for the units clinical data use.
 *
 * Grammar (UCUM §2, case-sensitive form, "The Unified Code for Units of
 * Measure", Schadow & McDonald):
 *
 *   term      := '/' component tail | component tail
 *   tail      := { ('.' | '/') component }
 *   component := '(' term ')' | annotation | simple [annotation]
 *   simple    := integer factor | [prefix] atom [exponent] | '10*' exp
 *   exponent  := ['+' | '-'] digits
 *
 * Values are reduced to base units m, g, s, mol (the litre is 10^-3 m^3).
 * The enzyme unit U is 1 umol/min.  International units [IU] are, strictly,
 * not commensurable with U; clinical laboratories report enzyme activity in
 * both interchangeably, so [IU] is treated as U here (documented in
 * docs/units.md).
 */
#include "myo_internal.h"

#include <myoreg/codes.h>

#include <math.h>
#include <string.h>

/* An atom's value is coef * 10^exp10 base units (exact decimal scaling). */
typedef struct atom {
    const char *sym;
    double coef;
    int exp10;
    signed char dim[MYO_NDIMS];
    bool metric; /* may take a prefix */
} atom;

static const atom atoms[] = {
    { "m", 1, 0, { 1, 0, 0, 0, 0 }, true },
    { "g", 1, 0, { 0, 1, 0, 0, 0 }, true },
    { "s", 1, 0, { 0, 0, 1, 0, 0 }, true },
    { "L", 1, -3, { 3, 0, 0, 0, 0 }, true },
    { "l", 1, -3, { 3, 0, 0, 0, 0 }, true },
    { "mol", 1, 0, { 0, 0, 0, 1, 0 }, true },
    { "U", 1.0 / 60, -6, { 0, 0, -1, 1, 0 }, true }, /* umol/min */
    { "kat", 1, 0, { 0, 0, -1, 1, 0 }, true },
    { "[IU]", 1.0 / 60, -6, { 0, 0, -1, 1, 0 }, true },
    { "[iU]", 1.0 / 60, -6, { 0, 0, -1, 1, 0 }, true },
    { "min", 60, 0, { 0, 0, 1, 0, 0 }, false },
    { "h", 3600, 0, { 0, 0, 1, 0, 0 }, false },
    { "d", 86400, 0, { 0, 0, 1, 0, 0 }, false },
    { "wk", 604800, 0, { 0, 0, 1, 0, 0 }, false },
    { "mo", 2629800, 0, { 0, 0, 1, 0, 0 }, false },  /* mean Julian month */
    { "a", 31557600, 0, { 0, 0, 1, 0, 0 }, false }, /* Julian year */
    { "%", 1, -2, { 0, 0, 0, 0, 0 }, false },
    { "[in_i]", 254, -4, { 1, 0, 0, 0, 0 }, false },
    { "[ft_i]", 3048, -4, { 1, 0, 0, 0, 0 }, false },
    { "[lb_av]", 45359237, -5, { 0, 1, 0, 0, 0 }, false },
    { "[oz_av]", 28349523125, -9, { 0, 1, 0, 0, 0 }, false },
};

typedef struct prefix {
    const char *sym;
    int exp10;
} prefix;

/* Two-letter "da" first so it wins over "d". */
static const prefix prefixes[] = {
    { "da", 1 },  { "Y", 24 },  { "Z", 21 },  { "E", 18 },  { "P", 15 },
    { "T", 12 },  { "G", 9 },   { "M", 6 },   { "k", 3 },   { "h", 2 },
    { "d", -1 },  { "c", -2 },  { "m", -3 },  { "u", -6 },  { "n", -9 },
    { "p", -12 }, { "f", -15 }, { "a", -18 }, { "z", -21 }, { "y", -24 },
};

/* Common non-UCUM spellings seen in lab exports, mapped whole. */
static const struct {
    const char *from;
    const char *to;
} aliases[] = {
    { "IU/L", "[IU]/L" },       { "IU/l", "[IU]/L" },
    { "IU", "[IU]" },           { "IU/kg", "[IU]/kg" },
    { "x10^9/L", "10*9/L" },    { "x10^9/l", "10*9/L" },
    { "x10E9/L", "10*9/L" },    { "x10^3/uL", "10*3/uL" },
    { "x10^3/mm3", "10*3/mm3" }, { "x10^6/L", "10*6/L" },
    { "x10^12/L", "10*12/L" },  { "G/L", "10*9/L" },
    { "K/uL", "10*3/uL" },      { "cells/uL", "/uL" },
    { "cells/mm3", "/mm3" },    { "cells/ul", "/uL" },
    { "mm/hr", "mm/h" },        { "mcg", "ug" },
    { "mcg/kg", "ug/kg" },      { "lb", "[lb_av]" },
    { "lbs", "[lb_av]" },       { "in", "[in_i]" },
    { "ft", "[ft_i]" },         { "U/l", "U/L" },
};

typedef struct parser {
    const char *s;
    size_t pos;
    myo_error *err;
} parser;

static myo_status fail(parser *p, const char *what)
{
    return myo_error_set(p->err, MYO_EPARSE, NULL,
                         "unknown unit \"%s\": %s at position %zu", p->s, what,
                         p->pos + 1);
}

static void unit_mul(myo_unit *a, const myo_unit *b, int sign)
{
    int i;

    a->factor = sign > 0 ? a->factor * b->factor : a->factor / b->factor;
    a->exp10 += sign * b->exp10;
    for (i = 0; i < MYO_NDIMS; i++) {
        a->dim[i] = (signed char)(a->dim[i] + sign * b->dim[i]);
    }
}

static void unit_pow(myo_unit *u, int e)
{
    int i;

    u->factor = pow(u->factor, e);
    u->exp10 *= e;
    for (i = 0; i < MYO_NDIMS; i++) {
        u->dim[i] = (signed char)(u->dim[i] * e);
    }
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* Optional signed exponent; *have tells whether one was present. */
static bool parse_exponent(parser *p, int *e, bool *have)
{
    size_t start = p->pos;
    int sign = 1;
    int v = 0;

    *have = false;
    if (p->s[p->pos] == '+' || p->s[p->pos] == '-') {
        sign = p->s[p->pos] == '-' ? -1 : 1;
        p->pos++;
    }
    if (!is_digit(p->s[p->pos])) {
        p->pos = start;
        return start == p->pos;
    }
    while (is_digit(p->s[p->pos])) {
        v = v * 10 + (p->s[p->pos] - '0');
        if (v > 30) {
            return false;
        }
        p->pos++;
    }
    *e = sign * v;
    *have = true;
    return true;
}

static bool lookup_atom(const char *sym, size_t n, myo_unit *u)
{
    size_t i;
    size_t k;

    /* Exact atom first: "mol" is a mole, not a milli-"ol". */
    for (i = 0; i < MYO_ARRAY_LEN(atoms); i++) {
        if (strlen(atoms[i].sym) == n && strncmp(atoms[i].sym, sym, n) == 0) {
            u->factor = atoms[i].coef;
            u->exp10 = atoms[i].exp10;
            memcpy(u->dim, atoms[i].dim, sizeof(u->dim));
            return true;
        }
    }
    for (k = 0; k < MYO_ARRAY_LEN(prefixes); k++) {
        size_t pl = strlen(prefixes[k].sym);

        if (pl >= n || strncmp(prefixes[k].sym, sym, pl) != 0) {
            continue;
        }
        for (i = 0; i < MYO_ARRAY_LEN(atoms); i++) {
            if (atoms[i].metric && strlen(atoms[i].sym) == n - pl &&
                strncmp(atoms[i].sym, sym + pl, n - pl) == 0) {
                u->factor = atoms[i].coef;
                u->exp10 = prefixes[k].exp10 + atoms[i].exp10;
                memcpy(u->dim, atoms[i].dim, sizeof(u->dim));
                return true;
            }
        }
    }
    return false;
}

static void skip_annotation(parser *p)
{
    while (p->s[p->pos] == '{') {
        while (p->s[p->pos] != '\0' && p->s[p->pos] != '}') {
            p->pos++;
        }
        if (p->s[p->pos] == '}') {
            p->pos++;
        }
    }
}

static myo_status parse_simple(parser *p, myo_unit *u)
{
    const char *s = p->s;
    size_t start = p->pos;
    int e = 1;
    bool have;

    memset(u, 0, sizeof(*u));
    u->factor = 1;
    if ((strncmp(s + p->pos, "10*", 3) == 0 ||
         strncmp(s + p->pos, "10^", 3) == 0)) {
        p->pos += 3;
        if (!parse_exponent(p, &e, &have) || !have) {
            return fail(p, "10* needs an exponent");
        }
        u->exp10 = e;
        return MYO_OK;
    }
    if (is_digit(s[p->pos])) {
        double v = 0;
        while (is_digit(s[p->pos])) {
            v = v * 10 + (s[p->pos] - '0');
            p->pos++;
        }
        u->factor = v;
        return v > 0 ? MYO_OK : fail(p, "zero factor");
    }
    while (s[p->pos] != '\0' && strchr("./(){}+-0123456789", s[p->pos]) ==
                                     NULL) {
        if (s[p->pos] == '[') {
            while (s[p->pos] != '\0' && s[p->pos] != ']') {
                p->pos++;
            }
            if (s[p->pos] == '\0') {
                return fail(p, "unclosed '['");
            }
        }
        p->pos++;
    }
    if (p->pos == start) {
        return fail(p, "expected a unit");
    }
    if (!lookup_atom(s + start, p->pos - start, u)) {
        size_t end = p->pos;
        p->pos = start;
        MYO_UNUSED(end);
        return fail(p, "unknown symbol");
    }
    if (!parse_exponent(p, &e, &have)) {
        return fail(p, "bad exponent");
    }
    if (have) {
        unit_pow(u, e);
    }
    skip_annotation(p);
    return MYO_OK;
}

static void unit_one(myo_unit *u)
{
    memset(u, 0, sizeof(*u));
    u->factor = 1;
}

/* Parentheses nest at most this deep (hostile input). */
#define MAX_DEPTH 8

/*
 * term := ['/'] component { ('.' | '/') component }, where a component may
 * be a parenthesised term.  An explicit stack of open groups replaces
 * recursion: each frame accumulates its group's unit and remembers with
 * which sign the group joins its parent.
 */
typedef struct group_stack {
    struct {
        myo_unit acc;
        int sign;
    } g[MAX_DEPTH + 1];
    int depth;
} group_stack;

/* A leading '/' makes the next component a divisor. */
static int leading_sign(parser *p)
{
    if (p->s[p->pos] == '/') {
        p->pos++;
        return -1;
    }
    return 1;
}

static myo_status open_group(parser *p, group_stack *gs, int *sign)
{
    if (gs->depth == MAX_DEPTH) {
        return fail(p, "too deeply nested");
    }
    gs->depth++;
    unit_one(&gs->g[gs->depth].acc);
    gs->g[gs->depth].sign = *sign;
    p->pos++;
    *sign = leading_sign(p);
    return MYO_OK;
}

static myo_status close_groups(parser *p, group_stack *gs)
{
    while (p->s[p->pos] == ')') {
        if (gs->depth == 0) {
            return fail(p, "unexpected ')'");
        }
        p->pos++;
        unit_mul(&gs->g[gs->depth - 1].acc, &gs->g[gs->depth].acc,
                 gs->g[gs->depth].sign);
        gs->depth--;
    }
    return MYO_OK;
}

static myo_status parse_term(parser *p, myo_unit *out)
{
    group_stack gs;
    int sign;
    myo_unit u;
    myo_status rc = MYO_OK;

    gs.depth = 0;
    unit_one(&gs.g[0].acc);
    gs.g[0].sign = 1;
    sign = leading_sign(p);
    while (rc == MYO_OK) {
        if (p->s[p->pos] == '(') {
            rc = open_group(p, &gs, &sign);
            continue;
        }
        if (p->s[p->pos] == '{') {
            unit_one(&u);
            skip_annotation(p);
        } else if ((rc = parse_simple(p, &u)) != MYO_OK) {
            break;
        }
        unit_mul(&gs.g[gs.depth].acc, &u, sign);
        rc = close_groups(p, &gs);
        if (rc != MYO_OK || (p->s[p->pos] != '.' && p->s[p->pos] != '/')) {
            break;
        }
        sign = p->s[p->pos] == '.' ? 1 : -1;
        p->pos++;
    }
    if (rc == MYO_OK && gs.depth != 0) {
        rc = fail(p, "expected ')'");
    }
    if (rc == MYO_OK) {
        *out = gs.g[0].acc;
    }
    return rc;
}

/* value * 10^k, exact when the result is representable (k within 22). */
static double scale10(double value, int k)
{
    static const double pow10[] = { 1e0,  1e1,  1e2,  1e3,  1e4,  1e5,
                                    1e6,  1e7,  1e8,  1e9,  1e10, 1e11,
                                    1e12, 1e13, 1e14, 1e15, 1e16, 1e17,
                                    1e18, 1e19, 1e20, 1e21, 1e22 };

    while (k > 22) {
        value *= 1e22;
        k -= 22;
    }
    while (k < -22) {
        value /= 1e22;
        k += 22;
    }
    /* Dividing by an exact power of ten rounds once; multiplying by its
     * inexact reciprocal would round twice. */
    return k >= 0 ? value * pow10[k] : value / pow10[-k];
}

/* Replace look-alike characters (micro sign, times, superscripts). */
static void normalise_chars(const char *in, char *out, size_t size)
{
    static const char *const sup[10] = {
        "\xE2\x81\xB0", "\xC2\xB9",     "\xC2\xB2",     "\xC2\xB3",
        "\xE2\x81\xB4", "\xE2\x81\xB5", "\xE2\x81\xB6", "\xE2\x81\xB7",
        "\xE2\x81\xB8", "\xE2\x81\xB9"
    };
    size_t o = 0;
    bool in_sup = false;

    while (*in != '\0' && o + 2 < size) {
        int d;
        bool matched = false;

        if (strncmp(in, "\xC2\xB5", 2) == 0 || strncmp(in, "\xCE\xBC", 2) == 0) {
            out[o++] = 'u'; /* micro sign, Greek mu */
            in += 2;
            in_sup = false;
            continue;
        }
        if (strncmp(in, "\xC3\x97", 2) == 0) {
            out[o++] = 'x'; /* multiplication sign */
            in += 2;
            in_sup = false;
            continue;
        }
        for (d = 0; d < 10; d++) {
            size_t n = strlen(sup[d]);
            if (strncmp(in, sup[d], n) == 0) {
                /* "10⁹" reads 10^9; "mm³" reads mm3 */
                if (!in_sup && o >= 2 && out[o - 2] == '1' &&
                    out[o - 1] == '0') {
                    out[o++] = '^';
                }
                out[o++] = (char)('0' + d);
                in += n;
                in_sup = true;
                matched = true;
                break;
            }
        }
        if (!matched) {
            out[o++] = *in++;
            in_sup = false;
        }
    }
    out[o] = '\0';
}

myo_status myo_unit_parse(const char *text, myo_unit *out, myo_error *err)
{
    char buf[128];
    const char *s = buf;
    parser p;
    size_t i;
    myo_status rc;
    bool alias = false;

    if (strlen(text) >= sizeof(buf) - 8) {
        return myo_error_set(err, MYO_EPARSE, NULL, "unit \"%.40s...\" is too long",
                             text);
    }
    normalise_chars(text, buf, sizeof(buf));
    alias = strcmp(buf, text) != 0;
    for (i = 0; i < MYO_ARRAY_LEN(aliases); i++) {
        if (strcmp(buf, aliases[i].from) == 0) {
            s = aliases[i].to;
            alias = true;
            break;
        }
    }
    memset(out, 0, sizeof(*out));
    out->factor = 1;
    if (s[0] == '\0' || strcmp(s, "1") == 0) {
        out->alias = alias;
        return MYO_OK;
    }
    if (s[0] == 'x' && strncmp(s, "x10", 3) == 0) {
        s++;
        alias = true;
    }
    p.s = s;
    p.pos = 0;
    p.err = err;
    rc = parse_term(&p, out);
    if (rc == MYO_OK && s[p.pos] != '\0') {
        rc = fail(&p, "unexpected character");
    }
    out->alias = alias;
    return rc;
}

bool myo_unit_same_dim(const myo_unit *a, const myo_unit *b)
{
    return memcmp(a->dim, b->dim, sizeof(a->dim)) == 0;
}

const char *myo_unit_kind(const myo_unit *u)
{
    static const struct {
        signed char dim[MYO_NDIMS];
        const char *name;
    } kinds[] = {
        { { 0, 0, 0, 0, 0 }, "a dimensionless number" },
        { { 1, 0, 0, 0, 0 }, "a length" },
        { { 0, 1, 0, 0, 0 }, "a mass" },
        { { 0, 0, 1, 0, 0 }, "a time" },
        { { 3, 0, 0, 0, 0 }, "a volume" },
        { { -3, 0, 0, 0, 0 }, "a number concentration (count per volume)" },
        { { -3, 1, 0, 0, 0 }, "a mass concentration" },
        { { -3, 0, 0, 1, 0 }, "a substance concentration" },
        { { -3, 0, -1, 1, 0 }, "a catalytic activity concentration" },
        { { 0, 0, -1, 1, 0 }, "a catalytic activity" },
        { { 1, 0, -1, 0, 0 }, "a velocity" },
        { { -2, 1, 0, 0, 0 }, "a mass per area" },
    };
    size_t i;

    for (i = 0; i < MYO_ARRAY_LEN(kinds); i++) {
        if (memcmp(kinds[i].dim, u->dim, sizeof(u->dim)) == 0) {
            return kinds[i].name;
        }
    }
    return "an unusual quantity";
}

myo_status myo_unit_convert(double value,
                            const char *from,
                            const char *to,
                            double molar_mass,
                            double *out,
                            myo_error *err)
{
    myo_unit a = { 1, 0, { 0 }, false };
    myo_unit b = { 1, 0, { 0 }, false };
    myo_status rc;
    double base;

    rc = myo_unit_parse(from, &a, err);
    if (rc == MYO_OK) {
        rc = myo_unit_parse(to, &b, err);
    }
    if (rc != MYO_OK) {
        return rc;
    }
    /* Coefficients first (they cancel exactly for the same atom), then the
     * power of ten in one exact step. */
    base = value * (a.factor / b.factor);
    if (!myo_unit_same_dim(&a, &b)) {
        signed char d[MYO_NDIMS];
        int i;

        for (i = 0; i < MYO_NDIMS; i++) {
            d[i] = (signed char)(a.dim[i] - b.dim[i]);
        }
        /* mass -> amount of substance: divide by g/mol (and back) */
        if (molar_mass > 0 && d[MYO_DIM_L] == 0 && d[MYO_DIM_T] == 0 &&
            d[MYO_DIM_IU] == 0 && d[MYO_DIM_M] == -d[MYO_DIM_N] &&
            (d[MYO_DIM_M] == 1 || d[MYO_DIM_M] == -1)) {
            base = d[MYO_DIM_M] == 1 ? base / molar_mass : base * molar_mass;
        } else {
            return myo_error_set(err, MYO_EINVAL, NULL,
                                 "unit \"%s\" is %s, cannot convert to \"%s\" "
                                 "(%s)",
                                 from, myo_unit_kind(&a), to,
                                 myo_unit_kind(&b));
        }
    }
    *out = scale10(base, a.exp10 - b.exp10);
    return MYO_OK;
}
