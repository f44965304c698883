#include "storage/sqlite/space_reserve.h"

#include <fcntl.h>
#include <unistd.h>

#include <system_error>
#include <vector>

namespace casus::storage::sqlite {

bool SpaceReserve::SpaceReturned() const {
  std::error_code ec;
  auto info = std::filesystem::space(file_.parent_path(), ec);
  return !ec && info.available >= 2 * kBytes;
}

bool SpaceReserve::Ensure() {
  std::error_code ec;
  if (std::filesystem::file_size(file_, ec) == kBytes && !ec) return true;
  if (!SpaceReturned()) return false;
  // Written, not fallocate'd: the blocks must really be taken from the
  // filesystem (tmpfs and some others do not reserve on fallocate).
  int fd = ::open(file_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return false;
  const std::vector<char> zeros(64 * 1024, 0);
  bool ok = true;
  for (std::uintmax_t written = 0; ok && written < kBytes; written += zeros.size())
    ok = ::write(fd, zeros.data(), zeros.size()) == static_cast<ssize_t>(zeros.size());
  ok = ok && ::fsync(fd) == 0;
  ::close(fd);
  if (!ok) std::filesystem::remove(file_, ec);
  return ok;
}

void SpaceReserve::Release() {
  std::error_code ec;
  std::filesystem::remove(file_, ec);
}

}  // namespace casus::storage::sqlite
