/* SPDX-License-Identifier: MIT */
/*
 * Complications of a therapy episode: the events recorded against it,
 * less those that are outcomes (relapse, flare, death) or care
 * (transfusions).  One rule for the cohort analysis and the demo.
 */
#include "myo_internal.h"

#include <myoreg/outcome.h>

#include <string.h>

bool myo_event_is_complication(const myo_event *e, const char *episode)
{
    return e->episode != NULL && strcmp(e->episode, episode) == 0 &&
           e->day != MYO_NULL_INT && strcmp(e->kind, "relapse") != 0 &&
           strcmp(e->kind, "flare") != 0 && strcmp(e->kind, "death") != 0 &&
           strstr(e->kind, "transfusion") == NULL;
}

const char *myo_complications_format(const myo_history *h,
                                     const char *episode, char *buf,
                                     size_t size)
{
    size_t n = 0;
    size_t i;

    if (size == 0) {
        return buf;
    }
    buf[0] = '\0';
    for (i = 0; i < h->n[MYO_ENTITY_EVENT]; i++) {
        const myo_event *e = &h->items[MYO_ENTITY_EVENT][i].u.event;
        int w;

        if (!myo_event_is_complication(e, episode)) {
            continue;
        }
        w = snprintf(buf + n, size - n, "%s%s%s%s day %lld",
                     n > 0 ? "; " : "", e->organism != NULL ? e->organism : "",
                     e->organism != NULL ? " " : "", e->kind,
                     (long long)e->day);
        if (w < 0 || (size_t)w >= size - n) {
            buf[n] = '\0'; /* the last one did not fit: drop it whole */
            break;
        }
        n += (size_t)w;
    }
    return buf;
}
