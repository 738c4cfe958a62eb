/* SPDX-License-Identifier: MIT */
/* libFuzzer target: FHIR bulk-data NDJSON, any mix of resource types. */
#include "fuzz_common.h"

#include <myoreg/fhir.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    myo_import_options o = MYO_IMPORT_OPTIONS_INIT;
    myo_diag d;
    myo_error err = MYO_ERROR_INIT;
    const char *path;

    fuzz_setup();
    fuzz_options(&o, &d);
    path = fuzz_file("in.ndjson", data, size);
    (void)myo_import_fhir(fuzz_store, &path, 1, &o, &d, NULL, &err);
    return 0;
}
