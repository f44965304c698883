// Minimisation per role (docs/privacy.md): which parts of a case a reader
// sees. Staff who run the case (meldpunt, regisseur, coordinator,
// burgemeester) see it whole; a partner (any organisation in the case
// team, e.g. woningcorporatie, jongerenwerk, Halt) sees what it needs to
// do its afspraken and take its transitions: the subject's name and birth
// date (together they identify the person, so that no one acts on the
// wrong one; JPP and Halt work by age), state, level, deadlines, team and
// the transitions it may take, but not the case's recorded data (medical,
// legal and police details recorded by transitions) nor the report it
// came from (reporter, description).
// A BSN is never part of any view. The privacy officer's export (to the
// person themselves) is separate and complete.
#pragma once

#include <string>
#include <vector>

namespace casus::app {

struct CaseFieldPolicy {
  bool subject_birth_date = false;
  bool data = false;
  bool report_id = false;
};

// The union over the reader's roles; deny by default for unknown roles.
CaseFieldPolicy CaseFieldsFor(const std::vector<std::string>& roles);

}  // namespace casus::app
