/* SPDX-License-Identifier: MIT */
/*
 * The code catalogue (DESIGN.md §4) and UCUM unit conversion.
 *
 * The catalogue is data in one place (src/core/catalogue.c): every measure
 * with its code system, code, short name, value type, canonical unit and
 * plausible range; every drug with its ATC code and common names; the
 * ICD-10 codes of the myositis diagnoses.
 *
 * Units follow UCUM (the Unified Code for Units of Measure, case-sensitive
 * form).  myo_unit_parse understands the UCUM grammar (prefixes, exponents,
 * products, quotients, parentheses, 10*n factors, {annotations}) over the
 * atoms clinical labs use, plus a short list of common non-UCUM spellings
 * ("IU/L", "x10^9/L", "cells/uL", "mm/hr"), which it reports as aliases.
 *
 * Everything here is immutable static data or pure functions: thread-safe.
 */
#ifndef MYOREG_CODES_H
#define MYOREG_CODES_H

#include <myoreg/common.h>
#include <myoreg/status.h>

#include <stdbool.h>
#include <stddef.h>

#define MYO_SYSTEM_LOINC   "http://loinc.org"
#define MYO_SYSTEM_MEASURE "urn:myoreg:measure"
#define MYO_SYSTEM_THERAPY "urn:myoreg:therapy"
#define MYO_SYSTEM_ATC     "http://www.whocc.no/atc"
#define MYO_SYSTEM_ICD10   "http://hl7.org/fhir/sid/icd-10"
#define MYO_SYSTEM_UCUM    "http://unitsofmeasure.org"

/** What kind of value a measure takes. */
typedef enum myo_value_type {
    MYO_VT_QUANTITY, /**< number with a unit, converted to the canonical one */
    MYO_VT_SCORE,    /**< dimensionless number on a fixed scale */
    MYO_VT_BOOL,     /**< present/absent, yes/no, positive/negative */
    MYO_VT_CODED,    /**< one of a short list of codes */
    MYO_VT_GRADE,    /**< MRC muscle grade: 0-5 with +/-, or a range 1-2/5 */
    MYO_VT_TEXT      /**< free text finding (EMG, MRI, biopsy wording) */
} myo_value_type;

typedef struct myo_measure {
    const char *system;
    const char *code;
    const char *name;    /**< short name accepted in place of the code */
    const char *display; /**< human-readable name */
    myo_value_type type;
    const char *unit;   /**< canonical UCUM unit ("" for scores) */
    double min;         /**< plausible range in the canonical unit */
    double max;
    double molar_mass;  /**< g/mol, for mass <-> amount conversion; 0 = n/a */
    const char *const *codes; /**< MYO_VT_CODED: allowed values */
} myo_measure;

/**
 * Find a measure by code (with or without system) or by short name.
 * @param system NULL or "" to accept any system
 * @return static data, or NULL when unknown
 */
MYO_API const myo_measure *myo_measure_find(const char *system,
                                            const char *code);

/** The n-th catalogue entry, or NULL past the end (for listings). */
MYO_API const myo_measure *myo_measure_at(size_t n);

typedef struct myo_drug {
    const char *atc;     /**< ATC code */
    const char *name;    /**< INN */
    const char *aliases; /**< comma-separated abbreviations: "ctx,cyc,cy" */
} myo_drug;

/** Find a drug by ATC code, name or alias (case-insensitive names). */
MYO_API const myo_drug *myo_drug_find(const char *text);

/** The n-th drug, or NULL past the end. */
MYO_API const myo_drug *myo_drug_at(size_t n);

/**
 * Is `site` a body site the catalogue knows (MMT8 muscle groups and limb
 * regions such as "lower-limb-proximal")?
 */
MYO_API bool myo_body_site_known(const char *site);

/** The n-th known body site, or NULL past the end. */
MYO_API const char *myo_body_site_at(size_t n);

/** Default ICD-10 code for a diagnosis kind ("jdm" -> "M33.0"), or NULL. */
MYO_API const char *myo_icd10_for_kind(const char *kind);

/** Base dimensions of a unit: length, mass, time, amount of substance. */
enum { MYO_DIM_L, MYO_DIM_M, MYO_DIM_T, MYO_DIM_N, MYO_DIM_IU, MYO_NDIMS };

/**
 * A parsed unit: value_in_base = value * factor * 10^exp10, with exponents
 * per dimension.  Keeping the power of ten apart makes conversions between
 * decimal multiples exact (12.5 g/dL is exactly 125 g/L, 500 U/L stays 500).
 */
typedef struct myo_unit {
    double factor;
    int exp10;
    signed char dim[MYO_NDIMS];
    bool alias; /**< the text used a non-UCUM spelling */
} myo_unit;

/**
 * Parse a unit.  "" and "1" are dimensionless.
 * On failure fills err->message with the reason and the offending part.
 */
MYO_API myo_status myo_unit_parse(const char *text, myo_unit *out,
                                  myo_error *err);

/** True if both units measure the same kind of quantity. */
MYO_API bool myo_unit_same_dim(const myo_unit *a, const myo_unit *b);

/** Describe a unit's kind of quantity: "mass concentration", ... */
MYO_API const char *myo_unit_kind(const myo_unit *u);

/**
 * Convert a value from one unit text to another.  Mass and amount of
 * substance convert through molar_mass (g/mol) when it is not 0, so
 * creatinine in mg/dL becomes umol/L.  [IU] and U (enzyme units) are treated
 * as the same, as clinical laboratories do.
 * @return MYO_OK, or MYO_EINVAL with err set when the units do not measure
 *         the same kind of quantity, or MYO_EPARSE for an unknown unit
 */
MYO_API myo_status myo_unit_convert(double value,
                                    const char *from,
                                    const char *to,
                                    double molar_mass,
                                    double *out,
                                    myo_error *err);

#endif
