/* SPDX-License-Identifier: MIT */
/*
 * SQLite schema migrations.  Migration n brings a registry from version n-1
 * to n.  Published migrations are frozen: change the schema by appending a
 * new one, never by editing an old one.  Columns are named exactly as the
 * fields of myoreg/model.h (tests/unit/store checks that they match).
 */
#include "myo_internal.h"

#include "store/sqlite_int.h"

static const char v1_people[] =
    "CREATE TABLE settings (\n"
    "  key TEXT PRIMARY KEY,\n"
    "  value TEXT NOT NULL\n"
    ");\n"
    "CREATE TABLE sites (\n"
    "  id TEXT PRIMARY KEY,\n"
    "  name TEXT,\n"
    "  provenance TEXT\n"
    ");\n"
    "CREATE TABLE patients (\n"
    "  id TEXT PRIMARY KEY,\n"
    "  site TEXT REFERENCES sites(id),\n"
    "  study_id TEXT UNIQUE,\n"
    "  sex TEXT NOT NULL,\n"
    "  birth_date TEXT,\n"
    "  death_date TEXT,\n"
    "  death_cause TEXT,\n"
    "  consent_status TEXT,\n"
    "  consent_scope TEXT,\n"
    "  consent_date TEXT,\n"
    "  comment TEXT,\n"
    "  imputed INTEGER,\n"
    "  source TEXT,\n"
    "  provenance TEXT\n"
    ");\n"
    /* Direct identifiers live apart, so that views and exports of the
     * patients table never carry them by accident. */
    "CREATE TABLE patient_identity (\n"
    "  patient TEXT PRIMARY KEY REFERENCES patients(id) ON DELETE CASCADE,\n"
    "  mrn TEXT,\n"
    "  name TEXT\n"
    ");\n"
    "CREATE TABLE diagnoses (\n"
    "  id TEXT PRIMARY KEY,\n"
    "  patient TEXT NOT NULL REFERENCES patients(id),\n"
    "  kind TEXT NOT NULL,\n"
    "  icd10 TEXT,\n"
    "  onset TEXT,\n"
    "  diagnosed TEXT,\n"
    "  criteria TEXT,\n"
    "  classification TEXT,\n"
    "  comment TEXT,\n"
    "  imputed INTEGER,\n"
    "  source TEXT,\n"
    "  provenance TEXT\n"
    ");\n"
    "CREATE INDEX diagnoses_patient ON diagnoses(patient);\n"
    ;
static const char v1_care[] =
    "CREATE TABLE episodes (\n"
    "  id TEXT PRIMARY KEY,\n"
    "  patient TEXT NOT NULL REFERENCES patients(id),\n"
    "  kind TEXT NOT NULL,\n"
    "  sequence INTEGER,\n"
    "  day0 TEXT NOT NULL,\n"
    "  mobilisation TEXT,\n"
    "  collection TEXT,\n"
    "  conditioning TEXT,\n"
    "  infusion TEXT,\n"
    "  engraftment TEXT,\n"
    "  cd34_per_kg REAL,\n"
    "  cd3_depletion_log REAL,\n"
    "  msc_per_kg REAL,\n"
    "  msc_source TEXT,\n"
    "  comment TEXT,\n"
    "  imputed INTEGER,\n"
    "  source TEXT,\n"
    "  provenance TEXT\n"
    ");\n"
    "CREATE INDEX episodes_patient ON episodes(patient);\n"
    "CREATE TABLE visits (\n"
    "  id TEXT PRIMARY KEY,\n"
    "  patient TEXT NOT NULL REFERENCES patients(id),\n"
    "  date TEXT,\n"
    "  episode TEXT REFERENCES episodes(id),\n"
    "  day INTEGER,\n"
    "  kind TEXT,\n"
    "  assessor TEXT,\n"
    "  comment TEXT,\n"
    "  imputed INTEGER,\n"
    "  source TEXT,\n"
    "  provenance TEXT\n"
    ");\n"
    "CREATE INDEX visits_patient ON visits(patient, date);\n"
    ;
static const char v1_observations[] =
    "CREATE TABLE observations (\n"
    "  id TEXT PRIMARY KEY,\n"
    "  patient TEXT NOT NULL REFERENCES patients(id),\n"
    "  visit TEXT REFERENCES visits(id),\n"
    "  episode TEXT REFERENCES episodes(id),\n"
    "  day INTEGER,\n"
    "  date TEXT,\n"
    "  time TEXT,\n"
    "  system TEXT,\n"
    "  code TEXT NOT NULL,\n"
    "  value TEXT NOT NULL,\n"
    "  unit TEXT,\n"
    "  value_num REAL,\n"
    "  value_low REAL,\n"
    "  value_high REAL,\n"
    "  value_code TEXT,\n"
    "  value_unit TEXT,\n"
    "  body_site TEXT,\n"
    "  laterality TEXT,\n"
    "  ref_range TEXT,\n"
    "  ref_low REAL,\n"
    "  ref_high REAL,\n"
    "  status TEXT,\n"
    "  comment TEXT,\n"
    "  imputed INTEGER,\n"
    "  source TEXT,\n"
    "  provenance TEXT\n"
    ");\n"
    "CREATE INDEX observations_patient ON observations(patient, date);\n"
    "CREATE INDEX observations_code ON observations(code, patient);\n"
    ;
static const char v1_treatment[] =
    "CREATE TABLE medications (\n"
    "  id TEXT PRIMARY KEY,\n"
    "  patient TEXT NOT NULL REFERENCES patients(id),\n"
    "  episode TEXT REFERENCES episodes(id),\n"
    "  drug TEXT,\n"
    "  name TEXT,\n"
    "  dose REAL,\n"
    "  unit TEXT,\n"
    "  basis TEXT,\n"
    "  route TEXT,\n"
    "  frequency TEXT,\n"
    "  start TEXT,\n"
    "  start_day INTEGER,\n"
    "  \"end\" TEXT,\n"
    "  end_day INTEGER,\n"
    "  intention TEXT,\n"
    "  comment TEXT,\n"
    "  imputed INTEGER,\n"
    "  source TEXT,\n"
    "  provenance TEXT\n"
    ");\n"
    "CREATE INDEX medications_patient ON medications(patient, start);\n"
    "CREATE TABLE events (\n"
    "  id TEXT PRIMARY KEY,\n"
    "  patient TEXT NOT NULL REFERENCES patients(id),\n"
    "  episode TEXT REFERENCES episodes(id),\n"
    "  day INTEGER,\n"
    "  date TEXT,\n"
    "  kind TEXT NOT NULL,\n"
    "  organism TEXT,\n"
    "  grade TEXT,\n"
    "  text TEXT,\n"
    "  imputed INTEGER,\n"
    "  source TEXT,\n"
    "  provenance TEXT\n"
    ");\n"
    "CREATE INDEX events_patient ON events(patient, date);\n"
    "CREATE TABLE specimens (\n"
    "  id TEXT PRIMARY KEY,\n"
    "  patient TEXT NOT NULL REFERENCES patients(id),\n"
    "  visit TEXT REFERENCES visits(id),\n"
    "  type TEXT NOT NULL,\n"
    "  collected TEXT,\n"
    "  time TEXT,\n"
    "  aliquots INTEGER,\n"
    "  volume_ml REAL,\n"
    "  location TEXT,\n"
    "  freeze_thaw INTEGER,\n"
    "  status TEXT,\n"
    "  consent_scope TEXT,\n"
    "  comment TEXT,\n"
    "  imputed INTEGER,\n"
    "  source TEXT,\n"
    "  provenance TEXT\n"
    ");\n"
    "CREATE INDEX specimens_patient ON specimens(patient, collected);\n"
    ;
static const char v1_notes[] =
    "CREATE TABLE notes (\n"
    "  id TEXT PRIMARY KEY,\n"
    "  patient TEXT NOT NULL REFERENCES patients(id),\n"
    "  date TEXT,\n"
    "  author TEXT,\n"
    "  text TEXT NOT NULL,\n"
    "  imputed INTEGER,\n"
    "  source TEXT,\n"
    "  provenance TEXT\n"
    ");\n"
    "CREATE INDEX notes_patient ON notes(patient, date);\n"
    /* Full text over notes: an external-content FTS5 index kept in step by
     * triggers; Porter stemming so "transplant" finds "transplantation". */
    "CREATE VIRTUAL TABLE notes_fts USING fts5(text, content='notes', "
    "content_rowid='rowid', tokenize='porter unicode61 remove_diacritics "
    "2');\n"
    "CREATE TRIGGER notes_ai AFTER INSERT ON notes BEGIN\n"
    "  INSERT INTO notes_fts(rowid, text) VALUES (new.rowid, new.text);\n"
    "END;\n"
    "CREATE TRIGGER notes_ad AFTER DELETE ON notes BEGIN\n"
    "  INSERT INTO notes_fts(notes_fts, rowid, text)\n"
    "    VALUES ('delete', old.rowid, old.text);\n"
    "END;\n"
    "CREATE TRIGGER notes_au AFTER UPDATE ON notes BEGIN\n"
    "  INSERT INTO notes_fts(notes_fts, rowid, text)\n"
    "    VALUES ('delete', old.rowid, old.text);\n"
    "  INSERT INTO notes_fts(rowid, text) VALUES (new.rowid, new.text);\n"
    "END;\n"
    ;
static const char v1_cohorts[] =
    "CREATE TABLE cohorts (\n"
    "  id TEXT PRIMARY KEY,\n"
    "  name TEXT,\n"
    "  description TEXT,\n"
    "  provenance TEXT\n"
    ");\n"
    "CREATE TABLE members (\n"
    "  id TEXT PRIMARY KEY,\n"
    "  cohort TEXT NOT NULL REFERENCES cohorts(id),\n"
    "  member TEXT NOT NULL,\n"
    "  kind TEXT NOT NULL,\n"
    "  patient TEXT REFERENCES patients(id),\n"
    "  citation TEXT,\n"
    "  diagnosis TEXT,\n"
    "  sex TEXT,\n"
    "  age_years REAL,\n"
    "  prior_treatment TEXT,\n"
    "  mobilisation TEXT,\n"
    "  conditioning TEXT,\n"
    "  improved INTEGER,\n"
    "  followup_months TEXT,\n"
    "  complications TEXT,\n"
    "  died INTEGER,\n"
    "  imputed INTEGER,\n"
    "  source TEXT,\n"
    "  provenance TEXT\n"
    ");\n"
    "CREATE INDEX members_cohort ON members(cohort);\n"
    ;
static const char v1_audit[] =
    "CREATE TABLE users (\n"
    "  name TEXT PRIMARY KEY,\n"
    "  role TEXT NOT NULL CHECK (role IN ('admin', 'editor', 'analyst')),\n"
    "  site TEXT REFERENCES sites(id),\n"
    "  password_hash TEXT\n"
    ");\n"
    /* Append-only, hash-chained audit trail (see store.c). */
    "CREATE TABLE audit (\n"
    "  seq INTEGER PRIMARY KEY,\n"
    "  txn INTEGER NOT NULL,\n"
    "  at TEXT NOT NULL,\n"
    "  user TEXT NOT NULL,\n"
    "  action TEXT NOT NULL,\n"
    "  entity TEXT NOT NULL,\n"
    "  entity_id TEXT NOT NULL,\n"
    "  old TEXT,\n"
    "  new TEXT,\n"
    "  reason TEXT,\n"
    "  hash TEXT NOT NULL\n"
    ");\n"
    "CREATE INDEX audit_entity ON audit(entity, entity_id, seq);\n"
    "CREATE INDEX audit_txn ON audit(txn);\n";

/* v2: the number of administrations of a regimen, for sources that say
 * "3 daily pulses" or "6 monthly courses" without dates for each. */
static const char v2_administrations[] =
    "ALTER TABLE medications ADD COLUMN administrations INTEGER;\n";

/* v3: source codes the catalogue does not know, kept with their system and
 * display text (FHIR import keeps unknown codes instead of dropping them). */
static const char v3_source_codes[] =
    "ALTER TABLE observations ADD COLUMN display TEXT;\n"
    "ALTER TABLE diagnoses ADD COLUMN system TEXT;\n"
    "ALTER TABLE diagnoses ADD COLUMN code TEXT;\n"
    "ALTER TABLE diagnoses ADD COLUMN display TEXT;\n"
    "ALTER TABLE medications ADD COLUMN system TEXT;\n"
    "ALTER TABLE medications ADD COLUMN code TEXT;\n"
    "ALTER TABLE events ADD COLUMN system TEXT;\n"
    "ALTER TABLE events ADD COLUMN code TEXT;\n"
    "ALTER TABLE events ADD COLUMN display TEXT;\n";

/* v4: the change-set audit trail (docs/internals/audit.md).  The trail of
 * one entry per record (schema 1-3) is kept, frozen, as audit_v3: the first
 * change set chains onto its last hash and lists every record stored at the
 * upgrade, which the store writes when it sees audit_genesis = pending.
 * Each entity table gets the change set that wrote its row (cs) and a
 * history table of replaced versions: the same columns, plus the change
 * set that replaced the version (until).  A later migration that adds a
 * column to a table adds it to its history table too. */
static const char v4_changesets[] =
    "ALTER TABLE audit RENAME TO audit_v3;\n"
    "DROP INDEX audit_entity;\n"
    "DROP INDEX audit_txn;\n"
    "CREATE TABLE changesets (\n"
    "  seq INTEGER PRIMARY KEY,\n"
    "  at TEXT NOT NULL,\n"
    "  author TEXT NOT NULL,\n"
    "  os_user TEXT,\n"
    "  host TEXT,\n"
    "  tool TEXT,\n"
    "  reason TEXT,\n"
    "  changes INTEGER NOT NULL,\n"
    "  digest TEXT NOT NULL,\n"
    "  hash TEXT NOT NULL\n"
    ");\n"
    /* op: 1 insert, 2 update, 3 delete; prev: the change set of the
     * version replaced; digest: of the new content (NULL on delete). */
    "CREATE TABLE changes (\n"
    "  cs INTEGER NOT NULL,\n"
    "  entity INTEGER NOT NULL,\n"
    "  id TEXT NOT NULL,\n"
    "  op INTEGER NOT NULL,\n"
    "  prev INTEGER NOT NULL,\n"
    "  digest BLOB,\n"
    "  PRIMARY KEY (cs, entity, id)\n"
    ") WITHOUT ROWID;\n"
    "INSERT INTO settings (key, value) VALUES ('audit_genesis', 'pending')\n"
    "  ON CONFLICT(key) DO UPDATE SET value = excluded.value;\n"
    "DELETE FROM settings WHERE key = 'audit_head';\n"
    /* no query reads observations by code first: the index only cost
     * every import a b-tree insert per row */
    "DROP INDEX observations_code;\n";
static const char v4_history[] =
    "ALTER TABLE sites ADD COLUMN cs INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE TABLE sites_history AS SELECT * FROM sites WHERE 0;\n"
    "ALTER TABLE sites_history ADD COLUMN until INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE INDEX sites_history_id ON sites_history(id, cs);\n"
    "ALTER TABLE patients ADD COLUMN cs INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE TABLE patients_history AS SELECT * FROM patients WHERE 0;\n"
    "ALTER TABLE patients_history ADD COLUMN mrn TEXT;\n"
    "ALTER TABLE patients_history ADD COLUMN name TEXT;\n"
    "ALTER TABLE patients_history ADD COLUMN until INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE INDEX patients_history_id ON patients_history(id, cs);\n"
    "ALTER TABLE diagnoses ADD COLUMN cs INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE TABLE diagnoses_history AS SELECT * FROM diagnoses WHERE 0;\n"
    "ALTER TABLE diagnoses_history ADD COLUMN until INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE INDEX diagnoses_history_id ON diagnoses_history(id, cs);\n"
    "ALTER TABLE episodes ADD COLUMN cs INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE TABLE episodes_history AS SELECT * FROM episodes WHERE 0;\n"
    "ALTER TABLE episodes_history ADD COLUMN until INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE INDEX episodes_history_id ON episodes_history(id, cs);\n"
    "ALTER TABLE visits ADD COLUMN cs INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE TABLE visits_history AS SELECT * FROM visits WHERE 0;\n"
    "ALTER TABLE visits_history ADD COLUMN until INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE INDEX visits_history_id ON visits_history(id, cs);\n"
    "ALTER TABLE observations ADD COLUMN cs INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE TABLE observations_history AS SELECT * FROM observations WHERE 0;\n"
    "ALTER TABLE observations_history ADD COLUMN until INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE INDEX observations_history_id ON observations_history(id, cs);\n"
    "ALTER TABLE medications ADD COLUMN cs INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE TABLE medications_history AS SELECT * FROM medications WHERE 0;\n"
    "ALTER TABLE medications_history ADD COLUMN until INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE INDEX medications_history_id ON medications_history(id, cs);\n"
    "ALTER TABLE events ADD COLUMN cs INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE TABLE events_history AS SELECT * FROM events WHERE 0;\n"
    "ALTER TABLE events_history ADD COLUMN until INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE INDEX events_history_id ON events_history(id, cs);\n"
    "ALTER TABLE specimens ADD COLUMN cs INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE TABLE specimens_history AS SELECT * FROM specimens WHERE 0;\n"
    "ALTER TABLE specimens_history ADD COLUMN until INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE INDEX specimens_history_id ON specimens_history(id, cs);\n"
    "ALTER TABLE notes ADD COLUMN cs INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE TABLE notes_history AS SELECT * FROM notes WHERE 0;\n"
    "ALTER TABLE notes_history ADD COLUMN until INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE INDEX notes_history_id ON notes_history(id, cs);\n"
    "ALTER TABLE cohorts ADD COLUMN cs INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE TABLE cohorts_history AS SELECT * FROM cohorts WHERE 0;\n"
    "ALTER TABLE cohorts_history ADD COLUMN until INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE INDEX cohorts_history_id ON cohorts_history(id, cs);\n"
    "ALTER TABLE members ADD COLUMN cs INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE TABLE members_history AS SELECT * FROM members WHERE 0;\n"
    "ALTER TABLE members_history ADD COLUMN until INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE INDEX members_history_id ON members_history(id, cs);\n"
    ;

/* v5: accounts and sessions of the web registry (issue 10,
 * docs/internals/accounts.md).  The users table of v1 was never written
 * (audit verify refused any row in it): it is remade with the roles of
 * docs/accounts.md, the sites an account works for (ids joined by ','),
 * and the change set that last wrote the row, whose change (entity
 * MYO_CHANGE_ACCOUNT) carries the row's digest.  Sessions and failed
 * sign-ins are working state, not audited: a session is kept by the hash
 * of its token only; times are Unix seconds. */
static const char v5_accounts[] =
    "DROP TABLE users;\n"
    "CREATE TABLE users (\n"
    "  name TEXT PRIMARY KEY,\n"
    "  role TEXT NOT NULL,\n"
    "  sites TEXT NOT NULL DEFAULT '',\n"
    "  password_hash TEXT NOT NULL,\n"
    "  disabled INTEGER NOT NULL DEFAULT 0,\n"
    "  cs INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE TABLE sessions (\n"
    "  token_hash TEXT PRIMARY KEY,\n"
    "  account TEXT NOT NULL,\n"
    "  created INTEGER NOT NULL,\n"
    "  last_seen INTEGER NOT NULL,\n"
    "  client TEXT\n"
    ");\n"
    "CREATE INDEX sessions_account ON sessions(account);\n"
    "CREATE TABLE login_failures (\n"
    "  name TEXT PRIMARY KEY,\n"
    "  failures INTEGER NOT NULL,\n"
    "  last_failure INTEGER NOT NULL\n"
    ");\n";

/* v6: data queries (docs/queries.md).  A query holds a record an import
 * could not store (a plausibility rule failed) or points at a stored one;
 * its state changes are audited as changes of kind MYO_CHANGE_QUERY, so
 * each version is kept in queries_history as the entities' are.  id is
 * the query's number; held is the JSON array of the records held. */
static const char v6_queries[] =
    "CREATE TABLE queries (\n"
    "  id INTEGER PRIMARY KEY,\n"
    "  status TEXT NOT NULL,\n"
    "  entity TEXT NOT NULL,\n"
    "  record_id TEXT,\n"
    "  patient TEXT,\n"
    "  field TEXT,\n"
    "  rule TEXT NOT NULL,\n"
    "  error TEXT NOT NULL,\n"
    "  location TEXT,\n"
    "  raw TEXT,\n"
    "  held TEXT,\n"
    "  raised_by TEXT NOT NULL,\n"
    "  note TEXT,\n"
    "  cs INTEGER NOT NULL DEFAULT 0\n"
    ");\n"
    "CREATE INDEX queries_status ON queries(status, id);\n"
    "CREATE TABLE queries_history AS SELECT * FROM queries WHERE 0;\n"
    "ALTER TABLE queries_history ADD COLUMN until INTEGER NOT NULL DEFAULT 0;\n"
    "CREATE INDEX queries_history_id ON queries_history(id, cs);\n";

/* v7: specimens with a lifecycle (docs/biobank.md): the episode and day
 * of collection, the parent of an aliquot, the study a specimen went to.
 * No unique index on location: the biobank module refuses a taken
 * location inside the write transaction (writers are serialised), so a
 * registry whose imported list has two tubes in one place still opens. */
static const char v7_specimens[] =
    "ALTER TABLE specimens ADD COLUMN episode TEXT;\n"
    "ALTER TABLE specimens ADD COLUMN day INTEGER;\n"
    "ALTER TABLE specimens ADD COLUMN parent TEXT;\n"
    "ALTER TABLE specimens ADD COLUMN study TEXT;\n"
    "ALTER TABLE specimens_history ADD COLUMN episode TEXT;\n"
    "ALTER TABLE specimens_history ADD COLUMN day INTEGER;\n"
    "ALTER TABLE specimens_history ADD COLUMN parent TEXT;\n"
    "ALTER TABLE specimens_history ADD COLUMN study TEXT;\n"
    "CREATE INDEX specimens_parent ON specimens(parent);\n";

/* v8: a specimen type outside the list (type other) keeps its source
 * code, as diagnoses do since v3 (docs/csv-format.md). */
static const char v8_specimen_codes[] =
    "ALTER TABLE specimens ADD COLUMN system TEXT;\n"
    "ALTER TABLE specimens ADD COLUMN code TEXT;\n"
    "ALTER TABLE specimens ADD COLUMN display TEXT;\n"
    "ALTER TABLE specimens_history ADD COLUMN system TEXT;\n"
    "ALTER TABLE specimens_history ADD COLUMN code TEXT;\n"
    "ALTER TABLE specimens_history ADD COLUMN display TEXT;\n";

/* v9: a cohort declared a trial carries its protocol (myoreg/trial.h):
 * eligibility criteria, visit schedule, window, adverse-event grading.
 * Fields of an existing entity: MYO_FF_LATE (docs/internals/audit.md). */
static const char v9_trial[] =
    "ALTER TABLE cohorts ADD COLUMN eligibility TEXT;\n"
    "ALTER TABLE cohorts ADD COLUMN schedule TEXT;\n"
    "ALTER TABLE cohorts ADD COLUMN window_days INTEGER;\n"
    "ALTER TABLE cohorts ADD COLUMN ae_grading TEXT;\n"
    "ALTER TABLE cohorts_history ADD COLUMN eligibility TEXT;\n"
    "ALTER TABLE cohorts_history ADD COLUMN schedule TEXT;\n"
    "ALTER TABLE cohorts_history ADD COLUMN window_days INTEGER;\n"
    "ALTER TABLE cohorts_history ADD COLUMN ae_grading TEXT;\n";

/* A migration is a NULL-terminated list of SQL scripts (C limits the
 * length of one string literal). */
static const char *const v1[] = { v1_people, v1_care,  v1_observations,
                                   v1_treatment, v1_notes, v1_cohorts,
                                   v1_audit, NULL };
static const char *const v2[] = { v2_administrations, NULL };
static const char *const v3[] = { v3_source_codes, NULL };
static const char *const v4[] = { v4_changesets, v4_history, NULL };
static const char *const v5[] = { v5_accounts, NULL };
static const char *const v6[] = { v6_queries, NULL };
static const char *const v7[] = { v7_specimens, NULL };
static const char *const v8[] = { v8_specimen_codes, NULL };
static const char *const v9[] = { v9_trial, NULL };

static const char *const *const migrations[] = { v1, v2, v3, v4, v5, v6,
                                                 v7, v8, v9 };

const char *const *const *myo_sqlite_migrations(size_t *count)
{
    *count = MYO_ARRAY_LEN(migrations);
    return migrations;
}
