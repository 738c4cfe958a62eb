/* SPDX-License-Identifier: MIT */
/*
 * The audit trail as documents (docs/json.md, `myoreg audit`): the list
 * of change sets with their changes and the values each change wrote,
 * the verification report and the anchor.  The command and the web
 * server show the same text and JSON.
 *
 * JSON goes into the caller's arena as one string without a final
 * newline; text goes to a stream.
 */
#ifndef MYOREG_AUDITDOC_H
#define MYOREG_AUDITDOC_H

#include <myoreg/arena.h>
#include <myoreg/common.h>
#include <myoreg/model.h>
#include <myoreg/status.h>
#include <myoreg/store.h>

#include <stdbool.h>
#include <stdio.h>

/**
 * Which change sets to show, and how much of each.  With filter->entity_id
 * the sets that touched that record (of filter->entity, or a patient when
 * entity is NULL) are listed with that record's changes and the values
 * before and after each; with details every change of every set is listed.
 */
typedef struct myo_audit_log_options {
    const myo_audit_filter *filter;
    bool details;
} myo_audit_log_options;

/**
 * The change sets (myoreg audit --json): an array of objects with seq,
 * at, user, os_user, host, tool, reason, changes, digest, hash and, with
 * details or a record, "records" (entity, id, action, replaces, digest;
 * old and new values for a record).
 * @return MYO_OK; MYO_EINVAL for an unknown filter->entity; MYO_EDB,
 *         MYO_ENOMEM
 */
MYO_API myo_status myo_audit_log_json(myo_store *s,
                                      const myo_audit_log_options *opt,
                                      myo_arena *arena,
                                      const char **out,
                                      myo_error *err);

/** The same as the text of myoreg audit. */
MYO_API myo_status myo_audit_log_text(myo_store *s,
                                      const myo_audit_log_options *opt,
                                      FILE *f,
                                      myo_error *err);

/**
 * A verification report (myoreg audit verify --json): ok, entries,
 * changes, rows, anchor (NULL: null) and, when broken, first_bad_entry,
 * entity, id and problem.
 */
MYO_API myo_status myo_audit_verify_json(const myo_audit_report *rep,
                                         const char *anchor,
                                         myo_arena *arena,
                                         const char **out,
                                         myo_error *err);

/** {"anchor": "SEQ:HASH"} (myoreg audit anchor --json). */
MYO_API myo_status myo_audit_anchor_json(const char *anchor,
                                         myo_arena *arena,
                                         const char **out,
                                         myo_error *err);

#endif
