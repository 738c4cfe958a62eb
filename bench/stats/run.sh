#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Statistics benchmark (DESIGN.md section 10): Kaplan-Meier, Kaplan-Meier by
# group, log-rank and Cox (Efron, 3 covariates) on N generated subjects
# (default 1,000,000), myoreg against R's survival on the same CSV in the
# same run.  Reports seconds per analysis, the ratio, peak memory
# (/usr/bin/time -v) and whether the numbers agree to 1e-9.
#
#   bench/stats/run.sh [N]        (needs gcc, libgsl-dev, r-cran-survival)
#
# The driver is compiled here from src/stats and the three util sources it
# uses, with the flags of the release preset (-O3 -DNDEBUG), so that the
# benchmark does not depend on the rest of the tree building.
set -eu

N=${1:-1000000}
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${BENCH_OUT:-${TMPDIR:-/tmp}/myoreg-bench-stats}
mkdir -p "$out"

cc -std=c11 -O3 -DNDEBUG -DMYO_BUILDING_LIBRARY -I"$root/include" \
    -I"$root/src" -o "$out/bench_stats" "$here/bench_stats.c" \
    "$root"/src/stats/*.c "$root/src/util/arena.c" \
    "$root/src/util/alloc.c" "$root/src/util/error.c" \
    $(pkg-config --cflags --libs gsl) -lm

"$out/bench_stats" gen "$N" "$out/data.csv"

/usr/bin/time -v "$out/bench_stats" run "$out/data.csv" "$out/c.txt" \
    >"$out/c.out" 2>"$out/c.time"
/usr/bin/time -v Rscript "$here/bench_stats.R" "$out/data.csv" "$out/c.txt" \
    >"$out/r.out" 2>"$out/r.time"

val() { awk -v k="$1" '$1 == k { print $2 }' "$2"; }
peak() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }
wall() { awk -F': ' '/Elapsed \(wall clock\)/ { print $2 }' "$1"; }

printf 'subjects: %s (events and censorings tied on whole days)\n' "$N"
printf '%-10s %10s %10s %8s\n' step myoreg_s R_s ratio
for k in km km_group logrank cox total; do
    c=$(val "$k" "$out/c.out")
    r=$(val "$k" "$out/r.out")
    printf '%-10s %10s %10s %8s\n' "$k" "$c" "$r" \
        "$(awk -v c="$c" -v r="$r" 'BEGIN { if (c > 0) printf "%.1f", r / c; else print "-" }')"
done
printf 'cox iterations: myoreg %s, R %s; state %s\n' \
    "$(val cox_iter "$out/c.out")" "$(val cox_iter "$out/r.out")" \
    "$(val cox_state "$out/c.out")"
printf 'peak memory (whole process, incl. reading the CSV): myoreg %s MB, R %s MB\n' \
    "$(peak "$out/c.time")" "$(peak "$out/r.time")"
printf 'wall clock (whole process): myoreg %s, R %s\n' \
    "$(wall "$out/c.time")" "$(wall "$out/r.time")"
printf 'largest arena of one analysis (reset between analyses): %s MB\n' "$(val arena_mb "$out/c.out")"
grep -E '^(compared|max_rel_diff|agree)' "$out/r.out"
