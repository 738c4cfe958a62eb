/* SPDX-License-Identifier: MIT */
/*
 * myoreg calc growth: z-score and percentile from an LMS table in the
 * myoreg LMS CSV format (docs/calculators.md).  The project ships no
 * reference tables; the table is loaded once per call and reused by every
 * case that names the same file.
 */
#include "myo_internal.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include "calc/calc_int.h"
#include "util/text.h"

#define MAX_TABLE_BYTES ((size_t)64 << 20)

static bool load_table(calc_in *in, const char *path, calc_ctx *ctx)
{
    FILE *f;
    char *text = NULL;
    size_t len = 0;
    size_t cap = 0;
    size_t lines = 1;
    size_t i;
    myo_lms_row *rows;
    myo_error e = MYO_ERROR_INIT;

    if (ctx->growth_path != NULL && strcmp(ctx->growth_path, path) == 0) {
        return true;
    }
    myo_calc_ctx_release(ctx);
    f = fopen(path, "rb");
    if (f == NULL) {
        char eb[128]; /* strerror text; the library may run on threads */
        return myo_calc_fail(in, "table", "cannot open \"%s\": %s", path,
                             myo_strerror(errno, eb, sizeof(eb)));
    }
    for (;;) {
        size_t got;

        if (len + 65536 + 1 > cap) {
            char *t;

            cap = cap ? 2 * cap : 1 << 20;
            if (cap > MAX_TABLE_BYTES) {
                free(text);
                (void)fclose(f);
                return myo_calc_fail(in, "table", "\"%s\" is larger than 64 MB",
                                     path);
            }
            t = realloc(text, cap);
            if (t == NULL) {
                free(text);
                (void)fclose(f);
                return myo_calc_fail(in, "table", "out of memory");
            }
            text = t;
        }
        got = fread(text + len, 1, 65536, f);
        len += got;
        if (got < 65536) {
            break;
        }
    }
    (void)fclose(f);
    text[len] = '\0';
    for (i = 0; i < len; i++) {
        lines += text[i] == '\n' || text[i] == '\r';
    }
    rows = calloc(lines, sizeof(*rows));
    if (rows == NULL) {
        free(text);
        return myo_calc_fail(in, "table", "out of memory");
    }
    if (myo_lms_parse_csv(text, len, rows, lines, &ctx->growth_table, &e) !=
        MYO_OK) {
        free(text);
        free(rows);
        return myo_calc_fail(in, "table", "%s:%lu: %s%s%s", path, e.line,
                             e.field, e.field[0] != '\0' ? ": " : "",
                             e.message);
    }
    ctx->growth_path = strdup(path);
    ctx->growth_text = text;
    ctx->growth_rows = rows;
    ctx->growth_table.rows = rows;
    return ctx->growth_path != NULL ||
           myo_calc_fail(in, "table", "out of memory");
}

static const char *const measures[] = { "height", "weight", "bmi",
                                        "head_circumference", NULL };
static const char *const sexes[] = { "male", "female", NULL };
static const char *const methods[] = { "lms", "who", NULL };
static const char *const positions[] = { "recumbent", "standing", NULL };

/* One case, as read. */
typedef struct growth_in {
    const char *path;
    int measure;
    int sex;
    int method;
    int position; /* -1: not given */
    double ad, am, ay;
    double value, h, w;
} growth_in;

static bool read_growth(calc_in *in, growth_in *g)
{
    if (!myo_calc_str(in, "table", &g->path) ||
        !myo_calc_choice(in, "measure", measures, -1, &g->measure) ||
        !myo_calc_choice(in, "sex", sexes, -1, &g->sex) ||
        !myo_calc_choice(in, "method", methods, 0, &g->method) ||
        !myo_calc_choice(in, "position", positions, -1, &g->position) ||
        !myo_calc_num(in, "age_days", 0, 47500, "days", &g->ad) ||
        !myo_calc_num(in, "age_months", 0, 1560, "months", &g->am) ||
        !myo_calc_num(in, "age_years", 0, 130, "years", &g->ay) ||
        !myo_calc_num(in, "value", 0, 1000, "", &g->value) ||
        !myo_calc_num(in, "height_cm", 10, 250, "cm", &g->h) ||
        !myo_calc_num(in, "weight_kg", 0.2, 300, "kg", &g->w)) {
        return false;
    }
    if (g->path == NULL) {
        return myo_calc_fail(in, "table",
                             "is required: an LMS table in the "
                             "myoreg LMS CSV format");
    }
    if (g->measure < 0) {
        return myo_calc_fail(in, "measure",
                             "is required (height, weight, bmi, "
                             "head_circumference)");
    }
    if (g->sex < 0) {
        return myo_calc_fail(in, "sex", "is required (male or female)");
    }
    if (!myo_clin_missing(g->ad) + !myo_clin_missing(g->am) +
            !myo_clin_missing(g->ay) !=
        1) {
        return myo_calc_fail(in, "age_days",
                             "give exactly one of age_days, "
                             "age_months, age_years");
    }
    return true;
}

/* The measurement: given, or from height_cm / weight_kg; with the WHO
 * length/height adjustment when a position is given. */
static bool
measurement(calc_in *in, const growth_in *g, double age_days, double *value)
{
    double h = g->h;

    if (g->position >= 0) {
        if (g->measure != MYO_GROWTH_HEIGHT && g->measure != MYO_GROWTH_BMI) {
            return myo_calc_fail(in, "position",
                                 "applies to height and BMI only");
        }
        if (g->method != MYO_Z_WHO) {
            return myo_calc_fail(in, "position",
                                 "the length/height adjustment "
                                 "is a WHO rule (method=who)");
        }
    }
    *value = g->value;
    if (!myo_clin_missing(h) && g->position >= 0) {
        h = myo_who_lenhei_adjust(age_days, h, g->position == 0);
    }
    if (myo_clin_missing(*value)) {
        *value = g->measure == MYO_GROWTH_HEIGHT   ? h
                 : g->measure == MYO_GROWTH_WEIGHT ? g->w
                 : g->measure == MYO_GROWTH_BMI
                     ? g->w / (h / 100.0) / (h / 100.0)
                     : MYO_CLIN_MISSING;
    } else if (g->measure == MYO_GROWTH_HEIGHT && g->position >= 0) {
        *value = myo_who_lenhei_adjust(age_days, *value, g->position == 0);
    }
    if (myo_clin_missing(*value)) {
        return myo_calc_fail(in, "value",
                             "is required (or height_cm, weight_kg "
                             "for the measure)");
    }
    return true;
}

static void put_growth(json_t *out,
                       const growth_in *g,
                       const myo_growth_result *r,
                       double age,
                       double value,
                       myo_age_unit unit)
{
    myo_calc_put_num(out, "z", r->z);
    myo_calc_put_num(out, "percentile", r->percentile);
    myo_calc_put_str(out, "measure", measures[g->measure]);
    myo_calc_put_str(out, "sex", sexes[g->sex]);
    myo_calc_put_num(out, "age", age);
    myo_calc_put_str(out, "age_unit", unit == MYO_AGE_DAYS ? "days" : "months");
    myo_calc_put_num(out, "value", value);
    myo_calc_put_num(out, "l", r->l);
    myo_calc_put_num(out, "m", r->m);
    myo_calc_put_num(out, "s", r->s);
    myo_calc_put_str(out, "method", methods[g->method]);
    myo_calc_put_status(out, MYO_CLIN_OK, NULL);
}

static myo_status run_growth(calc_in *in, json_t *out, calc_ctx *ctx)
{
    growth_in g;
    myo_growth_result r;
    double age_days;
    double age;
    double value = MYO_CLIN_MISSING;
    myo_status rc;

    if (!read_growth(in, &g)) {
        return MYO_EINVAL;
    }
    /* A month is 30.4375 days and a year 12 months (WHO anthro). */
    age_days = !myo_clin_missing(g.ad)   ? g.ad
               : !myo_clin_missing(g.am) ? g.am * 30.4375
                                         : g.ay * 12 * 30.4375;
    if (!measurement(in, &g, age_days, &value) ||
        !load_table(in, g.path, ctx)) {
        return MYO_EINVAL;
    }
    if (ctx->growth_table.age_unit == MYO_AGE_DAYS) {
        age = age_days;
    } else {
        /* months as given, with no round trip through days */
        age = !myo_clin_missing(g.am) ? g.am : age_days / 30.4375;
    }
    rc = myo_growth_z(&ctx->growth_table, (myo_growth_measure)g.measure,
                      g.sex == 0 ? MYO_SEX_MALE : MYO_SEX_FEMALE, age, value,
                      (myo_z_method)g.method, &r, in->err);
    if (rc != MYO_OK) {
        return rc;
    }
    put_growth(out, &g, &r, age, value, ctx->growth_table.age_unit);
    return MYO_OK;
}

const calc calc_growth = {
    "growth",
    "height, weight, BMI or head circumference z-score from an LMS table "
    "(CSV)",
    "Source: LMS method (Cole TJ, Green PJ. Stat Med 1992;11:1305); WHO "
    "2006 restricted\n"
    "application beyond +-3 SD for weight and BMI (method=who).  The "
    "reference table is\n"
    "yours (WHO, CDC, UK-WHO, ...) in the myoreg LMS CSV format:\n"
    "\n"
    "  # comment lines\n"
    "  measure,sex,age_days,l,m,s        (or age_months)\n"
    "  height,male,0,1,49.8842,0.03795\n"
    "\n"
    "measure: height, weight, bmi, head_circumference; sex: male/female "
    "(or 1/2);\n"
    "rows of one measure and sex together with increasing ages; L, M, S "
    "are\n"
    "interpolated linearly between ages.  See docs/calculators.md.\n"
    "\n"
    "Inputs:\n"
    "  table        path of the LMS CSV file\n"
    "  measure      height, weight, bmi, head_circumference\n"
    "  sex          male or female\n"
    "  age_days | age_months | age_years   (1 month = 30.4375 days)\n"
    "  value        the measurement (cm, kg, kg/m2), or height_cm / "
    "weight_kg\n"
    "  method       lms (default; CDC) or who (WHO restricted "
    "application)\n"
    "  position     recumbent or standing (method=who: +-0.7 cm around "
    "731 days)\n"
    "\n"
    "Outputs: z, percentile, measure, sex, age (in the table's unit), "
    "age_unit, value,\n"
    "l, m, s, method, status.\n"
    "\n"
    "Example: myoreg calc growth table=who-len.csv measure=height sex=male "
    "age_days=987 value=72.86 method=who position=recumbent\n",
    run_growth,
};
