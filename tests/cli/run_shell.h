// Runs a shell command line as the CLI tests run `casus`: from a shell, so
// that environment prefixes and redirections read as an operator types
// them. Its output is stdout and stderr together (the command line ends
// in 2>&1 where both matter).
#pragma once

#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

namespace casus::testing {

struct RunResult {
  int exit_code;
  std::string output;
};

inline RunResult RunShell(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  std::string output;
  std::array<char, 4096> buf;
  while (std::size_t n = fread(buf.data(), 1, buf.size(), pipe)) output.append(buf.data(), n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

}  // namespace casus::testing
