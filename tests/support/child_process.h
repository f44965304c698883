// Child processes for the tests that run the real `casus` binary
// (tests/api, tests/hostile, tests/reliability): a command run to its end,
// and a `casus serve` started in the background whose port is read from
// the line it prints once it listens.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace casus::testing {

struct CommandResult {
  int exit_code = -1;  // -1 when ended by a signal or not started
  std::string out;     // stdout
  std::string err;     // stderr
};

// This process's environment without CASUS_SYNCHRONOUS, followed by
// `extra` ("NAME=value"): without extra, children commit with the
// production default (FULL).
std::vector<std::string> ChildEnvironment(const std::vector<std::string>& extra = {});

// Runs argv[0] with `argv` and `environment` in `working_dir`, `input` on
// stdin; reads stdout and stderr to their end and reaps the child.
CommandResult RunCommand(const std::vector<std::string>& argv, const std::vector<std::string>& environment,
                         const std::string& input, const std::string& working_dir);

struct ServeChild {
  pid_t pid = -1;
  int port = 0;
  int stdout_fd = -1;  // kept open, so a later line on stdout cannot raise SIGPIPE; close it after reaping
  std::string error;   // empty when the server listens
};

// Starts `argv` (a `casus serve ... --listen 127.0.0.1:0`) with stdin from
// /dev/null, stdout to a pipe and stderr appended to `log_path`; the child
// is killed when the test binary dies, however that ends. Waits up to
// `timeout` for "Casus listens on https://localhost:PORT". On failure the
// child is killed and reaped and `error` says what went wrong.
ServeChild StartServe(const std::vector<std::string>& argv, const std::vector<std::string>& environment,
                      const std::string& working_dir, const std::string& log_path, std::chrono::seconds timeout);

struct Ending {
  bool timed_out = false;  // still running after the grace period: then SIGKILLed
  bool exited = false;     // otherwise: ended by a signal
  int exit_code = -1;      // when exited
  int signal = 0;          // when ended by a signal
};

// SIGTERM, then waits up to `grace` for the child to end; SIGKILL after.
Ending TerminateAndReap(pid_t pid, std::chrono::seconds grace);

// SIGKILL and reap.
void KillAndReap(pid_t pid);

// `bytes` random bytes as lower-case hex.
std::string RandomHex(int bytes);

}  // namespace casus::testing
