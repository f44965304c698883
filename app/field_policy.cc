#include "app/field_policy.h"

namespace casus::app {

CaseFieldPolicy CaseFieldsFor(const std::vector<std::string>& roles) {
  CaseFieldPolicy p;
  for (const auto& role : roles) {
    if (role == "partner") p.subject_birth_date = true;
    if (role == "meldpunt" || role == "regisseur" || role == "coordinator" || role == "burgemeester") {
      p.subject_birth_date = p.data = p.report_id = true;
    }
    // "partner": the defaults above. Other roles read no case content at all.
  }
  return p;
}

}  // namespace casus::app
