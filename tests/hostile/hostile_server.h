// The hostile-input suite's server: the real `casus serve` of
// tests/api/server_fixture.h, with a short read timeout so that slow
// clients are cut within the test.
#pragma once

#include <chrono>

namespace casus::hostile {

// The read_timeout_s this binary's server runs with (see hostile_server.cc).
inline constexpr std::chrono::seconds kReadTimeout{2};

}  // namespace casus::hostile
