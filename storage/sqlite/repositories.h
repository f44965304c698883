// The SQLite repositories. Each works on the connection of the transaction
// it belongs to and is valid only while that transaction runs.
#pragma once

#include "storage/sqlite/connection.h"
#include "storage/store.h"

namespace casus::storage::sqlite {

class SqliteOrganisations final : public OrganisationRepository {
 public:
  explicit SqliteOrganisations(Connection& c) : c_(c) {}
  Status Insert(const Organisation& org) override;
  StatusOr<Organisation> Get(const std::string& id) override;
  StatusOr<std::optional<Organisation>> FindByName(const std::string& name) override;
  StatusOr<std::vector<Organisation>> List() override;

 private:
  Connection& c_;
};

class SqliteUsers final : public UserRepository {
 public:
  explicit SqliteUsers(Connection& c) : c_(c) {}
  Status Insert(const User& user) override;
  StatusOr<User> Get(const std::string& id) override;
  StatusOr<std::optional<User>> FindByUsername(const std::string& username) override;
  StatusOr<std::vector<User>> List() override;
  Status Update(const User& user) override;
  StatusOr<std::optional<User>> FindByOidcSubject(const std::string& issuer, const std::string& subject) override;

 private:
  Connection& c_;
};

class SqlitePersons final : public PersonRepository {
 public:
  explicit SqlitePersons(Connection& c) : c_(c) {}
  Status Insert(const Person& person) override;
  StatusOr<Person> Get(const std::string& id) override;
  StatusOr<std::vector<Person>> FindByName(const std::string& name, std::optional<Date> birth_date) override;

 private:
  Connection& c_;
};

class SqliteReports final : public ReportRepository {
 public:
  explicit SqliteReports(Connection& c) : c_(c) {}
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

class SqliteCases final : public CaseRepository {
 public:
  explicit SqliteCases(Connection& c) : c_(c) {}
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

class SqliteEvents final : public CaseEventRepository {
 public:
  explicit SqliteEvents(Connection& c) : c_(c) {}
  StatusOr<std::int64_t> Append(const CaseEvent& event) override;
  StatusOr<std::vector<CaseEvent>> ListForCase(const std::string& case_id) override;
  StatusOr<std::vector<CaseEvent>> ListAfter(std::int64_t after_id, int limit) override;
  StatusOr<std::int64_t> LastId() override;

 private:
  Connection& c_;
};

class SqliteNotes final : public NoteRepository {
 public:
  explicit SqliteNotes(Connection& c) : c_(c) {}
  Status Insert(const Note& note) override;
  StatusOr<std::vector<Note>> ListForCase(const std::string& case_id) override;

 private:
  Connection& c_;
};

class SqliteActions final : public ActionRepository {
 public:
  explicit SqliteActions(Connection& c) : c_(c) {}
  Status Insert(const Action& action) override;
  Status Update(const Action& action) override;
  StatusOr<std::vector<Action>> ListForCase(const std::string& case_id) override;

 private:
  Connection& c_;
};

class SqliteTeam final : public TeamRepository {
 public:
  explicit SqliteTeam(Connection& c) : c_(c) {}
  Status Add(const TeamMember& member) override;
  StatusOr<std::vector<TeamMember>> ListForCase(const std::string& case_id) override;
  StatusOr<std::vector<std::string>> CaseIdsFor(const std::string& org_id, const std::string& user_id,
                                                const std::string& after_id, int limit) override;

 private:
  Connection& c_;
};

class SqliteDefinitions final : public DefinitionRepository {
 public:
  explicit SqliteDefinitions(Connection& c) : c_(c) {}
  Status Put(const std::string& type, int version, const std::string& source) override;
  StatusOr<std::optional<std::string>> Get(const std::string& type, int version) override;
  StatusOr<std::vector<Stored>> List() override;

 private:
  Connection& c_;
};

class SqliteAuditLog final : public AuditLog {
 public:
  explicit SqliteAuditLog(Connection& c) : c_(c) {}
  StatusOr<std::vector<AuditEntry>> AppendAll(std::vector<AuditEntry> entries) override;
  StatusOr<std::vector<AuditEntry>> List(std::int64_t after_seq, int limit) override;
  StatusOr<std::vector<AuditEntry>> Search(const AuditFilter& filter) override;

 private:
  Connection& c_;
};

class SqlitePrivacy final : public PrivacyRepository {
 public:
  explicit SqlitePrivacy(Connection& c) : c_(c) {}
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

class SqliteSessions final : public SessionRepository {
 public:
  explicit SqliteSessions(Connection& c) : c_(c) {}
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

class SqliteAccessGrants final : public AccessGrantRepository {
 public:
  explicit SqliteAccessGrants(Connection& c) : c_(c) {}
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

// The SQL of CaseRepository::List for the criteria set in `filter` (their
// values are bound in the order type, state, level, municipality, subject,
// case_number, after_id, then the limit). Every variant reads in id order from an index,
// never sorting: criteria that form an index's prefix before id are
// searched, the others only filter (a unary + keeps the planner from
// choosing an index it would then have to sort).
std::string CaseListSql(const CaseFilter& filter);

// The SQL of TeamRepository::CaseIdsFor (?1 org, ?2 user, ?3 after, ?4 limit).
extern const char* const kTeamCaseIdsSql;

// The SQL of UserRepository::FindByOidcSubject (?1 issuer, ?2 subject) and
// of SessionRepository::RevokeByOidcSid (?1 at, ?2 issuer, ?3 sid): each
// repeats its partial index's condition so that SQLite can use the index.
std::string UserByOidcSubjectSql();
extern const char* const kRevokeSessionsByOidcSidSql;

class SqliteDeadlineFirings final : public DeadlineFiringRepository {
 public:
  explicit SqliteDeadlineFirings(Connection& c) : c_(c) {}
  StatusOr<bool> TryRecord(const DeadlineFiring& firing) override;
  StatusOr<std::vector<DeadlineFiring>> ListForCase(const std::string& case_id) override;
  StatusOr<std::vector<ActiveDeadline>> ListActiveDueBefore(TimePoint before, int limit) override;

 private:
  Connection& c_;
};

class SqliteMeetings final : public MeetingRepository {
 public:
  explicit SqliteMeetings(Connection& c) : c_(c) {}
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

class SqliteRateLimits final : public RateLimitRepository {
 public:
  explicit SqliteRateLimits(Connection& c) : c_(c) {}
  StatusOr<int> CountSince(const std::string& scope, const std::string& key, TimePoint since) override;
  Status Record(const std::string& id, const std::string& scope, const std::string& key, TimePoint at) override;
  Status Remove(const std::string& id) override;
  Status RemoveKey(const std::string& scope, const std::string& key) override;
  Status PurgeBefore(const std::string& scope, TimePoint before) override;

 private:
  Connection& c_;
};

class SqliteOidcLogins final : public OidcLoginRepository {
 public:
  explicit SqliteOidcLogins(Connection& c) : c_(c) {}
  Status Insert(const OidcLogin& login) override;
  StatusOr<std::optional<OidcLogin>> Take(const std::string& id, const std::string& kind) override;
  StatusOr<int> DeleteExpiredBefore(TimePoint before) override;

 private:
  Connection& c_;
};

}  // namespace casus::storage::sqlite
