/* SPDX-License-Identifier: MIT */
/* String-keyed hash map with linear probing and FNV-1a hashing. */
#include "myo_internal.h"

#include "strmap.h"

#include <string.h>

#include "alloc.h"

static size_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;

    while (*s != '\0') {
        h ^= (unsigned char)*s++;
        h *= 1099511628211ULL;
    }
    return (size_t)h;
}

void myo_strmap_init(myo_strmap *m)
{
    memset(m, 0, sizeof(*m));
}

void myo_strmap_release(myo_strmap *m)
{
    myo_free(m->slots);
    myo_arena_free(m->keys);
    myo_strmap_init(m);
}

/* The slot of key, or the empty slot where it would go; needs cap > 0. */
static myo_strmap_slot *probe(const myo_strmap *m, const char *key)
{
    size_t i = hash(key) & (m->cap - 1);

    while (m->slots[i].key != NULL) {
        if (strcmp(m->slots[i].key, key) == 0) {
            return &m->slots[i];
        }
        i = (i + 1) & (m->cap - 1);
    }
    return &m->slots[i];
}

static myo_strmap_slot *find(const myo_strmap *m, const char *key)
{
    return m->cap == 0 ? NULL : probe(m, key);
}

void *myo_strmap_get(const myo_strmap *m, const char *key, bool *found)
{
    myo_strmap_slot *s = find(m, key);
    bool ok = s != NULL && s->key != NULL;

    if (found != NULL) {
        *found = ok;
    }
    return ok ? s->value : NULL;
}

const char *myo_strmap_key(const myo_strmap *m, const char *key)
{
    myo_strmap_slot *s = find(m, key);

    return s != NULL ? s->key : NULL;
}

static bool rehash(myo_strmap *m, size_t cap)
{
    myo_strmap_slot *old = m->slots;
    size_t old_cap = m->cap;
    size_t i;

    m->slots = myo_calloc(cap, sizeof(*m->slots));
    if (m->slots == NULL) {
        m->slots = old;
        return false;
    }
    m->cap = cap;
    for (i = 0; i < old_cap; i++) {
        if (old[i].key != NULL) {
            *probe(m, old[i].key) = old[i];
        }
    }
    myo_free(old);
    return true;
}

bool myo_strmap_put(myo_strmap *m, const char *key, void *value)
{
    myo_strmap_slot *s;

    if (m->keys == NULL) {
        m->keys = myo_arena_new(0);
        if (m->keys == NULL) {
            return false;
        }
    }
    /* Keep the load factor at or below 1/2. */
    if ((m->size + 1) * 2 > m->cap &&
        !rehash(m, m->cap == 0 ? 64 : m->cap * 2)) {
        return false;
    }
    s = probe(m, key);
    if (s->key == NULL) {
        s->key = myo_arena_strdup(m->keys, key);
        if (s->key == NULL) {
            return false;
        }
        m->size++;
    }
    s->value = value;
    return true;
}
