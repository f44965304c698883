// The PostgreSQL repositories: the same interfaces (storage/store.h) and
// the same behaviour as the SQLite ones (storage/sqlite/repositories.h),
// over libpq. Each works on the connection of the transaction it belongs
// to and is valid only while that transaction runs.
#pragma once

#include "storage/postgres/connection.h"
#include "storage/store.h"

namespace casus::storage::postgres {

class PgOrganisations final : public OrganisationRepository {
 public:
  explicit PgOrganisations(Connection& c) : c_(c) {}
  Status Insert(const Organisation& org) override;
  StatusOr<Organisation> Get(const std::string& id) override;
  StatusOr<std::optional<Organisation>> FindByName(const std::string& name) override;
  StatusOr<std::vector<Organisation>> List() override;

 private:
  Connection& c_;
};

class PgUsers final : public UserRepository {
 public:
  explicit PgUsers(Connection& c) : c_(c) {}
  Status Insert(const User& user) override;
  StatusOr<User> Get(const std::string& id) override;
  StatusOr<std::optional<User>> FindByUsername(const std::string& username) override;
  StatusOr<std::vector<User>> List() override;
  Status Update(const User& user) override;
  StatusOr<std::optional<User>> FindByOidcSubject(const std::string& issuer, const std::string& subject) override;

 private:
  Connection& c_;
};

class PgPersons final : public PersonRepository {
 public:
  explicit PgPersons(Connection& c) : c_(c) {}
  Status Insert(const Person& person) override;
  StatusOr<Person> Get(const std::string& id) override;
  StatusOr<std::vector<Person>> FindByName(const std::string& name, std::optional<Date> birth_date) override;

 private:
  Connection& c_;
};

class PgReports final : public ReportRepository {
 public:
  explicit PgReports(Connection& c) : c_(c) {}
  Status Insert(const Report& report) override;
  Status Update(const Report& report) override;
  Status LinkCase(const std::string& report_id, const std::string& case_id, const std::string& subject_person_id,
                  TimePoint at) override;
  StatusOr<Report> Get(const std::string& id) override;
  StatusOr<Report> GetByTrackingCode(const std::string& code) override;
  StatusOr<std::vector<Report>> List(const ReportFilter& filter) override;

 private:
  Connection& c_;
};

class PgCases final : public CaseRepository {
 public:
  explicit PgCases(Connection& c) : c_(c) {}
  StatusOr<std::string> InsertNumbered(const CaseRecord& kase) override;
  StatusOr<CaseRecord> Get(const std::string& id) override;
  Status Update(const CaseRecord& kase, std::int64_t expected_version) override;
  Status UpdateProgress(const CaseProgress& progress) override;
  Status ExpectVersion(const std::string& case_id, std::int64_t version) override;
  StatusOr<std::vector<CaseRecord>> List(const CaseFilter& filter) override;
  StatusOr<std::vector<CaseRecord>> ListAmong(const std::vector<std::string>& ids, const CaseFilter& filter) override;

 private:
  // Aborted (stale) or NotFound after an update that changed no row.
  Status NoRowUpdated(const std::string& case_id, std::int64_t expected_version);
  Status WriteDeadlines(const std::string& case_id, const std::vector<engine::DeadlineState>& deadlines);
  Status WriteDeadlines(const CaseRecord& kase) { return WriteDeadlines(kase.id, kase.deadlines); }
  Status LoadDeadlines(CaseRecord& kase);
  Connection& c_;
};

class PgEvents final : public CaseEventRepository {
 public:
  explicit PgEvents(Connection& c) : c_(c) {}
  StatusOr<std::int64_t> Append(const CaseEvent& event) override;
  StatusOr<std::vector<CaseEvent>> ListForCase(const std::string& case_id) override;
  StatusOr<std::vector<CaseEvent>> ListAfter(std::int64_t after_id, int limit) override;
  StatusOr<std::int64_t> LastId() override;

 private:
  Connection& c_;
};

class PgNotes final : public NoteRepository {
 public:
  explicit PgNotes(Connection& c) : c_(c) {}
  Status Insert(const Note& note) override;
  StatusOr<std::vector<Note>> ListForCase(const std::string& case_id) override;

 private:
  Connection& c_;
};

class PgActions final : public ActionRepository {
 public:
  explicit PgActions(Connection& c) : c_(c) {}
  Status Insert(const Action& action) override;
  Status Update(const Action& action) override;
  StatusOr<std::vector<Action>> ListForCase(const std::string& case_id) override;

 private:
  Connection& c_;
};

class PgTeam final : public TeamRepository {
 public:
  explicit PgTeam(Connection& c) : c_(c) {}
  Status Add(const TeamMember& member) override;
  StatusOr<std::vector<TeamMember>> ListForCase(const std::string& case_id) override;
  StatusOr<std::vector<std::string>> CaseIdsFor(const std::string& org_id, const std::string& user_id,
                                                const std::string& after_id, int limit) override;

 private:
  Connection& c_;
};

class PgDefinitions final : public DefinitionRepository {
 public:
  explicit PgDefinitions(Connection& c) : c_(c) {}
  Status Put(const std::string& type, int version, const std::string& source) override;
  StatusOr<std::optional<std::string>> Get(const std::string& type, int version) override;
  StatusOr<std::vector<Stored>> List() override;

 private:
  Connection& c_;
};

class PgAuditLog final : public AuditLog {
 public:
  explicit PgAuditLog(Connection& c) : c_(c) {}
  StatusOr<std::vector<AuditEntry>> AppendAll(std::vector<AuditEntry> entries) override;
  StatusOr<std::vector<AuditEntry>> List(std::int64_t after_seq, int limit) override;
  StatusOr<std::vector<AuditEntry>> Search(const AuditFilter& filter) override;

 private:
  Connection& c_;
};

class PgPrivacy final : public PrivacyRepository {
 public:
  explicit PgPrivacy(Connection& c) : c_(c) {}
  StatusOr<std::vector<std::string>> ListUnerasedCasesChangedBefore(TimePoint before, const std::string& after_id,
                                                                   int limit) override;
  StatusOr<ErasedCase> EraseCase(const std::string& case_id, TimePoint at) override;
  StatusOr<std::vector<std::string>> ListUnerasedReportsChangedBefore(TimePoint before, const std::string& after_id,
                                                                 int limit) override;
  StatusOr<std::string> EraseReport(const std::string& report_id, TimePoint at) override;
  StatusOr<bool> DeletePersonIfUnreferenced(const std::string& person_id) override;
  Status RecordRetention(const RetentionRecord& record) override;
  StatusOr<std::vector<RetentionRecord>> ListRetention(std::int64_t after_id, int limit) override;
  StatusOr<int> EraseAuditContentBefore(TimePoint before, TimePoint at, int limit) override;
  Status UpdatePerson(const Person& person) override;
  Status SetObjection(const std::string& person_id, std::optional<TimePoint> at) override;
  StatusOr<std::vector<std::string>> ReportIdsAbout(const std::string& person_id, int limit) override;
  StatusOr<bool> IsCaseErased(const std::string& case_id) override;

 private:
  StatusOr<int> Count(const std::string& sql, const std::string& id);
  Connection& c_;
};

class PgSessions final : public SessionRepository {
 public:
  explicit PgSessions(Connection& c) : c_(c) {}
  Status Insert(const Session& session) override;
  StatusOr<std::optional<Session>> FindByTokenHash(const std::string& token_hash) override;
  Status Touch(const std::string& session_id, TimePoint last_seen_at) override;
  Status Revoke(const std::string& session_id, TimePoint at) override;
  Status RevokeAllForUser(const std::string& user_id, TimePoint at) override;
  StatusOr<int> RevokeByOidcSid(const std::string& issuer, const std::string& sid, TimePoint at) override;
  StatusOr<int> DeleteEndedBefore(TimePoint before) override;

 private:
  Connection& c_;
};

class PgAccessGrants final : public AccessGrantRepository {
 public:
  explicit PgAccessGrants(Connection& c) : c_(c) {}
  Status Insert(const AccessGrant& grant) override;
  StatusOr<std::vector<AccessGrant>> ListActive(const std::string& case_id, const std::string& user_id,
                                                TimePoint now) override;
  StatusOr<std::vector<AccessGrant>> ListActiveForUser(const std::string& user_id, TimePoint now) override;
  StatusOr<std::vector<AccessGrant>> ListForCase(const std::string& case_id) override;
  StatusOr<std::vector<AccessGrant>> ListUnreviewed(int limit) override;
  Status MarkReviewed(const std::string& grant_id, const std::string& reviewer_id, TimePoint at) override;

 private:
  Connection& c_;
};

// Checks a list limit: positive, and capped so one call cannot pull a table.
Status CheckLimit(int limit);

// The SQL of CaseRepository::List for the criteria set in `filter`: $1…
// bound in the order type, state, level, municipality, subject,
// case_number, after_id, then the limit; read in id order (ORDER BY id LIMIT).
std::string CaseListSql(const CaseFilter& filter);

class PgDeadlineFirings final : public DeadlineFiringRepository {
 public:
  explicit PgDeadlineFirings(Connection& c) : c_(c) {}
  StatusOr<bool> TryRecord(const DeadlineFiring& firing) override;
  StatusOr<std::vector<DeadlineFiring>> ListForCase(const std::string& case_id) override;
  StatusOr<std::vector<ActiveDeadline>> ListActiveDueBefore(TimePoint before, int limit) override;

 private:
  Connection& c_;
};

class PgMeetings final : public MeetingRepository {
 public:
  explicit PgMeetings(Connection& c) : c_(c) {}
  Status Insert(const Meeting& meeting) override;
  StatusOr<Meeting> Get(const std::string& id) override;
  StatusOr<std::vector<Meeting>> List() override;
  Status InsertAgenda(const Agenda& agenda) override;
  StatusOr<std::optional<Agenda>> FindAgenda(const std::string& meeting_id, const std::string& date) override;
  Status ReplaceItems(const std::string& agenda_id, const std::vector<AgendaItem>& items) override;
  Status InsertDecision(const AgendaDecision& decision) override;
  StatusOr<std::vector<AgendaDecision>> ListDecisions(const std::string& agenda_id) override;

 private:
  Status LoadParticipants(Meeting& meeting);
  Connection& c_;
};

class PgRateLimits final : public RateLimitRepository {
 public:
  explicit PgRateLimits(Connection& c) : c_(c) {}
  StatusOr<int> CountSince(const std::string& scope, const std::string& key, TimePoint since) override;
  Status Record(const std::string& id, const std::string& scope, const std::string& key, TimePoint at) override;
  Status Remove(const std::string& id) override;
  Status RemoveKey(const std::string& scope, const std::string& key) override;
  Status PurgeBefore(const std::string& scope, TimePoint before) override;

 private:
  Connection& c_;
};

class PgOidcLogins final : public OidcLoginRepository {
 public:
  explicit PgOidcLogins(Connection& c) : c_(c) {}
  Status Insert(const OidcLogin& login) override;
  StatusOr<std::optional<OidcLogin>> Take(const std::string& id, const std::string& kind) override;
  StatusOr<int> DeleteExpiredBefore(TimePoint before) override;

 private:
  Connection& c_;
};

}  // namespace casus::storage::postgres
