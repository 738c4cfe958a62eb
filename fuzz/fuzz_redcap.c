/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: a REDCap records export, read with a fixed data
 * dictionary and mapping (radio, checkbox, dates in three formats, a
 * number with a decimal comma, events and repeating instruments).
 */
#include "fuzz_common.h"

#include <myoreg/redcap.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char dictionary[] =
    "field_name,form_name,section_header,field_type,field_label,"
    "select_choices_or_calculations,field_note,"
    "text_validation_type_or_show_slider_number\n"
    "record_id,demo,,text,ID,,,\n"
    "sex,demo,,radio,Sex,\"1, Female | 2, Male\",,\n"
    "dob,demo,,text,Born,,,date_dmy\n"
    "visit_date,visit,,text,Date,,,date_mdy\n"
    "ck,visit,,text,CK,,,number_comma_decimal\n"
    "signs,visit,,checkbox,Signs,\"1, Rash | 2, Heliotrope\",,\n";

static const char mapping[] =
    "redcap_field,target,code,unit,date_field,values\n"
    "sex,patient.sex,,,,1=female|2=male\n"
    "dob,patient.birth_date,,,,\n"
    "visit_date,visit.date,,,,\n"
    "ck,observation,ck,U/L,,\n"
    "signs___1,observation,rash,,,\n"
    "signs___2,observation,heliotrope,,,\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char dict[128];
    static char map[128];
    myo_import_options o = MYO_IMPORT_OPTIONS_INIT;
    myo_diag d;
    myo_error err = MYO_ERROR_INIT;
    const char *path;

    fuzz_setup();
    if (dict[0] == '\0') {
        (void)snprintf(dict, sizeof(dict), "%s",
                       fuzz_file("dict.csv", (const uint8_t *)dictionary,
                                 sizeof(dictionary) - 1));
        (void)snprintf(map, sizeof(map), "%s",
                       fuzz_file("map.csv", (const uint8_t *)mapping,
                                 sizeof(mapping) - 1));
    }
    fuzz_options(&o, &d);
    path = fuzz_file("records.csv", data, size);
    (void)myo_import_redcap(fuzz_store, &path, 1, dict, map, &o, &d, NULL,
                            &err);
    return 0;
}
