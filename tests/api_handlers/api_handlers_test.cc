// Every REST operation's happy path and its main refusals, through
// ApiHandler::Handle.
#include <algorithm>
#include <set>

#include "api/handlers/handler_env.h"
#include "api/handlers/routes.h"
#include "tests/api_handlers/api_fixture.h"

namespace casus::api::handlers::testing {
namespace {

namespace json = boost::json;

std::string S(const json::value& v) { return std::string(v.as_string()); }

bool HasAudit(const std::vector<storage::AuditEntry>& audit, const std::string& action, const std::string& object_id,
              const std::string& result = "success") {
  return std::any_of(audit.begin(), audit.end(), [&](const storage::AuditEntry& e) {
    return e.action == action && e.object_id == object_id && e.result == result;
  });
}

class HandlersTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    meldpunt = AddUser("meld.kerkrade", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    regisseur = AddUser("regie.kerkrade", "regisseur", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    police = AddUser("agent.limburg", "partner", "Politie Limburg", "politie", "Kerkrade");
    privacy = AddUser("fg.parkstad", "privacy_officer", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    heerlen = AddUser("meld.heerlen", "meldpunt", "Gemeente Heerlen", "gemeente", "Heerlen");
  }

  HttpResponse Transition(const Login& who, const std::string& case_id, const std::string& name,
                          std::int64_t version, json::object data = {}) {
    json::object body{{"transition", name}, {"version", version}};
    if (!data.empty()) body["data"] = std::move(data);
    return Call("POST", "/api/v1/cases/" + case_id + "/transitions", json::serialize(body), who.token);
  }

  Login meldpunt, regisseur, police, privacy, heerlen;
};

void ExpectProblem(const HttpResponse& r, int status) {
  EXPECT_EQ(r.status, status) << r.body;
  EXPECT_EQ(r.content_type, "application/problem+json");
  json::error_code ec;
  auto v = json::parse(r.body, ec);
  ASSERT_FALSE(ec) << r.body;
  ASSERT_TRUE(v.is_object());
  const auto& o = v.as_object();
  EXPECT_TRUE(o.contains("type") && o.at("type").is_string());
  EXPECT_TRUE(o.contains("title") && o.at("title").is_string());
  EXPECT_TRUE(o.contains("detail") && o.at("detail").is_string());
  ASSERT_TRUE(o.contains("status"));
  EXPECT_EQ(o.at("status").as_int64(), status);
}

// ---- accounts ----

TEST_F(HandlersTest, LoginAnswersTokenCsrfUserAndStrictCookie) {
  const HttpResponse& r = meldpunt.response;
  EXPECT_EQ(r.route, "POST /api/v1/auth/login");
  EXPECT_EQ(r.user_id, meldpunt.user_id);
  EXPECT_EQ(Header(r, "Set-Cookie"), "casus_session=" + meldpunt.token + "; Path=/; Secure; HttpOnly; SameSite=Strict");
  auto j = Json(r).as_object();
  EXPECT_TRUE(j.contains("expires_at"));
  EXPECT_EQ(S(j["user"].at("username")), "meld.kerkrade");
  EXPECT_EQ(S(j["user"].at("roles").as_array()[0]), "meldpunt");
  EXPECT_EQ(S(j["user"].at("organisation").at("municipality")), "Kerkrade");
  EXPECT_EQ(r.body.find("password_hash"), std::string::npos);
  EXPECT_EQ(r.body.find("totp_secret"), std::string::npos);
}

TEST_F(HandlersTest, LoginFailuresLookAlike) {
  HttpResponse wrong_code = Call("POST", "/api/v1/auth/login",
                                 R"({"username":"meld.kerkrade","password":"correct horse battery staple","totp":"000000"})");
  HttpResponse unknown = Call("POST", "/api/v1/auth/login", R"({"username":"nobody","password":"whatever","totp":"123456"})");
  ExpectProblem(wrong_code, 401);
  ExpectProblem(unknown, 401);
  EXPECT_EQ(Json(wrong_code).at("detail"), Json(unknown).at("detail"));
  EXPECT_EQ(Header(unknown, "WWW-Authenticate").rfind("Bearer", 0), 0u);
}

TEST_F(HandlersTest, LoginIsThrottledWith429) {
  HttpResponse last;
  for (int i = 0; i < 8; ++i)
    last = Call("POST", "/api/v1/auth/login",
                R"({"username":"meld.kerkrade","password":"wrong password here","totp":"000000"})");
  ExpectProblem(last, 429);
}

TEST_F(HandlersTest, MeWithBearerAndCookie) {
  HttpResponse r = Call("GET", "/api/v1/me", "", regisseur.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(S(Json(r).at("username")), "regie.kerkrade");
  EXPECT_EQ(r.user_id, regisseur.user_id);
  HttpResponse c = Call("GET", "/api/v1/me", "", "", {{"cookie", "theme=dark; casus_session=" + regisseur.token}});
  EXPECT_EQ(c.status, 200) << c.body;
}

TEST_F(HandlersTest, MissingOrBadCredentialsAre401) {
  for (const char* target : {"/api/v1/me", "/api/v1/cases", "/api/v1/audit", "/api/v1/persons/person_1"}) {
    HttpResponse none = Call("GET", target);
    ExpectProblem(none, 401);
    EXPECT_FALSE(Header(none, "WWW-Authenticate").empty());
    ExpectProblem(Call("GET", target, "", "not-a-real-token"), 401);
    ExpectProblem(Call("GET", target, "", "", {{"authorization", "Basic dXNlcjpwdw=="}}), 401);
    ExpectProblem(Call("GET", target, "", "", {{"cookie", "casus_session=forged"}}), 401);
  }
}

TEST_F(HandlersTest, LogoutEndsTheSession) {
  HttpResponse r = Call("POST", "/api/v1/auth/logout", "", police.token);
  EXPECT_EQ(r.status, 204);
  EXPECT_NE(Header(r, "Set-Cookie").find("Max-Age=0"), std::string::npos);
  ExpectProblem(Call("GET", "/api/v1/me", "", police.token), 401);
}

TEST_F(HandlersTest, CookieWritesNeedTheCsrfHeaderBearerWritesDoNot) {
  auto kase = OpenIaww(meldpunt);
  const std::string id = S(kase["id"]);
  const std::string note = R"({"text":"Buren melden opnieuw overlast."})";
  const std::string cookie = "casus_session=" + meldpunt.token;
  HttpResponse no_csrf = Call("POST", "/api/v1/cases/" + id + "/notes", note, "", {{"cookie", cookie}});
  ExpectProblem(no_csrf, 403);
  EXPECT_EQ(S(Json(no_csrf).at("reason")), "csrf_required");
  ExpectProblem(Call("POST", "/api/v1/cases/" + id + "/notes", note, "",
                     {{"cookie", cookie}, {"x-csrf-token", "wrong"}}), 403);
  ExpectProblem(Call("POST", "/api/v1/cases/" + id + "/notes", note, "",
                     {{"cookie", cookie}, {"x-csrf-token", regisseur.csrf}}), 403);
  EXPECT_EQ(Call("POST", "/api/v1/cases/" + id + "/notes", note, "", {{"cookie", cookie}, {"x-csrf-token", meldpunt.csrf}})
                .status, 201);
  EXPECT_EQ(Call("POST", "/api/v1/cases/" + id + "/notes", note, meldpunt.token).status, 201);
  // Reads by cookie need no CSRF header.
  EXPECT_EQ(Call("GET", "/api/v1/cases/" + id + "/notes", "", "", {{"cookie", cookie}}).status, 200);
  HttpResponse logout = Call("POST", "/api/v1/auth/logout", "", "", {{"cookie", cookie}});
  ExpectProblem(logout, 403);
}

// ---- reports ----

TEST_F(HandlersTest, PublicReportGivesOnlyATrackingCodeAndCoarseStatus) {
  HttpResponse r = Call("POST", "/api/v1/public/reports",
                        R"({"category":"woonoverlast","description":"Harde muziek elke nacht.",)"
                        R"("location":{"wijk":"Bleijerheide","municipality":"Kerkrade"},)"
                        R"("reporter":{"name":"A. Buur","email":"buur@example.org"}})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = Json(r).as_object();
  EXPECT_EQ(j.size(), 1u);
  std::string code = S(j["tracking_code"]);
  EXPECT_EQ(code.size(), 14u);
  EXPECT_EQ(code.find_first_of("01IO"), std::string::npos);
  EXPECT_TRUE(r.user_id.empty());

  HttpResponse s = Call("GET", "/api/v1/public/reports/" + code);
  ASSERT_EQ(s.status, 200) << s.body;
  auto sj = Json(s).as_object();
  EXPECT_EQ(sj.size(), 2u);
  EXPECT_EQ(S(sj["status"]), "ontvangen");
  EXPECT_TRUE(sj.contains("updated_at"));
  EXPECT_EQ(s.route, "GET /api/v1/public/reports/{tracking_code}");
  // Lower case and without hyphens is the same code; unknown and malformed look alike.
  std::string plain = code;
  plain.erase(std::remove(plain.begin(), plain.end(), '-'), plain.end());
  std::transform(plain.begin(), plain.end(), plain.begin(), [](unsigned char c) { return std::tolower(c); });
  EXPECT_EQ(Call("GET", "/api/v1/public/reports/" + plain).status, 200);
  HttpResponse unknown = Call("GET", "/api/v1/public/reports/ABCD-EFGH-JKMN");
  HttpResponse malformed = Call("GET", "/api/v1/public/reports/zzz");
  ExpectProblem(unknown, 404);
  ExpectProblem(malformed, 404);
  EXPECT_EQ(Json(unknown).at("detail"), Json(malformed).at("detail"));
  auto audit = Audit();
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [](const auto& e) {
    return e.action == "report.create" && e.user_id == "anonymous" && e.client == "192.0.2.10";
  }));
}

TEST_F(HandlersTest, PublicReportsAreRateLimitedPerAddress) {
  const std::string body = R"({"category":"jeugdoverlast","description":"Groep jongeren.","location":{"municipality":"Kerkrade"}})";
  for (int i = 0; i < 3; ++i) EXPECT_EQ(Call("POST", "/api/v1/public/reports", body).status, 201);
  HttpResponse r = Call("POST", "/api/v1/public/reports", body);
  ExpectProblem(r, 429);
  EXPECT_FALSE(Header(r, "Retry-After").empty());
  clock.Advance(std::chrono::minutes(61));
  EXPECT_EQ(Call("POST", "/api/v1/public/reports", body).status, 201);
}

TEST_F(HandlersTest, PublicReportRefusesUnknownCategoryAndExtraFields) {
  ExpectProblem(Call("POST", "/api/v1/public/reports",
                     R"({"category":"onbekend","description":"x","location":{"municipality":"Kerkrade"}})"), 400);
  ExpectProblem(Call("POST", "/api/v1/public/reports",
                     R"({"category":"woonoverlast","description":"x","location":{"municipality":"Kerkrade"},"status":"afgesloten"})"),
                400);
  ExpectProblem(Call("POST", "/api/v1/public/reports",
                     R"({"category":"woonoverlast","description":"x","location":{"municipality":"Atlantis"}})"), 422);
}

TEST_F(HandlersTest, StaffReportsWithContactDetailsForMeldpuntOnly) {
  HttpResponse r = Call("POST", "/api/v1/reports",
                        R"({"source":"politie","category":"verward_gedrag","description":"E33 melding.",)"
                        R"("incident_code":"E33","location":{"municipality":"Kerkrade","street":"Hoofdstraat 1"},)"
                        R"("subject":{"name":"Piet Voorbeeld","birth_date":"1975-05-05"},)"
                        R"("reporter":{"name":"Agent Jansen","phone":"+31 6 1234 5678"}})",
                        meldpunt.token);
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = Json(r).as_object();
  EXPECT_EQ(S(j["reporter"].at("name")), "Agent Jansen");
  EXPECT_TRUE(j.contains("subject_person_id"));

  HttpResponse as_regisseur = Call("GET", "/api/v1/reports?category=verward_gedrag", "", regisseur.token);
  ASSERT_EQ(as_regisseur.status, 200) << as_regisseur.body;
  auto items = Json(as_regisseur).at("reports").as_array();
  ASSERT_EQ(items.size(), 1u);
  EXPECT_FALSE(items[0].as_object().contains("reporter"));
  EXPECT_TRUE(items[0].as_object().at("reporter_known").as_bool());

  // Heerlen's meldpunt sees nothing of Kerkrade and may not register for it.
  HttpResponse other = Call("GET", "/api/v1/reports", "", heerlen.token);
  ASSERT_EQ(other.status, 200);
  EXPECT_TRUE(Json(other).at("reports").as_array().empty());
  ExpectProblem(Call("POST", "/api/v1/reports",
                     R"({"source":"burger","category":"woonoverlast","description":"x","location":{"municipality":"Kerkrade"}})",
                     heerlen.token),
                403);
  // Partners and the privacy officer have no report role.
  ExpectProblem(Call("GET", "/api/v1/reports", "", police.token), 403);
  ExpectProblem(Call("GET", "/api/v1/reports", "", privacy.token), 403);
  ExpectProblem(Call("GET", "/api/v1/reports?colour=red", "", meldpunt.token), 400);
}

// ---- cases ----

TEST_F(HandlersTest, OpenCaseReturnsTheCaseWithTeamDeadlinesAndAllowedTransitions) {
  auto kase = OpenIaww(meldpunt);
  EXPECT_EQ(S(kase["type"]), "iaww");
  EXPECT_EQ(S(kase["state"]), "aangemeld");
  EXPECT_EQ(kase["version"].as_int64(), 1);
  EXPECT_EQ(S(kase["subject"].at("name")), "Jan Demo");
  EXPECT_EQ(S(kase["subject"].at("birth_date")), "1980-01-01");
  EXPECT_FALSE(kase["subject"].as_object().contains("bsn"));
  ASSERT_EQ(kase["team"].as_array().size(), 1u);
  EXPECT_EQ(S(kase["team"].as_array()[0].at("org_id")), meldpunt.org_id);
  std::vector<std::string> allowed;
  for (const auto& t : kase["allowed_transitions"].as_array()) allowed.push_back(S(t.at("name")));
  EXPECT_NE(std::find(allowed.begin(), allowed.end(), "verrijking_starten"), allowed.end());
  EXPECT_TRUE(kase["deadlines"].is_array());
  EXPECT_TRUE(HasAudit(Audit(), "case.create", S(kase["id"])));
}

TEST_F(HandlersTest, OpenCaseMissingDataIs422NamingTheFields) {
  HttpResponse r = Call("POST", "/api/v1/cases",
                        R"({"type":"iaww","municipality":"Kerkrade","subject":{"name":"X"},"data":{"categorie":"woonoverlast"}})",
                        meldpunt.token);
  ExpectProblem(r, 422);
  std::vector<std::string> fields;
  const json::value parsed1 = Json(r);
  for (const auto& e : parsed1.at("errors").as_array()) fields.push_back(S(e.at("field")));
  EXPECT_NE(std::find(fields.begin(), fields.end(), "data.wijk"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "data.omschrijving"), fields.end());

  HttpResponse missing_top = Call("POST", "/api/v1/cases", R"({"type":"iaww","subject":{}})", meldpunt.token);
  ExpectProblem(missing_top, 422);
  fields.clear();
  const json::value parsed2 = Json(missing_top);
  for (const auto& e : parsed2.at("errors").as_array()) fields.push_back(S(e.at("field")));
  EXPECT_NE(std::find(fields.begin(), fields.end(), "municipality"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "subject.name"), fields.end());
}

TEST_F(HandlersTest, OpenCaseRefusals) {
  // The workflow's open spec: IAWW cases are opened by the meldpunt only.
  HttpResponse by_police = Call("POST", "/api/v1/cases",
                                R"({"type":"iaww","municipality":"Kerkrade","subject":{"name":"X"},)"
                                R"("data":{"categorie":"woonoverlast","melder_type":"burger","wijk":"Holz","omschrijving":"x"}})",
                                police.token);
  ExpectProblem(by_police, 403);
  ExpectProblem(Call("POST", "/api/v1/cases", R"({"type":"iaww","municipality":"Kerkrade","subject":{"name":"X"}})",
                     privacy.token),
                403);
  ExpectProblem(Call("POST", "/api/v1/cases", R"({"type":"burglary","municipality":"Kerkrade","subject":{"name":"X"}})",
                     meldpunt.token),
                400);
  ExpectProblem(Call("POST", "/api/v1/cases",
                     R"({"type":"iaww","municipality":"Kerkrade","subject":{"name":"X","bsn":"123456789"}})",
                     meldpunt.token),
                400);
  // A meldpunt may not open what it could not read (confidentiality 3).
  ExpectProblem(Call("POST", "/api/v1/cases",
                     R"({"type":"iaww","municipality":"Kerkrade","confidentiality":3,"subject":{"name":"X"}})",
                     meldpunt.token),
                400);
}

TEST_F(HandlersTest, GetCaseIsAuditedAsRead) {
  auto kase = OpenIaww(meldpunt);
  const std::string id = S(kase["id"]);
  HttpResponse r = Call("GET", "/api/v1/cases/" + id, "", regisseur.token);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.route, "GET /api/v1/cases/{id}");
  EXPECT_EQ(r.outcome, "ok");
  auto audit = Audit();
  auto it = std::find_if(audit.begin(), audit.end(), [&](const auto& e) {
    return e.action == "case.read" && e.object_id == id && e.user_id == regisseur.user_id;
  });
  ASSERT_NE(it, audit.end());
  EXPECT_EQ(it->person_id, S(kase["subject"].at("id")));
  EXPECT_EQ(it->client, "192.0.2.10");
  ExpectProblem(Call("GET", "/api/v1/cases/case_does_not_exist", "", regisseur.token), 404);
  ExpectProblem(Call("GET", "/api/v1/cases/bad%20id", "", regisseur.token), 404);
}

// The answer to an opening is built from the command's own snapshot and
// rows: a new person (not yet in the snapshot) and a known one (linked,
// not created again) both show as the case's subject.
TEST_F(HandlersTest, OpenCaseAnswersWithTheNewOrTheLinkedSubject) {
  auto first = OpenIaww(meldpunt, "Mira Voorbeeld");
  auto second = OpenIaww(meldpunt, "mira voorbeeld");
  ASSERT_TRUE(first["subject"].is_object() && second["subject"].is_object());
  EXPECT_EQ(S(first["subject"].at("name")), "Mira Voorbeeld");
  EXPECT_EQ(S(second["subject"].at("name")), "Mira Voorbeeld");  // the known person, as stored
  EXPECT_EQ(S(first["subject"].at("id")), S(second["subject"].at("id")));
  EXPECT_NE(S(first["id"]), S(second["id"]));
  // What the answer showed is what a later read shows.
  HttpResponse read = Call("GET", "/api/v1/cases/" + S(second["id"]), "", meldpunt.token);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(Json(read).at("subject"), second["subject"]);
  EXPECT_EQ(Json(read).at("allowed_transitions"), second["allowed_transitions"]);
}

TEST_F(HandlersTest, TransitionsTakeStaleVersionsAndWrongStatesAre409WithAllowedTransitions) {
  auto kase = OpenIaww(meldpunt);
  const std::string id = S(kase["id"]);
  HttpResponse ok = Transition(meldpunt, id, "verrijking_starten", 1);
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(S(Json(ok).at("state")), "verrijking");
  EXPECT_EQ(Json(ok).at("version").as_int64(), 2);
  EXPECT_TRUE(HasAudit(Audit(), "case.transition", id));

  HttpResponse stale = Transition(meldpunt, id, "agenderen", 1, {{"overleg_datum", "2026-03-09"}});
  ExpectProblem(stale, 409);
  auto allowed = Json(stale).at("allowed_transitions").as_array();
  EXPECT_FALSE(allowed.empty());
  EXPECT_NE(std::find(allowed.begin(), allowed.end(), json::value("agenderen")), allowed.end());

  HttpResponse wrong_state = Transition(meldpunt, id, "verrijking_starten", 2);
  ExpectProblem(wrong_state, 409);
  EXPECT_FALSE(Json(wrong_state).at("allowed_transitions").as_array().empty());

  HttpResponse unknown = Transition(meldpunt, id, "teleporteren", 2);
  ExpectProblem(unknown, 409);
  EXPECT_TRUE(Json(unknown).as_object().contains("allowed_transitions"));

  HttpResponse missing = Transition(meldpunt, id, "agenderen", 2);
  ExpectProblem(missing, 422);
  EXPECT_EQ(S(Json(missing).at("errors").as_array()[0].at("field")), "data.overleg_datum");

  // The workflow refuses the role: plan_vaststellen is the regisseur's.
  HttpResponse agenda = Transition(meldpunt, id, "agenderen", 2, {{"overleg_datum", "2026-03-09"}});
  ASSERT_EQ(agenda.status, 200) << agenda.body;
  ExpectProblem(Transition(meldpunt, id, "plan_vaststellen", 3, {{"afspraken", "x"}}), 403);
  EXPECT_EQ(Transition(regisseur, id, "plan_vaststellen", 3, {{"afspraken", "Wijkagent spreekt bewoner aan."}}).status,
            200);
  EXPECT_EQ(StoredCase(id).version, 4);
  ASSERT_FALSE(transitions_counted.empty());
  EXPECT_EQ(transitions_counted.front(), std::make_pair(std::string("iaww"), std::string("ok")));
  EXPECT_NE(std::find(transitions_counted.begin(), transitions_counted.end(),
                      std::make_pair(std::string("iaww"), std::string("conflict"))),
            transitions_counted.end());
}

TEST_F(HandlersTest, TimelineNotesActionsAndTeam) {
  auto kase = OpenIaww(meldpunt);
  const std::string id = S(kase["id"]);
  const std::string base = "/api/v1/cases/" + id;

  HttpResponse note = Call("POST", base + "/notes", R"({"text":"Gesprek met melder gevoerd.\nVervolg volgt."})", meldpunt.token);
  ASSERT_EQ(note.status, 201) << note.body;
  EXPECT_EQ(S(Json(note).at("author_user_id")), meldpunt.user_id);
  HttpResponse notes = Call("GET", base + "/notes", "", meldpunt.token);
  ASSERT_EQ(notes.status, 200);
  EXPECT_EQ(Json(notes).at("notes").as_array().size(), 1u);

  json::object team_body{{"org", police.org_id}};
  HttpResponse team = Call("POST", base + "/team", json::serialize(team_body), meldpunt.token);
  ASSERT_EQ(team.status, 201) << team.body;
  EXPECT_EQ(S(Json(team).at("role")), "lid");
  ExpectProblem(Call("POST", base + "/team", json::serialize(team_body), meldpunt.token), 409);
  ExpectProblem(Call("POST", base + "/team", R"({"org":"org_nope"})", meldpunt.token), 422);
  // Partners work within the team; they do not change it.
  ExpectProblem(Call("POST", base + "/team", json::serialize(json::object{{"org", heerlen.org_id}}), police.token), 403);
  HttpResponse team_list = Call("GET", base + "/team", "", police.token);
  ASSERT_EQ(team_list.status, 200) << team_list.body;
  EXPECT_EQ(Json(team_list).at("team").as_array().size(), 2u);

  json::object action_body{{"description", "Huisbezoek door wijkagent"},
                           {"owner_org", police.org_id},
                           {"owner_user", police.user_id},
                           {"due_at", "2026-03-16T12:00:00Z"}};
  HttpResponse action = Call("POST", base + "/actions", json::serialize(action_body), police.token);
  ASSERT_EQ(action.status, 201) << action.body;
  EXPECT_EQ(S(Json(action).at("status")), "open");
  action_body["owner_user"] = meldpunt.user_id;  // not of that organisation
  ExpectProblem(Call("POST", base + "/actions", json::serialize(action_body), police.token), 422);
  action_body["due_at"] = "next week";
  ExpectProblem(Call("POST", base + "/actions", json::serialize(action_body), police.token), 400);
  HttpResponse actions = Call("GET", base + "/actions", "", police.token);
  ASSERT_EQ(actions.status, 200);
  EXPECT_EQ(Json(actions).at("actions").as_array().size(), 1u);

  HttpResponse events = Call("GET", base + "/events", "", meldpunt.token);
  ASSERT_EQ(events.status, 200);
  std::vector<std::string> types;
  const json::value parsed3 = Json(events);
  for (const auto& e : parsed3.at("events").as_array()) types.push_back(S(e.at("type")));
  for (const char* t : {"case.created", "note.added", "team.added", "action.added"})
    EXPECT_NE(std::find(types.begin(), types.end(), t), types.end()) << t;

  auto audit = Audit();
  for (const char* a : {"note.create", "note.read", "team.add", "team.read", "action.create", "action.read", "case.timeline.read"})
    EXPECT_TRUE(HasAudit(audit, a, id)) << a;
}

TEST_F(HandlersTest, CaseListShowsOnlyVisibleCasesAndPages) {
  std::vector<std::string> kerkrade;
  for (int i = 0; i < 3; ++i) kerkrade.push_back(S(OpenIaww(meldpunt, "Persoon " + std::to_string(i))["id"]));
  std::string heerlen_case = S(OpenIaww(heerlen, "Heerlense Persoon", "Heerlen")["id"]);

  auto ids_of = [&](const HttpResponse& r) {
    std::vector<std::string> out;
    const json::value parsed4 = Json(r);
    for (const auto& c : parsed4.at("cases").as_array()) out.push_back(S(c.at("id")));
    return out;
  };
  HttpResponse all = Call("GET", "/api/v1/cases", "", meldpunt.token);
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(ids_of(all), kerkrade);
  EXPECT_TRUE(Json(all).at("next_cursor").is_null());
  EXPECT_EQ(ids_of(Call("GET", "/api/v1/cases", "", heerlen.token)), std::vector<std::string>{heerlen_case});
  // The police is on no team yet: nothing, not even a count.
  HttpResponse none = Call("GET", "/api/v1/cases", "", police.token);
  EXPECT_TRUE(Json(none).at("cases").as_array().empty());
  EXPECT_EQ(none.body.find("total"), std::string::npos);

  HttpResponse p1 = Call("GET", "/api/v1/cases?limit=2", "", meldpunt.token);
  EXPECT_EQ(ids_of(p1), (std::vector<std::string>{kerkrade[0], kerkrade[1]}));
  std::string cursor = S(Json(p1).at("next_cursor"));
  HttpResponse p2 = Call("GET", "/api/v1/cases?limit=2&cursor=" + cursor, "", meldpunt.token);
  EXPECT_EQ(ids_of(p2), std::vector<std::string>{kerkrade[2]});

  ASSERT_EQ(Transition(meldpunt, kerkrade[1], "verrijking_starten", 1).status, 200);
  EXPECT_EQ(ids_of(Call("GET", "/api/v1/cases?state=verrijking&type=iaww", "", meldpunt.token)),
            std::vector<std::string>{kerkrade[1]});
  EXPECT_TRUE(ids_of(Call("GET", "/api/v1/cases?overdue=true", "", meldpunt.token)).empty());

  ExpectProblem(Call("GET", "/api/v1/cases?limit=0", "", meldpunt.token), 400);
  ExpectProblem(Call("GET", "/api/v1/cases?limit=101", "", meldpunt.token), 400);
  ExpectProblem(Call("GET", "/api/v1/cases?overdue=maybe", "", meldpunt.token), 400);
  ExpectProblem(Call("GET", "/api/v1/cases?sort=name", "", meldpunt.token), 400);
  ExpectProblem(Call("GET", "/api/v1/cases?limit=1&limit=2", "", meldpunt.token), 400);
  EXPECT_TRUE(HasAudit(Audit(), "case.list", kerkrade[0]));
}

TEST_F(HandlersTest, BreakTheGlassGrantsTemporaryFlaggedAccess) {
  auto kase = OpenIaww(meldpunt);
  const std::string id = S(kase["id"]);
  ExpectProblem(Call("GET", "/api/v1/cases/" + id, "", police.token), 403);
  ExpectProblem(Call("POST", "/api/v1/cases/" + id + "/access", R"({"reason":"kort"})", police.token), 400);
  ExpectProblem(Call("POST", "/api/v1/cases/" + id + "/access", R"({})", police.token), 422);

  const std::string reason = "Acute dreiging gemeld door collega, dossier nodig voor inzet.";
  HttpResponse grant = Call("POST", "/api/v1/cases/" + id + "/access", json::serialize(json::object{{"reason", reason}}),
                            police.token);
  ASSERT_EQ(grant.status, 201) << grant.body;
  EXPECT_EQ(S(Json(grant).at("expires_at")), "2026-03-02T10:00:00Z");

  HttpResponse read = Call("GET", "/api/v1/cases/" + id, "", police.token);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_TRUE(Json(read).at("via_break_glass").as_bool());
  EXPECT_EQ(S(Json(Call("GET", "/api/v1/cases", "", police.token)).at("cases").as_array()[0].at("id")), id);

  auto audit = Audit();
  auto it = std::find_if(audit.begin(), audit.end(), [&](const auto& e) { return e.action == "case.break_glass"; });
  ASSERT_NE(it, audit.end());
  EXPECT_EQ(it->reason, reason);
  EXPECT_EQ(it->user_id, police.user_id);
  HttpResponse events = Call("GET", "/api/v1/cases/" + id + "/events", "", meldpunt.token);
  EXPECT_NE(events.body.find("access.break_glass"), std::string::npos);
  // Someone who already has access does not break the glass.
  ExpectProblem(Call("POST", "/api/v1/cases/" + id + "/access", json::serialize(json::object{{"reason", reason}}),
                     meldpunt.token),
                409);
  // The grant expires (the session is kept alive meanwhile).
  for (int minutes : {25, 25, 11}) {
    clock.Advance(std::chrono::minutes(minutes));
    ASSERT_EQ(Call("GET", "/api/v1/me", "", police.token).status, 200);
  }
  ExpectProblem(Call("GET", "/api/v1/cases/" + id, "", police.token), 403);
}

TEST_F(HandlersTest, ThePrivacyOfficerReviewsBreakTheGlassGrants) {
  auto kase = OpenIaww(meldpunt);
  const std::string id = S(kase["id"]);
  HttpResponse grant = Call("POST", "/api/v1/cases/" + id + "/access",
                            R"({"reason":"Acute dreiging gemeld, dossier nodig voor inzet."})", police.token);
  ASSERT_EQ(grant.status, 201) << grant.body;
  const std::string grant_id = S(Json(grant).at("id"));

  // Only the privacy officer sees and clears the queue.
  for (const Login* other : {&meldpunt, &regisseur, &police}) {
    ExpectProblem(Call("GET", "/api/v1/access-reviews", "", other->token), 403);
    ExpectProblem(Call("POST", "/api/v1/access-reviews/" + grant_id, "", other->token), 403);
  }
  HttpResponse queue = Call("GET", "/api/v1/access-reviews", "", privacy.token);
  ASSERT_EQ(queue.status, 200) << queue.body;
  auto grants = Json(queue).at("grants").as_array();
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_EQ(S(grants[0].at("id")), grant_id);
  EXPECT_EQ(S(grants[0].at("case_id")), id);

  HttpResponse reviewed = Call("POST", "/api/v1/access-reviews/" + grant_id, "", privacy.token);
  EXPECT_EQ(reviewed.status, 204) << reviewed.body;
  EXPECT_TRUE(Json(Call("GET", "/api/v1/access-reviews", "", privacy.token)).at("grants").as_array().empty());
  ExpectProblem(Call("POST", "/api/v1/access-reviews/" + grant_id, "", privacy.token), 404);
  ExpectProblem(Call("POST", "/api/v1/access-reviews/grant_onbekend", "", privacy.token), 404);
  EXPECT_TRUE(HasAudit(Audit(), "break_glass.review", id));
}

// ---- persons and audit ----

TEST_F(HandlersTest, PersonViewExportAndAccessLog) {
  auto kase = OpenIaww(meldpunt, "Karel Kwetsbaar");
  const std::string id = S(kase["id"]);
  const std::string person = S(kase["subject"].at("id"));
  json::object action_body{{"description", "Huisbezoek"}, {"owner_org", meldpunt.org_id}, {"due_at", "2026-03-20T12:00:00Z"}};
  ASSERT_EQ(Call("POST", "/api/v1/cases/" + id + "/actions", json::serialize(action_body), meldpunt.token).status, 201);

  HttpResponse view = Call("GET", "/api/v1/persons/" + person, "", regisseur.token);
  ASSERT_EQ(view.status, 200) << view.body;
  auto vj = Json(view).as_object();
  EXPECT_EQ(S(vj["person"].at("name")), "Karel Kwetsbaar");
  ASSERT_EQ(vj["cases"].as_array().size(), 1u);
  EXPECT_EQ(vj["cases"].as_array()[0].at("actions").as_array().size(), 1u);
  EXPECT_TRUE(HasAudit(Audit(), "person.read", person));

  // Not visible to Heerlen: the same 404 as an unknown person, and audited as denied.
  HttpResponse hidden = Call("GET", "/api/v1/persons/" + person, "", heerlen.token);
  ExpectProblem(hidden, 404);
  EXPECT_EQ(Json(hidden).at("detail"), json::value("person " + person + " not found"));
  EXPECT_TRUE(HasAudit(Audit(), "person.read", person, "denied"));
  ExpectProblem(Call("GET", "/api/v1/persons/" + person, "", privacy.token), 403);

  ExpectProblem(Call("GET", "/api/v1/persons/" + person + "/export", "", regisseur.token), 403);
  HttpResponse exported = Call("GET", "/api/v1/persons/" + person + "/export?reason=inzageverzoek%202026-17", "", privacy.token);
  ASSERT_EQ(exported.status, 200) << exported.body;
  auto ej = Json(exported).as_object();
  EXPECT_EQ(ej["cases"].as_array().size(), 1u);
  EXPECT_FALSE(ej["cases"].as_array()[0].as_object().contains("allowed_transitions"));
  bool saw_regisseur = false;
  for (const auto& e : ej["access_log"].as_array())
    if (e.at("username") == json::value("regie.kerkrade") && e.at("action") == json::value("person.read"))
      saw_regisseur = e.at("organisation") == json::value("Gemeente Kerkrade");
  EXPECT_TRUE(saw_regisseur);
  auto audit = Audit();
  auto it = std::find_if(audit.begin(), audit.end(), [&](const auto& e) { return e.action == "person.export"; });
  ASSERT_NE(it, audit.end());
  EXPECT_EQ(it->reason, "inzageverzoek 2026-17");

  HttpResponse log = Call("GET", "/api/v1/persons/" + person + "/access-log", "", privacy.token);
  ASSERT_EQ(log.status, 200) << log.body;
  EXPECT_FALSE(Json(log).at("entries").as_array().empty());
  ExpectProblem(Call("GET", "/api/v1/persons/" + person + "/access-log", "", meldpunt.token), 403);
  ExpectProblem(Call("GET", "/api/v1/persons/person_unknown/export", "", privacy.token), 404);
}

TEST_F(HandlersTest, AuditSearchForThePrivacyOfficerOnly) {
  auto kase = OpenIaww(meldpunt);
  const std::string id = S(kase["id"]);
  ASSERT_EQ(Call("GET", "/api/v1/cases/" + id, "", regisseur.token).status, 200);
  HttpResponse r = Call("GET", "/api/v1/audit?case_id=" + id + "&user=" + regisseur.user_id, "", privacy.token);
  ASSERT_EQ(r.status, 200) << r.body;
  auto entries = Json(r).at("entries").as_array();
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(S(entries[0].at("action")), "case.read");
  HttpResponse since = Call("GET", "/api/v1/audit?since=2030-01-01T00:00:00Z", "", privacy.token);
  EXPECT_TRUE(Json(since).at("entries").as_array().empty());
  ExpectProblem(Call("GET", "/api/v1/audit?since=yesterday", "", privacy.token), 400);
  ExpectProblem(Call("GET", "/api/v1/audit", "", meldpunt.token), 403);
  EXPECT_TRUE(HasAudit(Audit(), "audit.search", id));
}

TEST_F(HandlersTest, NoOutputEverContainsABsn) {
  ASSERT_TRUE(store->Write([&](storage::Transaction& tx) -> Status {
                     return tx.persons().Insert(
                         {"person_bsn", "Bea Bsn", ParseDate("1970-01-01"), std::string("111222333"), clock.Now()});
                   }).ok());
  HttpResponse opened = Call("POST", "/api/v1/cases",
                             R"({"type":"iaww","municipality":"Kerkrade","subject":{"name":"Bea Bsn","birth_date":"1970-01-01"},)"
                             R"("data":{"categorie":"woonoverlast","melder_type":"burger","wijk":"Holz","omschrijving":"x"}})",
                             meldpunt.token);
  ASSERT_EQ(opened.status, 201) << opened.body;
  EXPECT_EQ(S(Json(opened).at("subject").at("id")), "person_bsn");  // linked, not duplicated
  const std::string id = S(Json(opened).at("id"));
  for (const auto& [target, who] : std::vector<std::pair<std::string, const Login*>>{
           {"/api/v1/cases/" + id, &meldpunt},
           {"/api/v1/cases", &meldpunt},
           {"/api/v1/persons/person_bsn", &meldpunt},
           {"/api/v1/persons/person_bsn/export", &privacy},
           {"/api/v1/persons/person_bsn/access-log", &privacy}}) {
    HttpResponse r = Call("GET", target, "", who->token);
    EXPECT_EQ(r.status, 200) << target << r.body;
    EXPECT_EQ(r.body.find("111222333"), std::string::npos) << target;
  }
  EXPECT_EQ(opened.body.find("111222333"), std::string::npos);
}

// ---- routing and problems ----

TEST_F(HandlersTest, UnknownPathIs404AndWrongMethodIs405WithAllow) {
  HttpResponse nf = Call("GET", "/api/v1/nothing-here", "", meldpunt.token);
  ExpectProblem(nf, 404);
  EXPECT_EQ(nf.route, "");
  HttpResponse wrong = Call("DELETE", "/api/v1/cases/case_1", "", meldpunt.token);
  ExpectProblem(wrong, 405);
  EXPECT_EQ(Header(wrong, "Allow"), "GET");
  HttpResponse wrong2 = Call("PUT", "/api/v1/cases/case_1/notes", "", meldpunt.token);
  EXPECT_EQ(Header(wrong2, "Allow"), "GET, POST");
  ExpectProblem(Call("GET", "/api/v1/cases/../me", "", meldpunt.token), 404);
  ExpectProblem(Call("GET", "/api/v1//cases", "", meldpunt.token), 404);
  ExpectProblem(Call("GET", "/api/v1/cases/%2Fetc", "", meldpunt.token), 404);
}

TEST_F(HandlersTest, PrivacyOfficerAndAdminGet403OnCaseContent) {
  Login admin = AddUser("beheer", "admin", "Gemeente Kerkrade", "gemeente", "Kerkrade");
  auto kase = OpenIaww(meldpunt);
  const std::string base = "/api/v1/cases/" + S(kase["id"]);
  for (const Login* who : {&privacy, &admin}) {
    for (const char* sub : {"", "/events", "/notes", "/actions", "/team"})
      ExpectProblem(Call("GET", base + sub, "", who->token), 403);
    ExpectProblem(Call("POST", base + "/notes", R"({"text":"x"})", who->token), 403);
    ExpectProblem(Call("POST", base + "/transitions", R"({"transition":"verrijking_starten","version":1})", who->token), 403);
    ExpectProblem(Call("POST", base + "/access", R"({"reason":"Ik wil dit dossier graag inzien."})", who->token), 403);
    EXPECT_TRUE(Json(Call("GET", "/api/v1/cases", "", who->token)).at("cases").as_array().empty());
  }
  EXPECT_TRUE(HasAudit(Audit(), "case.read", S(kase["id"]), "denied"));
}

// ---- the gate every authenticated route goes through (Routes::Authed) ----

// The routes anyone may call. Every other route the router has must
// authenticate: a new route is covered without being listed here.
// The way in (password login and the OpenID provider's flow, which
// authenticates by its own cookies and tokens), public reports and the API
// description.
const std::set<std::string> kPublicRoutes = {"POST /api/v1/auth/login",
                                             "GET /api/v1/auth/providers",
                                             "GET /api/v1/auth/oidc/{provider}/start",
                                             "GET /api/v1/auth/oidc/{provider}/callback",
                                             "POST /api/v1/auth/oidc/finish",
                                             "POST /api/v1/auth/oidc/{provider}/backchannel-logout",
                                             "POST /api/v1/public/reports",
                                             "GET /api/v1/public/reports/{tracking_code}",
                                             "GET /api/openapi.json"};

bool HasIdParam(const std::string& pattern) {
  for (std::size_t open = pattern.find('{'); open != std::string::npos; open = pattern.find('{', open + 1))
    if (IsIdParam(pattern.substr(open + 1, pattern.find('}', open) - open - 1))) return true;
  return false;
}

// The pattern with `id` in every id parameter and a well-formed value in the others.
std::string Fill(const std::string& pattern, const std::string& id) {
  std::string out;
  for (std::size_t i = 0; i < pattern.size();) {
    if (pattern[i] != '{') {
      out += pattern[i++];
      continue;
    }
    const std::size_t close = pattern.find('}', i);
    const std::string name = pattern.substr(i + 1, close - i - 1);
    out += IsIdParam(name) ? id : name == "date" ? "2026-03-02" : "x";
    i = close + 1;
  }
  return out;
}

TEST(RoutesTest, IdParametersAreIdOrEndInUnderscoreId) {
  EXPECT_TRUE(IsIdParam("id"));
  EXPECT_TRUE(IsIdParam("case_id"));
  EXPECT_FALSE(IsIdParam("date"));
  EXPECT_FALSE(IsIdParam("tracking_code"));
  EXPECT_FALSE(IsIdParam("_id"));
  EXPECT_FALSE(IsIdParam("idea"));
}

TEST_F(HandlersTest, EveryNonPublicRouteAuthenticatesBeforeCheckingIds) {
  const std::size_t audit_before = Audit().size();
  int authenticated = 0;
  for (const auto& route : api->router().Routes()) {
    const std::string label = route.method + " " + route.pattern;
    if (kPublicRoutes.count(label)) continue;
    ++authenticated;
    // A malformed id without credentials is still 401: authentication comes first.
    for (const std::string& id : std::vector<std::string>{"case_1", "bad%20id", std::string(65, 'a')}) {
      const std::string target = Fill(route.pattern, id);
      HttpResponse none = Call(route.method, target, "{}");
      ExpectProblem(none, 401);
      EXPECT_EQ(none.route, label) << target;
      EXPECT_TRUE(none.user_id.empty()) << target;
      EXPECT_FALSE(Header(none, "WWW-Authenticate").empty()) << target;
      ExpectProblem(Call(route.method, target, "{}", "not-a-real-token"), 401);
      // A cookie session's change without its CSRF token: 403, also before the id.
      if (route.method != "GET") {
        HttpResponse csrf = Call(route.method, target, "{}", "", {{"cookie", "casus_session=" + meldpunt.token}});
        ExpectProblem(csrf, 403);
        EXPECT_EQ(csrf.user_id, "") << target;
      }
    }
  }
  EXPECT_GE(authenticated, 39);  // as many as today at least: none went missing
  EXPECT_EQ(Audit().size(), audit_before);
}

TEST_F(HandlersTest, EveryMalformedPathIdIsAnUnknownResource) {
  const std::size_t audit_before = Audit().size();
  const std::string not_found = NotFoundProblem().body;
  int with_ids = 0;
  for (const auto& route : api->router().Routes()) {
    const std::string label = route.method + " " + route.pattern;
    if (kPublicRoutes.count(label) || !HasIdParam(route.pattern)) continue;
    ++with_ids;
    for (const std::string& id :
         std::vector<std::string>{"bad%20id", std::string(65, 'a'), "bad.id", "%C3%A9t%C3%A9", "case_1%3B"}) {
      const std::string target = Fill(route.pattern, id);
      HttpResponse r = Call(route.method, target, "{}", meldpunt.token);
      ExpectProblem(r, 404);
      EXPECT_EQ(r.body, not_found) << target;
      EXPECT_EQ(Json(r).at("detail"), "no such resource") << target;
      EXPECT_EQ(r.route, label) << target;
      EXPECT_EQ(r.user_id, meldpunt.user_id) << target;  // the request log names who asked
    }
    // ".." never reaches a route: the router refuses the path itself.
    HttpResponse dots = Call(route.method, Fill(route.pattern, ".."), "{}", meldpunt.token);
    ExpectProblem(dots, 404);
    EXPECT_EQ(dots.body, not_found);
    EXPECT_EQ(dots.route, "");
  }
  EXPECT_GE(with_ids, 23);
  // Nothing was read or written: a malformed id reaches no service.
  EXPECT_EQ(Audit().size(), audit_before);
}

TEST_F(HandlersTest, AnAgendaDateThatIsNoDateIsAnUnknownAgenda) {
  for (const char* date : {"2026-02-30", "morgen"}) {
    HttpResponse r = Call("GET", std::string("/api/v1/meetings/meeting_1/agendas/") + date, "", meldpunt.token);
    ExpectProblem(r, 404);
    EXPECT_EQ(r.body, NotFoundProblem().body);
    EXPECT_EQ(r.route, "GET /api/v1/meetings/{id}/agendas/{date}");
  }
}

}  // namespace
}  // namespace casus::api::handlers::testing
