// The SQL text of each PostgreSQL schema version's migration step (storage/postgres/migrations.cc).
//
// Conventions: the same tables, columns and values as the SQLite schema
// (storage/sqlite/schema.h), whose steps v1..v6 kSchemaV1 here reproduces
// in their final state; PostgreSQL numbers its own steps from 1 (step 2
// is SQLite's v7, step 3 its v8, step 4 its v9, step 5 its v10).
// - Instants are BIGINT unix seconds (UTC); civil dates are 'YYYY-MM-DD'
//   TEXT. Every SQLite INTEGER is BIGINT (SQLite integers are 64-bit), so
//   the codec reads one integer type; the 0/1 CHECK flags,
//   users.disabled and oidc_logins.mfa_asserted, are BOOLEAN.
// - Structured values read and written whole (roles, history, case data,
//   event payloads) are JSON *text*, not jsonb: jsonb would reorder keys
//   and drop whitespace, and the bytes written are the bytes read back.
// - Text compares as the database's collation. Create the database with
//   ENCODING 'UTF8' LOCALE 'C' (from template0): then ORDER BY and the
//   keyset cursors (`id > $1`) order bytewise like SQLite's BINARY, and
//   lower() folds ASCII only, exactly like COLLATE NOCASE. Under another
//   locale the schema works, but orders differ from SQLite.
// - WITHOUT ROWID has no counterpart (every table is a heap plus its
//   primary key index) and is dropped. There is no rowid either: the
//   queries that break ties by rowid (notes, actions, case_team,
//   agenda_decisions) use an identity column `ord` here instead.
// - SQLite has one writer; PostgreSQL may have several. The audit append
//   serialises on a transaction-scoped advisory lock (pg_advisory_xact_lock)
//   and reads and moves audit_head under it; case_events ids are assigned
//   under the same lock (see case_events).
// - The append-only triggers raise SQLSTATE 23001 (restrict_violation)
//   with the same message as SQLite's RAISE(ABORT, ...), which the
//   statement layer maps like SQLITE_CONSTRAINT_TRIGGER.
#pragma once

namespace casus::storage::postgres {

inline constexpr const char* kSchemaV1 = R"sql(
-- Raises the message given as the trigger's argument: the append-only
-- triggers below (SQLite: RAISE(ABORT, '...')).
CREATE FUNCTION reject_append_only_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION USING MESSAGE = TG_ARGV[0], ERRCODE = 'restrict_violation';
END;
$$;

CREATE TABLE organisations (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE,
  type         TEXT NOT NULL,
  municipality TEXT NOT NULL
);

-- disabled: SQLite INTEGER CHECK (disabled IN (0, 1)); the type is the check.
CREATE TABLE users (
  id             TEXT PRIMARY KEY,
  username       TEXT NOT NULL UNIQUE,
  org_id         TEXT NOT NULL,
  roles_json     TEXT NOT NULL,
  password_hash  TEXT NOT NULL,
  totp_secret    TEXT NOT NULL,
  disabled       BOOLEAN NOT NULL,
  created_at     BIGINT NOT NULL,
  totp_last_step BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE persons (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  birth_date  TEXT,
  bsn         TEXT,
  created_at  BIGINT NOT NULL,
  objected_at BIGINT
);
-- PersonRepository::FindByName (duplicate hint at intake). SQLite: (name
-- COLLATE NOCASE, birth_date). The query must compare
-- lower(name) = lower($1) to use it.
CREATE INDEX persons_by_name ON persons (lower(name), birth_date);

CREATE TABLE reports (
  id                TEXT PRIMARY KEY,
  tracking_code     TEXT NOT NULL UNIQUE,
  source            TEXT NOT NULL,
  category          TEXT NOT NULL,
  description       TEXT NOT NULL,
  incident_code     TEXT NOT NULL,
  street            TEXT NOT NULL,
  wijk              TEXT NOT NULL,
  municipality      TEXT NOT NULL,
  reporter_name     TEXT NOT NULL,
  reporter_email    TEXT NOT NULL,
  reporter_phone    TEXT NOT NULL,
  subject_person_id TEXT,
  status            TEXT NOT NULL,
  case_id           TEXT,
  received_at       BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL,
  erased_at         BIGINT
);
-- ReportRepository::List (newest first).
CREATE INDEX reports_by_received ON reports (received_at DESC, id DESC);
-- PrivacyRepository: a person's reports (export, erasure).
CREATE INDEX reports_by_subject ON reports (subject_person_id);

-- Every index on cases ends in id, so a page is read in index order from
-- its keyset cursor (id > $n) and stops at LIMIT instead of sorting.
CREATE TABLE cases (
  id                 TEXT PRIMARY KEY,
  type               TEXT NOT NULL,
  definition_version BIGINT NOT NULL,
  state              TEXT NOT NULL,
  level              TEXT NOT NULL,
  version            BIGINT NOT NULL,
  municipality       TEXT NOT NULL,
  confidentiality    BIGINT NOT NULL,
  subject_person_id  TEXT REFERENCES persons (id),
  report_id          TEXT REFERENCES reports (id),
  received_at        BIGINT NOT NULL,
  created_at         BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL,
  history_json       TEXT NOT NULL,
  data_json          TEXT NOT NULL,
  erased_at          BIGINT
);
-- CaseRepository::List, region scope filtered by type and state.
CREATE INDEX cases_by_type_state ON cases (type, state, id);
-- CaseRepository::List, municipality scope unfiltered (also dashboard scan).
CREATE INDEX cases_by_municipality ON cases (municipality, id);
-- CaseRepository::List, municipality scope by type (and state): the worklist.
CREATE INDEX cases_by_municipality_type_state ON cases (municipality, type, state, id);
-- CaseRepository::List by subject: the person view and the export.
CREATE INDEX cases_by_subject ON cases (subject_person_id, id);

-- position keeps the engine's order of the list; a deadline id may recur.
CREATE TABLE case_deadlines (
  case_id     TEXT NOT NULL REFERENCES cases (id),
  position    BIGINT NOT NULL,
  deadline_id TEXT NOT NULL,
  started_at  BIGINT NOT NULL,
  due_at      BIGINT NOT NULL,
  cleared_at  BIGINT,
  PRIMARY KEY (case_id, position)
);
-- DeadlineFiringRepository: active deadlines due before now (the query
-- repeats the condition cleared_at IS NULL).
CREATE INDEX case_deadlines_active_by_due ON case_deadlines (due_at) WHERE cleared_at IS NULL;

-- id is the WebSocket replay cursor: global, and increasing in commit
-- order. SQLite got that from AUTOINCREMENT and its single writer. On
-- PostgreSQL an identity (sequence) value is taken at insert, not at
-- commit, so concurrent transactions can commit ids out of order and a
-- client reading `id > cursor` would skip the late one for good. Hence no
-- identity: the app assigns the id itself, like audit_log.seq, in
-- EventRepository::Append, holding the audit append's advisory lock
-- (pg_advisory_xact_lock, taken before the insert and held to commit):
--   INSERT INTO case_events (id, ...) SELECT COALESCE(max(id), 0) + 1, ...
--   FROM case_events RETURNING id
-- (max(id) is a backward scan of the primary key). Ids are never reused
-- because rows are never deleted (triggers below). Run that under READ
-- COMMITTED, or take the lock before the transaction's first snapshot. An
-- insert that forgot the lock fails on the primary key instead of
-- silently committing out of order.
CREATE TABLE case_events (
  id            BIGINT PRIMARY KEY,
  case_id       TEXT NOT NULL REFERENCES cases (id),
  type          TEXT NOT NULL,
  at            BIGINT NOT NULL,
  actor_user_id TEXT NOT NULL,
  payload_json  TEXT NOT NULL,
  erased_at     BIGINT
);
-- EventRepository::ListForCase (the timeline).
CREATE INDEX case_events_by_case ON case_events (case_id, id);
-- Append-only still, except that retention may blank a payload once.
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events FOR EACH ROW
WHEN (NOT (NEW.id = OLD.id AND NEW.case_id = OLD.case_id AND NEW.type = OLD.type AND NEW.at = OLD.at
           AND NEW.actor_user_id = OLD.actor_user_id AND OLD.erased_at IS NULL
           AND NEW.erased_at IS NOT NULL AND NEW.payload_json = '{}'))
EXECUTE FUNCTION reject_append_only_change('case_events are append-only');
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events FOR EACH ROW
EXECUTE FUNCTION reject_append_only_change('case_events are append-only');
-- TRUNCATE skips row triggers; SQLite has no TRUNCATE. Same guarantee.
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events FOR EACH STATEMENT
EXECUTE FUNCTION reject_append_only_change('case_events are append-only');

-- SQLite lists a case's notes ORDER BY created_at, rowid (insertion order
-- within a second). PostgreSQL has no rowid: `ord` is the insertion order
-- (ORDER BY created_at, ord). Not written by the app.
CREATE TABLE notes (
  id             TEXT PRIMARY KEY,
  ord            BIGINT GENERATED ALWAYS AS IDENTITY,
  case_id        TEXT NOT NULL REFERENCES cases (id),
  author_user_id TEXT NOT NULL,
  text           TEXT NOT NULL,
  created_at     BIGINT NOT NULL
);
-- NoteRepository::ListForCase.
CREATE INDEX notes_by_case ON notes (case_id, created_at);

-- As notes: SQLite breaks created_at ties by rowid; here by ord.
CREATE TABLE actions (
  id            TEXT PRIMARY KEY,
  ord           BIGINT GENERATED ALWAYS AS IDENTITY,
  case_id       TEXT NOT NULL REFERENCES cases (id),
  description   TEXT NOT NULL,
  owner_org_id  TEXT NOT NULL,
  owner_user_id TEXT NOT NULL,
  due_at        BIGINT NOT NULL,
  status        TEXT NOT NULL,
  created_at    BIGINT NOT NULL
);
-- ActionRepository::ListForCase.
CREATE INDEX actions_by_case ON actions (case_id, created_at);

-- user_id '' means the whole organisation (a PK column must not be NULL).
-- As notes: SQLite lists a team ORDER BY added_at, rowid; here by ord.
CREATE TABLE case_team (
  case_id  TEXT NOT NULL REFERENCES cases (id),
  ord      BIGINT GENERATED ALWAYS AS IDENTITY,
  org_id   TEXT NOT NULL,
  user_id  TEXT NOT NULL,
  role     TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  PRIMARY KEY (case_id, org_id, user_id)
);
-- TeamRepository::CaseIdsFor, the whole organisation's team cases, paged
-- (org_id = $1 AND user_id = '' AND case_id > $3 ORDER BY case_id).
-- SQLite merges the two arms of that UNION in index order; PostgreSQL
-- sorts a UNION's result, so give each arm its own ORDER BY case_id LIMIT.
CREATE INDEX case_team_by_org ON case_team (org_id, user_id, case_id);
-- TeamRepository::CaseIdsFor, the cases naming the user, paged.
CREATE INDEX case_team_by_user ON case_team (user_id, case_id);

CREATE TABLE workflow_definitions (
  type    TEXT NOT NULL,
  version BIGINT NOT NULL,
  source  TEXT NOT NULL,
  PRIMARY KEY (type, version)
);

-- seq is assigned by the app (audit_head.last_seq + 1, under the advisory
-- lock), so no identity. scheme: 2 for every entry appended here; 1 only
-- for scheme-1 rows copied from a SQLite database whose chain could not
-- be upgraded (the default is SQLite's).
CREATE TABLE audit_log (
  seq            BIGINT PRIMARY KEY,
  at             BIGINT NOT NULL,
  action         TEXT NOT NULL,
  result         TEXT NOT NULL,
  user_id        TEXT NOT NULL,
  role           TEXT NOT NULL,
  org_id         TEXT NOT NULL,
  on_behalf_of   TEXT NOT NULL,
  client         TEXT NOT NULL,
  object_type    TEXT NOT NULL,
  object_id      TEXT NOT NULL,
  person_id      TEXT NOT NULL,
  reason         TEXT NOT NULL,
  prev_hash      TEXT NOT NULL,
  hash           TEXT NOT NULL,
  scheme         BIGINT NOT NULL DEFAULT 1,
  detail         TEXT NOT NULL DEFAULT '',
  salt           TEXT NOT NULL DEFAULT '',
  content_digest TEXT NOT NULL DEFAULT '',
  erased_at      BIGINT
);
-- AuditRepository::Search by person: who saw this person's data (AVG inzage).
CREATE INDEX audit_log_by_person ON audit_log (person_id, seq);
-- AuditRepository::Search by object (a case's audit trail).
CREATE INDEX audit_log_by_object ON audit_log (object_type, object_id, seq);
-- AuditRepository::Search by user (what did this account do).
CREATE INDEX audit_log_by_user ON audit_log (user_id, seq);
-- PrivacyRepository: retention of entries whose content is still stored
-- (the query repeats the condition erased_at IS NULL).
CREATE INDEX audit_log_unerased_by_time ON audit_log (at) WHERE erased_at IS NULL;
-- Defence in depth only: the table's owner can drop or disable these,
-- which is why the hash chain, not the triggers, is what proves integrity.
-- Append-only, except that retention may erase a scheme-2 entry's content
-- (client, reason, detail) and its salt once; every field the hash
-- commits to directly stays as it was.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW
WHEN (NOT (NEW.seq = OLD.seq AND NEW.at = OLD.at AND NEW.action = OLD.action AND NEW.result = OLD.result
           AND NEW.user_id = OLD.user_id AND NEW.role = OLD.role AND NEW.org_id = OLD.org_id
           AND NEW.on_behalf_of = OLD.on_behalf_of AND NEW.object_type = OLD.object_type
           AND NEW.object_id = OLD.object_id AND NEW.person_id = OLD.person_id
           AND NEW.prev_hash = OLD.prev_hash AND NEW.hash = OLD.hash AND NEW.scheme = OLD.scheme
           AND NEW.content_digest = OLD.content_digest AND OLD.scheme = 2 AND OLD.erased_at IS NULL
           AND NEW.erased_at IS NOT NULL AND NEW.client = '' AND NEW.reason = '' AND NEW.detail = ''
           AND NEW.salt = ''))
EXECUTE FUNCTION reject_append_only_change('audit_log is append-only');
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW
EXECUTE FUNCTION reject_append_only_change('audit_log is append-only');
-- TRUNCATE skips row triggers; SQLite has no TRUNCATE. Same guarantee.
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT
EXECUTE FUNCTION reject_append_only_change('audit_log is append-only');

-- The chain head: commits to the last entry so that a deleted or added
-- tail is detectable, not only a change in the middle.
CREATE TABLE audit_head (
  id        BIGINT PRIMARY KEY CHECK (id = 1),
  last_seq  BIGINT NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, '');

-- Only hashes of the tokens: a copy of the database does not yield sessions.
CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  token_hash   TEXT NOT NULL UNIQUE,
  csrf_hash    TEXT NOT NULL,
  user_id      TEXT NOT NULL,
  client       TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL,
  revoked_at   BIGINT
);
-- SessionRepository::RevokeAllForUser (a blocked user's sessions end).
CREATE INDEX sessions_by_user ON sessions (user_id);
-- SessionRepository::DeleteEndedBefore.
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

-- Break-the-glass grants.
CREATE TABLE access_grants (
  id          TEXT PRIMARY KEY,
  case_id     TEXT NOT NULL REFERENCES cases (id),
  user_id     TEXT NOT NULL,
  reason      TEXT NOT NULL,
  granted_at  BIGINT NOT NULL,
  expires_at  BIGINT NOT NULL,
  reviewed_at BIGINT,
  reviewed_by TEXT NOT NULL
);
-- AccessGrantRepository::ListActive (need-to-know on every case read).
CREATE INDEX access_grants_by_case_user ON access_grants (case_id, user_id, expires_at);
-- AccessGrantRepository::ListActiveForUser (case list via grants).
CREATE INDEX access_grants_by_user ON access_grants (user_id, expires_at);
-- AccessGrantRepository::ListUnreviewed (the privacy officer's review
-- queue; the query repeats the condition reviewed_at IS NULL).
CREATE INDEX access_grants_unreviewed ON access_grants (granted_at) WHERE reviewed_at IS NULL;

-- Deadline firings: the exactly-once record of each due-soon warning,
-- overdue event and 3x-late marker per run of a deadline (a recurring
-- deadline id starts a new run with a new started_at). Claimed with
-- INSERT ... ON CONFLICT DO NOTHING on the primary key.
CREATE TABLE deadline_firings (
  case_id     TEXT NOT NULL REFERENCES cases (id),
  deadline_id TEXT NOT NULL,
  started_at  BIGINT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('due_soon', 'overdue', 'late3')),
  fired_at    BIGINT NOT NULL,
  PRIMARY KEY (case_id, deadline_id, started_at, kind)
);

-- Overleggen: meetings per case type and municipality with their
-- participating organisations, one agenda per meeting and date, its items
-- and the decisions recorded per case during the meeting.
CREATE TABLE meetings (
  id           TEXT PRIMARY KEY,
  case_type    TEXT NOT NULL,
  municipality TEXT NOT NULL,
  name         TEXT NOT NULL,
  cadence_days BIGINT NOT NULL CHECK (cadence_days > 0),
  created_at   BIGINT NOT NULL
);

CREATE TABLE meeting_participants (
  meeting_id TEXT NOT NULL REFERENCES meetings (id),
  org_id     TEXT NOT NULL REFERENCES organisations (id),
  PRIMARY KEY (meeting_id, org_id)
);

CREATE TABLE agendas (
  id         TEXT PRIMARY KEY,
  meeting_id TEXT NOT NULL REFERENCES meetings (id),
  date       TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (meeting_id, date)
);

CREATE TABLE agenda_items (
  agenda_id TEXT NOT NULL REFERENCES agendas (id),
  case_id   TEXT NOT NULL REFERENCES cases (id),
  position  BIGINT NOT NULL,
  reason    TEXT NOT NULL,
  PRIMARY KEY (agenda_id, case_id)
);

-- No key. SQLite lists an agenda's decisions ORDER BY rowid (recording
-- order); here `ord` is that order.
CREATE TABLE agenda_decisions (
  ord        BIGINT GENERATED ALWAYS AS IDENTITY,
  agenda_id  TEXT NOT NULL REFERENCES agendas (id),
  case_id    TEXT NOT NULL REFERENCES cases (id),
  decided_at BIGINT NOT NULL,
  decided_by TEXT NOT NULL,
  summary    TEXT NOT NULL
);
-- MeetingRepository: the decisions of an agenda.
CREATE INDEX agenda_decisions_by_agenda ON agenda_decisions (agenda_id, case_id);

-- What remains of an erased record: its kind and dates and how much was
-- removed; never content. id: the app inserts without one and pages by it
-- (ListRetention, id > $1), so an identity; only the retention job
-- writes here, so commit order is not a concern.
CREATE TABLE retention_log (
  id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  object_type TEXT NOT NULL CHECK (object_type IN ('case', 'report', 'person', 'audit')),
  object_id   TEXT NOT NULL,
  kind        TEXT NOT NULL,
  closed_at   BIGINT,
  erased_at   BIGINT NOT NULL,
  counts_json TEXT NOT NULL
);
-- PrivacyRepository: what remains of an erased record.
CREATE INDEX retention_log_by_object ON retention_log (object_type, object_id);
)sql";

// Step 2: the rate limits every node shares (RateLimitRepository).
inline constexpr const char* kSchemaV2 = R"sql(
CREATE TABLE rate_limit_hits (
  id       TEXT PRIMARY KEY,
  scope    TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  at       BIGINT NOT NULL
);
-- RateLimitRepository::CountSince, RemoveKey (a throttle's window).
CREATE INDEX rate_limit_hits_by_key ON rate_limit_hits (scope, key_hash, at);
-- RateLimitRepository::PurgeBefore (attempts past every window).
CREATE INDEX rate_limit_hits_by_time ON rate_limit_hits (scope, at);
)sql";

// Step 3: sign-in through an organisation's OpenID provider (issue #15);
// SQLite's v8. Empty text, not NULL, marks a local account or session;
// the partial indexes leave those rows out, so any number of local users
// share the empty identity and only real identities must be unique.
inline constexpr const char* kSchemaV3 = R"sql(
ALTER TABLE users ADD COLUMN oidc_issuer TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN oidc_subject TEXT NOT NULL DEFAULT '';
-- UserRepository::FindByOidcSubject (the query repeats the condition
-- oidc_subject <> ''). Unique: one account per identity; UserRepository::
-- Insert refuses a second with ON CONFLICT DO NOTHING, which takes every
-- unique index, partial ones included, as its arbiter.
CREATE UNIQUE INDEX users_by_oidc_subject ON users (oidc_issuer, oidc_subject) WHERE oidc_subject <> '';

ALTER TABLE sessions ADD COLUMN oidc_issuer TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN oidc_sid TEXT NOT NULL DEFAULT '';
-- SessionRepository::RevokeByOidcSid, back-channel logout (the query
-- repeats the condition oidc_sid <> '').
CREATE INDEX sessions_by_oidc_sid ON sessions (oidc_issuer, oidc_sid) WHERE oidc_sid <> '';

-- OpenID Connect logins in progress: transient, a row lives minutes.
-- code_verifier is a secret (PKCE) and is only ever read back by Take;
-- ids are hashes of the state or handover token, never the tokens.
-- mfa_asserted: SQLite INTEGER CHECK (mfa_asserted IN (0, 1)).
CREATE TABLE oidc_logins (
  id            TEXT PRIMARY KEY,
  kind          TEXT NOT NULL CHECK (kind IN ('authorization', 'verified')),
  provider      TEXT NOT NULL,
  browser_hash  TEXT NOT NULL,
  nonce         TEXT NOT NULL,
  code_verifier TEXT NOT NULL,
  user_id       TEXT NOT NULL,
  oidc_issuer   TEXT NOT NULL,
  oidc_sid      TEXT NOT NULL,
  mfa_asserted  BOOLEAN NOT NULL,
  created_at    BIGINT NOT NULL,
  expires_at    BIGINT NOT NULL
);
-- OidcLoginRepository::DeleteExpiredBefore.
CREATE INDEX oidc_logins_by_expiry ON oidc_logins (expires_at);
)sql";

// Step 4: zaaknummers (storage/case_number.h); SQLite's v9, which says
// why the year is the UTC year an hour later. Existing cases are numbered
// in the order they were created, per type and year, and the counters
// continue after them. case_number_counters.year: SQLite INTEGER.
inline constexpr const char* kSchemaV4 = R"sql(
ALTER TABLE cases ADD COLUMN case_number TEXT;

CREATE TABLE case_number_counters (
  type        TEXT NOT NULL,
  year        BIGINT NOT NULL,
  last_number BIGINT NOT NULL CHECK (last_number >= 0),
  PRIMARY KEY (type, year)
);

WITH dated AS (
  SELECT id, type, created_at,
         EXTRACT(YEAR FROM to_timestamp(created_at + 3600) AT TIME ZONE 'UTC')::bigint AS year
  FROM cases
), numbered AS (
  SELECT id, type, year, row_number() OVER (PARTITION BY type, year ORDER BY created_at, id) AS n FROM dated
)
UPDATE cases SET case_number = upper(numbered.type) || '-' || numbered.year || '-' ||
                               lpad(numbered.n::text, greatest(4, length(numbered.n::text)), '0')
FROM numbered WHERE cases.id = numbered.id;

INSERT INTO case_number_counters (type, year, last_number)
SELECT type, EXTRACT(YEAR FROM to_timestamp(created_at + 3600) AT TIME ZONE 'UTC')::bigint, count(*)
FROM cases GROUP BY 1, 2;

ALTER TABLE cases ALTER COLUMN case_number SET NOT NULL;
-- CaseRepository::List by zaaknummer. Unique: a number is given once.
CREATE UNIQUE INDEX cases_by_case_number ON cases (case_number);
)sql";

// Step 5: opschorting, the suspension of a deadline; SQLite's v10, which
// says what each column holds. Existing deadlines were never suspended:
// NULL, 0, NULL, NULL. extended_by: SQLite INTEGER.
inline constexpr const char* kSchemaV5 = R"sql(
ALTER TABLE case_deadlines ADD COLUMN term TEXT;
ALTER TABLE case_deadlines ADD COLUMN extended_by BIGINT NOT NULL DEFAULT 0;
ALTER TABLE case_deadlines ADD COLUMN suspended_at BIGINT;
ALTER TABLE case_deadlines ADD COLUMN suspension_reason TEXT;
)sql";

}  // namespace casus::storage::postgres
