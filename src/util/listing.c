/* SPDX-License-Identifier: MIT */
/* Text tables whose columns fit their widest cell (myoreg/listing.h). */
#include "myo_internal.h"

#include <myoreg/arena.h>
#include <myoreg/listing.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct myo_listing {
    myo_listing_column *columns;
    size_t ncols;
    myo_arena *text;    /* the cells */
    const char **cells; /* nrows * ncols */
    size_t nrows;
    size_t cap; /* rows */
};

myo_listing *myo_listing_new(const myo_listing_column *columns, size_t n)
{
    myo_listing *t = calloc(1, sizeof(*t));

    if (t == NULL || n == 0) {
        free(t);
        return NULL;
    }
    t->columns = calloc(n, sizeof(*t->columns));
    t->text = myo_arena_new(0);
    if (t->columns == NULL || t->text == NULL) {
        myo_listing_free(t);
        return NULL;
    }
    memcpy(t->columns, columns, n * sizeof(*columns));
    t->ncols = n;
    return t;
}

myo_status myo_listing_row(myo_listing *t, const char *const *cells)
{
    size_t c;

    if (t->nrows == t->cap) {
        size_t cap = t->cap == 0 ? 64 : t->cap * 2;
        const char **grown =
            cap > SIZE_MAX / t->ncols / sizeof(*grown)
                ? NULL
                : realloc((void *)t->cells, cap * t->ncols * sizeof(*grown));

        if (grown == NULL) {
            return MYO_ENOMEM;
        }
        t->cells = grown;
        t->cap = cap;
    }
    for (c = 0; c < t->ncols; c++) {
        const char *s = cells[c] != NULL ? cells[c] : "-";
        const char *copy = myo_arena_strdup(t->text, s);

        if (copy == NULL) {
            return MYO_ENOMEM;
        }
        t->cells[t->nrows * t->ncols + c] = copy;
    }
    t->nrows++;
    return MYO_OK;
}

/* Width on a terminal: UTF-8 continuation bytes do not count. */
static size_t text_width(const char *s)
{
    size_t w = 0;

    for (; *s != '\0'; s++) {
        w += ((unsigned char)*s & 0xC0U) != 0x80U;
    }
    return w;
}

static void print_line(const myo_listing *t,
                       const char *const *cells,
                       const size_t *width,
                       FILE *f)
{
    size_t c;

    for (c = 0; c < t->ncols; c++) {
        const myo_listing_column *col = &t->columns[c];
        const char *s = cells[c] != NULL ? cells[c] : "";
        size_t w = text_width(s);
        int pad = (int)(width[c] > w ? width[c] - w : 0);
        bool last = c + 1 == t->ncols;

        if (col->right) {
            (void)fprintf(f, "%*s%s", pad, "", s);
        } else if (last) {
            (void)fputs(s, f);
        } else {
            (void)fprintf(f, "%s%*s", s, pad, "");
        }
        if (!last) {
            (void)fputs(col->gap != NULL ? col->gap : " ", f);
        }
    }
    (void)fputc('\n', f);
}

void myo_listing_print(const myo_listing *t, FILE *f)
{
    size_t *width = calloc(t->ncols, sizeof(*width));
    const char **titles = calloc(t->ncols, sizeof(*titles));
    bool header = false;
    size_t c;
    size_t r;

    if (width == NULL || titles == NULL) {
        free(width);
        free((void *)titles);
        return;
    }
    for (c = 0; c < t->ncols; c++) {
        const myo_listing_column *col = &t->columns[c];

        titles[c] = col->title;
        header = header || col->title != NULL;
        width[c] = col->min_width;
        if (col->title != NULL && text_width(col->title) > width[c]) {
            width[c] = text_width(col->title);
        }
        for (r = 0; r < t->nrows; r++) {
            size_t w = text_width(t->cells[r * t->ncols + c]);

            width[c] = w > width[c] ? w : width[c];
        }
    }
    if (header) {
        print_line(t, titles, width, f);
    }
    for (r = 0; r < t->nrows; r++) {
        print_line(t, &t->cells[r * t->ncols], width, f);
    }
    free(width);
    free((void *)titles);
}

void myo_listing_free(myo_listing *t)
{
    if (t == NULL) {
        return;
    }
    free(t->columns);
    free((void *)t->cells);
    myo_arena_free(t->text);
    free(t);
}
