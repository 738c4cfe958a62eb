/* SPDX-License-Identifier: MIT */
/*
 * Runs a fuzz target over corpus files without libFuzzer (any compiler):
 * the corpora are regression tests under ctest (label fuzz-corpus).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
    int i;

    for (i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        unsigned char *buf;
        long n;

        if (f == NULL || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
            fseek(f, 0, SEEK_SET) != 0) {
            (void)fprintf(stderr, "%s: cannot read\n", argv[i]);
            return 1;
        }
        buf = malloc((size_t)n + 1);
        if (buf == NULL || fread(buf, 1, (size_t)n, f) != (size_t)n) {
            (void)fprintf(stderr, "%s: cannot read\n", argv[i]);
            return 1;
        }
        (void)fclose(f);
        (void)LLVMFuzzerTestOneInput(buf, (size_t)n);
        free(buf);
    }
    (void)printf("replayed %d inputs\n", argc - 1);
    return 0;
}
