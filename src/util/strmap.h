/* SPDX-License-Identifier: MIT */
/*
 * Hash map from strings to pointers (open addressing, linear probing).
 * Keys are copied into the map's own arena; values are borrowed pointers
 * whose lifetime the caller manages.  Not thread-safe.
 */
#ifndef MYO_UTIL_STRMAP_H
#define MYO_UTIL_STRMAP_H

#include <stdbool.h>
#include <stddef.h>

#include <myoreg/arena.h>

typedef struct myo_strmap_slot {
    const char *key; /* NULL = empty */
    void *value;
} myo_strmap_slot;

typedef struct myo_strmap {
    myo_strmap_slot *slots;
    size_t cap;  /* power of two, or 0 */
    size_t size;
    myo_arena *keys;
} myo_strmap;

void myo_strmap_init(myo_strmap *m);
void myo_strmap_release(myo_strmap *m);
/** Value for key, or NULL; *found tells NULL values from absence. */
void *myo_strmap_get(const myo_strmap *m, const char *key, bool *found);
/** Insert or replace; false on OOM. */
bool myo_strmap_put(myo_strmap *m, const char *key, void *value);
/** The map's copy of a stored key (stable until release), or NULL. */
const char *myo_strmap_key(const myo_strmap *m, const char *key);

#endif
