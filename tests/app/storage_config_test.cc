// `storage:` in the configuration and CASUS_DATABASE_URL: SQLite unless
// PostgreSQL is asked for, a PostgreSQL backend needs a postgresql:// URL,
// and a bad URL is refused without repeating it (it may hold a password).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "app/config.h"

namespace casus::app {
namespace {

using Backend = StorageConfig::Backend;

TEST(StorageConfigTest, SqliteIsTheDefault) {
  auto config = LoadConfig(std::nullopt);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->storage.backend, Backend::kSqlite);
  EXPECT_TRUE(config->storage.postgres_url.empty());
}

TEST(StorageConfigTest, PostgresIsChosenWithItsUrl) {
  Config config;
  Status st = ApplyConfigText("storage:\n  backend: postgres\n  postgres:\n    url: postgresql://casus@db/casus\n",
                              "region.yaml", config);
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(config.storage.backend, Backend::kPostgres);
  EXPECT_EQ(config.storage.postgres_url, "postgresql://casus@db/casus");
}

TEST(StorageConfigTest, TheEnvironmentsUrlSelectsPostgres) {
  Config config;
  ::setenv("CASUS_DATABASE_URL", "postgres://casus@db:5433/casus", 1);
  Status st = ApplyEnvironment(config);
  ::unsetenv("CASUS_DATABASE_URL");
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(config.storage.backend, Backend::kPostgres);
  EXPECT_EQ(config.storage.postgres_url, "postgres://casus@db:5433/casus");
}

TEST(StorageConfigTest, BadBackendsAndUrlsAreRefusedWithoutEchoingTheUrl) {
  for (const std::string yaml : {"storage:\n  backend: oracle\n", "storage:\n  postgres:\n    url: mysql://u:s3cret@db/x\n",
                                 "storage:\n  postgres:\n    host: db\n", "storage:\n  pool: 4\n", "storage: postgres\n"}) {
    Config config;
    Status st = ApplyConfigText(yaml, "region.yaml", config);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << yaml;
    EXPECT_NE(st.message().find("region.yaml: storage"), std::string::npos) << st.message();
    EXPECT_EQ(st.message().find("s3cret"), std::string::npos) << st.message();
  }
  Config config;
  ::setenv("CASUS_DATABASE_URL", "db.example:5432 password=s3cret", 1);
  Status st = ApplyEnvironment(config);
  ::unsetenv("CASUS_DATABASE_URL");
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message().find("s3cret"), std::string::npos) << st.message();
}

TEST(StorageConfigTest, PostgresWithoutAUrlIsRefusedAtLoad) {
  const auto file = std::filesystem::temp_directory_path() / "casus-storage-config-test.yaml";
  {
    std::ofstream out(file);
    out << "storage:\n  backend: postgres\n";
  }
  auto config = LoadConfig(file);
  std::filesystem::remove(file);
  ASSERT_FALSE(config.ok());
  EXPECT_NE(config.status().message().find("CASUS_DATABASE_URL"), std::string::npos) << config.status().message();
}

}  // namespace
}  // namespace casus::app
