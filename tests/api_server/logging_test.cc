#include "api/server/logging.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include <cstdlib>

namespace casus::api::server {
namespace {

TEST(LoggingTest, LevelComesFromEnvironmentAndTyposKeepInfo) {
  ::setenv("CASUS_LOG_LEVEL", "debug", 1);
  ConfigureLogging();
  EXPECT_EQ(spdlog::default_logger()->level(), spdlog::level::debug);
  ::setenv("CASUS_LOG_LEVEL", "verbose-typo", 1);
  ConfigureLogging();
  EXPECT_EQ(spdlog::default_logger()->level(), spdlog::level::info);
  ::unsetenv("CASUS_LOG_LEVEL");
  ConfigureLogging();
  EXPECT_EQ(spdlog::default_logger()->level(), spdlog::level::info);
}

}  // namespace
}  // namespace casus::api::server
