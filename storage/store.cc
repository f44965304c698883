// STUB
#include "storage/store.h"
namespace casus::storage {
Status Store::Write(WorkFn) { return Status::Unavailable("not implemented"); }
}  // namespace casus::storage
