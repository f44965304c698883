// The `server:` section is split between the app (access limits) and the
// transport (everything else, checked by api/server): the file format is
// unchanged, and a bad key is still refused with its file and key named.
#include "api/server/server_config.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "app/config.h"

namespace casus::api::server {
namespace {

app::Config Load(const std::string& yaml) {
  app::Config config;
  Status st = app::ApplyConfigText(yaml, "region.yaml", config);
  EXPECT_TRUE(st.ok()) << st.ToString();
  return config;
}

TEST(ServerConfigTest, TheDefaultsFileGivesTheDocumentedTransportAndLimits) {
  auto config = app::LoadConfig(std::nullopt);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  auto server = ParseServerConfig(config->server_settings);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  EXPECT_EQ(server->listen, "127.0.0.1:8443");
  EXPECT_EQ(server->body_limit, 1048576u);
  EXPECT_EQ(server->worker_threads, 4);
  EXPECT_EQ(config->limits.session_idle_minutes, 30);
  EXPECT_EQ(config->limits.public_reports_per_hour, 10);
}

TEST(ServerConfigTest, OneSectionFeedsBothTheTransportAndTheAppLimits) {
  app::Config config = Load(
      "server:\n  listen: 0.0.0.0:9443\n  body_limit: 2048\n  websocket_queue: 8\n"
      "  break_glass_minutes: 60\n  session_absolute_hours: 8\n");
  auto server = ParseServerConfig(config.server_settings);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  EXPECT_EQ(server->listen, "0.0.0.0:9443");
  EXPECT_EQ(server->body_limit, 2048u);
  EXPECT_EQ(server->websocket_queue, 8);
  EXPECT_EQ(server->io_threads, 2);  // untouched: the default
  EXPECT_EQ(config.limits.break_glass_minutes, 60);
  EXPECT_EQ(config.limits.session_absolute_hours, 8);
}

TEST(ServerConfigTest, LaterFilesAndTheEnvironmentWin) {
  app::Config config = Load("server:\n  listen: 127.0.0.1:1000\n");
  ASSERT_TRUE(app::ApplyConfigText("server:\n  listen: 127.0.0.1:2000\n", "override.yaml", config).ok());
  ::setenv("CASUS_LISTEN", "127.0.0.1:3000", 1);
  ::setenv("CASUS_WEB_ROOT", "/srv/casus/web", 1);
  Status env = app::ApplyEnvironment(config);
  ::unsetenv("CASUS_LISTEN");
  ::unsetenv("CASUS_WEB_ROOT");
  ASSERT_TRUE(env.ok()) << env.ToString();
  auto server = ParseServerConfig(config.server_settings);
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  EXPECT_EQ(server->listen, "127.0.0.1:3000");
  EXPECT_EQ(server->web_root, "/srv/casus/web");
}

TEST(ServerConfigTest, UnknownKeysAndBadValuesAreRefusedNamingTheFileAndKey) {
  const std::vector<std::pair<std::string, std::string>> bad{
      {"server:\n  lisen: 127.0.0.1:1\n", "region.yaml: server.lisen: unknown setting"},
      {"server:\n  body_limit: 12\n", "region.yaml: server.body_limit: must be a number from 1024"},
      {"server:\n  io_threads: two\n", "region.yaml: server.io_threads: must be a number"},
      {"server:\n  worker_queue: 5x\n", "region.yaml: server.worker_queue: must be a number"},
      {"server:\n  max_connections: -1\n", "region.yaml: server.max_connections: must be a number"},
      {"server:\n  listen: ''\n", "region.yaml: server.listen: must not be empty"},
  };
  for (const auto& [yaml, message] : bad) {
    app::Config config = Load(yaml);
    auto server = ParseServerConfig(config.server_settings);
    ASSERT_FALSE(server.ok()) << yaml;
    EXPECT_EQ(server.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(server.status().message().rfind(message, 0), 0u) << server.status().message();
  }
}

TEST(ServerConfigTest, TheAppRefusesNestedValuesAndBadLimitsAtLoad) {
  for (const std::string yaml : {"server:\n  listen: {host: x}\n", "server:\n  break_glass_minutes: 0\n",
                                 "server:\n  public_reports_per_hour: lots\n", "server: 5\n"}) {
    app::Config config;
    Status st = app::ApplyConfigText(yaml, "region.yaml", config);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << yaml;
    EXPECT_NE(st.message().find("region.yaml: server"), std::string::npos) << st.message();
  }
}

}  // namespace
}  // namespace casus::api::server
