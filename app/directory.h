// The organisations and their staff as forms need them: who may own an
// afspraak or join a case team. No case or person data, so not audited.
// Password hashes and TOTP secrets never leave this service.
#pragma once

#include <string>
#include <vector>

#include "common/status.h"
#include "storage/store.h"

namespace casus::app {

struct StaffMember {
  std::string id;
  std::string username;
  std::vector<std::string> roles;
};

struct DirectoryEntry {
  storage::Organisation organisation;
  std::vector<StaffMember> staff;  // active accounts only
};

class Directory {
 public:
  explicit Directory(storage::Store& store) : store_(store) {}

  // Every organisation (at most `max_organisations`, by name) with its active staff.
  StatusOr<std::vector<DirectoryEntry>> List(std::size_t max_organisations);

 private:
  storage::Store& store_;
};

// An owner of an afspraak or a new team member: `org_id` exists and, when
// `user_id` is not empty, the user exists and belongs to it. Otherwise
// InvalidArgument (reason invalid_data) naming `org_field` or `user_field`.
Status CheckOwner(storage::Transaction& tx, const std::string& org_field, const std::string& org_id,
                  const std::string& user_field, const std::string& user_id);

}  // namespace casus::app
