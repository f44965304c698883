// Workflow definition sources, pinned by (type, version).
#include "storage/sqlite/repositories.h"

namespace casus::storage::sqlite {

Status SqliteDefinitions::Put(const std::string& type, int version, const std::string& source) {
  ASSIGN_OR_RETURN(std::optional<std::string> stored, Get(type, version));
  if (stored) {
    // Same text again is the normal restart case; different text under the
    // same version would silently change the rules of open cases.
    if (*stored == source) return Status::Ok();
    return Status::FailedPrecondition("workflow " + type + " version " + std::to_string(version) +
                                      " is stored with a different source; give the changed definition a new version");
  }
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("INSERT INTO workflow_definitions (type, version, source) VALUES (?, ?, ?)"));
  s->Bind(1, type);
  s->Bind(2, std::int64_t{version});
  s->Bind(3, source);
  return s->Run("store workflow definition");
}

StatusOr<std::optional<std::string>> SqliteDefinitions::Get(const std::string& type, int version) {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("SELECT source FROM workflow_definitions WHERE type = ? AND version = ?"));
  s->Bind(1, type);
  s->Bind(2, std::int64_t{version});
  ASSIGN_OR_RETURN(bool row, s->Step("get workflow definition"));
  if (!row) return std::optional<std::string>();
  return std::optional<std::string>(s->ColumnText(0));
}

StatusOr<std::vector<DefinitionRepository::Stored>> SqliteDefinitions::List() {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("SELECT type, version, source FROM workflow_definitions ORDER BY type, version"));
  std::vector<Stored> out;
  while (true) {
    ASSIGN_OR_RETURN(bool row, s->Step("list workflow definitions"));
    if (!row) break;
    out.push_back(Stored{s->ColumnText(0), static_cast<int>(s->ColumnInt(1)), s->ColumnText(2)});
  }
  return out;
}

}  // namespace casus::storage::sqlite
