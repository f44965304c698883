// The `deadlines:` configuration section: defaults, overrides, refusals.
#include <gtest/gtest.h>

#include "app/config.h"

namespace casus::app {
namespace {

TEST(DeadlineConfigTest, DefaultsAreTwoWorkingDaysAndOneMinute) {
  Config config;
  EXPECT_EQ(config.deadlines.due_soon, (engine::DurationSpec{engine::DurationSpec::Unit::kWorkingDays, 2}));
  EXPECT_EQ(config.deadlines.tick_seconds, 60);
}

TEST(DeadlineConfigTest, ShippedDefaultsFileLoads) {
  Config config;
  ASSERT_TRUE(ApplyConfigFile(std::filesystem::path(CASUS_SOURCE_DIR) / "config" / "casus.yaml", config).ok());
  EXPECT_EQ(config.deadlines.due_soon.ToString(), "2wd");
  EXPECT_EQ(config.deadlines.tick_seconds, 60);
}

TEST(DeadlineConfigTest, OverridesApply) {
  Config config;
  ASSERT_TRUE(ApplyConfigText("deadlines: {due_soon: 36h, tick_seconds: 5}\n", "c.yaml", config).ok());
  EXPECT_EQ(config.deadlines.due_soon, (engine::DurationSpec{engine::DurationSpec::Unit::kHours, 36}));
  EXPECT_EQ(config.deadlines.tick_seconds, 5);
}

TEST(DeadlineConfigTest, BadValuesAndUnknownKeysAreRefused) {
  for (const char* text : {"deadlines: {due_soon: soon}\n", "deadlines: {tick_seconds: 0}\n",
                           "deadlines: {tick: 5}\n", "deadlines: 5\n"}) {
    SCOPED_TRACE(text);
    Config config;
    const Status st = ApplyConfigText(text, "c.yaml", config);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(st.message().find("c.yaml: deadlines"), std::string::npos) << st.message();
  }
}

}  // namespace
}  // namespace casus::app
