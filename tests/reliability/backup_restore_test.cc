// `casus backup` while write traffic runs, then `casus restore` into a new
// data directory: the backup is one consistent snapshot holding at least
// everything acknowledged before it began, the restored server verifies
// its audit chain and serves the same cases at the same versions. Plus
// the refusals: no overwriting, no restoring garbage.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <thread>

#include "tests/reliability/case_traffic.h"
#include "tests/reliability/casus_process.h"
#include "tests/reliability/database_check.h"
#include "tests/support/temp_dir.h"

namespace casus::reliability {
namespace {

namespace fs = std::filesystem;

class BackupRestore : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = (root_.path() / "data").string();
    ASSERT_EQ(RunCasus({"init", "--data-dir", data_}).exit_code, 0);
    ASSERT_EQ(AddAccount(data_, "backup_meldpunt", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade", meldpunt_),
              "");
  }
  std::string Path(const std::string& name) const { return (root_.path() / name).string(); }

  testing::TempDir root_;
  std::string data_;
  Account meldpunt_;
};

TEST_F(BackupRestore, OnlineBackupDuringTrafficRestoresTheSameCasesWithAnIntactChain) {
  ServerProcess server;
  ASSERT_EQ(server.Start(data_, Path("server.log")), "");
  {
    HttpsClient client(server.port());
    ASSERT_EQ(Login(client, meldpunt_).status, 200);
  }
  std::atomic<int> port{server.port()};
  std::atomic<bool> stop{false};
  Acknowledged acks;
  TrafficCounts counts;
  std::vector<std::thread> writers;
  for (int w = 0; w < 3; ++w) writers.emplace_back([&] { RunCaseWriter(port, meldpunt_.token, stop, acks, counts); });
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));

  const auto acknowledged_before = acks.Snapshot();
  const int writes_before = counts.acknowledged.load();
  const auto started = std::chrono::steady_clock::now();
  const CommandResult backup = RunCasus({"backup", Path("casus.backup"), "--data-dir", data_});
  const double backup_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();
  const int writes_during = counts.acknowledged.load() - writes_before;
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  stop = true;
  for (auto& t : writers) t.join();
  ASSERT_EQ(backup.exit_code, 0) << backup.out << backup.err;
  EXPECT_EQ(fs::status(Path("casus.backup")).permissions() & fs::perms::all, fs::perms::owner_read | fs::perms::owner_write)
      << "a backup holds personal data: owner only";
  EXPECT_EQ(counts.refused.load(), 0) << (counts.refusals.empty() ? "" : counts.refusals.front());
  EXPECT_EQ(counts.unanswered.load(), 0);
  EXPECT_EQ(server.Stop(), 0);

  // The snapshot: consistent, and holding everything acknowledged before it began.
  const DatabaseFacts snapshot = ReadDatabaseFacts(Path("casus.backup"));
  ASSERT_EQ(snapshot.error, "");
  EXPECT_EQ(snapshot.integrity, "ok");
  const auto disagreements = Disagreements(snapshot);
  EXPECT_TRUE(disagreements.empty()) << disagreements.front();
  for (const auto& [id, version] : acknowledged_before) {
    auto it = snapshot.cases.find(id);
    ASSERT_NE(it, snapshot.cases.end()) << id;
    EXPECT_GE(it->second.version, version) << id;
  }

  const std::string restored = Path("restored");
  const CommandResult restore = RunCasus({"restore", Path("casus.backup"), "--data-dir", restored});
  ASSERT_EQ(restore.exit_code, 0) << restore.out << restore.err;
  EXPECT_NE(restore.out.find("audit chain intact"), std::string::npos) << restore.out;
  const CommandResult verify = RunCasus({"audit", "verify", "--data-dir", restored});
  EXPECT_EQ(verify.exit_code, 0) << verify.out << verify.err;

  ServerProcess second;
  ASSERT_EQ(second.Start(restored, Path("restored.log")), "");
  HttpsClient client(second.port());
  ASSERT_EQ(Login(client, meldpunt_).status, 200) << "the restored accounts log in";
  const Headers auth = {{"Authorization", "Bearer " + meldpunt_.token}};
  for (const auto& [id, facts] : snapshot.cases) {
    const HttpResult r = client.Request("GET", "/api/v1/cases/" + id, "", auth);
    ASSERT_EQ(r.status, 200) << id << ": " << r.Describe();
    EXPECT_EQ(r.obj().at("version").as_int64(), facts.version) << id;
  }
  EXPECT_EQ(second.Stop(), 0);
  std::printf("[backup] online backup of %zu cases took %.0f ms while %d writes were acknowledged; restore verified\n",
              snapshot.cases.size(), backup_ms, writes_during);
}

TEST_F(BackupRestore, RefusesToOverwriteAndToRestoreWhatIsNotAnIntactDatabase) {
  // An existing backup file is not overwritten.
  { std::ofstream(Path("taken")) << "precious"; }
  EXPECT_EQ(RunCasus({"backup", Path("taken"), "--data-dir", data_}).exit_code, 2);
  std::ifstream taken(Path("taken"));
  std::string content((std::istreambuf_iterator<char>(taken)), std::istreambuf_iterator<char>());
  EXPECT_EQ(content, "precious");
  // No database, no backup.
  EXPECT_EQ(RunCasus({"backup", Path("none.backup"), "--data-dir", Path("empty")}).exit_code, 2);
  EXPECT_FALSE(fs::exists(Path("none.backup")));

  ASSERT_EQ(RunCasus({"backup", Path("good.backup"), "--data-dir", data_}).exit_code, 0);
  // A data directory that has a database is never restored over.
  const auto size_before = fs::file_size(data_ + "/casus.db");
  EXPECT_EQ(RunCasus({"restore", Path("good.backup"), "--data-dir", data_}).exit_code, 2);
  EXPECT_EQ(fs::file_size(data_ + "/casus.db"), size_before);
  EXPECT_EQ(RunCasus({"audit", "verify", "--data-dir", data_}).exit_code, 0);
  // Garbage and a truncated backup are refused and leave no database behind.
  { std::ofstream(Path("garbage.backup")) << std::string(8192, 'x'); }
  EXPECT_EQ(RunCasus({"restore", Path("garbage.backup"), "--data-dir", Path("from-garbage")}).exit_code, 2);
  EXPECT_FALSE(fs::exists(Path("from-garbage") + "/casus.db"));
  fs::copy_file(Path("good.backup"), Path("truncated.backup"));
  fs::resize_file(Path("truncated.backup"), fs::file_size(Path("good.backup")) / 2);
  EXPECT_NE(RunCasus({"restore", Path("truncated.backup"), "--data-dir", Path("from-truncated")}).exit_code, 0);
  EXPECT_FALSE(fs::exists(Path("from-truncated") + "/casus.db"));
  // A missing backup file.
  EXPECT_EQ(RunCasus({"restore", Path("missing.backup"), "--data-dir", Path("from-missing")}).exit_code, 2);
}

}  // namespace
}  // namespace casus::reliability
