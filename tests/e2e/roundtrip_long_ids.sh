#!/bin/sh
# SPDX-License-Identifier: MIT
# Ids FHIR cannot hold even escaped (docs/fhir.md, "Ids FHIR cannot hold"):
# registry ids of up to 64 characters full of '_' and ':', and an event id
# that "event-" takes over 64, go CSV -> FHIR and NDJSON -> import -> the
# same CSV, the same FHIR files and the same patient JSON.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

# 64 characters each; escaped they are 96 and 69 characters long
P=p_a_b_c_d_e_f_g_h_i_j_k_l_m_n_o_p_q_r_s_t_u_v_w_x_y_z_0_1_2_3_45
V=v12345678901234567890123456789012345678901234567:9-event_1_arm_1
E=e23456789012345678901234567890123456789012345678901234567890
[ ${#P} -eq 64 ] && [ ${#V} -eq 64 ] && [ ${#E} -eq 60 ] || fail "test ids"

mkdir "$T/in"
cat >"$T/in/patients.csv" <<CSV
id,site,sex,birth_date
$P,site_1,female,1980
CSV
cat >"$T/in/visits.csv" <<CSV
id,patient,date,kind
$V,$P,2020-01-02,baseline
CSV
cat >"$T/in/observations.csv" <<CSV
patient,visit,date,code,value,unit
$P,$V,2020-01-02,ck,1200,U/L
CSV
cat >"$T/in/events.csv" <<CSV
id,patient,date,kind,text
$E,$P,2020-03,infection,pneumonia
CSV
"$MYOREG" init >/dev/null
expect_status 0 "$MYOREG" import "$T/in"
expect_status 0 "$MYOREG" export --format csv --out "$T/csv1"
expect_status 0 "$MYOREG" patients --json
cp "$T/out" "$T/patients1.json"
# a patient's JSON apart from provenance (which names the file read)
patient_json() {
    "$MYOREG" --db "$1" patient --json "$P" | sed 's/,"provenance":"[^"]*"//g'
}
patient_json "$MYOREG_DB" >"$T/show1.json"

for fmt in fhir ndjson; do
    out="$T/$fmt-1"
    [ "$fmt" = fhir ] && out="$T/$fmt-1.json"
    expect_status 0 "$MYOREG" export --format $fmt --out "$out"
    # every id written is a FHIR id; the long ones are digest ids with
    # the registry id beside them
    if grep -hoE '"(id|reference)":"[^"]*"' $(find "$out" -type f) |
        sed -E 's/^"(id|reference)":"([A-Za-z]+\/)?//; s/"$//' |
        grep -vqE '^[A-Za-z0-9.-]{1,64}$'; then
        fail "$fmt: an id or reference FHIR cannot hold"
    fi
    expect_grep '"id":"-\.h[0-9a-f]{40}","identifier":\[\{"system":"urn:myoreg:id","value":"'"$V"'"' "$(find "$out" -type f | sort | head -99 | xargs grep -l Encounter | head -1)"
    expect_grep "\"id\":\"event--\\.h[0-9a-f]{40}\"" "$(find "$out" -type f | xargs grep -l '"Condition"' | head -1)"

    db="$T/$fmt.db"
    expect_status 0 "$MYOREG" --db "$db" init
    expect_status 0 "$MYOREG" --db "$db" import "$out"
    expect_grep 'imported 4 records' "$T/out"
    out2="$T/$fmt-2"
    [ "$fmt" = fhir ] && out2="$T/$fmt-2.json"
    expect_status 0 "$MYOREG" --db "$db" export --format $fmt --out "$out2"
    diff -r "$out" "$out2" >"$T/diff" ||
        { fail "$fmt: export -> import -> export differs"; cat "$T/diff" >&2; }
    expect_status 0 "$MYOREG" --db "$db" export --format csv --out "$T/csv-$fmt"
    diff -r "$T/csv1" "$T/csv-$fmt" >"$T/diff" ||
        { fail "$fmt: the CSV after a round trip differs"; cat "$T/diff" >&2; }
    expect_status 0 "$MYOREG" --db "$db" patients --json
    cmp -s "$T/out" "$T/patients1.json" || fail "$fmt: patients --json differs"
    patient_json "$db" >"$T/show2.json"
    cmp -s "$T/show2.json" "$T/show1.json" || fail "$fmt: patient --json differs"
    grep -q '"event_1_arm_1"\|event_1_arm_1' "$T/show2.json" ||
        fail "$fmt: the visit is not in the patient's JSON"
done
finish
