// Repository interfaces: what the app layer may ask of storage. The SQLite
// adapter (sqlite_store.h) implements them; a PostgreSQL backend would too,
// without touching engine or api.
//
// All work happens inside a Transaction. Writes go through Store::Write /
// SubmitWrite and run on the single writer thread, which commits them in
// groups and answers every caller after its group's commit. Reads go
// through Store::Read on a reader connection of their own.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "storage/records.h"

namespace casus::storage {

class OrganisationRepository {
 public:
  virtual ~OrganisationRepository() = default;
  virtual Status Insert(const Organisation& org) = 0;                        // FailedPrecondition on duplicate name
  virtual StatusOr<Organisation> Get(const std::string& id) = 0;             // NotFound
  virtual StatusOr<std::optional<Organisation>> FindByName(const std::string& name) = 0;
  virtual StatusOr<std::vector<Organisation>> List() = 0;
};

class UserRepository {
 public:
  virtual ~UserRepository() = default;
  virtual Status Insert(const User& user) = 0;  // FailedPrecondition on duplicate username
  virtual StatusOr<User> Get(const std::string& id) = 0;
  virtual StatusOr<std::optional<User>> FindByUsername(const std::string& username) = 0;
  virtual StatusOr<std::vector<User>> List() = 0;
  // Replaces the stored user with the same id (NotFound when absent).
  virtual Status Update(const User& user) = 0;
  // The account linked to this identity at an OpenID provider.
  virtual StatusOr<std::optional<User>> FindByOidcSubject(const std::string& issuer, const std::string& subject) = 0;
};

class PersonRepository {
 public:
  virtual ~PersonRepository() = default;
  virtual Status Insert(const Person& person) = 0;
  virtual StatusOr<Person> Get(const std::string& id) = 0;
  // Exact name (case-insensitive) and, when given, birth date: the duplicate check.
  virtual StatusOr<std::vector<Person>> FindByName(const std::string& name, std::optional<Date> birth_date) = 0;
};

struct ReportFilter {
  std::optional<std::string> status;
  std::optional<std::string> category;
  std::optional<std::string> municipality;
  std::optional<TimePoint> since;
  int limit = 100;
};

class ReportRepository {
 public:
  virtual ~ReportRepository() = default;
  virtual Status Insert(const Report& report) = 0;
  virtual Status Update(const Report& report) = 0;  // NotFound
  // Links an unlinked report to its case (status "gekoppeld", the subject).
  // Aborted (reason stale_version) when it was linked meanwhile; NotFound when absent.
  virtual Status LinkCase(const std::string& report_id, const std::string& case_id,
                          const std::string& subject_person_id, TimePoint at) = 0;
  virtual StatusOr<Report> Get(const std::string& id) = 0;
  virtual StatusOr<Report> GetByTrackingCode(const std::string& code) = 0;
  virtual StatusOr<std::vector<Report>> List(const ReportFilter& filter) = 0;  // newest first
};

struct CaseFilter {
  std::optional<std::string> type;
  std::optional<std::string> state;
  std::optional<std::string> level;
  std::optional<std::string> municipality;
  std::optional<std::string> subject_person_id;
  // A zaaknummer, exactly, in its canonical (upper-case) form (case_number.h).
  std::optional<std::string> case_number;
  std::optional<std::string> after_id;  // cursor: cases ordered by id
  int limit = 100;
};

class CaseRepository {
 public:
  virtual ~CaseRepository() = default;
  // Inserts the case with the next zaaknummer of its type and creation year
  // (case_number.h; kase.case_number is ignored) and returns that number.
  // The counter moves in this transaction: rolled back, the number is free
  // again; committed, it is never given out again.
  virtual StatusOr<std::string> InsertNumbered(const CaseRecord& kase) = 0;
  // InsertNumbered, for callers that do not need the number.
  Status Insert(const CaseRecord& kase) { return InsertNumbered(kase).status(); }
  virtual StatusOr<CaseRecord> Get(const std::string& id) = 0;  // NotFound
  // Stores `kase` with version expected_version + 1 when the stored version
  // is expected_version; Aborted (reason "stale_version") otherwise, NotFound when absent.
  virtual Status Update(const CaseRecord& kase, std::int64_t expected_version) = 0;
  // Writes only what a command changes (records.h); the same Aborted and
  // NotFound as Update. The writer's check of a write set's read version.
  virtual Status UpdateProgress(const CaseProgress& progress) = 0;
  // OK when the case is still at `version`; the same Aborted and NotFound as
  // Update otherwise. The writer's check for a write set that adds to a
  // case without changing it (a note, an afspraak, a team member).
  virtual Status ExpectVersion(const std::string& case_id, std::int64_t version) = 0;
  virtual StatusOr<std::vector<CaseRecord>> List(const CaseFilter& filter) = 0;
  // The cases among `ids` (at most 1,000) that match the filter's type,
  // state and level, in id order; the filter's other criteria are ignored.
  // Non-matching cases are rejected by SQLite, before they are decoded.
  virtual StatusOr<std::vector<CaseRecord>> ListAmong(const std::vector<std::string>& ids,
                                                      const CaseFilter& filter) = 0;
};

class CaseEventRepository {
 public:
  virtual ~CaseEventRepository() = default;
  virtual StatusOr<std::int64_t> Append(const CaseEvent& event) = 0;  // returns the new id; events are never changed
  virtual StatusOr<std::vector<CaseEvent>> ListForCase(const std::string& case_id) = 0;
  virtual StatusOr<std::vector<CaseEvent>> ListAfter(std::int64_t after_id, int limit) = 0;
  virtual StatusOr<std::int64_t> LastId() = 0;  // 0 when there are none
};

class NoteRepository {
 public:
  virtual ~NoteRepository() = default;
  virtual Status Insert(const Note& note) = 0;
  virtual StatusOr<std::vector<Note>> ListForCase(const std::string& case_id) = 0;
};

class ActionRepository {
 public:
  virtual ~ActionRepository() = default;
  virtual Status Insert(const Action& action) = 0;
  virtual Status Update(const Action& action) = 0;
  virtual StatusOr<std::vector<Action>> ListForCase(const std::string& case_id) = 0;
};

class TeamRepository {
 public:
  virtual ~TeamRepository() = default;
  virtual Status Add(const TeamMember& member) = 0;  // FailedPrecondition when already a member
  virtual StatusOr<std::vector<TeamMember>> ListForCase(const std::string& case_id) = 0;
  // A page of the case ids whose team includes the organisation (as a whole)
  // or names the user: at most `limit`, in id order, after `after_id` ("" for
  // the first page). Read in index order: a page costs its own rows only.
  virtual StatusOr<std::vector<std::string>> CaseIdsFor(const std::string& org_id, const std::string& user_id,
                                                        const std::string& after_id, int limit) = 0;
};

class SessionRepository {
 public:
  virtual ~SessionRepository() = default;
  virtual Status Insert(const Session& session) = 0;
  // The session with this token hash, revoked or not (the caller checks expiry).
  virtual StatusOr<std::optional<Session>> FindByTokenHash(const std::string& token_hash) = 0;
  virtual Status Touch(const std::string& session_id, TimePoint last_seen_at) = 0;
  virtual Status Revoke(const std::string& session_id, TimePoint at) = 0;
  virtual Status RevokeAllForUser(const std::string& user_id, TimePoint at) = 0;
  // Revokes the live (not yet revoked) sessions begun at `issuer` with
  // provider session `sid` (back-channel logout); how many it revoked. An
  // empty `sid` matches no session.
  virtual StatusOr<int> RevokeByOidcSid(const std::string& issuer, const std::string& sid, TimePoint at) = 0;
  // Deletes sessions that expired or were revoked before `before` (housekeeping).
  virtual StatusOr<int> DeleteEndedBefore(TimePoint before) = 0;
};

class AccessGrantRepository {
 public:
  virtual ~AccessGrantRepository() = default;
  virtual Status Insert(const AccessGrant& grant) = 0;
  // Grants for (case, user) with expires_at > now.
  virtual StatusOr<std::vector<AccessGrant>> ListActive(const std::string& case_id, const std::string& user_id,
                                                        TimePoint now) = 0;
  // Every grant of this user that is active at `now` (to widen case lists).
  virtual StatusOr<std::vector<AccessGrant>> ListActiveForUser(const std::string& user_id, TimePoint now) = 0;
  virtual StatusOr<std::vector<AccessGrant>> ListForCase(const std::string& case_id) = 0;
  virtual StatusOr<std::vector<AccessGrant>> ListUnreviewed(int limit) = 0;
  virtual Status MarkReviewed(const std::string& grant_id, const std::string& reviewer_id, TimePoint at) = 0;
};

// Workflow definition sources by (type, version), so that a case can be
// handled under the version it was opened with after the file changed.
class DefinitionRepository {
 public:
  virtual ~DefinitionRepository() = default;
  // Records the source; FailedPrecondition when (type, version) is stored
  // with a different source (a changed definition needs a new version).
  virtual Status Put(const std::string& type, int version, const std::string& source) = 0;
  virtual StatusOr<std::optional<std::string>> Get(const std::string& type, int version) = 0;
  struct Stored {
    std::string type;
    int version;
    std::string source;
  };
  virtual StatusOr<std::vector<Stored>> List() = 0;
};

struct AuditFilter {
  std::optional<std::string> object_type;
  std::optional<std::string> object_id;  // e.g. a case id
  std::optional<std::string> person_id;
  std::optional<std::string> user_id;
  std::optional<std::string> action;
  std::optional<TimePoint> since;
  std::int64_t after_seq = 0;
  int limit = 100;
};

// The hash-chained audit log. Append fills seq, prev_hash and hash.
class AuditLog {
 public:
  virtual ~AuditLog() = default;
  // One entry: AppendAll of one.
  StatusOr<AuditEntry> Append(AuditEntry entry);
  // Appends the entries in their order, chained in one pass: the head is
  // read and moved once, however many entries.
  virtual StatusOr<std::vector<AuditEntry>> AppendAll(std::vector<AuditEntry> entries) = 0;
  virtual StatusOr<std::vector<AuditEntry>> List(std::int64_t after_seq, int limit) = 0;
  // Entries matching every given criterion, in seq order, after `after_seq`.
  virtual StatusOr<std::vector<AuditEntry>> Search(const AuditFilter& filter) = 0;
};

// The exactly-once record of deadline firings, and the scheduler's query.
class DeadlineFiringRepository {
 public:
  virtual ~DeadlineFiringRepository() = default;
  // Records the firing; false (and nothing changes) when this (case,
  // deadline, started_at, kind) was already recorded.
  virtual StatusOr<bool> TryRecord(const DeadlineFiring& firing) = 0;
  virtual StatusOr<std::vector<DeadlineFiring>> ListForCase(const std::string& case_id) = 0;
  // Active deadlines of all cases with due_at < `before`, earliest first;
  // suspended ones are left out (neither due soon nor overdue while suspended).
  virtual StatusOr<std::vector<ActiveDeadline>> ListActiveDueBefore(TimePoint before, int limit) = 0;
};

// Overleggen: meetings, their agendas per date and the decisions taken.
class MeetingRepository {
 public:
  virtual ~MeetingRepository() = default;
  virtual Status Insert(const Meeting& meeting) = 0;  // with its participants
  virtual StatusOr<Meeting> Get(const std::string& id) = 0;  // NotFound
  virtual StatusOr<std::vector<Meeting>> List() = 0;  // ordered by id
  // FailedPrecondition when the meeting already has an agenda on that date.
  virtual Status InsertAgenda(const Agenda& agenda) = 0;
  virtual StatusOr<std::optional<Agenda>> FindAgenda(const std::string& meeting_id, const std::string& date) = 0;
  // Replaces the agenda's items (positions as given).
  virtual Status ReplaceItems(const std::string& agenda_id, const std::vector<AgendaItem>& items) = 0;
  virtual Status InsertDecision(const AgendaDecision& decision) = 0;
  virtual StatusOr<std::vector<AgendaDecision>> ListDecisions(const std::string& agenda_id) = 0;  // oldest first
};

// What remains of an erased record (the retention_log): kind, dates and
// how much was removed, never content.
struct RetentionRecord {
  std::string object_type;  // case, report, person, audit
  std::string object_id;
  std::string kind;         // case type, report category, "person", "audit"
  std::optional<TimePoint> closed_at;
  TimePoint erased_at{};
  std::string counts_json;  // e.g. {"notes":2,"actions":1,"events":7}
};

struct ErasedCase {
  int notes = 0;
  int actions = 0;
  int events = 0;  // payloads blanked; the rows (type, time, actor) stay
  int team = 0;
  int grants = 0;  // break-the-glass reasons blanked
  std::string former_subject_person_id;  // empty when none
  std::optional<std::string> report_id;
};

// Retention, correction and objection (docs/privacy.md): the only writes
// that change or remove what other repositories treat as settled.
class PrivacyRepository {
 public:
  virtual ~PrivacyRepository() = default;
  // Ids of not yet erased cases last changed before `before`, ordered by id, after `after_id`.
  virtual StatusOr<std::vector<std::string>> ListUnerasedCasesChangedBefore(TimePoint before,
                                                                           const std::string& after_id,
                                                                           int limit) = 0;
  // Removes the case's content: notes, afspraken, team and data go, event
  // payloads and grant reasons are blanked, the subject link is cut; type,
  // state, level, history, deadlines and dates stay. NotFound when absent.
  virtual StatusOr<ErasedCase> EraseCase(const std::string& case_id, TimePoint at) = 0;
  virtual StatusOr<std::vector<std::string>> ListUnerasedReportsChangedBefore(TimePoint before,
                                                                         const std::string& after_id,
                                                                         int limit) = 0;
  // Blanks description, street and reporter contact and cuts the subject
  // link; category, wijk, municipality, source, status and dates stay
  // (statistics). Returns the former subject person id (empty when none).
  virtual StatusOr<std::string> EraseReport(const std::string& report_id, TimePoint at) = 0;
  // Deletes the person when no case or report refers to them any more.
  virtual StatusOr<bool> DeletePersonIfUnreferenced(const std::string& person_id) = 0;
  virtual Status RecordRetention(const RetentionRecord& record) = 0;
  virtual StatusOr<std::vector<RetentionRecord>> ListRetention(std::int64_t after_id, int limit) = 0;
  // Erases client, reason, detail and salt of up to `limit` scheme-2 audit
  // entries written before `before`; returns how many. Internal when an
  // entry's content no longer matches its digest (it is then left alone:
  // erasing would hide the tampering).
  virtual StatusOr<int> EraseAuditContentBefore(TimePoint before, TimePoint at, int limit) = 0;
  // Name and birth date (correction); NotFound when absent.
  virtual Status UpdatePerson(const Person& person) = 0;
  // Records (a time) or withdraws (nullopt) the person's objection.
  virtual Status SetObjection(const std::string& person_id, std::optional<TimePoint> at) = 0;
  // Ids of the reports whose subject is the person, newest first.
  virtual StatusOr<std::vector<std::string>> ReportIdsAbout(const std::string& person_id, int limit) = 0;
  virtual StatusOr<bool> IsCaseErased(const std::string& case_id) = 0;
};

// Sliding-window counters that every node shares (the login throttles and
// the public-report limit): one row per counted attempt, keyed by a scope
// ("login.account", "login.address", "public_report") and a digest of the
// key (never the account name or address itself), removed once it is
// older than its window.
class RateLimitRepository {
 public:
  virtual ~RateLimitRepository() = default;
  // Attempts of (scope, key) at or after `since`.
  virtual StatusOr<int> CountSince(const std::string& scope, const std::string& key, TimePoint since) = 0;
  virtual Status Record(const std::string& id, const std::string& scope, const std::string& key, TimePoint at) = 0;
  // Takes back one attempt (it succeeded); absent ids are no error.
  virtual Status Remove(const std::string& id) = 0;
  virtual Status RemoveKey(const std::string& scope, const std::string& key) = 0;
  // Forgets the scope's attempts before `before` (outside every window).
  virtual Status PurgeBefore(const std::string& scope, TimePoint before) = 0;
};

// OpenID Connect logins in progress (records.h OidcLogin), shared by every
// node: the callback may reach another node than the start did.
class OidcLoginRepository {
 public:
  virtual ~OidcLoginRepository() = default;
  virtual Status Insert(const OidcLogin& login) = 0;  // FailedPrecondition on a duplicate id
  // Reads and deletes the login with this id and kind; nullopt when there
  // is none (never stored, already taken, or of the other kind). Expiry is
  // the caller's to check.
  virtual StatusOr<std::optional<OidcLogin>> Take(const std::string& id, const std::string& kind) = 0;
  // Deletes logins that expired before `before` (housekeeping); how many.
  virtual StatusOr<int> DeleteExpiredBefore(TimePoint before) = 0;
};

// A unit of work: everything done through it commits or rolls back together.
class Transaction {
 public:
  virtual ~Transaction() = default;
  virtual OrganisationRepository& organisations() = 0;
  virtual UserRepository& users() = 0;
  virtual PersonRepository& persons() = 0;
  virtual ReportRepository& reports() = 0;
  virtual CaseRepository& cases() = 0;
  virtual CaseEventRepository& events() = 0;
  virtual NoteRepository& notes() = 0;
  virtual ActionRepository& actions() = 0;
  virtual TeamRepository& team() = 0;
  virtual DefinitionRepository& definitions() = 0;
  virtual AuditLog& audit() = 0;
  virtual SessionRepository& sessions() = 0;
  virtual AccessGrantRepository& grants() = 0;
  virtual DeadlineFiringRepository& deadline_firings() = 0;
  virtual MeetingRepository& meetings() = 0;
  virtual PrivacyRepository& privacy() = 0;
  virtual RateLimitRepository& rate_limits() = 0;
  virtual OidcLoginRepository& oidc_logins() = 0;
};

using WorkFn = std::function<Status(Transaction&)>;

// Runs `work`; an exception it throws becomes Internal ("<what> threw: …"),
// so that a throwing job cannot take the writer or a reader down.
Status RunCatching(const std::function<Status()>& work, const std::string& what);
using DoneFn = std::function<void(Status)>;

// What a write job is, for the writer's disk-full guard. Once a commit
// failed for lack of space, commands are refused at once (Unavailable,
// reason storage_full) until space returns, while the audit entries of
// reads still commit, into space the store kept in reserve for them: a
// full disk stops changes, not the people who need to read a case.
enum class WriteKind { kCommand, kReadAudit };

class Store {
 public:
  virtual ~Store() = default;

  // Queues `work` for the writer thread. It runs inside a write transaction
  // (its own savepoint within a group); if it returns non-OK, its changes
  // are rolled back and the others in the group are unaffected. `done` runs
  // on the writer thread after the group committed (or failed to) with the
  // final status; keep it short. When the queue is full, returns
  // Unavailable at once (overload: the API answers 503) and `done` is never called.
  virtual Status SubmitWrite(WorkFn work, DoneFn done, WriteKind kind = WriteKind::kCommand) = 0;

  // SubmitWrite and wait for the answer. Never call from the writer thread.
  Status Write(WorkFn work, WriteKind kind = WriteKind::kCommand);

  // Queues the audit entries of a read. They need no job of their own: the
  // writer appends the entries of every read in a group in one chained
  // pass, in the group's transaction, after its commands. WriteKind
  // kReadAudit (they still commit while the disk is full). `done` and a
  // full queue as for SubmitWrite.
  virtual Status SubmitAudit(std::vector<AuditEntry> entries, DoneFn done) = 0;

  // SubmitAudit and wait: the read's entries are durable when it returns OK.
  Status AppendAudit(std::vector<AuditEntry> entries);

  // Runs `work` in a read-only transaction on a reader connection.
  // Repository writes inside it fail. Safe from any thread.
  virtual Status Read(WorkFn work) = 0;

  // Walks the whole audit chain.
  virtual StatusOr<AuditVerification> VerifyAudit() = 0;

  // Whether this node may run the background jobs (deadline ticks,
  // retention) now: one node at a time among all nodes on one database.
  // The lead passes on when its node stops or loses its connection.
  // Exactly-once stays the database's guarantee (deadline claims); the
  // lead only keeps nodes from doing the same work. A single-node backend
  // always leads.
  virtual bool TryLead() { return true; }

  // Whether other nodes may write to this database too. Then live events
  // come from the database (app/shared_event_feed.h), in commit order for
  // every node, rather than from this node's writer alone.
  virtual bool Shared() const { return false; }
  // Blocks up to `timeout` for a signal that some node committed; true when
  // one came, false on timeout. A single-node backend only waits.
  virtual bool WaitForCommits(std::chrono::milliseconds timeout);

  // Waits until everything queued so far is committed and answered.
  virtual void Flush() = 0;
  virtual std::size_t WriteQueueDepth() const = 0;
};

}  // namespace casus::storage
