// Meldpunt triage (DOMAIN.md §2: "duplicate check on person/address, clear
// next step"): which cases the caller may read already concern this person
// or address, and linking a report to an existing case. Need-to-know: a
// case the caller may not read is never mentioned, not even counted. Every
// case named in an answer is audited (case.match) before it is handed out.
// Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/case_service.h"
#include "common/status.h"
#include "common/time.h"
#include "storage/store.h"

namespace casus::app {

struct KnownQuery {
  std::string name;                 // the person; "" to skip (exact name, case-insensitive)
  std::optional<Date> birth_date;   // narrows the person match when given
  std::string street;               // the address; "" to skip (case-insensitive, with municipality)
  std::string municipality;
};

struct KnownCase {
  storage::CaseRecord kase;
  storage::Person subject;
  bool by_person = false;   // the subject is the person asked about
  bool by_address = false;  // a report at the address was linked to this case
};

inline constexpr int kMaxKnownCases = 50;
inline constexpr int kMaxAddressReportsScanned = 2000;

class ReportTriage {
 public:
  ReportTriage(storage::Store& store, const Clock& clock);

  // InvalidArgument when neither a name nor a street (with municipality)
  // is given; PermissionDenied for roles that do not handle reports. At
  // most kMaxKnownCases, newest first.
  StatusOr<std::vector<KnownCase>> FindKnown(const KnownQuery& query, const Caller& caller);

  // Links an unlinked report of the caller's scope to a case the caller may
  // read. NotFound for an unknown report or case (or one out of scope),
  // FailedPrecondition when the report is already linked. Audited
  // (report.link) in the same transaction.
  StatusOr<storage::Report> LinkToCase(const std::string& report_id, const std::string& case_id, const Caller& caller);

 private:
  storage::Store& store_;
  const Clock& clock_;
};

}  // namespace casus::app
