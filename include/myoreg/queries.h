/* SPDX-License-Identifier: MIT */
/*
 * Data queries (OpenClinica's discrepancy notes, REDCap's data quality
 * rules): a question about one record, raised by a rule or by a person,
 * answered and resolved by a data manager (docs/queries.md).
 *
 * An import with quarantine (myo_import_options.quarantine) stores the
 * records that pass and holds each record that breaks a plausibility rule
 * (a date after death, a value outside its plausible range, an unknown
 * unit) as an open query: the query keeps the record as read, the error,
 * the source text and its location.  Records that refer to a held record
 * (the observations of a held visit) are held in the same query: they
 * cannot be stored without it.  Releasing a query validates its records
 * again, with the corrections given, and stores them; discarding it keeps
 * them out for good.
 *
 * States: open -> answered (the site replied) -> released or discarded
 * (the data manager decided) -> closed.  An open query may be released or
 * discarded directly; an answered one may be reopened.  Every change of a
 * query is a change of the audit trail, whose change set says who, when
 * and why; myo_queries_history lists them.  Who may do what (roles) is
 * decided by the front end (issue 10); the library only keeps the states
 * consistent.
 */
#ifndef MYOREG_QUERIES_H
#define MYOREG_QUERIES_H

#include <myoreg/arena.h>
#include <myoreg/auth.h>
#include <myoreg/common.h>
#include <myoreg/status.h>
#include <myoreg/store.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/** One version of a query; strings borrowed (callbacks) or arena-owned. */
typedef struct myo_data_query {
    int64_t id;            /**< 1, 2, 3 ... never reused */
    const char *status;    /**< open, answered, released, discarded, closed */
    const char *entity;    /**< the record's entity name ("visit") */
    const char *record_id; /**< the record's id, or NULL when it has none */
    const char *patient;   /**< the patient the record belongs to, or NULL */
    const char *field;     /**< the field at fault, or NULL */
    const char *rule;      /**< the rule broken ("date-after-death"), or
                                "user" for a query a person raised */
    const char *error;     /**< the error, as the import reported it */
    const char *location;  /**< "FILE:LINE" and the source's own address */
    const char *raw;       /**< the source text of the record, or NULL */
    const char *held;      /**< JSON array of the records held, or NULL
                                when the query is about a stored record */
    const char *raised_by; /**< "rule" or "user:NAME" */
    const char *note;      /**< the last answer or reason, or NULL */
    int64_t cs;            /**< the change set that wrote this version */
    int64_t until;         /**< history: the change set that replaced it */
} myo_data_query;

/** The query states, in order, NULL-terminated. */
MYO_API const char *const *myo_query_statuses(void);

/** True when s names a query state. */
MYO_API bool myo_query_status_valid(const char *s);

/**
 * Raise a query in the open write transaction: q->status is set to open,
 * q->id to the next number.  The change is audited.
 * @return MYO_OK; MYO_EINVAL without a transaction or without entity,
 *         rule or error; MYO_EDB
 */
MYO_API myo_status myo_queries_raise(myo_store *s, myo_data_query *q,
                                     myo_error *err);

/** The current version of query id, copied into arena; MYO_ENOTFOUND. */
MYO_API myo_status myo_queries_get(myo_store *s, int64_t id, myo_arena *arena,
                                   myo_data_query *out, myo_error *err);

/**
 * Visit the current version of every query, by id; only those in state
 * status unless it is NULL.  Strings are borrowed for the callback; a
 * non-zero return stops.
 * @return MYO_OK; MYO_EINVAL for an unknown status; MYO_EDB
 */
MYO_API myo_status myo_queries_list(myo_store *s, const char *status,
                                    int (*cb)(void *payload,
                                              const myo_data_query *q),
                                    void *payload, myo_error *err);

/**
 * Visit every version of query id, oldest first, each with the change set
 * that wrote it (who, when, why).  MYO_ENOTFOUND when there is no query id.
 */
MYO_API myo_status myo_queries_history(
    myo_store *s, int64_t id,
    int (*cb)(void *payload, const myo_data_query *q, const myo_changeset *cs),
    void *payload, myo_error *err);

/**
 * Write a new version of a query in the open write transaction (its
 * status, note, error ...; not its id): the version before is kept in
 * the history.  The transitions are checked: MYO_ECONFLICT when q->status
 * cannot follow the current one.
 */
MYO_API myo_status myo_queries_update(myo_store *s, const myo_data_query *q,
                                      myo_error *err);

/**
 * One step of a query's life, in the open write transaction: "answered"
 * (the site replies; text is the answer), "closed" (the data manager
 * files it; text is why) or "open" (reopened: the answer did not settle
 * it, or a closed query about a stored record needs another look).  A
 * query that holds records is closed only once released or discarded.
 * text becomes the query's note; the change set says who and when.
 * @return MYO_OK; MYO_EINVAL without text or for another state;
 *         MYO_ENOTFOUND; MYO_ECONFLICT when the step cannot follow
 */
MYO_API myo_status myo_queries_step(myo_store *s, int64_t id, const char *to,
                                    const char *text, myo_error *err);

/** Who may take the step to state to (myo_authorize asks it with the
 *  site of the query's patient): answering is MYO_ACT_QUERY_ANSWER,
 *  closing, reopening, releasing, discarding MYO_ACT_QUERY_CLOSE. */
MYO_API myo_action myo_query_step_action(const char *to);

/** What a check of the rules found. */
typedef struct myo_query_check_counts {
    size_t raised;  /**< new open queries */
    size_t already; /**< findings with an open or answered query already */
} myo_query_check_counts;

/**
 * Run the data-quality rules over the stored records (of patients of site
 * only, unless it is NULL) in the open write transaction, raising one
 * open query (raised_by "rule") per finding: every record is validated
 * again by the importers' validator against the registry as it is now
 * (date-after-death, date-before-birth, date-in-future, date-order,
 * plausible-range), and a therapy episode without a baseline visit naming
 * it is missing-baseline.  A finding with an open or answered query of the
 * same rule on the same record and field raises nothing new.
 * @return MYO_OK; MYO_EINVAL outside a transaction; MYO_EDB; MYO_ENOMEM
 */
MYO_API myo_status myo_queries_check(myo_store *s, const char *site,
                                     myo_query_check_counts *counts,
                                     myo_error *err);

/** The open and answered queries of the rules, by record, rule and field:
 *  what myo_queries_check (and any other rule) must not raise again. */
typedef struct myo_query_seen myo_query_seen;

/** Read every open or answered query's key (entity, record, rule, field).
 *  @return MYO_OK with *out (free with myo_query_seen_free); MYO_ENOMEM;
 *          MYO_EDB */
MYO_API myo_status myo_query_seen_load(myo_store *s, myo_query_seen **out,
                                       myo_error *err);

/** Raise q (raised_by "rule") in the open write transaction unless seen
 *  holds an open or answered query of the same rule on the same record
 *  and field: counts->raised or counts->already grows by one. */
MYO_API myo_status myo_query_raise_unseen(myo_store *s, myo_query_seen *seen,
                                          myo_data_query *q,
                                          myo_query_check_counts *counts,
                                          myo_error *err);

MYO_API void myo_query_seen_free(myo_query_seen *seen);

/** How many queries share a site, a state and a rule. */
typedef struct myo_query_count {
    const char *site;   /**< the site of the query's patient, or NULL */
    const char *status; /**< open, answered, ... */
    const char *rule;   /**< date-after-death, user, ... */
    size_t n;
} myo_query_count;

/**
 * The dashboard's counts: the queries grouped by the site of their
 * patient, their state and their rule, ordered by site (none last), state
 * (in myo_query_statuses order) and rule.  Strings borrowed for the
 * callback; a non-zero return stops.
 */
MYO_API myo_status myo_queries_counts(myo_store *s,
                                      int (*cb)(void *payload,
                                                const myo_query_count *c),
                                      void *payload, myo_error *err);

/** One count of myo_queries_counts as the JSON object of `queries list
 *  --counts --json`: {"site": text|null, "status", "rule", "n"}; malloc'd
 *  text (free it), or NULL when out of memory. */
MYO_API char *myo_query_count_json(const myo_query_count *c);

/**
 * A query as one JSON object (docs/queries.md): every column, held as
 * the parsed array (left out unless with_held), and, when versions is
 * given, "history": the versions with who, when and why.
 * @return malloc'd text (free it), or NULL when out of memory
 */
MYO_API char *myo_query_json(const myo_data_query *q, bool with_held,
                             const myo_data_query *versions,
                             const myo_changeset *sets, size_t nversions);

/** One record a query holds; strings borrowed for the callback. */
typedef struct myo_held_record {
    size_t number;        /**< 1, 2 ...: as myo_query_edit.record names it */
    const char *entity;   /**< "visit" */
    const char *location; /**< where it was read */
    const char *error;    /**< why it was held */
    const char *raw;      /**< its source text, or NULL */
    const char *record;   /**< the record as read, canonical JSON */
} myo_held_record;

/**
 * Visit the records query q holds (none when it holds none), in order.
 * @return MYO_OK; MYO_EINTEGRITY when its held records cannot be read
 */
MYO_API myo_status myo_query_held(const myo_data_query *q,
                                  int (*cb)(void *payload,
                                            const myo_held_record *h),
                                  void *payload, myo_error *err);

/** A correction for release: FIELD=VALUE, the value as CSV text. */
typedef struct myo_query_edit {
    size_t record;     /**< the held record, 1 = the first (0 too) */
    const char *field;
    const char *value; /**< "" clears the field */
} myo_query_edit;

/**
 * Release query id: apply the edits to its held records, validate every
 * held record again and store them (in the order held), then mark the query released;
 * one change set with reason.  When a record still fails, nothing is
 * stored: the query stays open with the new error (recorded in its own
 * change set) and err holds that error.
 * @return MYO_OK; MYO_EINVAL when a record still fails or an edit names
 *         no held record or no field (err says which); MYO_ENOTFOUND; MYO_ECONFLICT when the
 *         query is not open or answered, or holds no record; MYO_EDB
 */
MYO_API myo_status myo_queries_release(myo_store *s, int64_t id,
                                       const myo_query_edit *edits,
                                       size_t nedits, const char *reason,
                                       myo_error *err);

/**
 * Discard query id: its records are never stored; one change set with
 * reason.
 * @return MYO_OK; MYO_ENOTFOUND; MYO_ECONFLICT when not open or answered
 */
MYO_API myo_status myo_queries_discard(myo_store *s, int64_t id,
                                       const char *reason, myo_error *err);

#endif
