/* SPDX-License-Identifier: MIT */
/*
 * The code catalogue: every measure, drug and diagnosis code the registry
 * knows, as data in one place (DESIGN.md §4).
 *
 * Plausible ranges reject values that cannot be real (a typo, a unit mix-up),
 * not values that are merely abnormal: a CK of 100,000 U/L happens in
 * rhabdomyolysis, a haemoglobin of 12,000 g/L does not.  Ranges are in the
 * canonical unit.
 */
#include "myo_internal.h"

#include <myoreg/codes.h>

#include <string.h>

#include "util/text.h"

#define LOINC(code, name, display, unit, lo, hi)                               \
    { MYO_SYSTEM_LOINC, code, name, display, MYO_VT_QUANTITY, unit, lo, hi,    \
      0, NULL }
#define SCORE(code, display, lo, hi)                                           \
    { MYO_SYSTEM_MEASURE, code, code, display, MYO_VT_SCORE, "", lo, hi, 0,    \
      NULL }
#define VAS(code, display)                                                     \
    { MYO_SYSTEM_MEASURE, code, code, display, MYO_VT_QUANTITY, "cm", 0, 10,   \
      0, NULL }
#define FINDING(code, display)                                                 \
    { MYO_SYSTEM_MEASURE, code, code, display, MYO_VT_BOOL, "", 0, 1, 0, NULL }
#define TEXTM(code, display)                                                   \
    { MYO_SYSTEM_MEASURE, code, code, display, MYO_VT_TEXT, "", 0, 0, 0, NULL }

static const char *const school_codes[] = { "normal", "impaired", NULL };

static const myo_measure measures[] = {
    /* Laboratory and vital signs: LOINC, canonical UCUM units (§4). */
    LOINC("2157-6", "ck", "creatine kinase", "U/L", 0, 500000),
    LOINC("13969-1", "ck-mb", "CK-MB mass", "ng/mL", 0, 10000),
    LOINC("1742-6", "alt", "alanine aminotransferase", "U/L", 0, 20000),
    LOINC("1920-8", "ast", "aspartate aminotransferase", "U/L", 0, 20000),
    LOINC("2532-0", "ldh", "lactate dehydrogenase", "U/L", 0, 50000),
    /* a muscle enzyme of the core set (IMACS; issue 11): LOINC as the
     * ARUP, Labcorp and Mayo catalogues give it */
    LOINC("1761-6", "aldolase", "aldolase", "U/L", 0, 10000),
    LOINC("4537-7", "esr", "erythrocyte sedimentation rate (Westergren)",
          "mm/h", 0, 200),
    LOINC("6690-2", "leukocytes", "leukocytes", "10*9/L", 0, 1000),
    LOINC("751-8", "neutrophils", "neutrophils", "10*9/L", 0, 500),
    LOINC("770-8", "neutrophils-pct", "neutrophils/100 leukocytes", "%", 0,
          100),
    LOINC("731-0", "lymphocytes", "lymphocytes", "10*9/L", 0, 1000),
    LOINC("777-3", "platelets", "platelets", "10*9/L", 0, 5000),
    LOINC("718-7", "haemoglobin", "haemoglobin", "g/L", 20, 250),
    LOINC("24467-3", "cd4", "CD3+CD4+ T cells", "/uL", 0, 20000),
    LOINC("14135-8", "cd8", "CD3+CD8+ T cells", "/uL", 0, 20000),
    { MYO_SYSTEM_LOINC, "2160-0", "creatinine", "creatinine",
      MYO_VT_QUANTITY, "umol/L", 5, 3000, 113.12, NULL },
    LOINC("8302-2", "height", "body height", "cm", 20, 250),
    LOINC("29463-7", "weight", "body weight", "kg", 0.3, 400),
    LOINC("39156-5", "bmi", "body mass index", "kg/m2", 5, 100),
    /* Lung function in interstitial lung disease, % of the predicted value
     * (LOINC "FVC measured/predicted" and "Diffusion capacity.carbon
     * monoxide/Predicted", as the MII lung function module codes them).
     * Below 10 % no one breathes unaided; above 200 % is a typo. */
    LOINC("19872-1", "fvc-pct", "forced vital capacity, % predicted", "%",
          10, 200),
    LOINC("98130-8", "dlco-pct",
          "diffusing capacity for carbon monoxide, % predicted", "%", 5,
          200),

    /* Myositis measures: no LOINC code, urn:myoreg:measure (§4). */
    SCORE("mmt8", "manual muscle testing, 8 groups, unilateral (Kendall)", 0,
          80),
    SCORE("mmt8-bilateral", "manual muscle testing, 8 groups, bilateral", 0,
          150),
    { MYO_SYSTEM_MEASURE, "mrc-grade", "mrc-grade",
      "muscle strength, MRC grade (with body site and laterality)",
      MYO_VT_GRADE, "", 0, 5, 0, NULL },
    SCORE("cmas", "childhood myositis assessment scale", 0, 52),
    VAS("phys-global", "physician global activity (VAS)"),
    VAS("patient-global", "patient/parent global activity (VAS)"),
    VAS("extramuscular-global", "extramuscular global activity (VAS)"),
    SCORE("chaq", "childhood health assessment questionnaire", 0, 3),
    SCORE("haq", "health assessment questionnaire", 0, 3),
    SCORE("das-skin", "disease activity score, skin", 0, 9),
    SCORE("das-muscle", "disease activity score, muscle weakness", 0, 11),
    SCORE("das-total", "disease activity score, total", 0, 20),
    SCORE("chq-phs", "child health questionnaire, physical summary", 0, 100),
    /* No LOINC code: the radiologist's visual estimate of the lung volume
     * that interstitial lung disease involves on HRCT, to the nearest 5 %
     * (a global extent score; lower is better). */
    SCORE("hrct-score",
          "HRCT extent of interstitial lung disease, % of lung (visual)", 0,
          100),
    FINDING("rash", "rash"),
    FINDING("heliotrope", "heliotrope rash"),
    FINDING("gottron-papules", "Gottron's papules"),
    FINDING("gottron-sign", "Gottron's sign"),
    FINDING("nailfold-abnormal", "abnormal nailfold capillaries"),
    FINDING("calcinosis", "calcinosis"),
    FINDING("skin-ulcer", "skin ulceration"),
    FINDING("ild", "interstitial lung disease"),
    FINDING("dysphagia", "dysphagia"),
    FINDING("dysphonia", "dysphonia"),
    FINDING("dyspnoea", "dyspnoea"),
    FINDING("fever", "fever"),
    FINDING("symmetric-proximal-weakness", "symmetric proximal weakness"),
    FINDING("emg-myopathic", "myopathic EMG"),
    FINDING("mri-myositis", "muscle MRI showing myositis"),
    FINDING("biopsy-typical", "muscle biopsy typical of myositis"),
    FINDING("ana", "antinuclear antibodies positive"),
    FINDING("anti-jo1", "anti-Jo-1 antibodies positive"),
    FINDING("remission", "clinical remission"),
    FINDING("relapse", "relapse"),
    FINDING("improved", "improved after therapy (investigator's judgement)"),
    { MYO_SYSTEM_MEASURE, "school-performance", "school-performance",
      "school performance", MYO_VT_CODED, "", 0, 0, 0, school_codes },
    TEXTM("emg-finding", "EMG finding (wording of the report)"),
    TEXTM("mri-finding", "muscle MRI finding (wording of the report)"),
    TEXTM("hrct-finding", "lung HRCT finding (wording of the report)"),
    TEXTM("biopsy-finding", "muscle biopsy finding (wording of the report)"),
};

const myo_measure *myo_measure_at(size_t n)
{
    return n < MYO_ARRAY_LEN(measures) ? &measures[n] : NULL;
}

const myo_measure *myo_measure_find(const char *system, const char *code)
{
    size_t i;
    bool any = myo_str_empty(system);

    for (i = 0; i < MYO_ARRAY_LEN(measures); i++) {
        const myo_measure *m = &measures[i];

        if (!any && strcmp(system, m->system) != 0) {
            continue;
        }
        /* the first byte before strcmp: the outcome engine looks measures
         * up by name for every assessment, and most entries differ there */
        if (code[0] == m->code[0] && strcmp(code, m->code) == 0) {
            return m;
        }
        /* Short names are a convenience of hand-written files. */
        if (any && code[0] == m->name[0] && strcmp(code, m->name) == 0) {
            return m;
        }
    }
    return NULL;
}

/* ATC codes from the WHOCC ATC/DDD index; names are INNs. */
static const myo_drug drugs[] = {
    { "H02AB07", "prednisone", "pred" },
    { "H02AB06", "prednisolone", "" },
    { "H02AB04", "methylprednisolone", "mp,ivmp" },
    { "H02AB02", "dexamethasone", "dex,dexa" },
    { "H02AB09", "hydrocortisone", "hc" },
    { "H02AB13", "deflazacort", "dfz" },
    { "L01AA01", "cyclophosphamide", "ctx,cyc,cy" },
    { "L04AX03", "methotrexate", "mtx" },
    { "L01BA01", "methotrexate (antineoplastic)", "" },
    { "L04AD01", "ciclosporin", "csa,cyclosporine,cyclosporin" },
    { "L04AD02", "tacrolimus", "fk506" },
    { "L04AX01", "azathioprine", "aza" },
    { "L04AA06", "mycophenolic acid", "mmf,mycophenolate" },
    { "P01BA02", "hydroxychloroquine", "hcq" },
    { "J06BA02", "immunoglobulins, normal human, intravascular",
      "ivig,immunoglobulin" },
    { "L01FA01", "rituximab", "rtx" },
    { "L04AB02", "infliximab", "ifx" },
    { "L04AA34", "alemtuzumab", "" },
    { "L04AC07", "tocilizumab", "" },
    { "L04AA24", "abatacept", "" },
    { "L04AA29", "tofacitinib", "" },
    { "L04AA37", "baricitinib", "" },
    { "L01EJ01", "ruxolitinib", "" },
    { "L04AA04", "antithymocyte immunoglobulin (rabbit)", "atg,ratg" },
    { "L01AA03", "melphalan", "" },
    { "L01BB05", "fludarabine", "flu" },
    { "L01AB01", "busulfan", "bu" },
    { "L01AD01", "carmustine", "bcnu" },
    { "L01CB01", "etoposide", "" },
    { "L01BC01", "cytarabine", "ara-c" },
    { "L01CA02", "vincristine", "" },
    { "L01DB01", "doxorubicin", "adriamycin" },
    { "L03AA02", "filgrastim", "g-csf,gcsf" },
    { "L03AA10", "lenograstim", "" },
    { "J05AB06", "ganciclovir", "" },
    { "J05AB01", "aciclovir", "acyclovir" },
    { "J02AC01", "fluconazole", "" },
    { "J01EE01", "sulfamethoxazole and trimethoprim",
      "cotrimoxazole,co-trimoxazole,tmp-smx" },
};

const myo_drug *myo_drug_at(size_t n)
{
    return n < MYO_ARRAY_LEN(drugs) ? &drugs[n] : NULL;
}

/* ASCII case-insensitive equality of a[0..n) and the C string b. */
static bool word_eq_ci(const char *a, size_t n, const char *b)
{
    size_t i;

    for (i = 0; i < n; i++) {
        char x = a[i];
        char y = b[i];
        if (y == '\0') {
            return false;
        }
        if (x >= 'A' && x <= 'Z') {
            x = (char)(x - 'A' + 'a');
        }
        if (y >= 'A' && y <= 'Z') {
            y = (char)(y - 'A' + 'a');
        }
        if (x != y) {
            return false;
        }
    }
    return b[n] == '\0';
}

/* Is `text` one of the comma-separated words in `list` (ignoring case)? */
static bool in_list(const char *list, const char *text)
{
    while (*list != '\0') {
        const char *comma = strchr(list, ',');
        size_t len = comma != NULL ? (size_t)(comma - list) : strlen(list);

        if (word_eq_ci(list, len, text)) {
            return true;
        }
        list += len;
        if (*list == ',') {
            list++;
        }
    }
    return false;
}

const myo_drug *myo_drug_find(const char *text)
{
    size_t i;

    for (i = 0; i < MYO_ARRAY_LEN(drugs); i++) {
        if (strcmp(text, drugs[i].atc) == 0) {
            return &drugs[i];
        }
    }
    for (i = 0; i < MYO_ARRAY_LEN(drugs); i++) {
        if (myo_ascii_eq_ci(text, drugs[i].name) ||
            in_list(drugs[i].aliases, text)) {
            return &drugs[i];
        }
    }
    return NULL;
}

/*
 * Body sites: the eight IMACS MMT8 groups (Rider 2010), further muscles of
 * the MMT24, and limb regions as case reports describe weakness.
 */
static const char *const body_sites[] = {
    "neck-flexors",        "neck-extensors",      "deltoid",
    "biceps",              "triceps",             "wrist-extensors",
    "wrist-flexors",       "finger-flexors",      "gluteus-maximus",
    "gluteus-medius",      "hip-flexors",         "hip-adductors",
    "hamstrings",          "quadriceps",          "ankle-dorsiflexors",
    "ankle-plantarflexors", "upper-limb-proximal", "upper-limb-distal",
    "lower-limb-proximal", "lower-limb-distal",   "trunk",
    "blood",               "skin",                "lung",
};

bool myo_body_site_known(const char *site)
{
    size_t i;

    for (i = 0; i < MYO_ARRAY_LEN(body_sites); i++) {
        if (strcmp(site, body_sites[i]) == 0) {
            return true;
        }
    }
    return false;
}

const char *myo_body_site_at(size_t n)
{
    return n < MYO_ARRAY_LEN(body_sites) ? body_sites[n] : NULL;
}

const char *myo_icd10_for_kind(const char *kind)
{
    /* ICD-10 M33: dermatopolymyositis (WHO ICD-10 2019). */
    static const struct {
        const char *kind;
        const char *code;
    } map[] = {
        { "jdm", "M33.0" }, { "dm", "M33.1" }, { "adm", "M33.1" },
        { "pm", "M33.2" },
    };
    size_t i;

    for (i = 0; i < MYO_ARRAY_LEN(map); i++) {
        if (strcmp(kind, map[i].kind) == 0) {
            return map[i].code;
        }
    }
    return NULL;
}
