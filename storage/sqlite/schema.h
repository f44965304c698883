// The SQL text of each schema version's migration step.
//
// Conventions: instants are INTEGER unix seconds (UTC), exact and cheap to
// compare and index; civil dates are 'YYYY-MM-DD' text. Structured values
// that are always read and written whole (roles, history, case data) are
// JSON text; deadlines get their own table because schedulers query them.
#pragma once

namespace casus::storage::sqlite {

inline constexpr const char* kSchemaV1 = R"sql(
CREATE TABLE organisations (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE,
  type         TEXT NOT NULL,
  municipality TEXT NOT NULL
);

CREATE TABLE users (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  org_id        TEXT NOT NULL,
  roles_json    TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  totp_secret   TEXT NOT NULL,
  disabled      INTEGER NOT NULL CHECK (disabled IN (0, 1)),
  created_at    INTEGER NOT NULL
);

CREATE TABLE persons (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL,
  birth_date TEXT,
  bsn        TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX persons_by_name ON persons (name COLLATE NOCASE, birth_date);

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
  received_at       INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
);
CREATE INDEX reports_by_received ON reports (received_at DESC, id DESC);

CREATE TABLE cases (
  id                 TEXT PRIMARY KEY,
  type               TEXT NOT NULL,
  definition_version INTEGER NOT NULL,
  state              TEXT NOT NULL,
  level              TEXT NOT NULL,
  version            INTEGER NOT NULL,
  municipality       TEXT NOT NULL,
  confidentiality    INTEGER NOT NULL,
  subject_person_id  TEXT REFERENCES persons (id),
  report_id          TEXT REFERENCES reports (id),
  received_at        INTEGER NOT NULL,
  created_at         INTEGER NOT NULL,
  updated_at         INTEGER NOT NULL,
  history_json       TEXT NOT NULL,
  data_json          TEXT NOT NULL
);
CREATE INDEX cases_by_type_state ON cases (type, state);
CREATE INDEX cases_by_subject ON cases (subject_person_id);
CREATE INDEX cases_by_municipality ON cases (municipality);

-- position keeps the engine's order of the list; a deadline id may recur.
CREATE TABLE case_deadlines (
  case_id     TEXT NOT NULL REFERENCES cases (id),
  position    INTEGER NOT NULL,
  deadline_id TEXT NOT NULL,
  started_at  INTEGER NOT NULL,
  due_at      INTEGER NOT NULL,
  cleared_at  INTEGER,
  PRIMARY KEY (case_id, position)
) WITHOUT ROWID;
CREATE INDEX case_deadlines_active_by_due ON case_deadlines (due_at) WHERE cleared_at IS NULL;

CREATE TABLE case_events (
  id            INTEGER PRIMARY KEY AUTOINCREMENT,
  case_id       TEXT NOT NULL REFERENCES cases (id),
  type          TEXT NOT NULL,
  at            INTEGER NOT NULL,
  actor_user_id TEXT NOT NULL,
  payload_json  TEXT NOT NULL
);
CREATE INDEX case_events_by_case ON case_events (case_id, id);
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events are append-only'); END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN SELECT RAISE(ABORT, 'case_events are append-only'); END;

CREATE TABLE notes (
  id             TEXT PRIMARY KEY,
  case_id        TEXT NOT NULL REFERENCES cases (id),
  author_user_id TEXT NOT NULL,
  text           TEXT NOT NULL,
  created_at     INTEGER NOT NULL
);
CREATE INDEX notes_by_case ON notes (case_id, created_at);

CREATE TABLE actions (
  id            TEXT PRIMARY KEY,
  case_id       TEXT NOT NULL REFERENCES cases (id),
  description   TEXT NOT NULL,
  owner_org_id  TEXT NOT NULL,
  owner_user_id TEXT NOT NULL,
  due_at        INTEGER NOT NULL,
  status        TEXT NOT NULL,
  created_at    INTEGER NOT NULL
);
CREATE INDEX actions_by_case ON actions (case_id, created_at);

-- user_id '' means the whole organisation (a PK column must not be NULL).
CREATE TABLE case_team (
  case_id  TEXT NOT NULL REFERENCES cases (id),
  org_id   TEXT NOT NULL,
  user_id  TEXT NOT NULL,
  role     TEXT NOT NULL,
  added_at INTEGER NOT NULL,
  PRIMARY KEY (case_id, org_id, user_id)
);
CREATE INDEX case_team_by_org ON case_team (org_id);

CREATE TABLE workflow_definitions (
  type    TEXT NOT NULL,
  version INTEGER NOT NULL,
  source  TEXT NOT NULL,
  PRIMARY KEY (type, version)
);

CREATE TABLE audit_log (
  seq          INTEGER PRIMARY KEY,
  at           INTEGER NOT NULL,
  action       TEXT NOT NULL,
  result       TEXT NOT NULL,
  user_id      TEXT NOT NULL,
  role         TEXT NOT NULL,
  org_id       TEXT NOT NULL,
  on_behalf_of TEXT NOT NULL,
  client       TEXT NOT NULL,
  object_type  TEXT NOT NULL,
  object_id    TEXT NOT NULL,
  person_id    TEXT NOT NULL,
  reason       TEXT NOT NULL,
  prev_hash    TEXT NOT NULL,
  hash         TEXT NOT NULL
);
CREATE INDEX audit_log_by_person ON audit_log (person_id, seq);
-- Defence in depth only: someone with the file can drop these, which is
-- why the hash chain, not the triggers, is what proves integrity.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- The chain head: commits to the last entry so that a deleted or added
-- tail is detectable, not only a change in the middle.
CREATE TABLE audit_head (
  id        INTEGER PRIMARY KEY CHECK (id = 1),
  last_seq  INTEGER NOT NULL,
  last_hash TEXT NOT NULL
);
INSERT INTO audit_head (id, last_seq, last_hash) VALUES (1, 0, '');
)sql";

// v2: sessions, break-the-glass grants, TOTP replay protection, and the
// indexes that audit search and team lookups need.
inline constexpr const char* kSchemaV2 = R"sql(
ALTER TABLE users ADD COLUMN totp_last_step INTEGER NOT NULL DEFAULT 0;

-- Only hashes of the tokens: a copy of the file does not yield sessions.
CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  token_hash   TEXT NOT NULL UNIQUE,
  csrf_hash    TEXT NOT NULL,
  user_id      TEXT NOT NULL,
  client       TEXT NOT NULL,
  created_at   INTEGER NOT NULL,
  last_seen_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  revoked_at   INTEGER
);
CREATE INDEX sessions_by_user ON sessions (user_id);
CREATE INDEX sessions_by_expiry ON sessions (expires_at);

CREATE TABLE access_grants (
  id          TEXT PRIMARY KEY,
  case_id     TEXT NOT NULL REFERENCES cases (id),
  user_id     TEXT NOT NULL,
  reason      TEXT NOT NULL,
  granted_at  INTEGER NOT NULL,
  expires_at  INTEGER NOT NULL,
  reviewed_at INTEGER,
  reviewed_by TEXT NOT NULL
);
CREATE INDEX access_grants_by_case_user ON access_grants (case_id, user_id, expires_at);
CREATE INDEX access_grants_by_user ON access_grants (user_id, expires_at);
CREATE INDEX access_grants_unreviewed ON access_grants (granted_at) WHERE reviewed_at IS NULL;

CREATE INDEX case_team_by_user ON case_team (user_id);
CREATE INDEX audit_log_by_object ON audit_log (object_type, object_id, seq);
CREATE INDEX audit_log_by_user ON audit_log (user_id, seq);
)sql";

// Deadline firings: the exactly-once record of each due-soon warning,
// overdue event and 3x-late marker per run of a deadline (a recurring
// deadline id starts a new run with a new started_at).
inline constexpr const char* kSchemaV3 = R"sql(
CREATE TABLE deadline_firings (
  case_id     TEXT NOT NULL REFERENCES cases (id),
  deadline_id TEXT NOT NULL,
  started_at  INTEGER NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('due_soon', 'overdue', 'late3')),
  fired_at    INTEGER NOT NULL,
  PRIMARY KEY (case_id, deadline_id, started_at, kind)
) WITHOUT ROWID;
)sql";

// Overleggen: meetings per case type and municipality with their
// participating organisations, one agenda per meeting and date, its items
// and the decisions recorded per case during the meeting.
inline constexpr const char* kSchemaV4 = R"sql(
CREATE TABLE meetings (
  id           TEXT PRIMARY KEY,
  case_type    TEXT NOT NULL,
  municipality TEXT NOT NULL,
  name         TEXT NOT NULL,
  cadence_days INTEGER NOT NULL CHECK (cadence_days > 0),
  created_at   INTEGER NOT NULL
);

CREATE TABLE meeting_participants (
  meeting_id TEXT NOT NULL REFERENCES meetings (id),
  org_id     TEXT NOT NULL REFERENCES organisations (id),
  PRIMARY KEY (meeting_id, org_id)
) WITHOUT ROWID;

CREATE TABLE agendas (
  id         TEXT PRIMARY KEY,
  meeting_id TEXT NOT NULL REFERENCES meetings (id),
  date       TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  UNIQUE (meeting_id, date)
);

CREATE TABLE agenda_items (
  agenda_id TEXT NOT NULL REFERENCES agendas (id),
  case_id   TEXT NOT NULL REFERENCES cases (id),
  position  INTEGER NOT NULL,
  reason    TEXT NOT NULL,
  PRIMARY KEY (agenda_id, case_id)
) WITHOUT ROWID;

CREATE TABLE agenda_decisions (
  agenda_id  TEXT NOT NULL REFERENCES agendas (id),
  case_id    TEXT NOT NULL REFERENCES cases (id),
  decided_at INTEGER NOT NULL,
  decided_by TEXT NOT NULL,
  summary    TEXT NOT NULL
);
CREATE INDEX agenda_decisions_by_agenda ON agenda_decisions (agenda_id, case_id);
)sql";

// v5: privacy by design (docs/privacy.md). Audit chain scheme 2 (a salted
// digest of the erasable content), erasure markers, objection, and the
// retention log that keeps what remains of erased records. Applied in two
// parts around the audit chain upgrade (migrations.cc): the old update
// trigger must be gone while the upgrade rewrites hashes, and the new one,
// which allows nothing but erasure, must be in place before commit.
inline constexpr const char* kSchemaV5Before = R"sql(
ALTER TABLE audit_log ADD COLUMN scheme INTEGER NOT NULL DEFAULT 1;
ALTER TABLE audit_log ADD COLUMN detail TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN salt TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN content_digest TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN erased_at INTEGER;
DROP TRIGGER audit_log_no_update;
CREATE INDEX audit_log_unerased_by_time ON audit_log (at) WHERE erased_at IS NULL;

ALTER TABLE case_events ADD COLUMN erased_at INTEGER;
DROP TRIGGER case_events_no_update;
-- Append-only still, except that retention may blank a payload once.
CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
WHEN NOT (NEW.id = OLD.id AND NEW.case_id = OLD.case_id AND NEW.type = OLD.type AND NEW.at = OLD.at
          AND NEW.actor_user_id = OLD.actor_user_id AND OLD.erased_at IS NULL
          AND NEW.erased_at IS NOT NULL AND NEW.payload_json = '{}')
BEGIN SELECT RAISE(ABORT, 'case_events are append-only'); END;

ALTER TABLE cases ADD COLUMN erased_at INTEGER;
ALTER TABLE reports ADD COLUMN erased_at INTEGER;
ALTER TABLE persons ADD COLUMN objected_at INTEGER;
CREATE INDEX reports_by_subject ON reports (subject_person_id);

-- What remains of an erased record: its kind and dates and how much was
-- removed; never content.
CREATE TABLE retention_log (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  object_type TEXT NOT NULL CHECK (object_type IN ('case', 'report', 'person', 'audit')),
  object_id   TEXT NOT NULL,
  kind        TEXT NOT NULL,
  closed_at   INTEGER,
  erased_at   INTEGER NOT NULL,
  counts_json TEXT NOT NULL
);
CREATE INDEX retention_log_by_object ON retention_log (object_type, object_id);
)sql";

inline constexpr const char* kSchemaV5After = R"sql(
-- Append-only, except that retention may erase a scheme-2 entry's content
-- (client, reason, detail) and its salt once; every field the hash
-- commits to directly stays as it was.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN NOT (NEW.seq = OLD.seq AND NEW.at = OLD.at AND NEW.action = OLD.action AND NEW.result = OLD.result
          AND NEW.user_id = OLD.user_id AND NEW.role = OLD.role AND NEW.org_id = OLD.org_id
          AND NEW.on_behalf_of = OLD.on_behalf_of AND NEW.object_type = OLD.object_type
          AND NEW.object_id = OLD.object_id AND NEW.person_id = OLD.person_id
          AND NEW.prev_hash = OLD.prev_hash AND NEW.hash = OLD.hash AND NEW.scheme = OLD.scheme
          AND NEW.content_digest = OLD.content_digest AND OLD.scheme = 2 AND OLD.erased_at IS NULL
          AND NEW.erased_at IS NOT NULL AND NEW.client = '' AND NEW.reason = '' AND NEW.detail = ''
          AND NEW.salt = '')
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
)sql";

// v6: indexes in the order the list queries read. Every index on cases
// and case_team ends in case id, so a page is read in index order from its
// keyset cursor (`id > ?`) and stops at LIMIT instead of sorting all of a
// municipality's cases for each page. Catalogue of every index and the
// query it serves: the catalogue below.
inline constexpr const char* kSchemaV6 = R"sql(
DROP INDEX cases_by_type_state;
DROP INDEX cases_by_municipality;
DROP INDEX cases_by_subject;
CREATE INDEX cases_by_type_state ON cases (type, state, id);
CREATE INDEX cases_by_municipality ON cases (municipality, id);
CREATE INDEX cases_by_municipality_type_state ON cases (municipality, type, state, id);
CREATE INDEX cases_by_subject ON cases (subject_person_id, id);

DROP INDEX case_team_by_org;
DROP INDEX case_team_by_user;
CREATE INDEX case_team_by_org ON case_team (org_id, user_id, case_id);
CREATE INDEX case_team_by_user ON case_team (user_id, case_id);
)sql";

// Version 7: the rate limits every node shares (RateLimitRepository).
inline constexpr const char* kSchemaV7 = R"sql(
CREATE TABLE rate_limit_hits (
  id       TEXT PRIMARY KEY,
  scope    TEXT NOT NULL,
  key_hash TEXT NOT NULL,
  at       INTEGER NOT NULL
);
CREATE INDEX rate_limit_hits_by_key ON rate_limit_hits (scope, key_hash, at);
CREATE INDEX rate_limit_hits_by_time ON rate_limit_hits (scope, at);
)sql";

// Version 8: sign-in through an organisation's OpenID provider (issue #15).
// A user may be linked to one identity at a provider, (issuer, sub); a
// session remembers the provider's session id for back-channel logout; a
// login between redirect and callback, or between callback and the TOTP
// step, is a row of oidc_logins, taken (read and deleted) once. Empty text,
// not NULL, marks a local account or session, as elsewhere in this schema;
// the partial indexes leave those rows out, so any number of local users
// share the empty identity and only real identities must be unique.
inline constexpr const char* kSchemaV8 = R"sql(
ALTER TABLE users ADD COLUMN oidc_issuer TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN oidc_subject TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX users_by_oidc_subject ON users (oidc_issuer, oidc_subject) WHERE oidc_subject <> '';

ALTER TABLE sessions ADD COLUMN oidc_issuer TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN oidc_sid TEXT NOT NULL DEFAULT '';
CREATE INDEX sessions_by_oidc_sid ON sessions (oidc_issuer, oidc_sid) WHERE oidc_sid <> '';

-- Transient: a row lives minutes. code_verifier is a secret (PKCE) and is
-- only ever read back by Take; ids are hashes of the state or handover
-- token, never the tokens themselves.
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
  mfa_asserted  INTEGER NOT NULL CHECK (mfa_asserted IN (0, 1)),
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL
);
CREATE INDEX oidc_logins_by_expiry ON oidc_logins (expires_at);
)sql";

// Version 9: zaaknummers (storage/case_number.h), e.g. IAWW-2026-0042.
// CaseRepository::Insert takes the next number of the case's type and
// creation year from case_number_counters in the case's own transaction.
// Existing cases are numbered here in the order they were created, per
// type and year, and the counters continue after them. The year is the
// Amsterdam date's: New Year always falls in winter time (UTC+1), so it is
// the UTC year an hour later (the same as CaseNumberYear, which asks the
// tz database).
inline constexpr const char* kSchemaV9 = R"sql(
ALTER TABLE cases ADD COLUMN case_number TEXT NOT NULL DEFAULT '';

CREATE TABLE case_number_counters (
  type        TEXT NOT NULL,
  year        INTEGER NOT NULL,
  last_number INTEGER NOT NULL CHECK (last_number >= 0),
  PRIMARY KEY (type, year)
) WITHOUT ROWID;

WITH dated AS (
  SELECT id, type, created_at, CAST(strftime('%Y', created_at + 3600, 'unixepoch') AS INTEGER) AS year FROM cases
), numbered AS (
  SELECT id, type, year, row_number() OVER (PARTITION BY type, year ORDER BY created_at, id) AS n FROM dated
)
UPDATE cases SET case_number = upper(numbered.type) || '-' || numbered.year || '-' || printf('%04d', numbered.n)
FROM numbered WHERE cases.id = numbered.id;

INSERT INTO case_number_counters (type, year, last_number)
SELECT type, CAST(strftime('%Y', created_at + 3600, 'unixepoch') AS INTEGER), count(*) FROM cases GROUP BY 1, 2;

CREATE UNIQUE INDEX cases_by_case_number ON cases (case_number);
)sql";

// Version 10: opschorting, the suspension of a deadline (engine/engine.h,
// DeadlineState). term is the term as started, as DurationSpec text
// ("14d", "10wd", "24h"), so that a suspension moves the right end;
// extended_by is the suspended time added so far in the term's own unit;
// suspended_at and suspension_reason are set only while suspended. Existing
// deadlines were never suspended: NULL, 0, NULL, NULL, and the engine
// resolves a NULL term from the definition.
inline constexpr const char* kSchemaV10 = R"sql(
ALTER TABLE case_deadlines ADD COLUMN term TEXT;
ALTER TABLE case_deadlines ADD COLUMN extended_by INTEGER NOT NULL DEFAULT 0;
ALTER TABLE case_deadlines ADD COLUMN suspended_at INTEGER;
ALTER TABLE case_deadlines ADD COLUMN suspension_reason TEXT;
)sql";

// Every index, and the query that needs it (repository and statement). An
// index costs each insert a b-tree write, so none stays without a reader.
//
// persons_by_name                  PersonRepository::FindByName (duplicate hint at intake)
// reports_by_received              ReportRepository::List (newest first)
// reports_by_subject               PrivacyRepository: a person's reports (export, erasure)
// cases_by_type_state              CaseRepository::List, region scope filtered by type and state
// cases_by_municipality            CaseRepository::List, municipality scope unfiltered (also dashboard scan)
// cases_by_municipality_type_state CaseRepository::List, municipality scope by type (and state): the worklist
// cases_by_subject                 CaseRepository::List by subject: the person view and the export
// cases_by_case_number             CaseRepository::List by zaaknummer (unique: a number is given once)
// case_deadlines_active_by_due     DeadlineFiringRepository: active deadlines due before now (suspended
//                                  ones, few, are filtered out of the index range)
// case_events_by_case              EventRepository::ListForCase (the timeline)
// notes_by_case, actions_by_case   NoteRepository/ActionRepository::ListForCase
// case_team_by_org                 TeamRepository::CaseIdsFor, the whole organisation's team cases, paged
// case_team_by_user                TeamRepository::CaseIdsFor, the cases naming the user, paged
// sessions_by_user                 SessionRepository::RevokeAllForUser (a blocked user's sessions end)
// sessions_by_expiry               SessionRepository::DeleteEndedBefore
// access_grants_by_case_user       AccessGrantRepository::ListActive (need-to-know on every case read)
// access_grants_by_user            AccessGrantRepository::ListActiveForUser (case list via grants)
// access_grants_unreviewed         AccessGrantRepository::ListUnreviewed (the privacy officer's review queue)
// audit_log_by_person              AuditRepository::Search by person: who saw this person's data (AVG inzage)
// audit_log_by_object              AuditRepository::Search by object (a case's audit trail)
// audit_log_by_user                AuditRepository::Search by user (what did this account do)
// audit_log_unerased_by_time       PrivacyRepository: retention of entries whose content is still stored
// agenda_decisions_by_agenda       MeetingRepository: the decisions of an agenda
// retention_log_by_object          PrivacyRepository: what remains of an erased record
// rate_limit_hits_by_key           RateLimitRepository::CountSince, RemoveKey (a throttle's window)
// rate_limit_hits_by_time          RateLimitRepository::PurgeBefore (attempts past every window)
// users_by_oidc_subject            UserRepository::FindByOidcSubject (unique: one account per identity)
// sessions_by_oidc_sid             SessionRepository::RevokeByOidcSid (back-channel logout)
// oidc_logins_by_expiry            OidcLoginRepository::DeleteExpiredBefore

}  // namespace casus::storage::sqlite
