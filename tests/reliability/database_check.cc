#include "tests/reliability/database_check.h"

#include <sqlite3.h>

namespace casus::reliability {
namespace {

// Runs `sql` and calls `row` for every row; "" or the error.
template <typename RowFn>
std::string Query(sqlite3* db, const char* sql, RowFn row) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) != SQLITE_OK) return sqlite3_errmsg(db);
  int rc;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) row(stmt);
  std::string error = rc == SQLITE_DONE ? "" : sqlite3_errmsg(db);
  sqlite3_finalize(stmt);
  return error;
}

std::string Text(sqlite3_stmt* stmt, int col) {
  const unsigned char* t = sqlite3_column_text(stmt, col);
  return t ? reinterpret_cast<const char*>(t) : "";
}

}  // namespace

DatabaseFacts ReadDatabaseFacts(const std::string& db_path) {
  DatabaseFacts facts;
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
    facts.error = "open " + db_path + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
    sqlite3_close(db);
    return facts;
  }
  sqlite3_busy_timeout(db, 5000);
  // Closing the last connection would checkpoint and delete the WAL, and
  // so tidy up the very state a restart after a crash has to recover from.
  sqlite3_db_config(db, SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, nullptr);
  std::string error = Query(db, "PRAGMA integrity_check", [&](sqlite3_stmt* s) {
    if (facts.integrity.empty()) facts.integrity = Text(s, 0);
  });
  if (error.empty())
    error = Query(db, "SELECT id, version, json_array_length(history_json) FROM cases", [&](sqlite3_stmt* s) {
      CaseFacts& c = facts.cases[Text(s, 0)];
      c.version = sqlite3_column_int64(s, 1);
      c.history_length = sqlite3_column_int64(s, 2);
    });
  if (error.empty())
    error = Query(db,
                  "SELECT case_id, sum(type = 'case.transitioned'), sum(type = 'case.created') FROM case_events "
                  "GROUP BY case_id",
                  [&](sqlite3_stmt* s) {
                    CaseFacts& c = facts.cases[Text(s, 0)];
                    c.transition_events = sqlite3_column_int64(s, 1);
                    c.created_events = sqlite3_column_int64(s, 2);
                  });
  if (error.empty())
    error = Query(db,
                  "SELECT object_id, sum(action = 'case.transition'), sum(action = 'case.create') FROM audit_log "
                  "WHERE object_type = 'case' AND result = 'success' GROUP BY object_id",
                  [&](sqlite3_stmt* s) {
                    CaseFacts& c = facts.cases[Text(s, 0)];
                    c.transition_audits = sqlite3_column_int64(s, 1);
                    c.create_audits = sqlite3_column_int64(s, 2);
                  });
  facts.error = error;
  sqlite3_close(db);
  return facts;
}

std::vector<std::string> Disagreements(const DatabaseFacts& facts) {
  std::vector<std::string> out;
  for (const auto& [id, c] : facts.cases) {
    const std::int64_t transitions = c.version - 1;
    if (c.version < 1 || c.history_length != transitions || c.transition_events != transitions ||
        c.transition_audits != transitions || c.created_events != 1 || c.create_audits != 1)
      out.push_back(id + ": version " + std::to_string(c.version) + ", history " + std::to_string(c.history_length) +
                    ", transition events " + std::to_string(c.transition_events) + ", audited transitions " +
                    std::to_string(c.transition_audits) + ", created events " + std::to_string(c.created_events) +
                    ", audited creations " + std::to_string(c.create_audits));
  }
  return out;
}

}  // namespace casus::reliability
