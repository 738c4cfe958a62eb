/* SPDX-License-Identifier: MIT */
/*
 * Wilson score interval for a binomial proportion, with and without
 * continuity correction, as R's prop.test(x, n, correct = ...)$conf.int.
 *
 * Sources: Wilson EB. JASA 1927;22:209-12; Newcombe RG. Two-sided
 * confidence intervals for the single proportion: comparison of seven
 * methods. Stat Med 1998;17:857-72, methods 3 (score) and 4 (score with
 * continuity correction) and the worked examples of its Table II, used in
 * the tests; R stats 4.2 prop.test for the conventions (the correction is
 * min(1/2, |x - n/2|), i.e. shrinks at x = n/2, and a limit is 0 or 1
 * exactly when the corrected proportion is).
 *
 * Legend (variable -> symbol):
 *   est    p^ = x / n
 *   z      z_{1 - alpha/2}
 *   cc     c = continuity correction (0 without)
 *   z22n   z^2 / (2n)
 *   limit  (p_c + z^2/2n -/+ z sqrt(p_c (1 - p_c) / n + z^2 / 4n^2))
 *          / (1 + z^2 / n),  p_c = p^ -/+ c / n
 */
#include "myo_internal.h"

#include <myoreg/stats.h>

#include <math.h>

#include "stats/stats_int.h"

myo_status myo_wilson_ci(myo_proportion *out,
                         size_t x,
                         size_t n,
                         double conf_level,
                         bool correct,
                         myo_error *err)
{
    double dn = (double)n;
    double est;
    double z;
    double cc = 0;
    double z22n;
    double pc;

    MYO_ASSERT(out != NULL);
    if (n == 0) {
        return myo_stats_einval(err, "n", "no trials");
    }
    if (x > n) {
        return myo_stats_einval(err, "x", "successes (%zu) exceed trials (%zu)",
                                x, n);
    }
    if (myo_stats_check_level(conf_level, "conf_level", err) != MYO_OK) {
        return MYO_EINVAL;
    }
    est = (double)x / dn;
    z = myo_stats_qnorm((1 + conf_level) / 2);
    if (correct) {
        cc = fmin(0.5, fabs((double)x - dn * 0.5));
    }
    z22n = z * z / (2 * dn);
    out->x = x;
    out->n = n;
    out->estimate = est;
    pc = est + cc / dn;
    out->upper =
        pc >= 1 ? 1
                : (pc + z22n + z * sqrt(pc * (1 - pc) / dn + z22n / (2 * dn))) /
                      (1 + 2 * z22n);
    pc = est - cc / dn;
    out->lower =
        pc <= 0 ? 0
                : (pc + z22n - z * sqrt(pc * (1 - pc) / dn + z22n / (2 * dn))) /
                      (1 + 2 * z22n);
    return MYO_OK;
}
