// Shared by the privacy tests: the api_handlers fixture plus a way to put
// a case in any state (closed long ago, with every kind of content)
// straight into storage, and raw reads of the database (SQLite or
// PostgreSQL, whichever the fixture opened).
#pragma once

#include <string>

#include "tests/api_handlers/api_fixture.h"

namespace casus::privacy::testing {

using api::handlers::testing::Login;

class PrivacyTest : public api::handlers::testing::ApiTest {
 protected:
  // A case of `type`/`state` for a new (or given) person, last changed at
  // `closed_at`, with a report (reporter contact, subject), a note, an
  // afspraak, a timeline event, a team entry and a break-the-glass grant.
  struct Seeded {
    std::string case_id;
    std::string person_id;
    std::string report_id;
  };
  Seeded SeedCase(const std::string& id, const std::string& type, const std::string& state, TimePoint closed_at,
                  const std::string& person_id = "");
  // A report closed without a case.
  std::string SeedClosedReport(const std::string& id, const std::string& category, TimePoint closed_at,
                               const std::string& person_id);

  std::int64_t Rows(const std::string& sql) { return RawInt(sql); }  // first column of the first row
  std::string Text(const std::string& sql) { return RawText(sql); }  // first column of the first row
  bool Verified();                                                   // the audit chain is intact
};

}  // namespace casus::privacy::testing
