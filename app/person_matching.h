// The duplicate check on persons, shared by case opening and report intake:
// a known person (same name, case-insensitive, and same birth date) is
// linked, not created again.
#pragma once

#include <optional>
#include <string>

#include "common/ids.h"
#include "common/status.h"
#include "common/time.h"
#include "storage/store.h"

namespace casus::app {

// The id of the one matching person in `tx`, or of a new one inserted there
// (with `bsn`, which only callers whose workflow needs it pass).
StatusOr<std::string> LinkOrCreatePerson(storage::Transaction& tx, IdGenerator& ids, const std::string& name,
                                         std::optional<Date> birth_date, TimePoint now,
                                         std::optional<std::string> bsn = std::nullopt);

}  // namespace casus::app
