#include "tests/reliability/casus_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string_view>
#include <thread>

#include "app/auth/totp.h"

extern char** environ;

namespace casus::reliability {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<std::string> ChildEnvironment() {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)
    if (std::string_view(*e).substr(0, 18) != "CASUS_SYNCHRONOUS=") env.emplace_back(*e);
  return env;
}

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

std::string RandomHex(int bytes) {
  std::random_device rd;
  static const char* kHex = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < bytes; ++i) {
    const unsigned v = rd() & 0xff;
    s += kHex[v >> 4];
    s += kHex[v & 15];
  }
  return s;
}

std::int64_t NowStep() {
  return app::auth::TotpStep(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

}  // namespace

CommandResult RunCasus(const std::vector<std::string>& args, const std::string& input) {
  // Prepared before fork(): the child calls only async-signal-safe functions.
  std::vector<std::string> argv_strings = {CASUS_BINARY};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<std::string> env_strings = ChildEnvironment();
  std::vector<char*> argv = Pointers(argv_strings), envp = Pointers(env_strings);
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0)
    return {-1, "", "pipe failed"};
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    if (chdir(CASUS_SOURCE_DIR) != 0) _exit(126);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  if (!input.empty()) {
    const ssize_t ignored = write(in_pipe[1], input.data(), input.size());
    (void)ignored;
  }
  close(in_pipe[1]);
  CommandResult r;
  // Both streams at once, so that neither pipe can fill up and stall the child.
  std::array<pollfd, 2> fds{{{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}}};
  int open_streams = 2;
  std::array<char, 4096> buf;
  while (open_streams > 0) {
    if (poll(fds.data(), fds.size(), 60000) <= 0) break;
    for (int i = 0; i < 2; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t n = read(fds[i].fd, buf.data(), buf.size());
      if (n > 0) {
        (i == 0 ? r.out : r.err).append(buf.data(), static_cast<std::size_t>(n));
      } else {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_streams;
      }
    }
  }
  for (auto& p : fds)
    if (p.fd >= 0) close(p.fd);
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
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

std::string ServerProcess::Start(const std::string& data_dir, const std::string& log_path) {
  std::vector<std::string> argv_strings = {CASUS_BINARY, "serve", "--data-dir", data_dir, "--listen", "127.0.0.1:0"};
  std::vector<std::string> env_strings = ChildEnvironment();
  std::vector<char*> argv = Pointers(argv_strings), envp = Pointers(env_strings);
  int out_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return "pipe failed";
  const int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  const int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (log_fd < 0 || devnull < 0) return "cannot open the server log " + log_path;
  const pid_t parent = getpid();
  const auto started = Clock::now();
  const pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);  // the server dies with the test binary
    if (getppid() != parent) _exit(125);
    dup2(devnull, 0);
    dup2(out_pipe[1], 1);
    dup2(log_fd, 2);
    if (chdir(CASUS_SOURCE_DIR) != 0) _exit(126);
    execve(argv[0], argv.data(), envp.data());
    _exit(127);
  }
  close(devnull);
  close(out_pipe[1]);
  close(log_fd);
  if (pid < 0) {
    close(out_pipe[0]);
    return "fork failed";
  }
  pid_ = pid;

  // "Casus listens on https://localhost:PORT/ ..." once it listens.
  std::string out;
  const auto deadline = started + std::chrono::seconds(30);
  while (out.find('\n') == std::string::npos && Clock::now() < deadline) {
    pollfd p{out_pipe[0], POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char buf[512];
    const ssize_t n = read(out_pipe[0], buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  // Later output is not read; the pipe holds far more than the server prints.
  close(out_pipe[0]);
  const std::string marker = "Casus listens on https://localhost:";
  const auto at = out.find(marker);
  if (at == std::string::npos) {
    Kill();
    return "server did not report listening; stdout: " + out;
  }
  port_ = std::atoi(out.c_str() + at + marker.size());
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
  kill(pid_, SIGKILL);
  int status = 0;
  waitpid(pid_, &status, 0);
  pid_ = -1;
}

int ServerProcess::Stop() {
  if (pid_ <= 0) return -1;
  kill(pid_, SIGTERM);
  int status = 0;
  pid_t done = 0;
  const auto deadline = Clock::now() + std::chrono::seconds(20);
  while ((done = waitpid(pid_, &status, WNOHANG)) == 0 && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  if (done == 0) {
    Kill();
    return -1;
  }
  pid_ = -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
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
