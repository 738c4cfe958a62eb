/* SPDX-License-Identifier: MIT */
/*
 * Tables between registry values and FHIR codes: resource types of R4,
 * routes, specimen types, myositis diagnoses and dosing frequencies.
 */
#include "myo_internal.h"

#include "io/fhir_int.h"

#include <myoreg/codes.h>

#include <string.h>

/* Every resource type of FHIR R4 (4.0.1), sorted for bsearch. */
static const char *const r4_types[] = {
    "Account", "ActivityDefinition", "AdverseEvent", "AllergyIntolerance",
    "Appointment", "AppointmentResponse", "AuditEvent", "Basic", "Binary",
    "BiologicallyDerivedProduct", "BodyStructure", "Bundle",
    "CapabilityStatement", "CarePlan", "CareTeam", "CatalogEntry",
    "ChargeItem", "ChargeItemDefinition", "Claim", "ClaimResponse",
    "ClinicalImpression", "CodeSystem", "Communication",
    "CommunicationRequest", "CompartmentDefinition", "Composition",
    "ConceptMap", "Condition", "Consent", "Contract", "Coverage",
    "CoverageEligibilityRequest", "CoverageEligibilityResponse",
    "DetectedIssue", "Device", "DeviceDefinition", "DeviceMetric",
    "DeviceRequest", "DeviceUseStatement", "DiagnosticReport",
    "DocumentManifest", "DocumentReference", "EffectEvidenceSynthesis",
    "Encounter", "Endpoint", "EnrollmentRequest", "EnrollmentResponse",
    "EpisodeOfCare", "EventDefinition", "Evidence", "EvidenceVariable",
    "ExampleScenario", "ExplanationOfBenefit", "FamilyMemberHistory", "Flag",
    "Goal", "GraphDefinition", "Group", "GuidanceResponse",
    "HealthcareService", "ImagingStudy", "Immunization",
    "ImmunizationEvaluation", "ImmunizationRecommendation",
    "ImplementationGuide", "InsurancePlan", "Invoice", "Library", "Linkage",
    "List", "Location", "Measure", "MeasureReport", "Media", "Medication",
    "MedicationAdministration", "MedicationDispense", "MedicationKnowledge",
    "MedicationRequest", "MedicationStatement", "MedicinalProduct",
    "MedicinalProductAuthorization", "MedicinalProductContraindication",
    "MedicinalProductIndication", "MedicinalProductIngredient",
    "MedicinalProductInteraction", "MedicinalProductManufactured",
    "MedicinalProductPackaged", "MedicinalProductPharmaceutical",
    "MedicinalProductUndesirableEffect", "MessageDefinition",
    "MessageHeader", "MolecularSequence", "NamingSystem", "NutritionOrder",
    "Observation", "ObservationDefinition", "OperationDefinition",
    "OperationOutcome", "Organization", "OrganizationAffiliation",
    "Parameters", "Patient", "PaymentNotice", "PaymentReconciliation",
    "Person", "PlanDefinition", "Practitioner", "PractitionerRole",
    "Procedure", "Provenance", "Questionnaire", "QuestionnaireResponse",
    "RelatedPerson", "RequestGroup", "ResearchDefinition",
    "ResearchElementDefinition", "ResearchStudy", "ResearchSubject",
    "RiskAssessment", "RiskEvidenceSynthesis", "Schedule", "SearchParameter",
    "ServiceRequest", "Slot", "Specimen", "SpecimenDefinition",
    "StructureDefinition", "StructureMap", "Subscription", "Substance",
    "SubstanceNucleicAcid", "SubstancePolymer", "SubstanceProtein",
    "SubstanceReferenceInformation", "SubstanceSourceMaterial",
    "SubstanceSpecification", "SupplyDelivery", "SupplyRequest", "Task",
    "TerminologyCapabilities", "TestReport", "TestScript", "ValueSet",
    "VerificationResult", "VisionPrescription",
};

static int cmp_name(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

bool myo_fhir_is_r4_type(const char *name)
{
    return bsearch(name, r4_types, MYO_ARRAY_LEN(r4_types),
                   sizeof(r4_types[0]), cmp_name) != NULL;
}

typedef struct pair {
    const char *ours;
    const char *theirs;
} pair;

/* SNOMED CT route of administration codes (qualifier values). */
static const pair routes[] = {
    { "iv", "47625008" },     { "po", "26643006" },  { "sc", "34206005" },
    { "im", "78421000" },     { "inhaled", "447694001" },
    { "topical", "6064005" },
};

static const char *lookup(const pair *t, size_t n, const char *key,
                          bool reverse)
{
    size_t i;

    if (key == NULL) {
        return NULL;
    }
    for (i = 0; i < n; i++) {
        if (strcmp(reverse ? t[i].theirs : t[i].ours, key) == 0) {
            return reverse ? t[i].ours : t[i].theirs;
        }
    }
    return NULL;
}

const char *myo_fhir_route_snomed(const char *route)
{
    return lookup(routes, MYO_ARRAY_LEN(routes), route, false);
}

const char *myo_fhir_route_from_snomed(const char *code)
{
    return lookup(routes, MYO_ARRAY_LEN(routes), code, true);
}

/* HL7 v2 table 0487 (specimen type). */
static const pair specimen_v2[] = {
    { "serum", "SER" }, { "plasma", "PLAS" }, { "whole-blood", "BLD" },
    { "pbmc", "PBMC" }, { "dna", "DNA" },     { "rna", "RNA" },
    { "muscle", "TISS" }, { "skin", "SKN" },  { "urine", "UR" },
    { "csf", "CSF" },
};

/* SNOMED CT specimen types seen in EHR exports. */
static const pair specimen_snomed[] = {
    { "serum", "119364003" },       { "plasma", "119361006" },
    { "whole-blood", "119297000" }, { "whole-blood", "122555007" },
    { "urine", "122575003" },       { "csf", "258450006" },
    { "muscle", "309501002" },      { "skin", "309066003" },
};

const char *myo_fhir_specimen_v2(const char *type)
{
    return lookup(specimen_v2, MYO_ARRAY_LEN(specimen_v2), type, false);
}

const char *myo_fhir_specimen_from_code(const char *system, const char *code)
{
    if (system == NULL || code == NULL) {
        return NULL;
    }
    if (strcmp(system, MYO_FHIR_SYS_V2_0487) == 0) {
        /* TISS is any tissue: only our own export means muscle by it. */
        return strcmp(code, "TISS") == 0
                   ? NULL
                   : lookup(specimen_v2, MYO_ARRAY_LEN(specimen_v2), code,
                            true);
    }
    if (strcmp(system, MYO_FHIR_SYS_SNOMED) == 0) {
        return lookup(specimen_snomed, MYO_ARRAY_LEN(specimen_snomed), code,
                      true);
    }
    return NULL;
}

/* ICD-10 (WHO 2019) and SNOMED CT codes of the myositis diagnoses. */
static const pair icd10_kinds[] = {
    { "jdm", "M33.0" }, { "dm", "M33.1" }, { "pm", "M33.2" },
    { "other", "M33.9" },
};
static const pair snomed_kinds[] = {
    { "dm", "396230008" }, /* dermatomyositis (disorder) */
    { "pm", "31384009" },  /* polymyositis (disorder) */
};

const char *myo_fhir_diagnosis_kind(const char *system, const char *code)
{
    if (system == NULL || code == NULL) {
        return NULL;
    }
    if (strcmp(system, MYO_SYSTEM_ICD10) == 0) {
        return lookup(icd10_kinds, MYO_ARRAY_LEN(icd10_kinds), code, true);
    }
    if (strcmp(system, MYO_FHIR_SYS_SNOMED) == 0) {
        return lookup(snomed_kinds, MYO_ARRAY_LEN(snomed_kinds), code, true);
    }
    return NULL;
}

/* frequency x per period periodUnit; count 1 = a single administration. */
typedef struct timing {
    const char *freq;
    int count;
    int frequency;
    int period;
    const char *unit;
} timing;

static const timing timings[] = {
    { "once", 1, 0, 0, NULL },    { "daily", 0, 1, 1, "d" },
    { "bid", 0, 2, 1, "d" },      { "tid", 0, 3, 1, "d" },
    { "qid", 0, 4, 1, "d" },      { "weekly", 0, 1, 1, "wk" },
    { "monthly", 0, 1, 1, "mo" },
};

bool myo_fhir_frequency_timing(const char *freq, int *count, int *frequency,
                               int *period, const char **unit)
{
    size_t i;
    char u;
    int n = 0;
    const char *p;

    for (i = 0; i < MYO_ARRAY_LEN(timings); i++) {
        if (strcmp(freq, timings[i].freq) == 0) {
            *count = timings[i].count;
            *frequency = timings[i].frequency;
            *period = timings[i].period;
            *unit = timings[i].unit;
            return true;
        }
    }
    /* qNh, qNd, qNw: once every N hours, days or weeks */
    if (freq[0] != 'q') {
        return false;
    }
    for (p = freq + 1; *p >= '0' && *p <= '9' && n < 100000; p++) {
        n = n * 10 + (*p - '0');
    }
    u = *p;
    if (p == freq + 1 || p[1] != '\0' || (u != 'h' && u != 'd' && u != 'w')) {
        return false;
    }
    *count = 0;
    *frequency = 1;
    *period = n;
    *unit = u == 'h' ? "h" : u == 'd' ? "d" : "wk";
    return true;
}

const char *myo_fhir_frequency_from_timing(long frequency, double period,
                                           const char *unit, char *buf,
                                           size_t size)
{
    size_t i;
    long p = (long)period;

    if (unit == NULL || frequency < 1 || period < 1 || period > 1000 ||
        (double)p != period) {
        return NULL;
    }
    for (i = 1; i < MYO_ARRAY_LEN(timings); i++) {
        if (timings[i].frequency == frequency && timings[i].period == p &&
            strcmp(timings[i].unit, unit) == 0) {
            return timings[i].freq;
        }
    }
    if (frequency != 1 || (strcmp(unit, "h") != 0 && strcmp(unit, "d") != 0 &&
                           strcmp(unit, "wk") != 0)) {
        return NULL;
    }
    (void)snprintf(buf, size, "q%ld%c", p, unit[0] == 'w' ? 'w' : unit[0]);
    return buf;
}
