// Correction (AVG art. 16) and objection (AVG art. 21) (docs/privacy.md).
// A correction changes the record and writes the old and the new value into
// the audit entry's detail, which is erasable content: it stays verifiable
// in the chain and is erased with the rest after the audit period.
// Thread-safe.
#pragma once

#include <optional>
#include <string>

#include "app/case_service.h"
#include "common/status.h"
#include "common/time.h"
#include "storage/store.h"

namespace casus::app {

struct PersonCorrection {
  std::optional<std::string> name;
  std::optional<std::optional<Date>> birth_date;  // set to nullopt: remove the birth date
  std::string reason;                             // required: why (the request, the source)
};

struct ReportCorrection {
  std::optional<std::string> category;
  std::optional<std::string> description;
  std::optional<std::string> street;
  std::optional<std::string> wijk;
  std::string reason;
};

class PrivacyService {
 public:
  PrivacyService(storage::Store& store, const Clock& clock);

  // Privacy officer only (PermissionDenied otherwise); NotFound for an
  // unknown person; InvalidArgument when nothing changes or no reason.
  StatusOr<storage::Person> CorrectPerson(const std::string& person_id, const PersonCorrection& correction,
                                          const Caller& caller);
  // Meldpunt of the report's municipality (ZVH: any); same errors.
  StatusOr<storage::Report> CorrectReport(const std::string& report_id, const ReportCorrection& correction,
                                          const Caller& caller);
  // Privacy officer only: records (objected) or withdraws the objection.
  StatusOr<storage::Person> SetObjection(const std::string& person_id, bool objected, const std::string& reason,
                                         const Caller& caller);

 private:
  storage::Store& store_;
  const Clock& clock_;
};

}  // namespace casus::app
