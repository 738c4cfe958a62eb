# SPDX-License-Identifier: MIT
#
# Shared by the benchmarks' run.sh (sourced, POSIX sh).

# build_release ROOT OUT: build myoreg with the release flags (-O3 -DNDEBUG)
# in OUT/build, so that a benchmark neither depends on nor disturbs the
# developers' builds, and print its path.  -O3 makes gcc warn about code
# the dev build accepts: warnings are not errors here, and they go to
# OUT/build.log, not the results.
build_release() {
    if ! { cmake -S "$1" -B "$2/build" -DCMAKE_BUILD_TYPE=Release \
        -DBUILD_TESTING=OFF -DMYO_WERROR=OFF &&
        cmake --build "$2/build" --target myoreg -j"$(nproc)"; } \
        >"$2/build.log" 2>&1; then
        cat "$2/build.log" >&2
        return 1
    fi
    echo "$2/build/myoreg"
}

# summary FILE: of "secs kb" lines (/usr/bin/time -f '%e %M'), the median
# of the seconds and the largest kb.
summary() {
    sort -n "$1" | awk '{ t[NR] = $1; if ($2 > m) m = $2 }
        END { printf "%s %d\n", t[int((NR + 1) / 2)], m }'
}
