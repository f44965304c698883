#include "tests/reliability/casus_process.h"

#include <unistd.h>

#include <boost/json.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>

#include "app/auth/totp.h"
#include "tests/support/child_process.h"

namespace casus::reliability {
namespace {

using Clock = std::chrono::steady_clock;

using testing::RandomHex;

std::int64_t NowStep() {
  return app::auth::TotpStep(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

}  // namespace

CommandResult RunCasus(const std::vector<std::string>& args, const std::string& input) {
  std::vector<std::string> argv = {CASUS_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::RunCommand(argv, testing::ChildEnvironment(), input, CASUS_SOURCE_DIR);
}

std::string AddAccount(const std::string& data_dir, const std::string& username, const std::string& role,
                       const std::string& org, const std::string& org_type, const std::string& municipality,
                       Account& account) {
  account.username = username;
  account.password = "Pw-" + username + "-" + RandomHex(12);
  std::vector<std::string> args = {"user",   "add", "--data-dir", data_dir,  "--username", username,
                                   "--role", role,  "--org",      org,       "--org-type", org_type};
  if (!municipality.empty()) {
    args.push_back("--municipality");
    args.push_back(municipality);
  }
  const CommandResult r = RunCasus(args, account.password + "\n");
  if (r.exit_code != 0) return "casus user add " + username + ": " + r.out + r.err;
  const auto at = r.out.find("secret=");
  if (at == std::string::npos) return "no otpauth secret in: " + r.out;
  const auto end = r.out.find_first_of("&\n", at);
  account.totp_secret = r.out.substr(at + 7, end - at - 7);
  return "";
}

HttpResult Login(HttpsClient& client, Account& account) {
  // The server accepts steps now-1 .. now+1 above the last one it accepted.
  const std::int64_t step = std::max(account.last_step + 1, NowStep() - 1);
  while (step > NowStep() + 1) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  account.last_step = step;
  const std::string code = app::auth::TotpCodeAt(account.totp_secret, step).value_or("");
  boost::json::object body{{"username", account.username}, {"password", account.password}, {"totp", code}};
  HttpResult r = client.Request("POST", "/api/v1/auth/login", boost::json::serialize(body));
  if (r.status == 200) account.token = r.Str("token");
  return r;
}

ServerProcess::~ServerProcess() {
  if (pid_ > 0) Kill();
}

std::string ServerProcess::Start(const std::string& data_dir, const std::string& log_path,
                                 const std::vector<std::string>& extra_args) {
  const auto started = Clock::now();
  std::vector<std::string> argv{CASUS_BINARY, "serve", "--data-dir", data_dir, "--listen", "127.0.0.1:0"};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  const testing::ServeChild child =
      testing::StartServe(argv, testing::ChildEnvironment(), CASUS_SOURCE_DIR, log_path, std::chrono::seconds(30));
  if (!child.error.empty()) return child.error;
  pid_ = child.pid;
  stdout_fd_ = child.stdout_fd;
  port_ = child.port;
  const auto deadline = started + std::chrono::seconds(30);
  while (Clock::now() < deadline) {
    HttpsClient probe(port_);
    if (probe.Request("GET", "/readyz", "", {}, std::chrono::milliseconds(2000)).status == 200) {
      ms_to_ready_ = std::chrono::duration<double, std::milli>(Clock::now() - started).count();
      return "";
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  Kill();
  return "GET /readyz did not answer 200 within 30 s";
}

void ServerProcess::Kill() {
  if (pid_ <= 0) return;
  testing::KillAndReap(pid_);
  Reaped();
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  const testing::Ending end = testing::TerminateAndReap(pid_, std::chrono::seconds(20));
  Reaped();
  return end.exited ? end.exit_code : -1;
}

void ServerProcess::Reaped() {
  pid_ = -1;
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdout_fd_ = -1;
}

ProcessFootprint FootprintOf(pid_t pid) {
  ProcessFootprint f;
  std::ifstream status("/proc/" + std::to_string(pid) + "/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmRSS:", 0) == 0) f.rss_kb = std::atol(line.c_str() + 6);
  std::error_code ec;
  for (auto it = std::filesystem::directory_iterator("/proc/" + std::to_string(pid) + "/fd", ec);
       !ec && it != std::filesystem::directory_iterator(); it.increment(ec))
    ++f.fds;
  return f;
}

int EnvInt(const char* name, int fallback) {
  const char* v = std::getenv(name);
  if (!v || !*v) return fallback;
  return std::atoi(v);
}

std::string UniqueName(const std::string& prefix) {
  static std::atomic<int> counter{0};
  static const std::string run = RandomHex(3);
  return prefix + " " + run + "-" + std::to_string(++counter);
}

}  // namespace casus::reliability
