#include "common/ids.h"

#include <cstdio>
#include <random>

namespace casus {

std::string RandomIdGenerator::NewId(std::string_view prefix) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(rng()));
  return std::string(prefix) + buf;
}

std::string SequentialIdGenerator::NewId(std::string_view prefix) {
  return std::string(prefix) + std::to_string(next_.fetch_add(1));
}

}  // namespace casus
