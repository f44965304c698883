// Everything about one person: the person view for case workers (only the
// cases the caller may read, with their afspraken; audited person.read)
// and the export for the privacy officer (everything held plus the access
// overview; audited person.export with its reason). Thread-safe.
#pragma once

#include <string>
#include <vector>

#include "app/audit_queries.h"
#include "app/case_queries.h"
#include "app/case_service.h"
#include "common/status.h"
#include "storage/store.h"

namespace casus::app {

struct PersonCaseView {
  CaseView kase;
  std::vector<storage::Action> actions;
};

struct PersonView {
  storage::Person person;
  std::vector<PersonCaseView> cases;
};

struct ExportedCase {
  CaseView kase;  // allowed_transitions empty: the privacy officer acts on nothing
  std::vector<storage::CaseEvent> events;
  std::vector<storage::Note> notes;
  std::vector<storage::Action> actions;
  std::vector<storage::AccessGrant> grants;
};

struct PersonExport {
  storage::Person person;
  std::vector<ExportedCase> cases;
  std::vector<storage::Report> reports;  // the reports the cases were opened from
  std::vector<AccessLogEntry> access_log;
  bool access_log_truncated = false;
  TimePoint generated_at{};
};

inline constexpr int kMaxCasesPerPerson = 1000;
inline constexpr int kMaxExportedAccessEntries = 50000;

class PersonQueries {
 public:
  PersonQueries(storage::Store& store, const CaseQueries& cases, const Clock& clock);

  // PermissionDenied for roles without case access (privacy officer,
  // admin); NotFound when the person is unknown or the caller may read
  // none of their cases (the same answer, audited as denied).
  StatusOr<PersonView> View(const std::string& person_id, const Caller& caller);

  // Privacy officer only; NotFound for an unknown person. Audited as
  // person.export with the reason and the format ("json", "html").
  StatusOr<PersonExport> Export(const std::string& person_id, const std::string& reason, const std::string& format,
                                const Caller& caller);

 private:
  storage::Store& store_;
  const CaseQueries& cases_;
  const Clock& clock_;
};

}  // namespace casus::app
