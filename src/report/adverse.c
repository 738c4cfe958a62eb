/* SPDX-License-Identifier: MIT */
/*
 * Adverse events by type and CTCAE grade (the table "adverse-events" of
 * the Safety section): for each kind of complication, the patients by the
 * worst grade they had of it, as a trial's safety table counts them
 * (CTCAE v5: grades 1 mild to 5 death related to the event).
 *
 * A grade is read from the event's recorded grade when it is one of "3",
 * "grade 3", "G3", "CTCAE 3" or "CTCAE grade 3" (any case, 1 to 5);
 * anything else is "not graded", never guessed.
 */
#include "myo_internal.h"

#include <ctype.h>
#include <string.h>

#include "report/report_int.h"

#define MYO_CTCAE_GRADES 5

/* Skip a word (any case) and the blanks after it. */
static const char *skip_word(const char *s, const char *word)
{
    size_t n = strlen(word);
    size_t i;

    for (i = 0; i < n; i++) {
        if (tolower((unsigned char)s[i]) != word[i]) {
            return s;
        }
    }
    s += n;
    while (*s == ' ') {
        s++;
    }
    return s;
}

int myo_rep_ctcae_grade(const char *grade)
{
    const char *s = grade;

    if (s == NULL) {
        return 0;
    }
    s = skip_word(s, "ctcae");
    s = skip_word(s, "grade");
    if (s == grade) {
        s = skip_word(s, "g");
    }
    if (s[0] >= '1' && s[0] <= '5' && s[1] == '\0') {
        return s[0] - '0';
    }
    return 0;
}

/* The kinds of the analysed patients' events, in first-seen order. */
static size_t kinds_of(const myo_analysis *a, const char **kinds, size_t cap)
{
    size_t n = 0;
    size_t i;
    size_t e;
    size_t k;

    for (i = 0; i < a->analysed; i++) {
        const myo_arow *r = &a->rows[i];
        for (e = 0; e < r->nevents; e++) {
            for (k = 0; k < n && strcmp(kinds[k], r->events[e].kind) != 0;
                 k++) {
            }
            if (k == n && n < cap) {
                kinds[n++] = r->events[e].kind;
            }
        }
    }
    return n;
}

/* One row: patients by their worst grade of kind (NULL: any kind). */
static bool
grade_row(myo_doc *d, myo_table *t, const myo_analysis *a, const char *kind)
{
    size_t by_grade[MYO_CTCAE_GRADES + 1] = { 0 }; /* [0]: not graded */
    size_t patients = 0;
    size_t events = 0;
    myo_cell *row = myo_table_row(d, t);
    size_t i;
    size_t e;
    int g;

    if (row == NULL) {
        return false;
    }
    for (i = 0; i < a->analysed; i++) {
        const myo_arow *r = &a->rows[i];
        int worst = -1;
        for (e = 0; e < r->nevents; e++) {
            int gr;
            if (kind != NULL && strcmp(r->events[e].kind, kind) != 0) {
                continue;
            }
            events++;
            gr = myo_rep_ctcae_grade(r->events[e].grade);
            worst = gr > worst ? gr : worst;
        }
        if (worst >= 0) {
            patients++;
            by_grade[worst]++;
        }
    }
    myo_cell_text(d, &row[0], kind != NULL ? kind : "Any adverse event");
    myo_rep_prop(d, &row[1], patients, a->analysed);
    for (g = 1; g <= MYO_CTCAE_GRADES; g++) {
        myo_cell_count(d, &row[1 + g], by_grade[g]);
    }
    myo_cell_count(d, &row[2 + MYO_CTCAE_GRADES], by_grade[0]);
    myo_cell_count(d, &row[3 + MYO_CTCAE_GRADES], events);
    return true;
}

myo_status
myo_rep_adverse_events(myo_doc *d, const myo_analysis *a, myo_arena *scratch)
{
    static const char *const cols[] = {
        "Adverse event", "Patients, n/N (%)", "Grade 1",
        "Grade 2",       "Grade 3",           "Grade 4",
        "Grade 5",       "Not graded",        "Events",
    };
    size_t cap = 64;
    const char **kinds = myo_arena_calloc(scratch, cap, sizeof(*kinds));
    size_t n;
    size_t k;
    myo_table *t;

    if (kinds == NULL) {
        return MYO_ENOMEM;
    }
    n = kinds_of(a, kinds, cap);
    if (n == 0) {
        return MYO_OK;
    }
    t = myo_doc_table(d, "adverse-events",
                      "Adverse events by type and CTCAE grade",
                      MYO_ARRAY_LEN(cols), cols);
    if (t == NULL || !grade_row(d, t, a, NULL)) {
        return MYO_ENOMEM;
    }
    for (k = 0; k < n; k++) {
        if (!grade_row(d, t, a, kinds[k])) {
            return MYO_ENOMEM;
        }
    }
    myo_table_note(d, t,
                   "The complications above (events linked to the episode "
                   "other than relapse, flare, death and transfusions). "
                   "Patients counted once per row, by the worst grade they "
                   "had of it (CTCAE v5: 1 mild, 2 moderate, 3 severe, 4 "
                   "life-threatening, 5 death). A grade is read when "
                   "recorded as \"3\", \"grade 3\", \"G3\" or \"CTCAE "
                   "grade 3\"; anything else is not graded.");
    return MYO_OK;
}

myo_status myo_rep_adverse_ungraded(myo_doc *d, const myo_analysis *a,
                                    const char *grading)
{
    static const char *const cols[] = { "Patient", "Adverse event", "Day",
                                        "Grade as recorded" };
    myo_table *t = NULL;
    size_t i;
    size_t e;

    for (i = 0; i < a->analysed; i++) {
        const myo_arow *r = &a->rows[i];
        for (e = 0; e < r->nevents; e++) {
            const myo_arow_event *ev = &r->events[e];
            myo_cell *row;
            if (myo_rep_ctcae_grade(ev->grade) > 0) {
                continue;
            }
            if (t == NULL &&
                (t = myo_doc_table(d, "adverse-events-ungraded",
                                   "Adverse events without a CTCAE grade",
                                   MYO_ARRAY_LEN(cols), cols)) == NULL) {
                return MYO_ENOMEM;
            }
            if ((row = myo_table_row(d, t)) == NULL) {
                return MYO_ENOMEM;
            }
            myo_cell_text(d, &row[0],
                          r->study_id != NULL ? r->study_id : r->id);
            myo_cell_text(d, &row[1], ev->kind);
            myo_cell_num(d, &row[2], ev->day, 0);
            myo_cell_text(d, &row[3],
                          ev->grade != NULL ? ev->grade : "not recorded");
        }
    }
    if (t != NULL) {
        myo_table_note(d, t,
                       "The cohort is a trial that grades adverse events by "
                       "%s (CTCAE v5.0): each event here needs its grade, 1 "
                       "to 5, recorded (a data query).",
                       grading);
    }
    return MYO_OK;
}
