# SPDX-License-Identifier: MIT
#
# R side of the statistics benchmark (run by run.sh): the same four
# analyses as bench_stats.c on the same CSV, timed with proc.time(), then
# the numbers compared with the C driver's output.
#
#   Rscript bench_stats.R data.csv c_results.txt
suppressPackageStartupMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1])

el <- function(expr) {
    t0 <- proc.time()[["elapsed"]]
    force(expr)
    proc.time()[["elapsed"]] - t0
}
t_km <- el(km <- survfit(Surv(time, status) ~ 1, d, conf.type = "log-log"))
t_kmg <- el(kmg <- survfit(Surv(time, status) ~ group, d,
                           conf.type = "log-log"))
t_lr <- el(lr <- survdiff(Surv(time, status) ~ group, d))
t_cox <- el(cox <- coxph(Surv(time, status) ~ x1 + x2 + x3, d))
cat(sprintf("n %d\nkm %.3f\nkm_group %.3f\nlogrank %.3f\ncox %.3f\ntotal %.3f\ncox_iter %d\n",
            nrow(d), t_km, t_kmg, t_lr, t_cox, t_km + t_kmg + t_lr + t_cox,
            cox$iter))

# ---- the same numbers, keyed as bench_stats.c writes them
r <- list()
curve <- function(name, f) {
    tab <- summary(f)$table
    r[[paste0(name, "/ntimes")]] <<- length(f$time)
    r[[paste0(name, "/median")]] <<- tab[["median"]]
    r[[paste0(name, "/median_lower")]] <<- tab[["0.95LCL"]]
    r[[paste0(name, "/median_upper")]] <<- tab[["0.95UCL"]]
    j <- seq_along(f$time) - 1
    r[paste0(name, "/surv/", j)] <<- as.list(f$surv)
    r[paste0(name, "/std_err/", j)] <<- as.list(f$std.err * f$surv)
    r[paste0(name, "/lower/", j)] <<- as.list(f$lower)
    r[paste0(name, "/upper/", j)] <<- as.list(f$upper)
}
curve("km", km)
for (g in seq_along(kmg$strata)) curve(sprintf("kmg%d", g - 1), kmg[g])
r[paste0("lr/observed/", 0:3)] <- as.list(lr$obs)
r[paste0("lr/expected/", 0:3)] <- as.list(lr$exp)
r[["lr/chisq"]] <- lr$chisq
r[["lr/p"]] <- pchisq(lr$chisq, 3, lower.tail = FALSE)
s <- summary(cox)
r[paste0("cox/coef/", 0:2)] <- as.list(coef(cox))
r[paste0("cox/se/", 0:2)] <- as.list(sqrt(diag(cox$var)))
r[["cox/loglik/0"]] <- cox$loglik[1]
r[["cox/loglik/1"]] <- cox$loglik[2]
r[["cox/lr"]] <- s$logtest[["test"]]
r[["cox/wald"]] <- cox$wald.test
r[["cox/score"]] <- s$sctest[["test"]]

cres <- read.table(args[2], col.names = c("key", "value"),
                   colClasses = c("character", "numeric"))
cval <- setNames(cres$value, cres$key)
missing <- setdiff(names(r), names(cval))
extra <- setdiff(names(cval), names(r))
rv <- unlist(r)
cv <- cval[names(rv)]
same_na <- is.na(rv) & is.na(cv)
rel <- ifelse(same_na, 0, abs(cv - rv) / pmax(1, abs(rv)))
rel[rv == cv] <- 0 # equal infinities
section <- sub("/.*", "", names(rv))
section[grepl("^kmg", section)] <- "km_group"
worst <- tapply(rel, section, max)
cat(sprintf("compared %d numbers; missing in C: %d; extra in C: %d\n",
            length(rv), length(missing), length(extra)))
for (k in names(worst))
    cat(sprintf("max_rel_diff %s %.3g (%d numbers)\n", k, worst[[k]],
                sum(section == k)))
cat(sprintf("agree_1e-9 %s\n",
            if (all(rel <= 1e-9) && length(missing) == 0) "yes" else "NO"))
