#include "tests/support/postgres_server.h"

#include <netinet/in.h>
#include <pwd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <random>
#include <sstream>

#include "storage/postgres/connection.h"
#include "tests/support/child_process.h"

namespace casus::testing {
namespace {

const std::filesystem::path kBin = "/usr/lib/postgresql/15/bin";
constexpr const char* kRunuser = "/usr/sbin/runuser";

bool RunningAsRoot() { return geteuid() == 0; }

// argv as the user who may run PostgreSQL: ourselves, or `postgres` when root.
std::vector<std::string> AsServerUser(std::vector<std::string> argv) {
  if (!RunningAsRoot()) return argv;
  std::vector<std::string> wrapped{kRunuser, "-u", "postgres", "--"};
  wrapped.insert(wrapped.end(), argv.begin(), argv.end());
  return wrapped;
}

// A port nobody listens on now (the kernel's choice for port 0).
int FreePort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  close(fd);
  return port;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::filesystem::path NewDirectory() {
  std::random_device rd;
  auto dir = std::filesystem::temp_directory_path() / ("casus-pg-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace

std::string PostgresServer::UnavailableReason() {
  std::error_code ec;
  if (!std::filesystem::exists(kBin / "initdb", ec))
    return "PostgreSQL 15 is not installed (" + (kBin / "initdb").string() + "; Debian package postgresql-15)";
  if (RunningAsRoot() && (!getpwnam("postgres") || !std::filesystem::exists(kRunuser, ec)))
    return "running as root without a postgres user or runuser to start PostgreSQL as";
  return "";
}

StatusOr<std::unique_ptr<PostgresServer>> PostgresServer::Start() {
  if (std::string why = UnavailableReason(); !why.empty()) return Status::Unavailable(why);
  const std::filesystem::path dir = NewDirectory();
  if (RunningAsRoot()) {
    const passwd* pg = getpwnam("postgres");
    if (chown(dir.c_str(), pg->pw_uid, pg->pw_gid) != 0) return Status::Unavailable("cannot chown " + dir.string());
  }
  const auto env = ChildEnvironment({"LC_ALL=C.UTF-8"});
  // Trust on loopback: a throwaway server that only this test process knows
  // the port of. --no-sync: initdb's own files need not survive a crash.
  CommandResult init = RunCommand(AsServerUser({(kBin / "initdb").string(), "-D", (dir / "data").string(), "-U",
                                                "casus", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"}),
                                  env, "", dir.string());
  if (init.exit_code != 0) {
    std::filesystem::remove_all(dir);
    return Status::Unavailable("initdb failed: " + init.err + init.out);
  }
  // A port can be taken between FreePort() and the server's bind: retry.
  for (int attempt = 0; attempt < 3; ++attempt) {
    const int port = FreePort();
    const std::string options = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port) +
                                " -c unix_socket_directories=" + dir.string() + " -c max_connections=100";
    CommandResult started =
        RunCommand(AsServerUser({(kBin / "pg_ctl").string(), "-D", (dir / "data").string(), "-l",
                                 (dir / "server.log").string(), "-w", "-t", "60", "-o", options, "start"}),
                   env, "", dir.string());
    if (started.exit_code == 0) return std::unique_ptr<PostgresServer>(new PostgresServer(dir, port));
    if (attempt == 2) {
      const std::string log = ReadFile(dir / "server.log");
      std::filesystem::remove_all(dir);
      return Status::Unavailable("PostgreSQL did not start: " + started.err + started.out + log);
    }
  }
  return Status::Unavailable("PostgreSQL did not start");
}

PostgresServer::~PostgresServer() {
  (void)RunCommand(AsServerUser({(kBin / "pg_ctl").string(), "-D", (dir_ / "data").string(), "-m", "immediate", "-w",
                                 "stop"}),
                   ChildEnvironment(), "", dir_.string());
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string PostgresServer::Url(const std::string& name) const {
  return "postgresql://casus@127.0.0.1:" + std::to_string(port_) + "/" + name;
}

StatusOr<std::string> PostgresServer::CreateDatabase(const std::string& name) {
  ASSIGN_OR_RETURN(auto admin, storage::postgres::Connection::Open(Url("postgres")));
  RETURN_IF_ERROR(admin->Exec("CREATE DATABASE \"" + name + "\""));
  return Url(name);
}

PostgresServer* SharedPostgres(std::string* reason) {
  static std::mutex mu;
  static std::unique_ptr<PostgresServer> server;
  static std::string failure;
  static bool tried = false;
  std::lock_guard lock(mu);
  if (!tried) {
    tried = true;
    auto started = PostgresServer::Start();
    if (started.ok()) {
      server = std::move(started).value();
      // Stopped at exit, also when a test fails.
      std::atexit([] { server.reset(); });
    } else {
      failure = started.status().message();
    }
  }
  if (!server && reason) *reason = failure;
  return server.get();
}

}  // namespace casus::testing
