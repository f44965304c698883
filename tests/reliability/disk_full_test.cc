// The data directory on a small tmpfs that fills up: writes are refused
// with a clear 503 problem (reason storage_full) that gives nothing away,
// reads go on, nothing is corrupted or half written, and once the
// filesystem grows again writes succeed and the audit chain verifies.
// Needs root (mount); skips with the reason otherwise.
#include <gtest/gtest.h>
#include <sys/mount.h>
#include <unistd.h>

#include <boost/json.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "tests/reliability/casus_process.h"
#include "tests/reliability/database_check.h"
#include "tests/support/temp_dir.h"

namespace casus::reliability {
namespace {

namespace json = boost::json;

// A size-limited tmpfs mounted for the lifetime of the object.
class SmallFilesystem {
 public:
  explicit SmallFilesystem(std::filesystem::path at) : at_(std::move(at)) {
    std::filesystem::create_directories(at_);
    if (::mount("casus-disk-full", at_.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "size=4m,mode=0700") != 0)
      error_ = std::strerror(errno);
    else
      mounted_ = true;
  }
  ~SmallFilesystem() {
    if (mounted_) ::umount2(at_.c_str(), MNT_DETACH);
  }
  const std::string& error() const { return error_; }
  // Grows (or shrinks) the mounted filesystem in place.
  std::string Resize(const std::string& size) {
    if (::mount("casus-disk-full", at_.c_str(), "tmpfs", MS_REMOUNT | MS_NOSUID | MS_NODEV,
                ("size=" + size + ",mode=0700").c_str()) != 0)
      return std::strerror(errno);
    return "";
  }

 private:
  std::filesystem::path at_;
  bool mounted_ = false;
  std::string error_;
};

bool Is2xx(const HttpResult& r) { return r.status >= 200 && r.status < 300; }

TEST(DiskFull, WritesAreRefusedClearlyAndRecoverWhenSpaceReturns) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to mount a size-limited tmpfs for the data directory";
  testing::TempDir root;
  SmallFilesystem small(root.path() / "small");
  if (!small.error().empty()) GTEST_SKIP() << "cannot mount a 4 MiB tmpfs here (" << small.error() << ")";
  const std::string data = (root.path() / "small" / "data").string();
  const std::string log = (root.path() / "server.log").string();  // outside: the log must not fill the disk
  ASSERT_EQ(RunCasus({"init", "--data-dir", data}).exit_code, 0);
  Account meldpunt;
  ASSERT_EQ(AddAccount(data, "full_meldpunt", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade", meldpunt), "");
  ServerProcess server;
  ASSERT_EQ(server.Start(data, log), "");
  HttpsClient client(server.port());
  ASSERT_EQ(Login(client, meldpunt).status, 200);
  const Headers auth = {{"Authorization", "Bearer " + meldpunt.token}};

  json::object open{{"type", "iaww"},
                    {"subject", {{"name", UniqueName("Vol")}}},
                    {"municipality", "Kerkrade"},
                    {"data",
                     {{"categorie", "woonoverlast"},
                      {"melder_type", "burger"},
                      {"wijk", "Chevremont"},
                      {"omschrijving", "Geluidsoverlast"}}}};
  HttpResult opened = client.Request("POST", "/api/v1/cases", json::serialize(open), auth);
  ASSERT_EQ(opened.status, 201) << opened.Describe();
  const std::string case_id = opened.Str("id");
  std::int64_t version = 1;
  auto transition = [&] {
    json::object body{{"transition", version == 1 ? "verrijking_starten" : "partnerinformatie_toevoegen"},
                      {"version", version}};
    if (version > 1) body["data"] = json::object{{"informatie", std::string(2000, 'i')}};
    HttpResult r = client.Request("POST", "/api/v1/cases/" + case_id + "/transitions", json::serialize(body), auth);
    if (r.status == 200) ++version;
    return r;
  };
  const std::string note = json::serialize(json::object{{"text", std::string(20000, 'n')}});
  auto add_note = [&] { return client.Request("POST", "/api/v1/cases/" + case_id + "/notes", note, auth); };
  ASSERT_EQ(transition().status, 200);

  // Fill the 4 MiB: notes of 20 kB with a transition in between, until refused.
  int notes_acknowledged = 0;
  HttpResult refused;
  for (int i = 0; i < 2000 && !refused.status; ++i) {
    HttpResult r = i % 4 == 3 ? transition() : add_note();
    if (Is2xx(r)) {
      if (i % 4 != 3) ++notes_acknowledged;
    } else {
      refused = r;
    }
  }
  ASSERT_NE(refused.status, 0) << "the 4 MiB filesystem never filled up";
  std::printf("[disk-full] refused after %d notes and %lld versions: %s\n", notes_acknowledged,
              static_cast<long long>(version), refused.Describe().c_str());
  EXPECT_EQ(refused.status, 503) << refused.Describe();
  EXPECT_EQ(refused.Header("content-type"), "application/problem+json");
  EXPECT_EQ(refused.Str("reason"), "storage_full") << refused.Describe();
  for (const std::string& secret : {std::string("casus.db"), std::string("sqlite"), std::string("SQLITE"), data,
                                   meldpunt.token, std::string("INSERT"), std::string("disk I/O")})
    EXPECT_EQ(refused.body.find(secret), std::string::npos) << "the problem gives away " << secret;

  // While full: further writes keep getting the same clear answer, reads still work.
  for (int i = 0; i < 5; ++i) {
    HttpResult again = i % 2 ? transition() : add_note();
    EXPECT_EQ(again.status, 503) << again.Describe();
  }
  // Each read's audit entry commits into the space the store kept in
  // reserve (storage::WriteKind), so reading goes on while changes are refused.
  for (int i = 0; i < 10; ++i) {
    HttpResult read = client.Request("GET", "/api/v1/cases/" + case_id, "", auth);
    EXPECT_EQ(read.status, 200) << "read " << i << " while the disk is full: " << read.Describe();
  }
  EXPECT_EQ(add_note().status, 503) << "reads must not reopen the door to changes";

  // Space returns: writes work again at once.
  ASSERT_EQ(small.Resize("64m"), "");
  HttpResult after = add_note();
  EXPECT_EQ(after.status, 201) << "first write after space returned: " << after.Describe();
  if (Is2xx(after)) ++notes_acknowledged;
  const std::int64_t before = version;
  EXPECT_EQ(transition().status, 200);
  EXPECT_EQ(version, before + 1);
  HttpResult notes = client.Request("GET", "/api/v1/cases/" + case_id + "/notes", "", auth);
  ASSERT_EQ(notes.status, 200);
  EXPECT_EQ(static_cast<int>(notes.obj().at("notes").as_array().size()), notes_acknowledged)
      << "every acknowledged note, and only those";
  HttpResult current = client.Request("GET", "/api/v1/cases/" + case_id, "", auth);
  EXPECT_EQ(current.obj().at("version").as_int64(), version);
  EXPECT_EQ(server.Stop(), 0);

  const DatabaseFacts facts = ReadDatabaseFacts(data + "/casus.db");
  ASSERT_EQ(facts.error, "");
  EXPECT_EQ(facts.integrity, "ok");
  const auto disagreements = Disagreements(facts);
  EXPECT_TRUE(disagreements.empty()) << disagreements.front();
  const CommandResult verify = RunCasus({"audit", "verify", "--data-dir", data});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;
}

}  // namespace
}  // namespace casus::reliability
