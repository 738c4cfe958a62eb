#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The layering rules of DESIGN.md §2, checked on the #include lines:
#
# 1. A front end (src/cli, src/web) is compiled against include/ only: it
#    may include <myoreg/...> public headers, system headers and its own
#    headers ("cli/x.h" in src/cli, "web/x.h" or a bare "x.h" of its own
#    folder in src/web) — never a library module's private header.
# 2. Data flows one way: a library module includes only its own headers and
#    those (private or public) of modules below it, in the order below.
#
# Known debts are listed in tools/layering-exceptions.txt ("FILE: HEADER"
# per line); the check fails on a violation not listed there and on a
# listed one that is gone, so the list only shrinks.
#
# usage: tools/check-layering.sh [SOURCE_DIR]   (default: the checkout)
set -eu

root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
exceptions=$root/tools/layering-exceptions.txt

# The order of DESIGN.md §2, lowest first: util is the base; stats, plot and
# clinical are pure and need only util; core (model, codes, units,
# validation) uses clinical; store sits on core; accounts (auth) and the
# audit trail's documents (auditdoc) on the store; io parses below the
# store and runs sessions over it; synth writes through io; outcome derives from store histories; the patient documents
# and the calculators present outcome and clinical results; analysis
# builds cohorts over outcome and stats; the biobank (specimens, consent,
# availability) selects with analysis; report renders analysis and plot.
order="util stats plot clinical core store auth auditdoc io synth outcome trial patientdoc calc analysis biobank report"

# The module of each public header: the basics are util's and core's; else
# the folder of its name (store.h: src/store), else the folder of the
# source that defines its first function (consent.h: src/core).
owners=""
for h in "$root"/include/myoreg/*.h; do
    [ -f "$h" ] || continue
    name=$(basename "$h")
    base=${name%.h}
    case $base in
    arena | common | date | status) mod=util ;;
    codes | model | validate) mod=core ;;
    queries) mod=store ;;
    fhir | redcap) mod=io ;;
    *)
        if [ -d "$root/src/$base" ]; then
            mod=$base
        else
            # the folder of the source defining its first function
            fn=$(sed -n 's/^MYO_API [^(]*[ *]\([a-z_0-9]*\)(.*/\1/p' "$h" | head -n 1)
            src=$(grep -l "^[a-z].*[ *]$fn(" "$root"/src/*/*.c 2>/dev/null | head -n 1)
            mod=$(basename "$(dirname "${src:-$root/src/$base/x}")")
        fi
        ;;
    esac
    owners="$owners $name=$mod"
done

violations=$(mktemp)
trap 'rm -f "$violations" "$violations.found"' EXIT

cd "$root"
# One pass over every #include line ("FILE:LINE:TEXT"), judged in awk.
find src -mindepth 2 -maxdepth 2 \( -name '*.c' -o -name '*.h' \) |
    LC_ALL=C sort | xargs grep -H '^[[:space:]]*#[[:space:]]*include' |
    awk -v order="$order" -v owners="$owners" '
function public_module(h) {
    if (h in owner) return owner[h]
    sub(/\.h$/, "", h)
    return h
}
BEGIN {
    n = split(order, mods, " ")
    for (i = 1; i <= n; i++) rank[mods[i]] = i
    n = split(owners, pairs, " ")
    for (i = 1; i <= n; i++) {
        split(pairs[i], kv, "=")
        owner[kv[1]] = kv[2]
    }
}
{
    file = $0
    sub(/:.*/, "", file)
    text = substr($0, length(file) + 2)
    if (!match(text, /[<"][^>"]*[>"]/)) next
    inc = substr(text, RSTART, RLENGTH)
    name = substr(inc, 2, length(inc) - 2)
    split(file, part, "/")
    mod = part[2]
    if (mod == "cli" || mod == "web") {
        if (inc ~ /^</) next                  # public or system header
        if (index(name, mod "/") == 1) next   # its own front end
        if (name !~ /\// && system("test -f src/" mod "/" name) == 0) next
        print file ": " name
        next
    }
    if (!(mod in rank)) next                  # banned.h, the prelude
    if (inc ~ /^<myoreg\//) other = public_module(substr(name, 8))
    else if (inc ~ /^"/ && name ~ /\//) { other = name; sub(/\/.*/, "", other) }
    else next                                 # system, or its own folder
    if (other == mod) next
    if (!(other in rank) || rank[other] > rank[mod]) print file ": " name
}' >"$violations"

status=0
sort -u "$violations" >"$violations.found"
known=$(grep -v '^#' "$exceptions" 2>/dev/null | grep -v '^[[:space:]]*$' | sort -u || true)
new=$(printf '%s\n' "$known" | comm -13 - "$violations.found")
gone=$(printf '%s\n' "$known" | comm -23 - "$violations.found" | grep -v '^$' || true)
if [ -n "$new" ]; then
    echo "check-layering: includes that break DESIGN.md §2 (a front end uses" >&2
    echo "include/myoreg only; a module includes only modules below it):" >&2
    printf '%s\n' "$new" | sed 's/^/  /' >&2
    status=1
fi
if [ -n "$gone" ]; then
    echo "check-layering: fixed, remove from tools/layering-exceptions.txt:" >&2
    printf '%s\n' "$gone" | sed 's/^/  /' >&2
    status=1
fi
if [ $status -eq 0 ]; then
    echo "check-layering: ok ($(printf '%s\n' "$known" | grep -c . || true) known exceptions)"
fi
exit $status
