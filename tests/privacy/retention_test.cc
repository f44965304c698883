// Retention with a controlled clock: what goes, what stays, and that the
// audit chain still verifies afterwards.
#include <gtest/gtest.h>

#include "app/config.h"
#include "app/retention.h"
#include "tests/privacy/privacy_fixture.h"

namespace casus::privacy::testing {
namespace {

namespace json = boost::json;

TimePoint Years(TimePoint from, int years, int extra_days) {
  return app::RetentionPeriod{app::RetentionPeriod::Unit::kYears, -years}.Before(from) +
         std::chrono::hours(24 * extra_days);
}

class RetentionTest : public PrivacyTest {
 protected:
  StatusOr<app::RetentionSummary> Run(bool dry_run) {
    app::RetentionService retention(*store, registry, config.retention, clock);
    return retention.Run(dry_run);
  }
};

TEST_F(RetentionTest, ExpiredClosedCaseLosesItsContentAndKeepsItsShape) {
  const TimePoint t0 = clock.Now();
  SeedCase("case_old", "iaww", "afgesloten", t0);
  SeedCase("case_open", "iaww", "uitvoering", t0);                       // never closed
  SeedCase("case_recent", "iaww", "afgesloten", Years(t0, 1, 0));        // closed a year later
  // A term still suspended when the case closed keeps its reason until erasure.
  for (const char* id : {"case_old", "case_recent"})
    ASSERT_EQ(RawExec(std::string("INSERT INTO case_deadlines (case_id, position, deadline_id, started_at, due_at, "
                                  "suspended_at, suspension_reason) VALUES ('") +
                      id + "', 90, 'agendering', 0, 86400, 3600, 'Opgenomen in een kliniek')"),
              "");
  clock.Set(Years(t0, 5, 1));

  auto dry = Run(true);
  ASSERT_TRUE(dry.ok()) << dry.status().ToString();
  ASSERT_EQ(dry->items.size(), 1u);
  EXPECT_EQ(dry->items[0].object_id, "case_old");
  EXPECT_EQ(dry->items[0].period, "5y");
  EXPECT_EQ(dry->cases, 1);
  EXPECT_EQ(Rows("SELECT count(*) FROM notes WHERE case_id = 'case_old'"), 1) << "a dry run changes nothing";
  EXPECT_EQ(Rows("SELECT count(*) FROM retention_log"), 0);

  auto done = Run(false);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->cases, 1);
  EXPECT_EQ(done->persons, 1);

  // Gone: content.
  EXPECT_EQ(Rows("SELECT count(*) FROM notes WHERE case_id = 'case_old'"), 0);
  EXPECT_EQ(Rows("SELECT count(*) FROM actions WHERE case_id = 'case_old'"), 0);
  EXPECT_EQ(Rows("SELECT count(*) FROM case_team WHERE case_id = 'case_old'"), 0);
  EXPECT_EQ(Text("SELECT data_json FROM cases WHERE id = 'case_old'"), "{}");
  EXPECT_EQ(Rows("SELECT count(*) FROM cases WHERE id = 'case_old' AND subject_person_id IS NULL"), 1);
  EXPECT_EQ(Rows("SELECT count(*) FROM case_events WHERE case_id = 'case_old' AND payload_json <> '{}'"), 0);
  EXPECT_EQ(Text("SELECT reason FROM access_grants WHERE case_id = 'case_old'"), "");
  EXPECT_EQ(Rows("SELECT count(*) FROM case_deadlines WHERE case_id = 'case_old' AND suspension_reason IS NOT NULL"), 0);
  EXPECT_EQ(Rows("SELECT count(*) FROM case_deadlines WHERE case_id = 'case_old' AND suspended_at IS NOT NULL"), 1)
      << "the shape stays: when it was suspended";
  EXPECT_EQ(Rows("SELECT count(*) FROM case_deadlines WHERE case_id = 'case_recent' AND suspension_reason IS NOT NULL"),
            1);
  EXPECT_EQ(Text("SELECT description || street || reporter_name || reporter_email || reporter_phone "
                 "FROM reports WHERE id = 'report_case_old'"),
            "");
  EXPECT_EQ(Rows("SELECT count(*) FROM persons WHERE id = 'person_case_old'"), 0);
  // Stays: the shape, for statistics and accountability.
  EXPECT_EQ(Text("SELECT type || '/' || state || '/' || history_json FROM cases WHERE id = 'case_old'"),
            "iaww/afgesloten/[\"open\",\"afsluiten\"]");
  EXPECT_EQ(Rows("SELECT count(*) FROM case_events WHERE case_id = 'case_old' AND type = 'note.added' "
                 "AND erased_at IS NOT NULL"),
            1);
  EXPECT_EQ(Text("SELECT category || '/' || wijk || '/' || status FROM reports WHERE id = 'report_case_old'"),
            "woonoverlast/Bleijerheide/gekoppeld");
  EXPECT_EQ(Text("SELECT object_type || ' ' || kind || ' ' || counts_json FROM retention_log"),
            "case iaww {\"notes\":1,\"actions\":1,\"events\":1,\"team\":1,\"grants\":1,\"report\":1,\"persons\":1}");
  // Untouched: the open case and the recently closed one.
  for (const char* id : {"case_open", "case_recent"}) {
    EXPECT_EQ(Rows(std::string("SELECT count(*) FROM notes WHERE case_id = '") + id + "'"), 1) << id;
    EXPECT_EQ(Rows(std::string("SELECT count(*) FROM persons WHERE id = 'person_") + id + "'"), 1) << id;
  }
  // One audit entry by the system, and the chain still verifies.
  EXPECT_EQ(Rows("SELECT count(*) FROM audit_log WHERE action = 'retention.erase' AND object_id = 'case_old' "
                 "AND user_id = 'system' AND person_id = 'person_case_old'"),
            1);
  EXPECT_TRUE(Verified());

  // Running again finds nothing more.
  auto again = Run(false);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->cases, 0);

  // The API shows the erased case without subject or data.
  Login meldpunt = AddUser("meldpunt", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade");
  api::HttpResponse r = Call("GET", "/api/v1/cases/case_old", "", meldpunt.token);
  ASSERT_EQ(r.status, 200) << r.body;
  json::object kase = Json(r).as_object();
  EXPECT_TRUE(kase.at("subject").is_null());
  EXPECT_TRUE(kase.at("data").as_object().empty());
  EXPECT_EQ(kase.at("state").as_string(), "afgesloten");
}

TEST_F(RetentionTest, NothingGoesBeforeThePeriodHasPassed) {
  const TimePoint t0 = clock.Now();
  SeedCase("case_old", "iaww", "afgesloten", t0);
  clock.Set(Years(t0, 5, -1));
  auto done = Run(false);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_TRUE(done->items.empty());
  EXPECT_EQ(Rows("SELECT count(*) FROM notes"), 1);
  clock.Set(Years(t0, 5, 0));  // exactly the period: due
  done = Run(false);
  ASSERT_TRUE(done.ok());
  EXPECT_EQ(done->cases, 1);
}

TEST_F(RetentionTest, PersonStillReferencedByAnotherCaseIsKept) {
  const TimePoint t0 = clock.Now();
  auto old = SeedCase("case_old", "iaww", "afgesloten", t0);
  SeedCase("case_live", "jpp", "aangemeld", t0, old.person_id);
  clock.Set(Years(t0, 6, 0));
  auto done = Run(false);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->cases, 1);
  EXPECT_EQ(done->persons, 0);
  EXPECT_EQ(Rows("SELECT count(*) FROM persons WHERE id = '" + old.person_id + "'"), 1);
  EXPECT_TRUE(Verified());
}

TEST_F(RetentionTest, PeriodPerTerminalStateAndPerReportCategory) {
  config.retention.cases["topx"]["afgewezen"] = {app::RetentionPeriod::Unit::kYears, 1};
  config.retention.reports["default"] = {app::RetentionPeriod::Unit::kYears, 1};
  config.retention.reports["woonoverlast"] = {app::RetentionPeriod::Unit::kYears, 2};
  const TimePoint t0 = clock.Now();
  SeedCase("topx_rejected", "topx", "afgewezen", t0);
  SeedCase("topx_done", "topx", "afgeschaald", t0);
  SeedClosedReport("rep_jeugd", "jeugdoverlast", t0, "person_jeugd");
  SeedClosedReport("rep_woon", "woonoverlast", t0, "person_woon");
  clock.Set(Years(t0, 1, 1));

  auto done = Run(false);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->cases, 1);
  EXPECT_EQ(done->reports, 1);
  EXPECT_EQ(Rows("SELECT count(*) FROM cases WHERE erased_at IS NOT NULL"), 1);
  EXPECT_EQ(Rows("SELECT count(*) FROM cases WHERE id = 'topx_rejected' AND erased_at IS NOT NULL"), 1);
  EXPECT_EQ(Text("SELECT description FROM reports WHERE id = 'rep_jeugd'"), "");
  EXPECT_EQ(Text("SELECT category FROM reports WHERE id = 'rep_jeugd'"), "jeugdoverlast");
  EXPECT_EQ(Rows("SELECT count(*) FROM persons WHERE id = 'person_jeugd'"), 0);
  EXPECT_EQ(Text("SELECT description FROM reports WHERE id = 'rep_woon'"), "Losse melding rep_woon");
  EXPECT_EQ(Rows("SELECT count(*) FROM persons WHERE id = 'person_woon'"), 1);
  EXPECT_TRUE(Verified());
}

TEST(RetentionConfigTest, DefaultsLoadAndNameOnlyKnownTerminalStates) {
  auto config = app::LoadConfig(std::nullopt);
  ASSERT_TRUE(config.ok()) << config.status().ToString();
  EXPECT_EQ(config->retention.audit.ToString(), "5y");
  EXPECT_EQ(config->retention.ForCase("topx", "afgewezen").ToString(), "1y");
  EXPECT_EQ(config->retention.ForCase("iaww", "afgesloten").ToString(), "5y");
  EXPECT_EQ(config->retention.ForReport("woonoverlast").ToString(), "2y");
  EXPECT_EQ(config->retention.ForReport("drugsoverlast").ToString(), "1y");
  EXPECT_EQ(config->retention.interval_hours, 24);
}

TEST(RetentionConfigTest, UnsafeOrUnknownSettingsAreRefused) {
  for (const char* yaml : {"retention:\n  audit: 4y\n", "retention:\n  audit: 59m\n",
                           "retention:\n  reports:\n    onbekend: 1y\n", "retention:\n  reports:\n    default: 1w\n",
                           "retention:\n  cases:\n    iaww:\n      default: 0y\n", "retention:\n  bewaar: 1y\n",
                           "retention:\n  interval_hours: 0\n"}) {
    app::Config config;
    EXPECT_FALSE(app::ApplyConfigText(yaml, "test.yaml", config).ok()) << yaml;
  }
  app::Config ok;
  ASSERT_TRUE(app::ApplyConfigText("retention:\n  audit: 7y\n  cases:\n    wvggz:\n      afgesloten: 18m\n",
                                   "test.yaml", ok)
                  .ok());
  EXPECT_EQ(ok.retention.ForCase("wvggz", "afgesloten").ToString(), "18m");
}

TEST_F(RetentionTest, ConfigNamingUnknownTypeOrOpenStateIsRefused) {
  app::RetentionConfig bad_type;
  bad_type.cases["burglary"]["default"] = {};
  EXPECT_FALSE(app::CheckRetentionConfig(bad_type, registry).ok());
  app::RetentionConfig open_state;
  open_state.cases["iaww"]["uitvoering"] = {};
  EXPECT_FALSE(app::CheckRetentionConfig(open_state, registry).ok());
  app::RetentionConfig fine;
  fine.cases["topx"]["afgewezen"] = {};
  EXPECT_TRUE(app::CheckRetentionConfig(fine, registry).ok());
}

TEST(RetentionPeriodTest, CalendarArithmeticClampsToTheMonthEnd) {
  const TimePoint leap = *ParseRfc3339("2028-02-29T10:00:00Z");
  EXPECT_EQ(FormatRfc3339(app::ParseRetentionPeriod("1y")->Before(leap)), "2027-02-28T10:00:00Z");
  EXPECT_EQ(FormatRfc3339(app::ParseRetentionPeriod("18m")->Before(leap)), "2026-08-29T10:00:00Z");
  EXPECT_EQ(FormatRfc3339(app::ParseRetentionPeriod("30d")->Before(leap)), "2028-01-30T10:00:00Z");
  EXPECT_FALSE(app::ParseRetentionPeriod("5").has_value());
  EXPECT_FALSE(app::ParseRetentionPeriod("y").has_value());
  EXPECT_FALSE(app::ParseRetentionPeriod("-1y").has_value());
  EXPECT_FALSE(app::ParseRetentionPeriod("123456y").has_value());
}

}  // namespace
}  // namespace casus::privacy::testing
