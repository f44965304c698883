// A throwaway PostgreSQL for the tests: Debian's postgresql-15, initdb'd
// into a temporary directory and started on a free loopback port, as the
// `postgres` user when the tests run as root (initdb refuses root).
// Stopped and removed when the object goes. Tests that need it skip, with
// the reason printed, only where PostgreSQL is not installed.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "common/status.h"

namespace casus::testing {

class PostgresServer {
 public:
  // Empty when PostgreSQL can be started here; otherwise why not (for GTEST_SKIP).
  static std::string UnavailableReason();

  // Starts a server; Unavailable with initdb's or the server's log on failure.
  static StatusOr<std::unique_ptr<PostgresServer>> Start();
  ~PostgresServer();
  PostgresServer(const PostgresServer&) = delete;
  PostgresServer& operator=(const PostgresServer&) = delete;

  // Creates an empty database and returns its URL
  // (postgresql://casus@127.0.0.1:PORT/NAME).
  StatusOr<std::string> CreateDatabase(const std::string& name);
  int port() const { return port_; }

  // The URL of database `name` on this server (created or not).
  std::string Url(const std::string& name) const;

 private:
  PostgresServer(std::filesystem::path dir, int port) : dir_(std::move(dir)), port_(port) {}
  std::filesystem::path dir_;
  int port_;
};

// One server per test binary, started on first use and stopped at exit;
// each test creates its own database on it. Null (and `reason` set) when
// PostgreSQL is unavailable or did not start.
PostgresServer* SharedPostgres(std::string* reason);

}  // namespace casus::testing
