// Identifiers for new records come through this interface so tests can
// make them predictable.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <string_view>

namespace casus {

class IdGenerator {
 public:
  virtual ~IdGenerator() = default;
  // A new unique id that starts with `prefix`, e.g. "case_" -> "case_7f3a9c01b2d4e6f8".
  virtual std::string NewId(std::string_view prefix) = 0;
};

// 64 random bits from the OS (hex). Thread-safe. Not for secrets.
class RandomIdGenerator final : public IdGenerator {
 public:
  std::string NewId(std::string_view prefix) override;
};

// prefix + a counter: "case_1", "case_2", ... Thread-safe.
class SequentialIdGenerator final : public IdGenerator {
 public:
  std::string NewId(std::string_view prefix) override;

 private:
  std::atomic<std::uint64_t> next_{1};
};

}  // namespace casus
