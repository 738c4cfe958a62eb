/* SPDX-License-Identifier: MIT */
/*
 * libFuzzer target: the fast JSON path of the FHIR reader against jansson.
 * Whatever the fast path accepts, jansson must accept with the same tree
 * (fhir_json.c); a disagreement aborts, so the fuzzer reports it.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "io/fhir_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    json_error_t je;
    json_t *fast = myo_json_fast_load(text, size);
    json_t *ref = json_loadb(text, size, JSON_REJECT_DUPLICATES, &je);

    if (fast != NULL && (ref == NULL || !json_equal(fast, ref))) {
        (void)fprintf(stderr, "fast JSON path disagrees with jansson (%s)\n",
                      ref == NULL ? je.text : "different trees");
        abort();
    }
    json_decref(fast);
    json_decref(ref);
    return 0;
}
