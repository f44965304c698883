#include "tests/support/child_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <random>
#include <string_view>
#include <thread>

extern char** environ;

namespace casus::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::vector<char*> Pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (auto& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

void CloseAll(std::initializer_list<int> fds) {
  for (int fd : fds)
    if (fd >= 0) close(fd);
}

}  // namespace

std::vector<std::string> ChildEnvironment(const std::vector<std::string>& extra) {
  constexpr std::string_view kSynchronous = "CASUS_SYNCHRONOUS=";
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)
    if (std::string_view(*e).substr(0, kSynchronous.size()) != kSynchronous) env.emplace_back(*e);
  env.insert(env.end(), extra.begin(), extra.end());
  return env;
}

CommandResult RunCommand(const std::vector<std::string>& argv, const std::vector<std::string>& environment,
                         const std::string& input, const std::string& working_dir) {
  // Everything the child needs is prepared before fork(): other threads may
  // hold the allocator's lock, so the child only calls async-signal-safe
  // functions until execve().
  std::vector<std::string> argv_strings = argv, env_strings = environment;
  std::vector<char*> args = Pointers(argv_strings), envp = Pointers(env_strings);
  int in_pipe[2] = {-1, -1}, out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  if (pipe2(in_pipe, O_CLOEXEC) != 0 || pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) {
    CloseAll({in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]});
    return {-1, "", "pipe failed"};
  }
  const pid_t pid = fork();
  if (pid == 0) {
    // dup2 clears FD_CLOEXEC on the copies; every other pipe end closes on exec.
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    if (chdir(working_dir.c_str()) != 0) _exit(126);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  CloseAll({in_pipe[0], out_pipe[1], err_pipe[1]});
  if (pid < 0) {
    CloseAll({in_pipe[1], out_pipe[0], err_pipe[0]});
    return {-1, "", "fork failed"};
  }
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
    for (std::size_t i = 0; i < fds.size(); ++i) {
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
  CloseAll({fds[0].fd, fds[1].fd});
  int status = 0;
  waitpid(pid, &status, 0);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

ServeChild StartServe(const std::vector<std::string>& argv, const std::vector<std::string>& environment,
                      const std::string& working_dir, const std::string& log_path, std::chrono::seconds timeout) {
  ServeChild child;
  std::vector<std::string> argv_strings = argv, env_strings = environment;
  std::vector<char*> args = Pointers(argv_strings), envp = Pointers(env_strings);
  int out_pipe[2] = {-1, -1};
  if (pipe2(out_pipe, O_CLOEXEC) != 0) return {-1, 0, -1, "pipe failed"};
  const int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  const int devnull = open("/dev/null", O_RDONLY | O_CLOEXEC);
  if (log_fd < 0 || devnull < 0) {
    CloseAll({out_pipe[0], out_pipe[1], log_fd, devnull});
    return {-1, 0, -1, "cannot open the server log " + log_path};
  }
  const pid_t parent = getpid();
  const auto deadline = Clock::now() + timeout;
  const pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent) _exit(125);  // the parent died before prctl
    dup2(devnull, 0);
    dup2(out_pipe[1], 1);
    dup2(log_fd, 2);
    if (chdir(working_dir.c_str()) != 0) _exit(126);
    execve(args[0], args.data(), envp.data());
    _exit(127);
  }
  CloseAll({devnull, out_pipe[1], log_fd});
  if (pid < 0) {
    close(out_pipe[0]);
    return {-1, 0, -1, "fork failed"};
  }
  child.pid = pid;
  child.stdout_fd = out_pipe[0];

  std::string out;
  while (out.find('\n') == std::string::npos && Clock::now() < deadline) {
    pollfd p{child.stdout_fd, POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) continue;
    char chunk[512];
    const ssize_t n = read(child.stdout_fd, chunk, sizeof chunk);
    if (n <= 0) break;
    out.append(chunk, static_cast<std::size_t>(n));
  }
  constexpr std::string_view kMarker = "Casus listens on https://localhost:";
  const auto at = out.find(kMarker);
  if (at != std::string::npos) child.port = std::atoi(out.c_str() + at + kMarker.size());
  if (child.port <= 0) {
    KillAndReap(child.pid);
    close(child.stdout_fd);
    return {-1, 0, -1, "casus serve did not report listening; stdout: " + out};
  }
  return child;
}

Ending TerminateAndReap(pid_t pid, std::chrono::seconds grace) {
  Ending ending;
  kill(pid, SIGTERM);
  int status = 0;
  pid_t done = 0;
  const auto deadline = Clock::now() + grace;
  while ((done = waitpid(pid, &status, WNOHANG)) == 0 && Clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  if (done == 0) {
    KillAndReap(pid);
    ending.timed_out = true;
    return ending;
  }
  ending.exited = WIFEXITED(status);
  if (ending.exited) ending.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) ending.signal = WTERMSIG(status);
  return ending;
}

void KillAndReap(pid_t pid) {
  if (pid <= 0) return;
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
}

std::string RandomHex(int bytes) {
  std::random_device rd;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < bytes; ++i) {
    const unsigned v = rd() & 0xff;
    s += kHex[v >> 4];
    s += kHex[v & 15];
  }
  return s;
}

}  // namespace casus::testing
