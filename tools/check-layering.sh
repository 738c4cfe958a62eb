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
# validation) uses clinical; store sits on core; accounts (auth) on the
# store; io parses below the store and runs sessions over it; synth writes
# through io; outcome derives from store histories; the patient documents
# and the calculators present outcome and clinical results; analysis
# builds cohorts over outcome and stats; report renders analysis and plot.
order="util stats plot clinical core store auth io synth outcome patientdoc calc analysis report"

rank() { # rank of module $1, or empty when it is not a library module
    i=0
    for m in $order; do
        if [ "$m" = "$1" ]; then
            echo $i
            return
        fi
        i=$((i + 1))
    done
}

# The module a public header belongs to.
public_module() {
    case $1 in
    arena.h | common.h | date.h | status.h) echo util ;;
    clinical.h) echo clinical ;;
    codes.h | model.h | validate.h) echo core ;;
    store.h | queries.h) echo store ;;
    auth.h) echo auth ;;
    io.h | fhir.h | redcap.h) echo io ;;
    *.h) basename "$1" .h ;;
    esac
}

violations=$(mktemp)
trap 'rm -f "$violations" "$violations.found"' EXIT

cd "$root"
for f in src/*/*.c src/*/*.h; do
    [ -f "$f" ] || continue
    dir=${f#src/}
    mod=${dir%%/*}
    grep -n '^[[:space:]]*#[[:space:]]*include' "$f" | while IFS= read -r line; do
        inc=$(printf '%s\n' "$line" | sed -n 's/.*#[[:space:]]*include[[:space:]]*\([<"][^>"]*[>"]\).*/\1/p')
        name=$(printf '%s\n' "$inc" | sed 's/^[<"]//; s/[>"]$//')
        case $mod in
        cli | web)
            case $inc in
            \<myoreg/*\>) continue ;;
            \<*\>) continue ;; # a system header
            \"$mod/*\") continue ;;
            \"*/*\") ;;
            \"*\")
                [ -f "src/$mod/$name" ] && continue ;;
            esac
            echo "$f: $name" >>"$violations"
            continue
            ;;
        esac
        r_self=$(rank "$mod")
        [ -n "$r_self" ] || continue # not a module (banned.h, the prelude)
        case $inc in
        \<myoreg/*\>) other=$(public_module "${name#myoreg/}") ;;
        \"*/*\") other=${name%%/*} ;;
        *) continue ;; # system header, or one of its own folder
        esac
        [ "$other" = "$mod" ] && continue
        r_other=$(rank "$other")
        if [ -z "$r_other" ] || [ "$r_other" -gt "$r_self" ]; then
            echo "$f: $name" >>"$violations"
        fi
    done
done

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
