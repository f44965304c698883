// Reads a stopped (or backed-up) Casus database directly, to check what
// the API cannot show: that every case's version, its transition history,
// its case events and its audit entries agree, i.e. that no write was
// half done when the server died.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace casus::reliability {

struct CaseFacts {
  std::int64_t version = 0;
  std::int64_t history_length = 0;      // transitions in history_json
  std::int64_t transition_events = 0;   // case.transitioned events
  std::int64_t created_events = 0;      // case.created events
  std::int64_t transition_audits = 0;   // case.transition success entries
  std::int64_t create_audits = 0;       // case.create success entries
};

struct DatabaseFacts {
  std::string error;      // non-empty when the file could not be read
  std::string integrity;  // PRAGMA integrity_check: "ok" when intact
  std::map<std::string, CaseFacts> cases;  // by case id
};

// Opens `db_path` (never creating it, never checkpointing it) and gathers
// the facts above.
DatabaseFacts ReadDatabaseFacts(const std::string& db_path);

// One line per case whose facts disagree (empty when all agree): a case
// of version v has v-1 transitions in its history, v-1 case.transitioned
// events and v-1 audited transitions, and exactly one creation of each.
std::vector<std::string> Disagreements(const DatabaseFacts& facts);

}  // namespace casus::reliability
