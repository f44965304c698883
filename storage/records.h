// Rows as the rest of Casus sees them. Plain values; no SQLite types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "common/time.h"
#include "engine/engine.h"

namespace casus::storage {

struct Organisation {
  std::string id;
  std::string name;
  std::string type;  // engine::kOrgTypes
  std::string municipality;
};

struct User {
  std::string id;
  std::string username;
  std::string org_id;
  std::vector<std::string> roles;
  std::string password_hash;  // Argon2id encoded string; never logged
  std::string totp_secret;    // base32; never logged
  bool disabled = false;
  TimePoint created_at{};
  std::int64_t totp_last_step = 0;  // last accepted TOTP time step: a code works once
  // The identity at an OpenID provider this account signs in with: the
  // provider's issuer and its `sub` for the person. Both empty for a local
  // account; (issuer, subject) is unique among users.
  std::string oidc_issuer;
  std::string oidc_subject;
};

struct Person {
  std::string id;
  std::string name;
  std::optional<Date> birth_date;
  std::optional<std::string> bsn;  // only where a workflow requires it
  TimePoint created_at{};
  std::optional<TimePoint> objected_at = std::nullopt;  // bezwaar (AVG art. 21) recorded
};

struct Report {
  std::string id;
  std::string tracking_code;
  std::string source;         // burger, professional, politie, landelijk_meldpunt
  std::string category;
  std::string description;
  std::string incident_code;  // E33, E14 or empty
  std::string street;
  std::string wijk;
  std::string municipality;
  std::string reporter_name;  // contact details: meldpunt only
  std::string reporter_email;
  std::string reporter_phone;
  std::optional<std::string> subject_person_id;
  std::string status = "ontvangen";  // ontvangen, getrieerd, gekoppeld, doorgestuurd, afgesloten
  std::optional<std::string> case_id;
  TimePoint received_at{};
  TimePoint updated_at{};
};

struct CaseRecord {
  std::string id;
  // The zaaknummer, e.g. IAWW-2026-0042 (storage/case_number.h): assigned
  // by CaseRepository::Insert, never changed; ignored by Insert and Update.
  std::string case_number;
  std::string type;
  int definition_version = 0;
  std::string state;
  std::string level;
  std::int64_t version = 1;  // bumped by every successful update
  std::string municipality;
  int confidentiality = 1;   // 1 normaal, 2 vertrouwelijk, 3 zeer vertrouwelijk
  std::string subject_person_id;
  std::optional<std::string> report_id;
  TimePoint received_at{};
  TimePoint created_at{};
  TimePoint updated_at{};
  std::vector<engine::DeadlineState> deadlines;
  std::vector<std::string> history;  // transition names taken, oldest first
  engine::FieldMap data;
};

// A command's change of a case: only the columns a command changes, applied
// when the stored version is still `expected_version` (it becomes
// expected_version + 1). Deadlines are rewritten only when they changed.
struct CaseProgress {
  std::string case_id;
  std::int64_t expected_version = 0;
  std::string state;
  std::string level;
  std::vector<std::string> history;
  engine::FieldMap data;
  TimePoint updated_at{};
  std::optional<std::vector<engine::DeadlineState>> deadlines;  // set: replace them
};

struct CaseEvent {
  std::int64_t id = 0;  // global, increasing: the WebSocket replay cursor
  std::string case_id;
  std::string type;     // engine::DomainEvent::type, or note.added, action.added, ...
  TimePoint at{};
  std::string actor_user_id;
  std::string payload_json;  // a JSON object
};

struct Note {
  std::string id;
  std::string case_id;
  std::string author_user_id;
  std::string text;
  TimePoint created_at{};
};

struct Action {  // afspraak
  std::string id;
  std::string case_id;
  std::string description;
  std::string owner_org_id;
  std::string owner_user_id;  // may be empty
  TimePoint due_at{};
  std::string status = "open";  // open, gereed, vervallen
  TimePoint created_at{};
};

struct TeamMember {
  std::string case_id;
  std::string org_id;
  std::string user_id;             // empty: the whole organisation
  std::string role = "lid";        // lid, deelnemer, regisseur
  TimePoint added_at{};
};

// One NEN 7513 audit entry (DOMAIN.md §6). Ids only: never names, BSNs,
// passwords, tokens or free text about persons other than `reason`.
struct AuditEntry {
  std::int64_t seq = 0;  // assigned on append, 1, 2, 3, ...
  TimePoint at{};
  std::string action;       // e.g. case.read, case.transition, login.failed
  std::string result;       // success, denied, failed
  std::string user_id;
  std::string role;
  std::string org_id;
  std::string on_behalf_of;
  std::string client;       // address / device
  std::string object_type;  // case, person, report, user, ...
  std::string object_id;
  std::string person_id;    // the person the object concerns
  std::string reason;       // break-the-glass, export
  // What changed, e.g. a correction's old and new value (JSON). Like
  // `client` and `reason` it is erasable content (docs/privacy.md).
  std::string detail;
  std::string prev_hash;    // hex, assigned on append ("" for the first)
  std::string hash;         // hex SHA-256, assigned on append
  // Chain scheme (docs/privacy.md). Append always writes scheme 2: the hash
  // covers the metadata and a salted digest of the erasable content, so
  // erasing content later keeps the chain verifiable. Scheme 1 (entries
  // written before schema v5 whose chain could not be upgraded) hashed
  // every field; it is the default here only so that a hand-built entry
  // hashes the way such an old row did.
  int scheme = 1;
  std::string salt;            // hex, random per entry; erased with the content
  std::string content_digest;  // hex SHA-256 over salt and content, assigned on append
  std::optional<TimePoint> erased_at;
};

// A login session. The token itself is never stored: only its SHA-256.
struct Session {
  std::string id;
  std::string token_hash;  // hex SHA-256 of the bearer token / cookie value
  std::string csrf_hash;   // hex SHA-256 of the CSRF token for cookie-authenticated writes
  std::string user_id;
  std::string client;      // address at login
  TimePoint created_at{};
  TimePoint last_seen_at{};  // idle expiry counts from here
  TimePoint expires_at{};    // absolute expiry
  std::optional<TimePoint> revoked_at;
  // For a session begun through an OpenID provider: its issuer and the
  // provider's session id (`sid` of the ID token, may be empty), so that a
  // back-channel logout can end it. Both empty for a local login.
  std::string oidc_issuer;
  std::string oidc_sid;
};

// An OpenID Connect login between the redirect to the provider and the
// callback (`kind` "authorization"), or between the callback and the
// browser's finishing request, which may still need the TOTP code (`kind`
// "verified"). Each is taken (read and deleted) once; a second use of the
// same state or handover finds nothing.
struct OidcLogin {
  std::string id;            // hex SHA-256 of the state (authorization) or of the handover token (verified)
  std::string kind;          // "authorization" or "verified"
  std::string provider;      // the configured provider's id
  std::string browser_hash;  // hex SHA-256 of the cookie that binds the login to the browser that began it
  // authorization: what the callback checks and sends
  std::string nonce;
  std::string code_verifier;  // PKCE; secret, never logged
  // verified: who signed in and how
  std::string user_id;
  std::string oidc_issuer;
  std::string oidc_sid;
  bool mfa_asserted = false;  // the provider asserted a second factor (amr/acr)
  TimePoint created_at{};
  TimePoint expires_at{};
};

// Break-the-glass: time-limited access outside the case team, with a reason,
// flagged for the privacy officer and the case's regisseur until reviewed.
struct AccessGrant {
  std::string id;
  std::string case_id;
  std::string user_id;
  std::string reason;
  TimePoint granted_at{};
  TimePoint expires_at{};
  std::optional<TimePoint> reviewed_at;
  std::string reviewed_by;  // user id of the reviewer
};

struct AuditVerification {
  bool intact = false;
  std::int64_t entries = 0;
  std::int64_t first_bad_seq = 0;  // 0 when intact
  std::string problem;             // what is wrong there, e.g. "hash mismatch"
};

// One firing of a deadline (kind "due_soon", "overdue" or "late3") for one
// run of it (case, deadline id, started_at): recorded at most once.
struct DeadlineFiring {
  std::string case_id;
  std::string deadline_id;
  TimePoint started_at{};
  std::string kind;
  TimePoint fired_at{};
  bool operator==(const DeadlineFiring&) const = default;
};

// An active (not cleared) deadline of some case, as the scheduler finds it.
struct ActiveDeadline {
  std::string case_id;
  std::string deadline_id;
  TimePoint started_at{};
  TimePoint due_at{};
  bool operator==(const ActiveDeadline&) const = default;
};

// An overleg: a recurring case meeting for one case type in one
// municipality ("regio" for the region-wide ZVH casusoverleg).
struct Meeting {
  std::string id;
  std::string case_type;     // iaww, jpp, topx, wvggz
  std::string municipality;
  std::string name;
  int cadence_days = 7;      // 7 weekly IAWW, 14 two-weekly JPP, ...
  TimePoint created_at{};
  std::vector<std::string> participant_org_ids;  // sorted
};

struct AgendaItem {
  std::string case_id;
  int position = 0;     // 1, 2, 3, ... in agenda order
  std::string reason;   // new, awaiting_overleg, review_due, manual
  bool operator==(const AgendaItem&) const = default;
};

// The agenda of one meeting on one date (YYYY-MM-DD).
struct Agenda {
  std::string id;
  std::string meeting_id;
  std::string date;
  TimePoint created_at{};
  std::vector<AgendaItem> items;  // by position
};

// A decision recorded for a case during a meeting (ids and a short summary
// of what was done, e.g. "transition plan_vaststellen; note; 1 action").
struct AgendaDecision {
  std::string agenda_id;
  std::string case_id;
  TimePoint decided_at{};
  std::string decided_by;  // user id
  std::string summary;
};

}  // namespace casus::storage
