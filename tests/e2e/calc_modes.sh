# SPDX-License-Identifier: MIT
# myoreg calc: JSON on stdin and in a file, key=value, --ndjson, --csv,
# --list and --help, with the worked examples of CLINICAL.md.
. "$MYO_SOURCE_DIR/tests/e2e/lib.sh"

# --list and --help
expect_status 0 "$MYOREG" calc --list
cp "$T/out" "$T/list"
for name in bohan-peter eular-acr-2017 tis imacs-doi printo-improvement \
    printo-inactive mmt8 cmas das bsa pred-equivalent dose dose-check \
    cumulative-cyc engraftment immune-reconstitution growth; do
    expect_grep "^  $name " "$T/list"
    expect_status 0 "$MYOREG" calc "$name" --help
    expect_grep '^Inputs' "$T/out"
    expect_grep '^Example: ' "$T/out"
    expect_grep 'Source' "$T/out"
done
expect_status 0 "$MYOREG" calc --help
expect_grep 'ndjson' "$T/out"

# key=value
expect_status 0 "$MYOREG" calc bsa height_cm=170 weight_kg=70
expect_grep '^\{"bsa_m2":1\.8181186857[0-9]*,"formula":"mosteller","status":"ok"\}$' "$T/out"
expect_status 0 "$MYOREG" calc bsa height_cm=120 weight_kg=22 formula=gehan_george
expect_grep '"bsa_m2":0\.871356321[0-9]*,' "$T/out"   # 0.8714 in CLINICAL.md 8.1
# --json is accepted and JSON numbers are never rounded; hyphen and
# underscore are the same in names (issue 11, item 4)
expect_status 0 "$MYOREG" calc bsa height_cm=170 weight_kg=70 --json
expect_grep '^\{"bsa_m2":1\.81811868[0-9]*,"formula":"mosteller","status":"ok"\}$' "$T/out"
expect_status 0 "$MYOREG" calc bsa height_cm=120 weight_kg=22 formula=gehan-george
expect_grep '"bsa_m2":0\.871356321[0-9]*,"formula":"gehan_george"' "$T/out"
expect_status 0 "$MYOREG" calc bsa height_cm=120 weight_kg=22 formula=Gehan_George
expect_grep '"formula":"gehan_george"' "$T/out"
expect_status 0 "$MYOREG" calc eular_acr_2017 age_at_onset=55 biopsy=true \
    weakness_proximal_upper=true weakness_proximal_lower=true \
    enzymes_elevated=true biopsy_endomysial=true --json
expect_grep '"probability":0\.50249997[0-9]*,' "$T/out"
expect_status 0 "$MYOREG" calc dose-check drug=ATG-Fresenius dose=10 unit=mg/kg/d days=4
expect_grep '"status":"not_applicable"' "$T/out"
expect_status 0 "$MYOREG" calc bohan-peter others_excluded=true weakness=true \
    biopsy=false enzymes=true emg=true rash=false
expect_grep '"classification":"probable PM"' "$T/out"
expect_status 0 "$MYOREG" calc bohan-peter others_excluded=true weakness=true \
    enzymes=true emg=false rash=true
expect_grep '"classification":"probable DM","classification_max":"definite DM"' "$T/out"
expect_grep '"status":"insufficient"' "$T/out"
expect_status 0 "$MYOREG" calc eular-acr-2017 age_at_onset=8 heliotrope=true \
    gottron_papules=true weakness_proximal_upper=true \
    weakness_proximal_lower=true enzymes_elevated=true
expect_grep '"score":8,.*"probability":0\.93523303[0-9]*,.*"category":"definite",.*"subclass":"jdm"' "$T/out"
expect_status 0 "$MYOREG" calc eular-acr-2017 age_at_onset=55 biopsy=true \
    weakness_proximal_upper=true weakness_proximal_lower=true \
    enzymes_elevated=true biopsy_endomysial=true
expect_grep '"score":6.5,.*"probability":0\.50249997[0-9]*,.*"category":"possible"' "$T/out"
# worked example 3: "no skin signs", no finger-flexor weakness
expect_status 0 "$MYOREG" calc eular-acr-2017 age_at_onset=45 anti_jo1=true \
    weakness_proximal_lower=true enzymes_elevated=true heliotrope=false \
    gottron_papules=false gottron_sign=false finger_flexor_weakness=false
expect_grep '"score":8.1,.*"probability":0\.94103298[0-9]*,.*"subclass":"pm".*"biopsy_required":true' "$T/out"
# the same with the skin signs and finger flexors not recorded
expect_status 0 "$MYOREG" calc eular-acr-2017 age_at_onset=45 anti_jo1=true \
    weakness_proximal_lower=true enzymes_elevated=true
expect_grep '"subclass":"undetermined","subclass_candidates":\["dm","ibm","pm"\],' "$T/out"
expect_grep 'not recorded: heliotrope, gottron_papules, gottron_sign, finger_flexor_weakness, response_to_treatment\); subclass is provisional"' "$T/out"
# skin signs with weakness not recorded: dm or adm, not adm (issue 11, item 4)
expect_status 0 "$MYOREG" calc eular-acr-2017 age_at_onset=45 heliotrope=true \
    gottron_papules=true gottron_sign=true
expect_grep '"subclass":"undetermined","subclass_candidates":\["dm","adm"\],' "$T/out"
expect_grep '"status":"insufficient","reason":"subclass undetermined: dm or adm' "$T/out"
expect_status 0 "$MYOREG" calc eular-acr-2017 age_at_onset=45 heliotrope=true \
    gottron_papules=true gottron_sign=true weakness_proximal_upper=false \
    weakness_proximal_lower=false
expect_grep '"subclass":"adm","subclass_candidates":\["adm"\],.*"status":"ok"' "$T/out"
expect_status 0 "$MYOREG" calc printo-inactive ck=120 cmas=50 mmt8=76 phys_global=0.5
expect_grep '"inactive":false,"criteria_met":2' "$T/out"
expect_status 0 "$MYOREG" calc printo-inactive ck=180 cmas=49 mmt8=79 phys_global=0.2
expect_grep '"inactive":true,"criteria_met":3' "$T/out"
expect_status 0 "$MYOREG" calc printo-inactive ck_ukat_l=2.5 cmas=49 mmt8=79
expect_grep '"criteria":\{"ck":true' "$T/out"
expect_status 0 "$MYOREG" calc mmt8 neck_flexors=4+/5 deltoid=8 biceps=10 \
    wrist_extensors=10 gluteus_maximus=7 gluteus_medius=8 quadriceps=9 \
    ankle_dorsiflexors=10
expect_grep '"total":71,' "$T/out"
expect_status 0 "$MYOREG" calc mmt8 neck_flexors=1-2/5 deltoid=3-4/5 biceps=10 \
    wrist_extensors=10 gluteus_maximus=7 gluteus_medius=8 quadriceps=9 \
    ankle_dorsiflexors=10
expect_grep '"total":null,"total_low":59,"total_high":64,' "$T/out"
expect_grep '"status":"insufficient"' "$T/out"
expect_grep '"ambiguous":true' "$T/out"
expect_grep '"neck_flexors":\["T",2\],"deltoid":\[5,8\]' "$T/out"
# the Unicode minus sign (U+2212) as clinicians' software writes it; MRC scale
expect_status 0 "$MYOREG" calc mmt8 neck_flexors=4−/5 deltoid=3+/5 biceps=T \
    wrist_extensors=0 gluteus_maximus=2-/5 gluteus_medius=2+ quadriceps=4 \
    ankle_dorsiflexors=5 scale=mrc
expect_grep '"total":35,' "$T/out"
expect_grep '"neck_flexors":7,"deltoid":6,"biceps":"T","wrist_extensors":0,"gluteus_maximus":1,"gluteus_medius":3,"quadriceps":8,"ankle_dorsiflexors":10' "$T/out"
expect_status 0 "$MYOREG" calc cmas 'items=[4,2,4,3,4,3,3,4,3,4,4,4,3,3]'
expect_grep '"total":48,' "$T/out"
expect_status 0 "$MYOREG" calc das skin=3 muscle=4
expect_grep '"total":7,' "$T/out"
expect_status 0 "$MYOREG" calc pred-equivalent drug=methylprednisolone dose_mg=1000
expect_grep '"pred_eq_mg":1250,"factor":"5/4"' "$T/out"
expect_status 0 "$MYOREG" calc pred-equivalent drug=dexamethasone dose_mg=4
expect_grep '"pred_eq_mg":26\.66666666[0-9]*,' "$T/out"
expect_status 0 "$MYOREG" calc pred-equivalent drug=hydrocortisone dose_mg=100
expect_grep '"pred_eq_mg":25,' "$T/out"
expect_status 0 "$MYOREG" calc pred-equivalent drug=deflazacort dose_mg=30
expect_grep '"pred_eq_mg":25,' "$T/out"
expect_status 0 "$MYOREG" calc dose dose=30 unit=mg/kg weight_kg=45 to=g
expect_grep '"mg":1350,.*"value":1.35,' "$T/out"

# dose-check: seed 000's melphalan, BEAM 140 mg/m2, the IV MP cap
expect_status 0 "$MYOREG" calc dose-check drug=melphalan dose=100 'unit=mg/(kg•d)'
expect_grep '^\{"verdict":"implausible",' "$T/out"
expect_grep '"source":"MEL200 standard' "$T/out"
expect_status 0 "$MYOREG" calc dose-check drug=melphalan dose=140 unit=mg/m2
expect_grep '^\{"verdict":"ok",' "$T/out"
expect_status 0 "$MYOREG" calc dose-check drug=methylprednisolone context=pulse \
    dose=30 unit=mg/kg weight_kg=45
expect_grep '"verdict":"warn",.*"capped":true,"capped_mg":1000' "$T/out"
expect_status 0 "$MYOREG" calc dose-check drug=thymoglobulin dose=3.5 unit=mg/kg/d days=3
expect_grep '"verdict":"warn"' "$T/out"
expect_status 0 "$MYOREG" calc engraftment \
    'anc=[[9,0.3],[10,0.6],[11,0.55],[12,0.45],[13,0.7],[14,0.9],[15,1.2]]' \
    'platelets=[[18,15],[19,22],[20,25],[21,31],[22,40],[23,42],[24,45],[25,50]]' \
    'platelet_transfusions=[16]'
expect_grep '"neutrophils":\{"engrafted":true,"day":13,' "$T/out"
expect_grep '"platelets":\{"engrafted":true,"day":23,' "$T/out"
# counting starts at the nadir (issue 11, item 4): days 1-3 come before it
expect_status 0 "$MYOREG" calc engraftment \
    'anc=[[0,0.45],[1,0.6],[2,0.55],[3,0.5],[4,0.2],[5,0],[6,0],[7,0.1],[8,0.6],[9,0.8],[10,1.1]]'
expect_grep '"neutrophils":\{"engrafted":true,"day":8,"nadir":0,"nadir_day":5,' "$T/out"
expect_grep '"nadir_window_days":42,' "$T/out"
expect_grep 'a run from day \+1 came before the nadir on day \+5' "$T/out"
# ANC from WBC x neutrophil %
expect_status 0 "$MYOREG" calc engraftment 'wbc=[[1,0.5],[2,1.2],[3,1.5],[4,2]]' \
    'neutrophil_pct=[[1,20],[2,45],[3,40],[4,50]]'
expect_grep '"neutrophils":\{"engrafted":true,"day":2,' "$T/out"

# JSON in a file and on stdin (TIS examples A and B of CLINICAL.md 3.6)
cat >"$T/a.json" <<'JSON'
{"population": "adult",
 "baseline": {"phys_global": 6.0, "patient_global": 7.0, "mmt": 60, "haq": 1.5,
              "ck": 3000, "extramuscular": 4.0},
 "followup": {"phys_global": 3.0, "patient_global": 5.0, "mmt": 68, "haq": 1.0,
              "ck": 600, "extramuscular": 2.0}}
JSON
expect_status 0 "$MYOREG" calc tis --input "$T/a.json"
expect_grep '"score":60,.*"level":"major"' "$T/out"
expect_status 2 "$MYOREG" calc tis --json --csv "$T/a.json"
expect_status 0 "$MYOREG" calc tis --input "$T/a.json" population=jdm
expect_grep '"score":60,.*"level":"moderate"' "$T/out"
expect_status 0 "$MYOREG" calc tis --input "$T/a.json" --pretty
expect_grep '^  "score": 60,$' "$T/out"
echo '{"population":"jdm","baseline":{"phys_global":5,"patient_global":4,"cmas":30,"chaq":1.25,"ck":900,"extramuscular":3},"followup":{"phys_global":1.5,"patient_global":3,"cmas":40,"chaq":0.5,"ck":300,"extramuscular":2.6}}' \
    | "$MYOREG" calc tis >"$T/b.out" || fail "tis on stdin failed"
expect_grep '"score":55,.*"level":"moderate"' "$T/b.out"
echo '{"baseline":{"phys_global":5,"patient_global":6,"mmt":60,"haq":1,"ck":1200,"extramuscular":2},"followup":{"phys_global":3,"patient_global":5,"mmt":66,"haq":0.75,"ck":700,"extramuscular":3}}' \
    | "$MYOREG" calc imacs-doi >"$T/doi.out" || fail "imacs-doi failed"
expect_grep '"met":true,.*"improved":3,"worsened":1' "$T/doi.out"
# MMT at baseline, CMAS at follow-up: not comparable, not an error; aldolase
# is a muscle enzyme (issue 11, item 4)
expect_status 0 "$MYOREG" calc tis population=jdm baseline.phys_global=6 \
    baseline.mmt=60 followup.phys_global=3 followup.cmas=40
expect_grep '"muscle":null,.*"status":"insufficient",.*muscle: mmt at baseline, cmas at follow-up: not comparable' "$T/out"
expect_status 0 "$MYOREG" calc imacs-doi baseline.phys_global=6 baseline.mmt=60 \
    baseline.ck=900 baseline.ck_uln=200 baseline.aldolase=35 \
    baseline.aldolase_uln=7 followup.phys_global=3 followup.mmt=60 \
    followup.ck=800 followup.aldolase=7
expect_grep '"enzyme":"aldolase"' "$T/out"
echo '{"baseline":{"phys_global":6,"patient_global":5,"cmas":28,"chaq":1.5,"das":12,"chq_phs":35},"followup":{"phys_global":2,"patient_global":3,"cmas":44,"chaq":1,"das":6,"chq_phs":32}}' \
    | "$MYOREG" calc printo-improvement >"$T/pr.out" || fail "printo failed"
expect_grep '"printo_20":true,.*"printo_50":true,.*"printo_70":false' "$T/pr.out"
echo '{"sex":"male","weight_kg":30,"bsa_m2":1,"doses":[{"dose":750,"unit":"mg/m2","times":6},{"dose":200,"unit":"mg/kg"}]}' \
    | "$MYOREG" calc cumulative-cyc >"$T/cyc.out" || fail "cumulative-cyc failed"
expect_grep '"total_g_per_m2":10.5,.*"risk":"high"' "$T/cyc.out"
# sex unknown: both readings and the status says so (issue 11, item 4)
echo '{"sex":"unknown","weight_kg":30,"bsa_m2":1,"doses":[{"dose":750,"unit":"mg/m2","times":6},{"dose":200,"unit":"mg/kg"}]}' \
    | "$MYOREG" calc cumulative-cyc >"$T/cyc.out" || fail "cumulative-cyc failed"
expect_grep '"if_male":\{"risk":"high","note":"males: ' "$T/cyc.out"
expect_grep '"if_female":\{"risk":null,"note":"females: ' "$T/cyc.out"
expect_grep '"status":"insufficient","reason":"sex unknown: ' "$T/cyc.out"
echo '{"age_years":5,"series":[{"day":30,"cd4":100,"cd8":200},{"day":90,"cd4":750,"cd8":600},{"day":120,"cd4":800,"cd8":700}]}' \
    | "$MYOREG" calc immune-reconstitution >"$T/ir.out" || fail "immune failed"
expect_grep '"reconstituted":true,"day":90,' "$T/ir.out"

# --ndjson: one result per line, ids kept, a bad line reported and skipped
printf '%s\n' '{"id":"a","height_cm":170,"weight_kg":70}' '' \
    '{"id":"b","height_cm":20,"weight_kg":70}' \
    '{"id":"c","height_cm":120,"weight_kg":22}' >"$T/in.ndjson"
expect_status 1 "$MYOREG" calc bsa --ndjson --input "$T/in.ndjson" formula=dubois
[ "$(wc -l <"$T/out")" -eq 3 ] || fail "ndjson: expected 3 output lines"
expect_grep '^\{"id":"a","bsa_m2":1\.8097078017[0-9]*,"formula":"dubois","status":"ok"\}$' "$T/out"
expect_grep '^\{"id":"b","line":3,"error":\{"field":"height_cm",' "$T/out"
expect_grep '^\{"id":"c","bsa_m2":0\.8596117958[0-9]*,' "$T/out"
expect_grep 'in.ndjson:3: height_cm: 20 is outside 30-250 cm' "$T/err"
printf '%s\n' '{"height_cm":170,"weight_kg":70}' | "$MYOREG" calc bsa --ndjson \
    >"$T/nd.out" || fail "ndjson on stdin failed"
expect_grep '"bsa_m2":1\.8181186857' "$T/nd.out"

# --csv: result columns added to every row; passthrough columns kept
cat >"$T/cohort.csv" <<'CSV'
patient,visit,baseline.phys_global,baseline.mmt,followup.phys_global,followup.mmt,baseline.haq,followup.haq
A,6m,6,60,3,68,1.5,1.0
B,6m,5,50,4.5,52,,
CSV
expect_status 0 "$MYOREG" calc tis --csv "$T/cohort.csv" population=adult
expect_grep '^patient,visit,baseline.phys_global,.*,score,score_max,level,' "$T/out"
expect_grep '^A,6m,6,60,3,68,1.5,1.0,adult,35,' "$T/out"
expect_grep '^B,6m,5,50,4.5,52,,,adult,10,' "$T/out"
[ "$(wc -l <"$T/out")" -eq 3 ] || fail "csv: expected 3 lines"
cat >"$T/people.csv" <<'CSV'
id,height_cm,weight_kg,note
1,170,70,"adult, typical"
2,300,70,bad height
3,50,3.5,newborn
CSV
expect_status 1 "$MYOREG" calc bsa --csv "$T/people.csv" formula=haycock
expect_grep '^1,170,70,"adult, typical",1,1\.8256771247[0-9]*,haycock,ok,$' "$T/out"
expect_grep '^2,300,70,bad height,,,,error,height_cm: 300 is outside 30-250 cm$' "$T/out"
expect_grep '^3,50,3.5,newborn,3,0\.2244149574[0-9]*,haycock,ok,$' "$T/out"
expect_grep 'people.csv:3: height_cm: 300 is outside' "$T/err"

finish
