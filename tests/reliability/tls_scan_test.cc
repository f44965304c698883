// testssl.sh (the Debian package) against the real server: protocols,
// cipher categories, forward secrecy and the known vulnerabilities. No
// protocol below TLS 1.2, no weak cipher category, nothing rated MEDIUM or
// worse, and no scan step that failed (a failed step must not pass as "no
// finding"). The flat JSON report is parsed; the scan stays on loopback.
#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "tests/reliability/casus_process.h"
#include "tests/support/child_process.h"
#include "tests/support/temp_dir.h"

namespace casus::reliability {
namespace {

namespace json = boost::json;

constexpr const char* kTestssl = "/usr/bin/testssl";

struct Finding {
  std::string severity;
  std::string finding;
};

// Runs testssl with `args`. NO_ENGINE: testssl would otherwise probe the
// local openssl for the GOST engine, which Debian's OpenSSL 3 lacks, and
// report that as a WARN about the scanning host, not about the server
// (which offers no GOST cipher either way).
testing::CommandResult RunTestssl(const std::vector<std::string>& args, const std::string& working_dir) {
  std::vector<std::string> argv = {kTestssl};
  argv.insert(argv.end(), args.begin(), args.end());
  return testing::RunCommand(argv, testing::ChildEnvironment({"NO_ENGINE=true"}), "", working_dir);
}

TEST(Tls, TestsslFindsNoOldProtocolNoWeakCipherAndNoKnownVulnerability) {
  if (access(kTestssl, X_OK) != 0)
    GTEST_SKIP() << kTestssl << " is missing: scripts/install-deps.sh installs the Debian package testssl.sh";
  testing::TempDir root;
  const std::string data = (root.path() / "data").string();
  ASSERT_EQ(RunCasus({"init", "--data-dir", data}).exit_code, 0);
  ServerProcess server;
  ASSERT_EQ(server.Start(data, (root.path() / "server.log").string()), "");

  const std::string report = (root.path() / "testssl.json").string();
  const auto started = std::chrono::steady_clock::now();
  // No DNS, no update checks, no phoning out: the sandbox and CI may be offline.
  const testing::CommandResult scan =
      RunTestssl({"--quiet", "--color", "0", "--warnings", "batch", "--nodns", "none", "-p", "-s", "-f", "-U",
                  "--jsonfile", report, "127.0.0.1:" + std::to_string(server.port())},
                 root.path().string());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  EXPECT_EQ(server.Stop(), 0);

  std::ifstream in(report);
  std::stringstream text;
  text << in.rdbuf();
  const std::string console_text = scan.out + scan.err;
  ASSERT_FALSE(text.str().empty()) << "testssl wrote no JSON (exit " << scan.exit_code << "):\n" << console_text;
  json::error_code ec;
  const json::value parsed = json::parse(text.str(), ec);
  ASSERT_FALSE(ec) << "testssl JSON: " << ec.message();
  ASSERT_TRUE(parsed.is_array());
  std::map<std::string, Finding> by_id;
  std::map<std::string, int> per_severity;
  for (const auto& v : parsed.as_array()) {
    const auto& o = v.as_object();
    Finding f{std::string(o.at("severity").as_string()), std::string(o.at("finding").as_string())};
    const std::string id(o.at("id").as_string());
    ++per_severity[f.severity];
    EXPECT_TRUE(f.severity == "OK" || f.severity == "INFO" || f.severity == "LOW")
        << id << " rated " << f.severity << ": " << f.finding;
    by_id[id] = std::move(f);
  }
  EXPECT_EQ(per_severity["WARN"] + per_severity["FATAL"], 0) << "a scan step failed:\n" << console_text;

  for (const char* old : {"SSLv2", "SSLv3", "TLS1", "TLS1_1"}) {
    ASSERT_TRUE(by_id.count(old)) << old << " was not checked";
    EXPECT_NE(by_id[old].finding.find("not offered"), std::string::npos) << old << ": " << by_id[old].finding;
  }
  ASSERT_TRUE(by_id.count("TLS1_2") && by_id.count("TLS1_3"));
  EXPECT_EQ(by_id["TLS1_2"].finding.find("not offered"), std::string::npos) << by_id["TLS1_2"].finding;
  EXPECT_EQ(by_id["TLS1_3"].finding.find("not offered"), std::string::npos) << by_id["TLS1_3"].finding;
  // The weak cipher categories of -s.
  for (const char* weak : {"cipherlist_NULL", "cipherlist_aNULL", "cipherlist_EXPORT", "cipherlist_LOW",
                           "cipherlist_3DES_IDEA"}) {
    ASSERT_TRUE(by_id.count(weak)) << weak << " was not checked";
    EXPECT_NE(by_id[weak].finding.find("not offered"), std::string::npos) << weak << ": " << by_id[weak].finding;
  }
  // The vulnerability checks of -U ran (a skipped check is no proof).
  for (const char* check : {"heartbleed", "CCS", "ticketbleed", "ROBOT", "secure_renego", "secure_client_renego",
                            "CRIME_TLS", "BREACH", "POODLE_SSL", "fallback_SCSV", "SWEET32", "FREAK", "DROWN",
                            "LOGJAM", "BEAST", "LUCKY13", "RC4"})
    EXPECT_TRUE(by_id.count(check)) << "no result for " << check;

  std::string severities;
  for (const auto& [s, n] : per_severity) severities += " " + s + "=" + std::to_string(n);
  std::printf("[tls] testssl -p -s -f -U in %.0f s (exit %d): %zu findings,%s\n", seconds, scan.exit_code, by_id.size(),
              severities.c_str());
}

}  // namespace
}  // namespace casus::reliability
