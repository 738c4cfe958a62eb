# SPDX-License-Identifier: MIT
# myoreg calc cdasi and mdaat (issue 11, item 4): the worked examples of
# docs/calculators.md, the boundaries, JSON numbers in full, NA and missing
# values, and bad inputs refused with the field named.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

expect_status 0 "$MYOREG" calc --list
expect_grep '^  cdasi ' "$T/out"
expect_grep '^  mdaat ' "$T/out"
for name in cdasi mdaat; do
    expect_status 0 "$MYOREG" calc "$name" --help
    expect_grep '^Inputs' "$T/out"
    expect_grep '^Example: ' "$T/out"
    expect_grep 'Source' "$T/out"
done

# bad NAME ARGS... : exit 1, the field and the rule on stderr, nothing on
# stdout
bad() {
    pattern=$1
    shift
    expect_status 1 "$MYOREG" calc "$@"
    expect_grep "^myoreg calc [a-z]+: $pattern" "$T/err"
    [ ! -s "$T/out" ] || fail "'$*' wrote to stdout on error"
}

# ---- CDASI ----
# The docs example: malar 2+1, V-neck 1, Gottron's on the hands 2 doubled
# (papules) = 4, periungual 1 -> activity 9; V-neck poikiloderma -> damage 1
expect_status 0 "$MYOREG" calc cdasi unlisted=zero areas.malar.erythema=2 \
    areas.malar.scale=1 areas.v_neck.erythema=1 areas.v_neck.poikiloderma=1 \
    gottron_hands_erythema=2 gottron_hands_papules=true periungual=1
expect_grep '^\{"activity":9,"activity_given":9,"activity_max":9,"damage":1,.*"status":"ok"\}$' "$T/out"
# without papules the hand erythema counts once
expect_status 0 "$MYOREG" calc cdasi unlisted=zero gottron_hands_erythema=2 \
    gottron_hands_papules=false
expect_grep '^\{"activity":2,' "$T/out"

# every item at its maximum: exactly 100 and 32
{
    printf '{"areas":{'
    sep=
    for a in scalp malar periorbital rest_of_face v_neck posterior_neck \
        upper_back_shoulders rest_of_back_buttocks abdomen \
        lateral_upper_thigh rest_of_leg_feet arm mechanics_hand \
        dorsum_hands gottron_not_hands; do
        printf '%s"%s":{"erythema":3,"scale":2,"erosion":1,"poikiloderma":1,"calcinosis":1}' "$sep" "$a"
        sep=,
    done
    printf '},"gottron_hands_erythema":3,"gottron_hands_papules":true,'
    printf '"gottron_hands_ulceration":1,"gottron_hands_damage":2,'
    printf '"periungual":2,"alopecia":1}\n'
} >"$T/max.json"
expect_status 0 "$MYOREG" calc cdasi --input "$T/max.json"
expect_grep '^\{"activity":100,.*"damage":32,.*"missing_activity":0,"missing_damage":0,.*"status":"ok"\}$' "$T/out"
# every item at 0
expect_status 0 "$MYOREG" calc cdasi unlisted=zero
expect_grep '^\{"activity":0,"activity_given":0,"activity_max":0,"damage":0,' "$T/out"

# missing items: null scores, the bounds, insufficient
expect_status 0 "$MYOREG" calc cdasi areas.malar.erythema=2 gottron_hands_erythema=1
expect_grep '^\{"activity":null,"activity_given":3,"activity_max":95,"damage":null,"damage_given":0,"damage_max":32,' "$T/out"
expect_grep '"status":"insufficient","reason":"48 activity and 31 damage items not recorded: activity 3-95, damage 0-32"' "$T/out"

# the same case through --ndjson and --csv (nested inputs as dotted columns)
printf '%s\n' '{"id":"a","unlisted":"zero","areas":{"arm":{"erythema":3}}}' \
    '{"id":"b","unlisted":"zero","areas":{"arm":{"erythema":4}}}' >"$T/cases.ndjson"
expect_status 1 "$MYOREG" calc cdasi --ndjson --input "$T/cases.ndjson"
expect_grep '^\{"id":"a","activity":3,' "$T/out"
expect_grep '"field":"areas.arm.erythema","message":"4 is outside 0-3 \(CDASI v2 item range\)"' "$T/out"
cat >"$T/skin.csv" <<'CSV'
patient,areas.scalp.erythema,areas.scalp.scale,periungual
P1,2,1,2
P2,1,,0
CSV
expect_status 0 "$MYOREG" calc cdasi --csv "$T/skin.csv" unlisted=zero
expect_grep '^patient,areas.scalp.erythema,areas.scalp.scale,periungual,activity,' "$T/out"
expect_grep '^P1,2,1,2,5,' "$T/out"
expect_grep '^P2,1,,0,1,' "$T/out"

bad 'areas.scalp.erythema: 4 is outside 0-3 \(CDASI v2 item range\)$' \
    cdasi areas.scalp.erythema=4
bad 'areas.arm.erosion: 2 is outside 0-1 ' cdasi areas.arm.erosion=2
bad 'areas.arm.poikiloderma: 2 is outside 0-1 ' cdasi areas.arm.poikiloderma=2
bad 'gottron_hands_damage: 3 is outside 0-2 ' cdasi gottron_hands_damage=3
bad 'periungual: 3 is outside 0-2 ' cdasi periungual=3
bad 'alopecia: 2 is outside 0-1 ' cdasi alopecia=2
bad 'areas.scalp.erythema: must be a whole number \(0 or more\)$' \
    cdasi areas.scalp.erythema=-1
bad 'areas.scalp.erythema: must be a whole number' cdasi areas.scalp.erythema=1.5
bad 'areas.scalp.redness: unknown field' cdasi areas.scalp.redness=1
bad 'areas.nose: unknown field' cdasi areas.nose.erythema=1
bad 'areas.scalp: must be an object' cdasi areas.scalp=3
bad 'gottron_hands_papules: must be true, false' cdasi gottron_hands_papules=maybe
bad 'unlisted: ' cdasi unlisted=some

# ---- MDAAT ----
expect_status 0 "$MYOREG" calc mdaat myoact.constitutional=2 \
    myoact.cutaneous=4.5 myoact.skeletal=1 myoact.gastrointestinal=0 \
    myoact.pulmonary=3 myoact.cardiac=0 myoact.muscle=6 \
    myoact.extramuscular_global=3.5 mitax.constitutional=C \
    mitax.cutaneous=B mitax.skeletal=C mitax.gastrointestinal=E \
    mitax.pulmonary=B mitax.cardiac=E mitax.muscle=A
expect_grep '"myoact":\{"extramuscular_sum":10\.5,"extramuscular_max":60,"extramuscular_score":0\.175,"assessed":6,' "$T/out"
expect_grep '"muscle":6,"extramuscular_global":3\.5,"status":"ok"\}' "$T/out"
# 17/63 in full: JSON numbers are never rounded
expect_grep '"sum":17,"max":63,"score":0\.2698412698412698,' "$T/out"
expect_grep '"points":\{"constitutional":1,"cutaneous":3,"skeletal":1,"gastrointestinal":0,"pulmonary":3,"cardiac":0,"muscle":9\}' "$T/out"

# boundaries: all 10 cm / all A -> 1; all 0 / all D-E -> 0
expect_status 0 "$MYOREG" calc mdaat myoact.constitutional=10 myoact.cutaneous=10 \
    myoact.skeletal=10 myoact.gastrointestinal=10 myoact.pulmonary=10 \
    myoact.cardiac=10 mitax.constitutional=A mitax.cutaneous=a \
    mitax.skeletal=A mitax.gastrointestinal=A mitax.pulmonary=A \
    mitax.cardiac=A mitax.muscle=A
expect_grep '"extramuscular_sum":60,"extramuscular_max":60,"extramuscular_score":1,' "$T/out"
expect_grep '"sum":63,"max":63,"score":1,' "$T/out"
expect_status 0 "$MYOREG" calc mdaat myoact.constitutional=0 myoact.cutaneous=0 \
    myoact.skeletal=0 myoact.gastrointestinal=0 myoact.pulmonary=0 \
    myoact.cardiac=0 mitax.constitutional=D mitax.cutaneous=E \
    mitax.skeletal=D mitax.gastrointestinal=E mitax.pulmonary=D \
    mitax.cardiac=E mitax.muscle=D
expect_grep '"extramuscular_score":0,' "$T/out"
expect_grep '"sum":0,"max":63,"score":0,' "$T/out"

# NA leaves the maximum (partial); not given is missing (insufficient);
# an organ given as items takes the most active one
expect_status 0 "$MYOREG" calc mdaat myoact.constitutional=2 myoact.cutaneous=4 \
    myoact.skeletal=0 myoact.gastrointestinal=0 myoact.pulmonary=NA \
    myoact.cardiac=na
expect_grep '"extramuscular_sum":6,"extramuscular_max":40,"extramuscular_score":0\.15,"assessed":4,"not_assessable":2,"missing":0,' "$T/out"
expect_grep '"status":"partial"' "$T/out"
expect_status 0 "$MYOREG" calc mdaat myoact.cutaneous=2 'mitax.cutaneous=["D","B","C"]'
expect_grep '"myoact":\{.*"missing":5,.*"status":"insufficient"' "$T/out"
expect_grep '"mitax":\{"points":\{"constitutional":null,"cutaneous":3,' "$T/out"

bad 'myoact.cardiac: 11 is outside 0-10 cm' mdaat myoact.cardiac=11
bad 'myoact.muscle: -0.5 is outside 0-10 cm' mdaat myoact.muscle=-0.5
bad 'myoact.extramuscular_global: 10.5 is outside 0-10 cm' mdaat myoact.extramuscular_global=10.5
bad 'myoact.muscle: must be a number of cm' mdaat myoact.muscle=high
bad 'myoact.renal: unknown field' mdaat myoact.renal=1
bad 'mitax.muscle: must be a MITAX category' mdaat mitax.muscle=F
bad 'mitax.muscle: must be a MITAX category' mdaat 'mitax.muscle=["A","X"]'
bad 'mitax.muscle: must hold 1 to 32' mdaat 'mitax.muscle=[]'
bad 'myoact: give myoact \(organ VAS\) or mitax' mdaat id=1

finish
