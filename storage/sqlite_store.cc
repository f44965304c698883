// STUB
#include "storage/sqlite_store.h"
namespace casus::storage {
StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const SqliteOptions&) { return Status::Unavailable("not implemented"); }
int CurrentSchemaVersion() { return 0; }
}  // namespace casus::storage
