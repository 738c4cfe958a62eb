/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the REDCap mapping file (import --mapping), read with
 * a fixed data dictionary and a fixed small records export.  The
 * dictionary is fuzz_redcap.c's (radio, checkbox, D-M-Y and M-D-Y dates,
 * a number with a decimal comma) plus one field for each other target
 * and value kind a mapping can name: death date, site (dropdown), study
 * id, a quantity dated by its own date_field, a score, a yesno and a
 * truefalse finding, a coded measure and a text measure.  The records
 * have a column for every field, events, a repeating instrument, a data
 * access group, labels, missing-data codes and Checked/Unchecked.
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
    "dod,demo,,text,Died,,,date_ymd\n"
    "centre,demo,,dropdown,Centre,\"A, Alpha | B, Beta\",,\n"
    "study,demo,,text,Study id,,,\n"
    "visit_date,visit,,text,Date,,,date_mdy\n"
    "ck,visit,,text,CK,,,number_comma_decimal\n"
    "signs,visit,,checkbox,Signs,\"1, Rash | 2, Heliotrope\",,\n"
    "mmt8,visit,,text,MMT8,,,integer\n"
    "weight,visit,,text,Weight,,,number\n"
    "weighed,visit,,text,Weighed on,,,date_ymd\n"
    "ild,visit,,yesno,ILD,,,\n"
    "fever,visit,,truefalse,Fever,,,\n"
    "school,visit,,dropdown,School,\"1, Normal | 2, Impaired\",,\n"
    "emg,visit,,notes,EMG,,,\n";

static const char records[] =
    "record_id,redcap_event_name,redcap_repeat_instrument,"
    "redcap_repeat_instance,redcap_data_access_group,sex,dob,dod,centre,"
    "study,visit_date,ck,signs___1,signs___2,mmt8,weight,weighed,ild,fever,"
    "school,emg\n"
    "1,baseline_arm_1,,,site_a,1,02-03-2001,,A,S-001,,,,,,,,,,,\n"
    "1,baseline_arm_1,visit,1,site_a,,,,,,04-05-2010,\"1200,5\",1,0,72,"
    "31.5,2010-04-06,1,true,1,\"myopathic, fibrillations\"\n"
    "1,month_6_arm_1,visit,2,site_a,,,,,,10/05/2010,UNK,Checked,Unchecked,"
    "78,NI,,No,0,Impaired,\n"
    "2,baseline_arm_1,,,,Male,NI,2015-07-01,Beta,S-002,,,,,,,,,,,\n"
    "2,month_6_arm_1,,,,,,,,,12/31/2011,\"85,0\",Rash,Heliotrope,80,"
    "40.2,2011-12-30,yes,false,2,normal\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static char dict[128];
    static char recs[128];
    myo_import_options o = MYO_IMPORT_OPTIONS_INIT;
    myo_diag d;
    myo_error err = MYO_ERROR_INIT;
    const char *path;
    const char *map;

    fuzz_setup();
    if (dict[0] == '\0') {
        (void)snprintf(dict, sizeof(dict), "%s",
                       fuzz_file("dict.csv", (const uint8_t *)dictionary,
                                 sizeof(dictionary) - 1));
        (void)snprintf(recs, sizeof(recs), "%s",
                       fuzz_file("records.csv", (const uint8_t *)records,
                                 sizeof(records) - 1));
    }
    fuzz_options(&o, &d);
    map = fuzz_file("map.csv", data, size);
    path = recs;
    (void)myo_import_redcap(fuzz_store, &path, 1, dict, map, &o, &d, NULL,
                            &err);
    return 0;
}
