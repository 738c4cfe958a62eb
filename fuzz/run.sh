#!/bin/sh
# SPDX-License-Identifier: MIT
# Build the libFuzzer targets (clang, library instrumented, ASan + UBSan)
# and run each for SECONDS seconds (default 600) on a copy of its seed
# corpus; a finding (crash, leak, timeout) stops that target and leaves its
# input in build/fuzz/findings/.  Usage: fuzz/run.sh [SECONDS] [TARGET...]
# Logs: build/fuzz/logs/TARGET.log.  Exit status 1 if any target found
# something.  docs/fuzzing.md has the last run's summary.
set -eu
cd "$(dirname "$0")/.."
secs=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-"fhir ndjson csv redcap json redcap_mapping"}
# Warnings are not errors here: clang warns about other modules' code that
# gcc (the dev preset) accepts; the dev and asan builds keep -Werror.
cmake --preset fuzz -DMYO_WERROR=OFF >/dev/null
for t in $targets; do
    cmake --build --preset fuzz --target "fuzz_$t" -j"$(nproc)" >/dev/null
done
mkdir -p build/fuzz/logs build/fuzz/findings
status=0
for t in $targets; do
    work=build/fuzz/corpus-$t
    mkdir -p "$work"
    cp fuzz/corpus/"$t"/* "$work"/ 2>/dev/null || true
    echo "fuzz_$t: ${secs}s"
    if ! build/fuzz/fuzz_"$t" -max_total_time="$secs" -timeout=10 \
        -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
        -artifact_prefix=build/fuzz/findings/"$t"- "$work" \
        >build/fuzz/logs/"$t".log 2>&1; then
        echo "fuzz_$t: FINDING (see build/fuzz/logs/$t.log)"
        status=1
    fi
    grep -E '^#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb' \
        build/fuzz/logs/"$t".log || true
done
exit $status
