# SPDX-License-Identifier: MIT
# The round trip of issue 12, item 1, shared by the tests that run it
# (sourced after lib.sh, not run by CTest): tests/e2e/roundtrip_conformance.sh
# and tests/e2e/roundtrip_redcap_projects.sh.

# source NAME IMPORT-ARGS...: a registry NAME.db from third-party files
source_db() {
    name=$1
    shift
    "$MYOREG" --db "$T/$name.db" init >/dev/null
    expect_status 0 "$MYOREG" --db "$T/$name.db" import "$@"
}

# The export's path for a format: a file for fhir and xlsx, else a folder.
out_path() {
    case $2 in
    fhir) echo "$1.json" ;;
    xlsx) echo "$1.xlsx" ;;
    *) echo "$1" ;;
    esac
}

# The import arguments that read an export back.
import_args() {
    case $2 in
    redcap) echo "--dictionary $1/dictionary.csv --mapping $1/mapping.csv $1/records.csv" ;;
    *) echo "$1" ;;
    esac
}

# patient_json DB ID...: the patients' JSON documents without provenance
patient_json() {
    db=$1
    shift
    "$MYOREG" --db "$db" patient --json "$@" | sed 's/,"provenance":"[^"]*"//g'
}

# roundtrip NAME FORMAT [EMPTY]: export -> import into an empty registry
# -> export gives identical files, and `patient ID --json` of every
# patient (without provenance) and the sites are the same in both
# registries.  A registry without patients fails the check unless EMPTY
# is "empty" (a project exported without records).
roundtrip() {
    name=$1
    fmt=$2
    empty=${3:-}
    w=$T/rt-$name-$fmt
    mkdir -p "$w"
    a=$(out_path "$w/a" "$fmt")
    b=$(out_path "$w/b" "$fmt")
    expect_status 0 "$MYOREG" --db "$T/$name.db" export --format "$fmt" --out "$a"
    expect_status 0 "$MYOREG" --db "$w/b.db" init
    # shellcheck disable=SC2046 # the arguments are paths without spaces
    expect_status 0 "$MYOREG" --db "$w/b.db" import $(import_args "$a" "$fmt")
    expect_status 0 "$MYOREG" --db "$w/b.db" export --format "$fmt" --out "$b"
    if ! diff -r "$a" "$b" >"$w/diff"; then
        fail "$name $fmt: export -> import -> export differs"
        head -20 "$w/diff" >&2
    fi
    # every patient's document, in one process per registry (the source's
    # read once for all formats)
    ids=$(sqlite3 "$T/$name.db" "SELECT id FROM patients ORDER BY id")
    n=$(printf '%s' "$ids" | grep -c . || true)
    pa=$T/pj-$name.json
    differ=0
    if [ "$n" -gt 0 ]; then
        # shellcheck disable=SC2086 # ids are words without spaces
        [ -f "$pa" ] || patient_json "$T/$name.db" $ids >"$pa"
        # shellcheck disable=SC2086
        patient_json "$w/b.db" $ids >"$w/pb.json"
        [ "$(grep -c '^{' "$pa")" -eq "$n" ] ||
            fail "$name: $n patients but $(grep -c '^{' "$pa") documents"
        if ! cmp -s "$pa" "$w/pb.json"; then
            differ=$(diff "$pa" "$w/pb.json" | grep -c '^<' || true)
            diff "$pa" "$w/pb.json" | head -20 >&2
        fi
    fi
    [ "$n" -gt 0 ] || [ "$empty" = empty ] || fail "$name: no patients to compare"
    # sites and their names: all of them, except in REDCap, whose data
    # access groups are those of patients (docs/redcap.md)
    q="SELECT id, name FROM sites ORDER BY id"
    [ "$fmt" != redcap ] ||
        q="SELECT id, name FROM sites WHERE id IN (SELECT site FROM patients) ORDER BY id"
    if [ "$(sqlite3 "$T/$name.db" "$q")" != "$(sqlite3 "$w/b.db" "$q")" ]; then
        fail "$name $fmt: the sites differ between the registries"
    fi
    [ "$differ" -eq 0 ] || fail "$name $fmt: the patients' documents differ between the registries ($differ lines of $n patients)"
}
