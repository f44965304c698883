// The loader suites' shared helpers: fixture files and error lines.
#pragma once

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "loader/workflow_loader.h"

namespace casus::engine::loader_test {

inline std::filesystem::path Fixture(const std::string& name) {
  return std::filesystem::path(CASUS_SOURCE_DIR) / "tests/loader/fixtures" / name;
}

inline std::string ReadFixture(const std::string& name) {
  std::ifstream in(Fixture(name));
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Each error as the "file: path: message" line a functioneel beheerder reads.
inline std::vector<std::string> Lines(const LoadResult& result) {
  std::vector<std::string> lines;
  for (const auto& e : result.errors) lines.push_back(e.ToString());
  return lines;
}

}  // namespace casus::engine::loader_test
