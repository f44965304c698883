// Every operation of API.md on its happy path, against the running server.
#include <gtest/gtest.h>

#include <set>

#include "tests/api/server_fixture.h"

namespace casus::apitest {
namespace {

bool IsRfc3339Utc(const json::value* v) {
  if (!v || !v->is_string()) return false;
  std::string s(v->get_string());
  return s.size() >= 20 && s[4] == '-' && s[10] == 'T' && s.back() == 'Z';
}

// ------------------------------------------------------------------ server

TEST(ServerEndpoints, HealthzReadyzAndMetricsNeedNoAuth) {
  Api anon;
  HttpResult h = anon.Get("/healthz");
  EXPECT_EQ(h.status, 200) << h.Describe();
  HttpResult r = anon.Get("/readyz");
  EXPECT_EQ(r.status, 200) << r.Describe();
  HttpResult m = anon.Get("/metrics");
  ASSERT_EQ(m.status, 200) << m.Describe();
  EXPECT_NE(m.Header("content-type").find("text/plain"), std::string::npos) << m.Header("content-type");
  EXPECT_NE(m.body.find("# TYPE"), std::string::npos) << m.body.substr(0, 500);
  EXPECT_NE(m.body.find("casus_"), std::string::npos) << m.body.substr(0, 500);
}

TEST(ServerEndpoints, OpenApiDocumentIsOpenApi3AndDescribesTheOperations) {
  Api anon;
  HttpResult r = anon.Get("/api/openapi.json");
  ASSERT_EQ(r.status, 200) << r.Describe();
  ASSERT_TRUE(r.json.is_object()) << "not JSON: " << r.body.substr(0, 200);
  const std::string version = r.Str("openapi");
  EXPECT_EQ(version.substr(0, 2), "3.") << version;
  const auto* paths = r.obj().if_contains("paths");
  ASSERT_TRUE(paths && paths->is_object());
  const std::pair<const char*, const char*> ops[] = {
      {"post", "/api/v1/auth/login"},        {"post", "/api/v1/auth/logout"},
      {"get", "/api/v1/me"},                 {"post", "/api/v1/public/reports"},
      {"get", "/api/v1/public/reports/{tracking_code}"},
      {"post", "/api/v1/reports"},           {"get", "/api/v1/reports"},
      {"post", "/api/v1/cases"},             {"get", "/api/v1/cases"},
      {"get", "/api/v1/cases/{id}"},         {"post", "/api/v1/cases/{id}/transitions"},
      {"get", "/api/v1/cases/{id}/events"},  {"post", "/api/v1/cases/{id}/notes"},
      {"get", "/api/v1/cases/{id}/notes"},   {"post", "/api/v1/cases/{id}/actions"},
      {"get", "/api/v1/cases/{id}/actions"}, {"post", "/api/v1/cases/{id}/team"},
      {"get", "/api/v1/cases/{id}/team"},    {"post", "/api/v1/cases/{id}/access"},
      {"get", "/api/v1/persons/{id}"},       {"get", "/api/v1/persons/{id}/export"},
      {"get", "/api/v1/audit"},
  };
  for (const auto& [method, path] : ops) {
    const auto* item = paths->get_object().if_contains(path);
    ASSERT_TRUE(item && item->is_object()) << "missing path " << path;
    EXPECT_TRUE(item->get_object().contains(method)) << "missing " << method << " " << path;
  }
  // Operations open to the public carry security: [].
  for (const auto& [method, path] : {std::pair{"post", "/api/v1/public/reports"},
                                     std::pair{"get", "/api/v1/public/reports/{tracking_code}"},
                                     std::pair{"post", "/api/v1/auth/login"}}) {
    const auto& op = paths->get_object().at(path).as_object().at(method).as_object();
    const auto* sec = op.if_contains("security");
    ASSERT_TRUE(sec && sec->is_array()) << method << " " << path;
    EXPECT_TRUE(sec->get_array().empty()) << method << " " << path;
  }
  // A protected operation does not open itself to the public.
  const auto& me = paths->get_object().at("/api/v1/me").as_object().at("get").as_object();
  if (const auto* sec = me.if_contains("security")) {
    EXPECT_FALSE(sec->is_array() && sec->get_array().empty());
  }
}

// API.md: the document describes "every operation below", and the live
// event stream (GET /api/v1/events, a WebSocket upgrade) is one of them.
TEST(ServerEndpoints, OpenApiDocumentDescribesTheLiveEventStream) {
  Api anon;
  HttpResult r = anon.Get("/api/openapi.json");
  ASSERT_EQ(r.status, 200) << r.Describe();
  const auto* paths = r.obj().if_contains("paths");
  ASSERT_TRUE(paths && paths->is_object());
  const auto* events = paths->get_object().if_contains("/api/v1/events");
  EXPECT_TRUE(events && events->is_object() && events->get_object().contains("get"))
      << "GET /api/v1/events is missing from /api/openapi.json";
}

// ------------------------------------------------------------------ accounts

TEST(Auth, LoginMeAndLogout) {
  ApiServer& s = ApiServer::Get();
  HttpsClient client(s.port());
  HttpResult login = s.LoginAgain("kr_meldpunt2", client);
  ASSERT_EQ(login.status, 200) << login.Describe();
  const std::string token = login.Str("token");
  ASSERT_FALSE(token.empty());
  EXPECT_TRUE(IsRfc3339Utc(login.obj().if_contains("expires_at"))) << login.body;
  const auto& user = login.obj().at("user").as_object();
  EXPECT_EQ(user.at("username").as_string(), s.User("kr_meldpunt2").username);
  const std::string cookie = login.Header("set-cookie");
  EXPECT_NE(cookie.find("=" + token), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("Secure"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("HttpOnly"), std::string::npos) << cookie;
  EXPECT_NE(cookie.find("SameSite=Strict"), std::string::npos) << cookie;

  const Headers bearer = {{"Authorization", "Bearer " + token}};
  HttpResult me = client.Request("GET", "/api/v1/me", "", bearer);
  ASSERT_EQ(me.status, 200) << me.Describe();
  EXPECT_EQ(me.Str("username"), s.User("kr_meldpunt2").username);
  EXPECT_EQ(Dump(me.obj().at("roles")), R"(["meldpunt"])");
  const auto& org = me.obj().at("organisation").as_object();
  EXPECT_EQ(org.at("name").as_string(), "Gemeente Kerkrade");
  EXPECT_EQ(org.at("type").as_string(), "gemeente");
  EXPECT_EQ(org.at("municipality").as_string(), "Kerkrade");
  EXPECT_EQ(me.body.find(s.User("kr_meldpunt2").password), std::string::npos);
  EXPECT_EQ(me.body.find(s.User("kr_meldpunt2").totp_secret), std::string::npos);

  HttpResult out = client.Request("POST", "/api/v1/auth/logout", "", bearer);
  EXPECT_EQ(out.status, 204) << out.Describe();
  HttpResult after = client.Request("GET", "/api/v1/me", "", bearer);
  EXPECT_EQ(after.status, 401) << after.Describe();
  // The cookie form of the same session is gone too.
  HttpResult by_cookie = client.Request("GET", "/api/v1/me", "", {{"Cookie", "casus_session=" + token}});
  EXPECT_EQ(by_cookie.status, 401) << by_cookie.Describe();
  HttpResult again = client.Request("POST", "/api/v1/auth/logout", "", bearer);
  EXPECT_EQ(again.status, 401) << again.Describe();
}

TEST(Auth, EveryLoginFailureIs401WithTheSameAnswer) {
  ApiServer& s = ApiServer::Get();
  const TestUser& u = s.User("kr_meldpunt2");
  HttpsClient client(s.port());
  const std::int64_t far_past = 1000;  // a step far outside the accepted window
  std::vector<std::pair<std::string, HttpResult>> attempts;
  attempts.emplace_back("wrong password",
                        s.LoginWith(u.username, u.password + "x", s.TotpAt(u.key, u.last_step + 1), client));
  attempts.emplace_back("wrong code", s.LoginWith(u.username, u.password, s.TotpAt(u.key, far_past), client));
  attempts.emplace_back("code already used",
                        s.LoginWith(u.username, u.password, s.TotpAt(u.key, u.last_step), client));
  attempts.emplace_back("unknown user", s.LoginWith("t_nobody_here", u.password, "123456", client));
  std::string detail;
  for (const auto& [what, r] : attempts) {
    EXPECT_EQ(r.status, 401) << what << ": " << r.Describe();
    EXPECT_EQ(r.Header("content-type"), "application/problem+json") << what;
    EXPECT_TRUE(r.Str("token").empty()) << what;
    EXPECT_FALSE(r.HasHeader("set-cookie")) << what;
    if (detail.empty()) detail = r.Str("detail");
    EXPECT_EQ(r.Str("detail"), detail) << what << ": the message must not tell the causes apart";
  }
}

// ------------------------------------------------------------------ reports

TEST(Reports, PublicReportTrackingLookupAndRateLimit) {
  Api anon;
  json::object body{{"category", "woonoverlast"},
                    {"description", "Harde muziek elke nacht"},
                    {"location", {{"street", "Hoofdstraat 1"}, {"wijk", "Bleijerheide"}, {"municipality", "Kerkrade"}}},
                    {"reporter", {{"name", "A. Melder"}, {"email", "melder@example.org"}, {"phone", "+31 6 1234 5678"}}}};
  HttpResult created = anon.Post("/api/v1/public/reports", body);
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string code = created.Str("tracking_code");
  ASSERT_FALSE(code.empty()) << created.body;
  EXPECT_EQ(created.obj().size(), 1u) << "the public answer is the tracking code only: " << created.body;

  HttpResult status = anon.Get("/api/v1/public/reports/" + code);
  ASSERT_EQ(status.status, 200) << status.Describe();
  EXPECT_EQ(status.Str("status"), "ontvangen") << status.body;
  EXPECT_TRUE(IsRfc3339Utc(status.obj().if_contains("updated_at"))) << status.body;
  // Coarse status only: nothing of the content.
  for (const char* key : {"description", "location", "reporter", "category", "id"})
    EXPECT_FALSE(status.obj().contains(key)) << key << " in " << status.body;

  HttpResult unknown = anon.Get("/api/v1/public/reports/ZZZZ-ZZZZ-ZZZZ");
  EXPECT_EQ(unknown.status, 404) << unknown.Describe();

  // Rate limited per client address: within the hourly allowance (10)
  // and the one above, the answer turns 429 with Retry-After.
  int accepted = 1;
  HttpResult last;
  for (int i = 0; i < 12; ++i) {
    last = anon.Post("/api/v1/public/reports", body);
    if (last.status != 201) break;
    ++accepted;
  }
  EXPECT_EQ(last.status, 429) << last.Describe();
  EXPECT_LE(accepted, 10);
  EXPECT_FALSE(last.Header("retry-after").empty());
  EXPECT_EQ(last.Header("content-type"), "application/problem+json");
}

TEST(Reports, StaffCreateListAndOpenACaseFromTheReport) {
  Api meldpunt("kr_meldpunt");
  const std::string subject = Unique("Melding Subject");
  json::object body{{"source", "professional"},
                    {"category", "drugsoverlast"},
                    {"description", "Handel vanuit woning"},
                    {"incident_code", "E33"},
                    {"location", {{"street", "Markt 3"}, {"wijk", "Centrum"}, {"municipality", "Kerkrade"}}},
                    {"subject", {{"name", subject}, {"birth_date", "1980-02-03"}}},
                    {"reporter", {{"name", "Wijkagent"}, {"phone", "0612345678"}}}};
  HttpResult created = meldpunt.Post("/api/v1/reports", body);
  ASSERT_EQ(created.status, 201) << created.Describe();
  const std::string report_id = created.Str("id");
  ASSERT_FALSE(report_id.empty());
  EXPECT_EQ(created.Str("status"), "ontvangen");
  EXPECT_EQ(created.Str("category"), "drugsoverlast");
  EXPECT_FALSE(created.Str("tracking_code").empty());

  HttpResult list = meldpunt.Get("/api/v1/reports?status=ontvangen&category=drugsoverlast");
  ASSERT_EQ(list.status, 200) << list.Describe();
  std::set<std::string> ids;
  for (const auto& r : list.obj().at("reports").as_array()) {
    ids.insert(std::string(r.as_object().at("id").as_string()));
    EXPECT_EQ(r.as_object().at("category").as_string(), "drugsoverlast");
    EXPECT_EQ(r.as_object().at("status").as_string(), "ontvangen");
  }
  EXPECT_TRUE(ids.count(report_id)) << list.body.substr(0, 500);
  HttpResult other_category = meldpunt.Get("/api/v1/reports?category=verkeersveiligheid");
  ASSERT_EQ(other_category.status, 200);
  EXPECT_EQ(other_category.body.find(report_id), std::string::npos);
  HttpResult since_future = meldpunt.Get("/api/v1/reports?since=2999-01-01T00:00:00Z");
  ASSERT_EQ(since_future.status, 200) << since_future.Describe();
  EXPECT_EQ(since_future.body.find(report_id), std::string::npos);

  // Another municipality's meldpunt does not see it.
  Api heerlen("hl_meldpunt");
  HttpResult hl = heerlen.Get("/api/v1/reports");
  ASSERT_EQ(hl.status, 200) << hl.Describe();
  EXPECT_EQ(hl.body.find(report_id), std::string::npos);

  // A case opened from the report links it.
  json::object open{{"type", "iaww"},
                    {"report_id", report_id},
                    {"subject", {{"name", subject}, {"birth_date", "1980-02-03"}}},
                    {"municipality", "Kerkrade"},
                    {"data", OpenData("iaww")}};
  HttpResult kase = meldpunt.Post("/api/v1/cases", open);
  ASSERT_EQ(kase.status, 201) << kase.Describe();
  EXPECT_EQ(kase.Str("report_id"), report_id);
  // The person registered with the report is linked, not duplicated.
  EXPECT_EQ(std::string(kase.obj().at("subject").as_object().at("id").as_string()),
            created.Str("subject_person_id"));
  HttpResult linked = meldpunt.Get("/api/v1/reports?status=gekoppeld");
  ASSERT_EQ(linked.status, 200);
  EXPECT_NE(linked.body.find(report_id), std::string::npos);
}

// ------------------------------------------------------------------ cases

TEST(Cases, OpenEachOfTheFourTypesWithTheDataItsWorkflowRequires) {
  struct Open {
    const char* type;
    const char* opener;
    const char* birth_date;
    const char* initial_state;
  };
  const Open opens[] = {{"iaww", "kr_meldpunt", "", "aangemeld"},
                        {"jpp", "pol_partner", "2012-06-15", "aangemeld"},
                        {"topx", "pol_partner", "1995-01-20", "voorgedragen"},
                        {"wvggz", "kr_meldpunt", "1970-11-30", "melding_ontvangen"}};
  for (const auto& o : opens) {
    SCOPED_TRACE(o.type);
    Api api(o.opener);
    const std::string subject = Unique(std::string("Subject ") + o.type);
    HttpResult r = OpenCase(api, o.type, "Kerkrade", subject, o.birth_date);
    ASSERT_EQ(r.status, 201) << r.Describe();
    const auto& c = r.obj();
    EXPECT_FALSE(r.Str("id").empty());
    EXPECT_EQ(r.Header("location"), "/api/v1/cases/" + r.Str("id"));
    EXPECT_EQ(r.Str("type"), o.type);
    EXPECT_EQ(r.Str("state"), o.initial_state);
    EXPECT_FALSE(r.Str("level").empty());
    EXPECT_EQ(VersionOf(r), 1);
    EXPECT_EQ(r.Str("municipality"), "Kerkrade");
    ASSERT_TRUE(c.contains("confidentiality"));
    EXPECT_EQ(std::string(c.at("subject").as_object().at("name").as_string()), subject);
    EXPECT_FALSE(std::string(c.at("subject").as_object().at("id").as_string()).empty());
    if (*o.birth_date) {
      EXPECT_EQ(std::string(c.at("subject").as_object().at("birth_date").as_string()), o.birth_date);
    }
    // The opener's organisation is on the team.
    bool on_team = false;
    for (const auto& m : c.at("team").as_array())
      on_team |= m.as_object().at("org_id").as_string() == ApiServer::Get().User(o.opener).org_id;
    EXPECT_TRUE(on_team) << Dump(c.at("team"));
    ASSERT_TRUE(c.at("deadlines").is_array());
    for (const auto& d : c.at("deadlines").as_array()) {
      EXPECT_TRUE(d.as_object().contains("name"));
      EXPECT_TRUE(IsRfc3339Utc(d.as_object().if_contains("due_at")));
      EXPECT_TRUE(d.as_object().at("overdue").is_bool());
    }
    EXPECT_TRUE(c.at("allowed_transitions").is_array());
    EXPECT_TRUE(IsRfc3339Utc(c.if_contains("created_at")));
    EXPECT_TRUE(IsRfc3339Utc(c.if_contains("updated_at")));
  }
}

TEST(Cases, KnownPersonIsLinkedAndBsnIsNeverReturned) {
  Api api("kr_meldpunt");
  const std::string subject = Unique("Bekende Persoon");
  json::object s{{"name", subject}, {"birth_date", "1990-04-04"}, {"bsn", "111222333"}};
  json::object body{{"type", "wvggz"}, {"subject", s}, {"municipality", "Kerkrade"}, {"data", OpenData("wvggz")}};
  HttpResult first = api.Post("/api/v1/cases", body);
  ASSERT_EQ(first.status, 201) << first.Describe();
  body["type"] = "iaww";
  body["data"] = OpenData("iaww");
  HttpResult second = api.Post("/api/v1/cases", body);
  ASSERT_EQ(second.status, 201) << second.Describe();
  EXPECT_EQ(first.obj().at("subject").as_object().at("id"), second.obj().at("subject").as_object().at("id"));
  EXPECT_EQ(first.body.find("111222333"), std::string::npos) << first.body;
  HttpResult list = api.Get("/api/v1/cases?limit=100");
  EXPECT_EQ(list.body.find("111222333"), std::string::npos);
  HttpResult one = api.Get("/api/v1/cases/" + second.Str("id"));
  EXPECT_EQ(one.body.find("111222333"), std::string::npos);
}

TEST(Cases, ListFiltersByTypeStateLevelOverdueAndPages) {
  Api api("kr_meldpunt");
  HttpResult w = OpenCase(api, "wvggz", "Kerkrade", Unique("Filter W"));
  HttpResult i = OpenCase(api, "iaww", "Kerkrade", Unique("Filter I"));
  ASSERT_EQ(w.status, 201) << w.Describe();
  ASSERT_EQ(i.status, 201) << i.Describe();
  const std::string wid = w.Str("id"), iid = i.Str("id");

  auto check = [&](const std::string& query, const std::string& key, const std::string& value) {
    HttpResult r = api.Get("/api/v1/cases?limit=100&" + query);
    EXPECT_EQ(r.status, 200) << query << ": " << r.Describe();
    for (const auto& c : r.obj().at("cases").as_array())
      EXPECT_EQ(Dump(c.as_object().at(key)), Dump(json::value(value))) << query;
    return ListAllCaseIds(api, query);
  };
  auto wv = check("type=wvggz", "type", "wvggz");
  EXPECT_TRUE(Contains(wv, wid));
  EXPECT_FALSE(Contains(wv, iid));
  auto st = check("state=aangemeld", "state", "aangemeld");
  EXPECT_TRUE(Contains(st, iid));
  EXPECT_FALSE(Contains(st, wid));  // wvggz starts in melding_ontvangen
  auto lv = check("level=" + i.Str("level"), "level", i.Str("level"));
  EXPECT_TRUE(Contains(lv, iid));
  HttpResult not_overdue = api.Get("/api/v1/cases?limit=100&overdue=false");
  ASSERT_EQ(not_overdue.status, 200) << not_overdue.Describe();
  for (const auto& c : not_overdue.obj().at("cases").as_array())
    EXPECT_EQ(c.as_object().at("overdue"), json::value(false));
  HttpResult overdue = api.Get("/api/v1/cases?limit=100&overdue=true");
  ASSERT_EQ(overdue.status, 200) << overdue.Describe();
  EXPECT_FALSE(Contains(CaseIds(overdue), iid));  // just opened

  // Paging: limit=1 pages through the same set as one big page.
  std::vector<std::string> paged;
  std::string cursor;
  for (int n = 0; n < 500; ++n) {
    HttpResult p = api.Get("/api/v1/cases?type=wvggz&limit=1" + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(p.status, 200) << p.Describe();
    auto ids = CaseIds(p);
    ASSERT_LE(ids.size(), 1u);
    paged.insert(paged.end(), ids.begin(), ids.end());
    const auto* next = p.obj().if_contains("next_cursor");
    if (!next || !next->is_string()) break;
    cursor = std::string(next->get_string());
  }
  EXPECT_EQ(paged, wv);
  // The list never carries a BSN or reporter details.
  HttpResult all = api.Get("/api/v1/cases?limit=100");
  EXPECT_EQ(all.body.find("\"bsn\""), std::string::npos);
}

TEST(Cases, GetOneListsTheTransitionsOfTheCaller) {
  Api meldpunt("kr_meldpunt");
  HttpResult c = OpenCase(meldpunt, "iaww", "Kerkrade", Unique("Allowed"));
  ASSERT_EQ(c.status, 201) << c.Describe();
  const std::string id = c.Str("id");
  HttpResult as_meldpunt = meldpunt.Get("/api/v1/cases/" + id);
  ASSERT_EQ(as_meldpunt.status, 200) << as_meldpunt.Describe();
  auto names = TransitionNames(as_meldpunt.obj().at("allowed_transitions"));
  EXPECT_TRUE(Contains(names, "verrijking_starten")) << Dump(as_meldpunt.obj().at("allowed_transitions"));
  EXPECT_TRUE(Contains(names, "afsluiten_zonder_vervolg"));
  EXPECT_FALSE(Contains(names, "agenderen"));  // not from aangemeld
  for (const auto& t : as_meldpunt.obj().at("allowed_transitions").as_array()) {
    const auto& o = t.as_object();
    EXPECT_TRUE(o.contains("to")) << Dump(t);
    ASSERT_TRUE(o.contains("requires") && o.at("requires").is_array()) << Dump(t);
    if (o.at("name") == json::value("afsluiten_zonder_vervolg")) {
      EXPECT_EQ(Dump(o.at("requires")), R"(["reden"])") << "toelichting is optional";
    }
  }
  Api regisseur("kr_regisseur");
  HttpResult as_regisseur = regisseur.Get("/api/v1/cases/" + id);
  ASSERT_EQ(as_regisseur.status, 200) << as_regisseur.Describe();
  auto rnames = TransitionNames(as_regisseur.obj().at("allowed_transitions"));
  EXPECT_FALSE(Contains(rnames, "verrijking_starten")) << "meldpunt only";
  EXPECT_TRUE(Contains(rnames, "afsluiten_zonder_vervolg"));
  Api burgemeester("kr_burgemeester");
  HttpResult as_bm = burgemeester.Get("/api/v1/cases/" + id);
  ASSERT_EQ(as_bm.status, 200) << as_bm.Describe();
  EXPECT_TRUE(TransitionNames(as_bm.obj().at("allowed_transitions")).empty()) << as_bm.body;
}

TEST(Cases, TransitionsConflictsRefusalsAndValidation) {
  Api meldpunt("kr_meldpunt");
  HttpResult c = OpenCase(meldpunt, "iaww", "Kerkrade", Unique("Transitions"));
  ASSERT_EQ(c.status, 201) << c.Describe();
  const std::string id = c.Str("id");

  HttpResult t1 = Transition(meldpunt, id, "verrijking_starten", 1);
  ASSERT_EQ(t1.status, 200) << t1.Describe();
  EXPECT_EQ(t1.Str("state"), "verrijking");
  EXPECT_EQ(VersionOf(t1), 2);
  EXPECT_TRUE(Contains(TransitionNames(t1.obj().at("allowed_transitions")), "agenderen"));

  // Stale version: 409 listing what the caller may do now.
  HttpResult stale = Transition(meldpunt, id, "agenderen", 1, {{"overleg_datum", "2030-01-07"}});
  EXPECT_EQ(stale.status, 409) << stale.Describe();
  EXPECT_EQ(stale.Header("content-type"), "application/problem+json");
  auto allowed = TransitionNames(stale.obj().contains("allowed_transitions") ? stale.obj().at("allowed_transitions")
                                                                             : json::value());
  EXPECT_TRUE(Contains(allowed, "agenderen")) << stale.body;
  EXPECT_TRUE(Contains(allowed, "afsluiten_zonder_vervolg")) << stale.body;

  // Not possible in this state: 409 with the allowed transitions.
  HttpResult wrong_state = Transition(meldpunt, id, "uitvoering_starten", 2);
  EXPECT_EQ(wrong_state.status, 409) << wrong_state.Describe();
  EXPECT_TRUE(wrong_state.obj().contains("allowed_transitions")) << wrong_state.body;
  EXPECT_TRUE(Contains(TransitionNames(wrong_state.obj().contains("allowed_transitions")
                                           ? wrong_state.obj().at("allowed_transitions")
                                           : json::value()),
                       "agenderen"))
      << wrong_state.body;

  // A role the workflow does not admit: 403 (the coordinator may read the
  // case — own municipality — but agenderen is meldpunt's and regisseur's).
  Api coordinator("kr_coordinator");
  HttpResult refused = Transition(coordinator, id, "agenderen", 2, {{"overleg_datum", "2030-01-07"}});
  EXPECT_EQ(refused.status, 403) << refused.Describe();
  EXPECT_EQ(refused.Header("content-type"), "application/problem+json");

  // Missing required data: 422 naming the field.
  HttpResult missing = Transition(meldpunt, id, "agenderen", 2);
  EXPECT_EQ(missing.status, 422) << missing.Describe();
  bool named = false;
  if (const auto* errors = missing.obj().if_contains("errors"); errors && errors->is_array())
    for (const auto& e : errors->get_array())
      named |= e.as_object().at("field").as_string().ends_with("overleg_datum");
  EXPECT_TRUE(named) << missing.body;
  // Wrongly typed data (a date field given a non-date).
  HttpResult bad_date = Transition(meldpunt, id, "agenderen", 2, {{"overleg_datum", "volgende week"}});
  EXPECT_TRUE(bad_date.status == 400 || bad_date.status == 422) << bad_date.Describe();

  // None of the refusals changed the case.
  HttpResult now = meldpunt.Get("/api/v1/cases/" + id);
  ASSERT_EQ(now.status, 200);
  EXPECT_EQ(VersionOf(now), 2);
  EXPECT_EQ(now.Str("state"), "verrijking");

  HttpResult t2 = Transition(meldpunt, id, "agenderen", 2, {{"overleg_datum", "2030-01-07"}});
  ASSERT_EQ(t2.status, 200) << t2.Describe();
  EXPECT_EQ(t2.Str("state"), "geagendeerd");
  EXPECT_EQ(VersionOf(t2), 3);
  EXPECT_EQ(Dump(t2.obj().at("data").as_object().at("overleg_datum")), R"("2030-01-07")");
}

TEST(Cases, EventsTimeline) {
  Api meldpunt("kr_meldpunt");
  HttpResult c = OpenCase(meldpunt, "iaww", "Kerkrade", Unique("Timeline"));
  ASSERT_EQ(c.status, 201) << c.Describe();
  const std::string id = c.Str("id");
  ASSERT_EQ(Transition(meldpunt, id, "verrijking_starten", 1).status, 200);
  ASSERT_EQ(meldpunt.Post("/api/v1/cases/" + id + "/notes", json::object{{"text", "eerste notitie"}}).status, 201);
  HttpResult events = meldpunt.Get("/api/v1/cases/" + id + "/events");
  ASSERT_EQ(events.status, 200) << events.Describe();
  std::vector<std::string> types;
  std::int64_t previous = 0;
  for (const auto& e : events.obj().at("events").as_array()) {
    const auto& o = e.as_object();
    types.emplace_back(o.at("type").as_string());
    EXPECT_EQ(o.at("case_id").as_string(), id);
    EXPECT_TRUE(IsRfc3339Utc(o.if_contains("at")));
    ASSERT_TRUE(o.at("id").is_int64());
    EXPECT_GT(o.at("id").as_int64(), previous) << "timeline in order";
    previous = o.at("id").as_int64();
  }
  ASSERT_FALSE(types.empty());
  EXPECT_EQ(types.front(), "case.created");
  EXPECT_TRUE(Contains(types, "case.transitioned")) << events.body;
  EXPECT_TRUE(Contains(types, "note.added")) << events.body;
}

TEST(Cases, NotesActionsAndTeamPostAndList) {
  ApiServer& s = ApiServer::Get();
  Api meldpunt("kr_meldpunt");
  HttpResult c = OpenCase(meldpunt, "iaww", "Kerkrade", Unique("Content"));
  ASSERT_EQ(c.status, 201) << c.Describe();
  const std::string base = "/api/v1/cases/" + c.Str("id");

  HttpResult note = meldpunt.Post(base + "/notes", json::object{{"text", "Gesprek met buren gevoerd.\nVervolg volgt."}});
  ASSERT_EQ(note.status, 201) << note.Describe();
  EXPECT_EQ(note.Str("text"), "Gesprek met buren gevoerd.\nVervolg volgt.");
  EXPECT_EQ(note.Str("author_user_id"), s.User("kr_meldpunt").id);
  HttpResult notes = meldpunt.Get(base + "/notes");
  ASSERT_EQ(notes.status, 200) << notes.Describe();
  EXPECT_NE(notes.body.find(note.Str("id")), std::string::npos);

  json::object action{{"description", "Huisbezoek afleggen"},
                      {"owner_org", s.User("pol_partner").org_id},
                      {"owner_user", s.User("pol_partner").id},
                      {"due_at", "2030-02-01T09:00:00Z"}};
  HttpResult a = meldpunt.Post(base + "/actions", action);
  ASSERT_EQ(a.status, 201) << a.Describe();
  EXPECT_EQ(a.Str("description"), "Huisbezoek afleggen");
  EXPECT_EQ(a.Str("owner_org"), s.User("pol_partner").org_id);
  EXPECT_EQ(a.Str("due_at"), "2030-02-01T09:00:00Z");
  HttpResult actions = meldpunt.Get(base + "/actions");
  ASSERT_EQ(actions.status, 200) << actions.Describe();
  EXPECT_NE(actions.body.find(a.Str("id")), std::string::npos);
  // An owner user outside the owner organisation is refused.
  action["owner_user"] = s.User("ggz_partner").id;
  HttpResult mismatch = meldpunt.Post(base + "/actions", action);
  EXPECT_TRUE(mismatch.status == 400 || mismatch.status == 422) << mismatch.Describe();

  // The GGZ partner cannot read the case until its organisation is on the team.
  Api ggz("ggz_partner");
  EXPECT_EQ(ggz.Get(base).status, 403);
  HttpResult member = meldpunt.Post(base + "/team", json::object{{"org", s.User("ggz_partner").org_id}});
  ASSERT_EQ(member.status, 201) << member.Describe();
  EXPECT_EQ(member.Str("org_id"), s.User("ggz_partner").org_id);
  HttpResult deelnemer =
      meldpunt.Post(base + "/team", json::object{{"org", s.User("om_partner").org_id}, {"user", s.User("om_partner").id}});
  ASSERT_EQ(deelnemer.status, 201) << deelnemer.Describe();
  EXPECT_EQ(deelnemer.Str("role"), "deelnemer");
  HttpResult team = meldpunt.Get(base + "/team");
  ASSERT_EQ(team.status, 200) << team.Describe();
  std::set<std::string> orgs;
  for (const auto& m : team.obj().at("team").as_array()) orgs.insert(std::string(m.as_object().at("org_id").as_string()));
  EXPECT_TRUE(orgs.count(s.User("kr_meldpunt").org_id));
  EXPECT_TRUE(orgs.count(s.User("ggz_partner").org_id));
  EXPECT_TRUE(orgs.count(s.User("om_partner").org_id));
  EXPECT_EQ(ggz.Get(base).status, 200);
  EXPECT_EQ(ggz.Get(base + "/notes").status, 200);
  Api om("om_partner");
  EXPECT_EQ(om.Get(base).status, 200);
  // A partner works within the team it is given.
  HttpResult by_partner = ggz.Post(base + "/team", json::object{{"org", s.User("zvh_regisseur").org_id}});
  EXPECT_EQ(by_partner.status, 403) << by_partner.Describe();
}

TEST(Cases, BreakTheGlassGivesFlaggedTemporaryAccess) {
  ApiServer& s = ApiServer::Get();
  Api meldpunt("kr_meldpunt");
  HttpResult c = OpenCase(meldpunt, "iaww", "Kerkrade", Unique("Glass"));
  ASSERT_EQ(c.status, 201) << c.Describe();
  const std::string id = c.Str("id");
  Api ggz("ggz_partner");
  EXPECT_EQ(ggz.Get("/api/v1/cases/" + id).status, 403);

  HttpResult no_reason = ggz.Post("/api/v1/cases/" + id + "/access", json::object{});
  EXPECT_TRUE(no_reason.status == 400 || no_reason.status == 422) << no_reason.Describe();
  HttpResult short_reason = ggz.Post("/api/v1/cases/" + id + "/access", json::object{{"reason", "nodig"}});
  EXPECT_TRUE(short_reason.status == 400 || short_reason.status == 422) << short_reason.Describe();
  EXPECT_EQ(ggz.Get("/api/v1/cases/" + id).status, 403) << "a refused request grants nothing";

  const std::string reason = "Crisisbeoordeling: betrokkene meldt zich acuut bij de GGZ";
  HttpResult grant = ggz.Post("/api/v1/cases/" + id + "/access", json::object{{"reason", reason}});
  ASSERT_EQ(grant.status, 201) << grant.Describe();
  EXPECT_EQ(grant.Str("case_id"), id);
  EXPECT_EQ(grant.Str("user_id"), s.User("ggz_partner").id);
  EXPECT_TRUE(IsRfc3339Utc(grant.obj().if_contains("expires_at"))) << grant.body;
  HttpResult read = ggz.Get("/api/v1/cases/" + id);
  ASSERT_EQ(read.status, 200) << read.Describe();
  EXPECT_EQ(read.obj().if_contains("via_break_glass") ? Dump(read.obj().at("via_break_glass")) : "absent", "true")
      << "access by break-the-glass is flagged";

  // Flagged on the case timeline for review, and audited with the reason.
  HttpResult events = meldpunt.Get("/api/v1/cases/" + id + "/events");
  EXPECT_NE(events.body.find("break_glass"), std::string::npos) << events.body;
  Api privacy("kr_privacy");
  HttpResult audit = privacy.Get("/api/v1/audit?case_id=" + id + "&limit=1000");
  ASSERT_EQ(audit.status, 200) << audit.Describe();
  bool logged = false;
  for (const auto& e : audit.obj().at("entries").as_array()) {
    const auto& o = e.as_object();
    if (o.at("action") == json::value("case.break_glass") && o.at("user_id") == json::value(s.User("ggz_partner").id))
      logged = o.at("reason") == json::value(reason);
  }
  EXPECT_TRUE(logged) << audit.body.substr(0, 2000);

  // Roles without case content may not break the glass.
  EXPECT_EQ(privacy.Post("/api/v1/cases/" + id + "/access", json::object{{"reason", reason}}).status, 403);
  Api admin("kr_admin");
  EXPECT_EQ(admin.Post("/api/v1/cases/" + id + "/access", json::object{{"reason", reason}}).status, 403);
}

// ------------------------------------------------------------------ persons

TEST(Persons, PersonViewShowsTheCasesTheCallerMaySee) {
  Api meldpunt("kr_meldpunt");
  const std::string subject = Unique("Persoon");
  HttpResult a = OpenCase(meldpunt, "iaww", "Kerkrade", subject, "1985-05-05");
  HttpResult b = OpenCase(meldpunt, "wvggz", "Kerkrade", subject, "1985-05-05");
  ASSERT_EQ(a.status, 201) << a.Describe();
  ASSERT_EQ(b.status, 201) << b.Describe();
  const std::string person = std::string(a.obj().at("subject").as_object().at("id").as_string());
  ASSERT_EQ(person, std::string(b.obj().at("subject").as_object().at("id").as_string()));
  ASSERT_EQ(meldpunt.Post("/api/v1/cases/" + a.Str("id") + "/actions",
                          json::object{{"description", "Gesprek"},
                                       {"owner_org", ApiServer::Get().User("kr_meldpunt").org_id},
                                       {"due_at", "2030-03-01T10:00:00Z"}})
                .status,
            201);

  HttpResult view = meldpunt.Get("/api/v1/persons/" + person);
  ASSERT_EQ(view.status, 200) << view.Describe();
  EXPECT_EQ(std::string(view.obj().at("person").as_object().at("name").as_string()), subject);
  auto ids = CaseIds(view);
  EXPECT_TRUE(Contains(ids, a.Str("id")));
  EXPECT_TRUE(Contains(ids, b.Str("id")));
  EXPECT_NE(view.body.find("Gesprek"), std::string::npos) << "afspraken are part of the person view";

  // Someone who may see none of the cases learns nothing.
  Api ggz("ggz_partner");
  HttpResult none = ggz.Get("/api/v1/persons/" + person);
  EXPECT_EQ(none.status, 404) << none.Describe();
  EXPECT_EQ(none.body.find(subject), std::string::npos);
  HttpResult unknown = meldpunt.Get("/api/v1/persons/person_doesnotexist");
  EXPECT_EQ(unknown.status, 404) << unknown.Describe();
}

TEST(Persons, ExportForThePrivacyOfficerWithAccessOverview) {
  ApiServer& s = ApiServer::Get();
  Api meldpunt("kr_meldpunt");
  const std::string subject = Unique("Inzage");
  HttpResult c = OpenCase(meldpunt, "iaww", "Kerkrade", subject, "1975-07-07");
  ASSERT_EQ(c.status, 201) << c.Describe();
  const std::string id = c.Str("id");
  const std::string person = std::string(c.obj().at("subject").as_object().at("id").as_string());
  ASSERT_EQ(meldpunt.Post("/api/v1/cases/" + id + "/notes", json::object{{"text", "Notitie voor inzage"}}).status, 201);
  Api coordinator("kr_coordinator");
  ASSERT_EQ(coordinator.Get("/api/v1/cases/" + id).status, 200);

  Api privacy("kr_privacy");
  HttpResult exp = privacy.Get("/api/v1/persons/" + person + "/export?reason=inzageverzoek%20AVG%20art.%2015");
  ASSERT_EQ(exp.status, 200) << exp.Describe();
  EXPECT_EQ(std::string(exp.obj().at("person").as_object().at("name").as_string()), subject);
  EXPECT_TRUE(Contains(CaseIds(exp), id)) << exp.body.substr(0, 1000);
  EXPECT_NE(exp.body.find("Notitie voor inzage"), std::string::npos) << "everything held about the person";
  ASSERT_TRUE(exp.obj().contains("access_log")) << exp.body.substr(0, 1000);
  // The access overview: who, organisation, when, what.
  bool coordinator_read = false;
  for (const auto& e : exp.obj().at("access_log").as_array()) {
    const auto& o = e.as_object();
    EXPECT_TRUE(o.contains("at") && o.contains("action") && o.contains("user_id")) << Dump(e);
    if (o.at("user_id") == json::value(s.User("kr_coordinator").id) && o.at("action") == json::value("case.read")) {
      coordinator_read = true;
      EXPECT_EQ(o.at("organisation"), json::value("Gemeente Kerkrade")) << Dump(e);
      EXPECT_EQ(o.at("username"), json::value(s.User("kr_coordinator").username)) << Dump(e);
    }
  }
  EXPECT_TRUE(coordinator_read) << Dump(exp.obj().at("access_log"));

  // Nobody else exports.
  EXPECT_EQ(coordinator.Get("/api/v1/persons/" + person + "/export").status, 403);
  EXPECT_EQ(Api("kr_admin").Get("/api/v1/persons/" + person + "/export").status, 403);
  // The export itself is audited with its reason.
  HttpResult audit = privacy.Get("/api/v1/audit?person_id=" + person + "&action=person.export");
  ASSERT_EQ(audit.status, 200) << audit.Describe();
  EXPECT_NE(audit.body.find("inzageverzoek AVG art. 15"), std::string::npos) << audit.body;
}

}  // namespace
}  // namespace casus::apitest
