/* SPDX-License-Identifier: MIT */
/* Writing the bundled example data (compiled in by cmake/embed.cmake). */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

/* mkdir -p for the folders of a relative path under dir. */
static int make_parents(char *path, myo_error *err)
{
    char *p;

    for (p = strchr(path + 1, '/'); p != NULL; p = strchr(p + 1, '/')) {
        *p = '\0';
        if (mkdir(path, 0777) != 0 && errno != EEXIST) {
            myo_error_set(err, MYO_EIO, NULL, "%s: could not create: %s",
                          path, strerror(errno));
            *p = '/';
            return -1;
        }
        *p = '/';
    }
    return 0;
}

int cli_write_examples(const char *dir, myo_error *err)
{
    size_t i;

    for (i = 0; i < cli_example_file_count; i++) {
        const cli_example_file *f = &cli_example_files[i];
        char path[4096];
        FILE *out;
        bool ok;

        if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, f->path) >=
            sizeof(path)) {
            myo_error_set(err, MYO_EIO, NULL, "%s: path too long", dir);
            return -1;
        }
        if (make_parents(path, err) != 0) {
            return -1;
        }
        out = fopen(path, "wb");
        if (out == NULL) {
            myo_error_set(err, MYO_EIO, NULL, "%s: could not create: %s", path,
                          strerror(errno));
            return -1;
        }
        ok = fwrite(f->data, 1, f->size, out) == f->size;
        if (fclose(out) != 0 || !ok) {
            myo_error_set(err, MYO_EIO, NULL, "%s: could not write: %s", path,
                          strerror(errno));
            return -1;
        }
    }
    return 0;
}
