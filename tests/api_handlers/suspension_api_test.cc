// Opschorting over the API: the IAWW's 5-working-day agendering norm
// suspended by the coordinator over Easter 2026 and resumed, the end moving
// by the working days suspended; the deadline neither overdue nor fired
// while suspended; every refusal (role, statutory term naming its legal
// basis, unknown or malformed deadline, missing or over-long reason, stale
// version, twice, not suspended, past due, need-to-know); the audit trail
// and the timeline.
#include <algorithm>

#include "tests/api_handlers/api_fixture.h"

namespace casus::api::handlers::testing {
namespace {

namespace json = boost::json;

std::string SText(const json::value& v) { return v.is_string() ? std::string(v.as_string()) : ""; }

class SuspensionApiTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    // Wednesday 1 April 2026, 11:00 in Kerkrade. The 5 working days of the
    // agendering norm: Thu 2, Fri 3, Tue 7 (Tweede Paasdag, Mon 6, is a
    // holiday), Wed 8, Thu 9 April: due at the end of Thursday 9 April.
    clock.Set(*ParseRfc3339("2026-04-01T09:00:00Z"));
    json::object opened = OpenIaww(Fresh("meldpunt"));
    case_id = SText(opened["id"]);
    version = opened["version"].as_int64();
  }

  // Sessions end after 30 idle minutes and the test moves the clock by
  // days: each step logs in a fresh user of the role it needs.
  Login Fresh(const std::string& role, const std::string& org = "Gemeente Kerkrade",
              const std::string& org_type = "gemeente") {
    return AddUser(role + "." + std::to_string(++logins_), role, org, org_type, "Kerkrade");
  }

  HttpResponse Change(const Login& who, const std::string& deadline, const std::string& step,
                      json::object body) {
    return Call("POST", "/api/v1/cases/" + case_id + "/deadlines/" + deadline + "/" + step, json::serialize(body),
                who.token);
  }
  HttpResponse Suspend(const Login& who, const std::string& reason, const std::string& deadline = "agendering") {
    return Change(who, deadline, "suspend", {{"version", version}, {"reason", reason}});
  }
  HttpResponse Resume(const Login& who, const std::string& deadline = "agendering") {
    return Change(who, deadline, "resume", {{"version", version}});
  }

  // Takes the new version from a 200 answer.
  json::object Took(const HttpResponse& r) {
    EXPECT_EQ(r.status, 200) << r.body;
    json::value v = Json(r);
    if (!v.is_object()) return {};
    version = v.at("version").as_int64();
    return v.as_object();
  }

  static json::object Deadline(const json::object& kase, const std::string& name) {
    if (!kase.contains("deadlines")) return {};
    for (const auto& d : kase.at("deadlines").as_array())
      if (SText(d.at("name")) == name && !d.as_object().contains("cleared_at")) return d.as_object();
    return {};
  }

  json::object View(const Login& who) {
    HttpResponse r = Call("GET", "/api/v1/cases/" + case_id, "", who.token);
    EXPECT_EQ(r.status, 200) << r.body;
    json::value v = Json(r);
    return v.is_object() ? v.as_object() : json::object{};
  }

  static std::string Reason(const HttpResponse& r) {
    json::value v = Json(r);
    return v.is_object() && v.as_object().contains("reason") ? SText(v.at("reason")) : "";
  }
  static std::string Detail(const HttpResponse& r) {
    json::value v = Json(r);
    return v.is_object() && v.as_object().contains("detail") ? SText(v.at("detail")) : "";
  }

  std::vector<std::string> AuditOf(const std::string& action) {
    std::vector<std::string> out;
    for (const auto& e : Audit())
      if (e.action == action) out.push_back(e.result + ":" + e.reason);
    return out;
  }

  std::string case_id;
  std::int64_t version = 0;
  int logins_ = 0;
};

TEST_F(SuspensionApiTest, TheCaseShowsTheTermAndWhoMaySuspendIt) {
  json::object d = Deadline(View(Fresh("coordinator")), "agendering");
  EXPECT_EQ(SText(d["due_at"]), "2026-04-09T22:00:00Z");
  EXPECT_EQ(SText(d["term"]), "5wd");
  EXPECT_EQ(d["suspendable"], json::value(true));
  EXPECT_EQ(d["may_suspend"], json::value(true));
  EXPECT_FALSE(d.contains("suspended_at"));
  // The meldpunt sees the term but may not suspend it.
  json::object m = Deadline(View(Fresh("meldpunt")), "agendering");
  EXPECT_EQ(m["suspendable"], json::value(true));
  EXPECT_EQ(m["may_suspend"], json::value(false));
}

TEST_F(SuspensionApiTest, SuspendedOverEasterTheEndMovesByTheWorkingDaysSuspended) {
  // Suspended on Thursday 2 April at 12:00, resumed on Tuesday 7 April:
  // the working days after the 2nd up to the 7th are Fri 3 and Tue 7 (the
  // weekend and Tweede Paasdag do not count): the end moves two working
  // days, from Thursday 9 to Monday 13 April.
  clock.Set(*ParseRfc3339("2026-04-02T10:00:00Z"));
  json::object kase = Took(Suspend(Fresh("coordinator"), "Betrokkene is opgenomen; bespreking heeft nu geen zin"));
  json::object d = Deadline(kase, "agendering");
  EXPECT_EQ(SText(d["suspended_at"]), "2026-04-02T10:00:00Z");
  EXPECT_EQ(SText(d["suspension_reason"]), "Betrokkene is opgenomen; bespreking heeft nu geen zin");
  EXPECT_EQ(SText(d["due_at"]), "2026-04-09T22:00:00Z");  // unchanged until resumed
  EXPECT_EQ(SText(kase["state"]), "aangemeld");                // a suspension is no transition

  clock.Set(*ParseRfc3339("2026-04-07T08:00:00Z"));
  kase = Took(Resume(Fresh("coordinator")));
  d = Deadline(kase, "agendering");
  EXPECT_EQ(SText(d["due_at"]), "2026-04-13T22:00:00Z");
  EXPECT_EQ(d["extended_by"], json::value(2));
  EXPECT_FALSE(d.contains("suspended_at"));
  EXPECT_FALSE(d.contains("suspension_reason"));
  EXPECT_EQ(SText(kase["state"]), "aangemeld");

  // The timeline and the audit trail record both steps; the reason is the
  // audit entry's why.
  HttpResponse events = Call("GET", "/api/v1/cases/" + case_id + "/events", "", Fresh("coordinator").token);
  std::vector<std::string> types;
  const json::value timeline = Json(events);
  for (const auto& e : timeline.at("events").as_array()) types.push_back(SText(e.at("type")));
  EXPECT_NE(std::find(types.begin(), types.end(), "deadline.suspended"), types.end()) << events.body;
  EXPECT_NE(std::find(types.begin(), types.end(), "deadline.resumed"), types.end()) << events.body;
  EXPECT_EQ(AuditOf("deadline.suspend"),
            std::vector<std::string>{"success:Betrokkene is opgenomen; bespreking heeft nu geen zin"});
  EXPECT_EQ(AuditOf("deadline.resume").size(), 1u);
}

TEST_F(SuspensionApiTest, WhileSuspendedTheTermIsNeitherOverdueNorFired) {
  clock.Set(*ParseRfc3339("2026-04-02T10:00:00Z"));
  Took(Suspend(Fresh("coordinator"), "Betrokkene zit in detentie"));
  // Long past the original end of 9 April.
  clock.Set(*ParseRfc3339("2026-04-20T10:00:00Z"));
  auto tick = services->deadlines.Tick();
  ASSERT_TRUE(tick.ok()) << tick.status().message();
  Login coordinator = Fresh("coordinator");
  json::object kase = View(coordinator);
  EXPECT_EQ(Deadline(kase, "agendering")["overdue"], json::value(false));
  EXPECT_EQ(kase["overdue"], json::value(false));
  HttpResponse overdue = Call("GET", "/api/v1/cases?overdue=true", "", coordinator.token);
  EXPECT_EQ(overdue.body.find(case_id), std::string::npos) << overdue.body;
  HttpResponse dashboard = Call("GET", "/api/v1/dashboard", "", coordinator.token);
  EXPECT_EQ(dashboard.status, 200) << dashboard.body;
  for (const char* list : {"overdue", "due_soon"})
    EXPECT_EQ(json::serialize(Json(dashboard).at(list)).find(case_id), std::string::npos)
        << list << ": " << dashboard.body;
  HttpResponse events = Call("GET", "/api/v1/cases/" + case_id + "/events", "", coordinator.token);
  EXPECT_EQ(events.body.find("deadline.overdue"), std::string::npos) << events.body;

  // Resumed on Monday 20 April: the working days 3, 7..10, 13..17 and 20
  // April (11 days) are added; a suspended term may be resumed after its
  // original end, and the moved end lies ahead.
  kase = Took(Resume(coordinator));
  EXPECT_EQ(Deadline(kase, "agendering")["extended_by"], json::value(11));
  EXPECT_EQ(SText(Deadline(kase, "agendering")["due_at"]), "2026-04-24T22:00:00Z");
  EXPECT_EQ(Deadline(kase, "agendering")["overdue"], json::value(false));
}

TEST_F(SuspensionApiTest, OnlyTheRolesTheWorkflowNamesMaySuspend) {
  HttpResponse r = Suspend(Fresh("meldpunt"), "Wacht op informatie");
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(Reason(r), "role_refused");
  HttpResponse officer = Suspend(Fresh("privacy_officer"), "Wacht op informatie");
  EXPECT_EQ(officer.status, 403) << officer.body;
  HttpResponse nobody = Call("POST", "/api/v1/cases/" + case_id + "/deadlines/agendering/suspend",
                             json::serialize(json::object{{"version", version}, {"reason", "x"}}));
  EXPECT_EQ(nobody.status, 401) << nobody.body;
  // The refusal is on record, and nothing changed.
  EXPECT_EQ(AuditOf("deadline.suspend").size(), 1u);
  EXPECT_EQ(AuditOf("deadline.suspend").front().rfind("denied:", 0), 0u);
  EXPECT_FALSE(Deadline(View(Fresh("coordinator")), "agendering").contains("suspended_at"));
}

TEST_F(SuspensionApiTest, TheWvggzStatutoryTermIsRefusedNamingItsLegalBasis) {
  json::object body{{"type", "wvggz"},
                    {"municipality", "Kerkrade"},
                    {"subject", {{"name", "Karel Zorg"}, {"birth_date", "1970-02-02"}}},
                    {"data",
                     {{"melder_type", "naaste"}, {"melder_is_essentiele_naaste", true},
                      {"aanleiding", "Verward gedrag, dreigt zichzelf iets aan te doen"}}}};
  HttpResponse opened = Call("POST", "/api/v1/cases", json::serialize(body), Fresh("meldpunt").token);
  ASSERT_EQ(opened.status, 201) << opened.body;
  case_id = SText(Json(opened).at("id"));
  version = Json(opened).at("version").as_int64();
  Login coordinator = Fresh("coordinator");
  EXPECT_EQ(Deadline(View(coordinator), "wvggz_beslissing")["suspendable"], json::value(false));
  HttpResponse r = Suspend(coordinator, "Wacht op medische verklaring", "wvggz_beslissing");
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(Reason(r), "not_suspendable");
  EXPECT_NE(Detail(r).find("art. 5:2 Wvggz"), std::string::npos) << r.body;
}

TEST_F(SuspensionApiTest, MalformedRequestsAreRefusedAndChangeNothing) {
  Login coordinator = Fresh("coordinator");
  EXPECT_EQ(Suspend(coordinator, "Reden", "bestaat_niet").status, 404);
  EXPECT_EQ(Reason(Suspend(coordinator, "Reden", "bestaat_niet")), "unknown_deadline");
  EXPECT_EQ(Suspend(coordinator, "Reden", "Agendering%20X").status, 404);
  // A missing field is well-formed JSON refused by a rule (422); a malformed one is 400.
  EXPECT_EQ(Change(coordinator, "agendering", "suspend", {{"version", version}}).status, 422);  // no reason
  EXPECT_EQ(Suspend(coordinator, "").status, 400);
  EXPECT_EQ(Suspend(coordinator, std::string(501, 'x')).status, 400);
  EXPECT_EQ(Change(coordinator, "agendering", "suspend", {{"reason", "Reden"}}).status, 422);  // no version
  EXPECT_EQ(Change(coordinator, "agendering", "suspend", {{"version", "1"}, {"reason", "Reden"}}).status, 400);
  EXPECT_EQ(Change(coordinator, "agendering", "suspend", {{"version", version}, {"reason", "Reden"}, {"extra", 1}})
                .status,
            400);
  EXPECT_EQ(Change(coordinator, "agendering", "pauzeer", {{"version", version}, {"reason", "Reden"}}).status, 404);
  HttpResponse stale = Change(coordinator, "agendering", "suspend", {{"version", version + 1}, {"reason", "Reden"}});
  EXPECT_EQ(stale.status, 409) << stale.body;
  EXPECT_EQ(Reason(stale), "stale_version");
  EXPECT_EQ(StoredCase(case_id).version, version);
  EXPECT_FALSE(StoredCase(case_id).deadlines.front().suspended_at.has_value());
}

TEST_F(SuspensionApiTest, SuspendingTwiceResumingWhatRunsAndLateSuspensionsAreRefused) {
  Login coordinator = Fresh("coordinator");
  HttpResponse not_suspended = Resume(coordinator);
  EXPECT_EQ(not_suspended.status, 409) << not_suspended.body;
  EXPECT_EQ(Reason(not_suspended), "not_suspended");
  Took(Suspend(coordinator, "Eerste reden"));
  HttpResponse twice = Suspend(coordinator, "Tweede reden");
  EXPECT_EQ(twice.status, 409) << twice.body;
  EXPECT_EQ(Reason(twice), "already_suspended");
  Took(Resume(coordinator));
  // Past the end (Thursday 9 April) the term has run out: nothing to suspend.
  clock.Set(*ParseRfc3339("2026-04-10T07:00:00Z"));
  HttpResponse late = Suspend(Fresh("coordinator"), "Te laat");
  EXPECT_EQ(late.status, 409) << late.body;
  EXPECT_EQ(Reason(late), "deadline_not_running");
}

TEST_F(SuspensionApiTest, ACoordinatorOfAnotherMunicipalityMayNotSuspend) {
  Login heerlen = AddUser("coordinator.heerlen", "coordinator", "Gemeente Heerlen", "gemeente", "Heerlen");
  HttpResponse r = Suspend(heerlen, "Reden");
  EXPECT_TRUE(r.status == 403 || r.status == 404) << r.status << " " << r.body;
  EXPECT_FALSE(StoredCase(case_id).deadlines.front().suspended_at.has_value());
}

TEST_F(SuspensionApiTest, APartnerOnTheTeamSeesTheSuspensionButNotItsReason) {
  Took(Suspend(Fresh("coordinator"), "Betrokkene is opgenomen"));
  Login police = Fresh("partner", "Politie Limburg", "politie");
  HttpResponse team = Call("POST", "/api/v1/cases/" + case_id + "/team",
                           json::serialize(json::object{{"org", police.org_id}}), Fresh("coordinator").token);
  ASSERT_EQ(team.status, 201) << team.body;
  json::object d = Deadline(View(police), "agendering");
  EXPECT_TRUE(d.contains("suspended_at"));
  EXPECT_FALSE(d.contains("suspension_reason"));
}

}  // namespace
}  // namespace casus::api::handlers::testing
