// Real `casus` processes for the reliability tests: CLI commands, and a
// `casus serve` that can be started, SIGKILLed and restarted on the same
// data directory (unlike tests/api, whose one server lives for the whole
// binary). Accounts log in with real TOTP codes; their sessions live in
// the database and so survive a restart.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <string>
#include <vector>

#include "tests/api/https_client.h"
#include "tests/support/child_process.h"

namespace casus::reliability {

using apitest::Headers;
using apitest::HttpResult;
using apitest::HttpsClient;

using testing::CommandResult;

// Runs the casus binary (from the source dir, for config/ and workflows/)
// with `input` on stdin; CASUS_SYNCHRONOUS is removed from its environment
// so the production default (FULL) applies.
CommandResult RunCasus(const std::vector<std::string>& args, const std::string& input = "");

struct Account {
  std::string username;
  std::string password;
  std::string totp_secret;
  std::string token;  // of the last successful login
  std::int64_t last_step = 0;
};

// `casus user add`; "" or what went wrong.
std::string AddAccount(const std::string& data_dir, const std::string& username, const std::string& role,
                       const std::string& org, const std::string& org_type, const std::string& municipality,
                       Account& account);
// POST /auth/login with the next unused TOTP step (waits for the clock
// when the allowed skew is used up); sets account.token on 200.
HttpResult Login(HttpsClient& client, Account& account);

class ServerProcess {
 public:
  ServerProcess() = default;
  ~ServerProcess();  // SIGKILL when still running
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  // Starts `casus serve --data-dir data_dir --listen 127.0.0.1:0` and
  // `extra_args` (a --config file, say; stderr appended to log_path) and
  // waits until GET /readyz answers 200. "" or what went wrong.
  std::string Start(const std::string& data_dir, const std::string& log_path,
                    const std::vector<std::string>& extra_args = {});
  // SIGKILL and reap.
  void Kill();
  // SIGTERM and reap; the exit status (-1 when ended by a signal or not
  // stopped within 20 s).
  int Stop();

  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }
  int port() const { return port_; }
  // From fork() to the first 200 of /readyz, in milliseconds.
  double ms_to_ready() const { return ms_to_ready_; }

 private:
  void Reaped();  // forgets the child and closes its stdout

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int port_ = 0;
  double ms_to_ready_ = 0;
};

// Resident set size (kB) and open file descriptors of a process.
struct ProcessFootprint {
  long rss_kb = 0;
  int fds = 0;
};
ProcessFootprint FootprintOf(pid_t pid);

// An integer from the environment, or `fallback`.
int EnvInt(const char* name, int fallback);

// A unique name for test subjects.
std::string UniqueName(const std::string& prefix);

}  // namespace casus::reliability
