// Workflow definition sources, pinned by (type, version).
#include "storage/postgres/repositories.h"

#include "storage/postgres/row_codec.h"

namespace casus::storage::postgres {
namespace {

// Same text again is the normal restart case; different text under the
// same version would silently change the rules of open cases.
Status CompareStored(const std::string& stored, const std::string& type, int version, const std::string& source) {
  if (stored == source) return Status::Ok();
  return Status::FailedPrecondition("workflow " + type + " version " + std::to_string(version) +
                                    " is stored with a different source; give the changed definition a new version");
}

}  // namespace

Status PgDefinitions::Put(const std::string& type, int version, const std::string& source) {
  ASSIGN_OR_RETURN(std::optional<std::string> stored, Get(type, version));
  if (stored) return CompareStored(*stored, type, version, source);
  // Another node may store the same (type, version) between the read and
  // the insert (SQLite had one writer): DO NOTHING, then judge what it
  // stored exactly as if it had been there before.
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "store workflow definition",
                                      "INSERT INTO workflow_definitions (type, version, source) "
                                      "VALUES ($1, $2::bigint, $3) ON CONFLICT (type, version) DO NOTHING",
                                      {type, IntParam(version), source}));
  if (r.Affected() == 1) return Status::Ok();
  ASSIGN_OR_RETURN(stored, Get(type, version));
  // Unreachable under READ COMMITTED; under a snapshot PostgreSQL reports
  // a serialization failure (Aborted) before this.
  if (!stored) return Status::Aborted("store workflow definition: stored concurrently; retry");
  return CompareStored(*stored, type, version, source);
}

StatusOr<std::optional<std::string>> PgDefinitions::Get(const std::string& type, int version) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "get workflow definition",
                                      "SELECT source FROM workflow_definitions WHERE type = $1 AND version = $2::bigint",
                                      {type, IntParam(version)}));
  if (r.rows() == 0) return std::optional<std::string>();
  return std::optional<std::string>(r.Text(0, 0));
}

StatusOr<std::vector<DefinitionRepository::Stored>> PgDefinitions::List() {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "list workflow definitions",
                                      "SELECT type, version, source FROM workflow_definitions ORDER BY type, version"));
  std::vector<Stored> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(Stored{r.Text(i, 0), static_cast<int>(r.Int(i, 1)), r.Text(i, 2)});
  return out;
}

}  // namespace casus::storage::postgres
