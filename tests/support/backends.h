// The storage backends the same tests run against: SQLite in a temp file,
// and PostgreSQL in a fresh database on the binary's throwaway server
// (tests/support/postgres_server.h). A PostgreSQL run skips, saying why,
// only where PostgreSQL cannot run here.
#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "storage/store.h"

namespace casus::testing {

enum class Backend { kSqlite, kPostgres };

std::string BackendName(const ::testing::TestParamInfo<Backend>& info);

// A new, empty store. Null with `skip` set when the backend cannot run
// here; null with a test failure when it should have opened.
std::unique_ptr<storage::Store> OpenBackend(Backend backend, const std::filesystem::path& dir, std::string* skip);

}  // namespace casus::testing
