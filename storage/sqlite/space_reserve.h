// The disk-full guard's reserve: a file of kBytes beside the database,
// kept while there is space. When a commit fails because the disk is full,
// the writer deletes it, so that the audit entries of reads still find
// room while changes are refused; once the disk has room again, the
// reserve is made anew and changes are accepted again.
#pragma once

#include <cstdint>
#include <filesystem>

#include "storage/writer_connection.h"

namespace casus::storage::sqlite {

class SpaceReserve final : public SpaceGuard {
 public:
  static constexpr std::uintmax_t kBytes = 1u << 20;  // room for hundreds of read audit entries

  explicit SpaceReserve(std::filesystem::path file) : file_(std::move(file)) {}

  // Creates the reserve when it is absent and the disk has room for it and
  // as much again. Best effort: false when it could not.
  bool Ensure() override;
  // Deletes the reserve (no-op when absent).
  void Release() override;
  // Whether the disk has room for the reserve and as much again.
  bool SpaceReturned() const override;

 private:
  std::filesystem::path file_;
};

}  // namespace casus::storage::sqlite
