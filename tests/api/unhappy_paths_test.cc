// The unhappy paths: authentication, CSRF, hostile or broken input. Every
// refusal is a 4xx application/problem+json with type, title, status and
// detail, and changes nothing (checked by reading again).
#include <gtest/gtest.h>

#include "tests/api/server_fixture.h"

namespace casus::apitest {
namespace {

// RFC 9457 shape, status in the body equal to the HTTP status.
void ExpectProblem(const HttpResult& r, int status, const std::string& what) {
  EXPECT_EQ(r.status, status) << what << ": " << r.Describe();
  EXPECT_EQ(r.Header("content-type"), "application/problem+json") << what << ": " << r.Describe();
  ASSERT_TRUE(r.json.is_object()) << what << ": " << r.Describe();
  for (const char* key : {"type", "title", "detail"})
    EXPECT_TRUE(r.obj().contains(key) && r.obj().at(key).is_string()) << what << ": no " << key << " in " << r.body;
  ASSERT_TRUE(r.obj().contains("status")) << what;
  EXPECT_EQ(r.obj().at("status"), json::value(r.status)) << what;
}

bool NamesField(const HttpResult& r, const std::string& field) {
  const auto* errors = r.obj().if_contains("errors");
  if (!errors || !errors->is_array()) return false;
  for (const auto& e : errors->get_array())
    if (e.is_object() && e.as_object().if_contains("field") && e.as_object().at("field") == json::value(field))
      return true;
  return false;
}

// Every case id in the region, as the ZVH coordinator lists them.
std::vector<std::string> AllCases() {
  Api overseer("zvh_coordinator");
  return ListAllCaseIds(overseer);
}

// ------------------------------------------------------------------ 401

TEST(Unauthenticated, NoTokenForgedTokenAndMalformedHeaderAre401) {
  Api anon;
  const std::pair<const char*, const char*> ops[] = {
      {"GET", "/api/v1/me"},         {"GET", "/api/v1/cases"},        {"POST", "/api/v1/cases"},
      {"GET", "/api/v1/reports"},    {"POST", "/api/v1/auth/logout"}, {"GET", "/api/v1/audit"},
      {"GET", "/api/v1/persons/person_x"}, {"GET", "/api/v1/cases/case_x/events"}};
  const std::string forged(43, 'A');
  for (const auto& [method, target] : ops) {
    const std::string body = std::string(method) == "POST" ? "{}" : "";
    HttpResult none = anon.client().Request(method, target, body);
    ExpectProblem(none, 401, std::string("no token ") + target);
    EXPECT_NE(none.Header("www-authenticate").find("Bearer"), std::string::npos) << target;
    HttpResult bad = anon.client().Request(method, target, body, {{"Authorization", "Bearer " + forged}});
    ExpectProblem(bad, 401, std::string("forged token ") + target);
    HttpResult basic = anon.client().Request(method, target, body, {{"Authorization", "Basic dXNlcjpwdw=="}});
    ExpectProblem(basic, 401, std::string("basic auth ") + target);
    HttpResult cookie = anon.client().Request(method, target, body, {{"Cookie", "casus_session=" + forged}});
    ExpectProblem(cookie, 401, std::string("forged cookie ") + target);
  }
  // A real token with one character changed is as good as none.
  std::string token = ApiServer::Get().User("kr_meldpunt").token;
  token.back() = token.back() == 'A' ? 'B' : 'A';
  HttpResult tampered = anon.client().Request("GET", "/api/v1/me", "", {{"Authorization", "Bearer " + token}});
  ExpectProblem(tampered, 401, "tampered token");
}

TEST(Unauthenticated, TokenStopsWorkingAfterLogout) {
  ApiServer& s = ApiServer::Get();
  HttpsClient client(s.port());
  HttpResult login = s.LoginAgain("kr_meldpunt3", client);
  ASSERT_EQ(login.status, 200) << login.Describe();
  const Headers bearer = {{"Authorization", "Bearer " + login.Str("token")}};
  ASSERT_EQ(client.Request("GET", "/api/v1/cases", "", bearer).status, 200);
  ASSERT_EQ(client.Request("POST", "/api/v1/auth/logout", "", bearer).status, 204);
  for (const char* target : {"/api/v1/me", "/api/v1/cases", "/api/v1/reports"})
    ExpectProblem(client.Request("GET", target, "", bearer), 401, std::string("after logout ") + target);
  json::object body{{"type", "iaww"}, {"subject", {{"name", "Na logout"}}}, {"municipality", "Kerkrade"},
                    {"data", OpenData("iaww")}};
  ExpectProblem(client.Request("POST", "/api/v1/cases", json::serialize(body), bearer), 401, "open after logout");
  // Other sessions are untouched.
  EXPECT_EQ(Api("kr_meldpunt").Get("/api/v1/me").status, 200);
}

// ------------------------------------------------------------------ CSRF

TEST(Csrf, CookieAuthenticatedWritesNeedTheCsrfHeader) {
  ApiServer& s = ApiServer::Get();
  const TestUser& u = s.User("kr_meldpunt");
  Api meldpunt("kr_meldpunt");
  HttpResult c = OpenCase(meldpunt, "iaww", "Kerkrade", Unique("Csrf"));
  ASSERT_EQ(c.status, 201) << c.Describe();
  const std::string notes = "/api/v1/cases/" + c.Str("id") + "/notes";
  HttpsClient client(s.port());
  const Headers cookie = {{"Cookie", "casus_session=" + u.token}};

  // Reads by cookie need no CSRF header.
  EXPECT_EQ(client.Request("GET", "/api/v1/me", "", cookie).status, 200);

  const std::string body = json::serialize(json::object{{"text", "via cookie"}});
  HttpResult without = client.Request("POST", notes, body, cookie);
  ExpectProblem(without, 403, "cookie POST without X-CSRF-Token");
  Headers wrong = cookie;
  wrong.emplace_back("X-CSRF-Token", std::string(43, 'x'));
  ExpectProblem(client.Request("POST", notes, body, wrong), 403, "cookie POST with a wrong X-CSRF-Token");
  // Another user's CSRF token does not fit this session.
  Headers foreign = cookie;
  foreign.emplace_back("X-CSRF-Token", s.User("kr_regisseur").csrf_token);
  ExpectProblem(client.Request("POST", notes, body, foreign), 403, "cookie POST with another session's token");
  HttpResult list = meldpunt.Get(notes);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(list.obj().at("notes").as_array().size(), 0u) << "a refused write wrote nothing: " << list.body;

  Headers right = cookie;
  right.emplace_back("X-CSRF-Token", u.csrf_token);
  HttpResult ok = client.Request("POST", notes, body, right);
  EXPECT_EQ(ok.status, 201) << ok.Describe();
  // A Bearer token needs no CSRF header (it is not sent automatically).
  EXPECT_EQ(meldpunt.Post(notes, json::object{{"text", "via bearer"}}).status, 201);
  list = meldpunt.Get(notes);
  EXPECT_EQ(list.obj().at("notes").as_array().size(), 2u) << list.body;
}

// ------------------------------------------------------------------ input

TEST(Input, BrokenAndHostileBodiesAre4xxProblemsAndChangeNothing) {
  Api meldpunt("kr_meldpunt");
  const auto before = AllCases();
  const std::string data = Dump(OpenData("iaww"));
  auto body_with = [&](const std::string& subject_json) {
    return R"({"type":"iaww","subject":)" + subject_json + R"(,"municipality":"Kerkrade","data":)" + data + "}";
  };
  std::string nested = "{\"a\":";
  for (int i = 0; i < 200; ++i) nested += "[";
  nested += "1";
  for (int i = 0; i < 200; ++i) nested += "]";
  nested += "}";
  const std::string deep_data =
      R"({"type":"iaww","subject":{"name":"Diep"},"municipality":"Kerkrade","data":)" + nested + "}";

  struct Case {
    const char* what;
    std::string body;
    int status;
    const char* field;  // a field the problem must name, or nullptr
  };
  const Case cases[] = {
      {"malformed JSON", R"({"type":"iaww","subject":{"name":"Kapot"},)", 400, nullptr},
      {"trailing garbage", body_with(R"({"name":"Rommel"})") + "xyz", 400, nullptr},
      {"empty body", "", 400, nullptr},
      {"JSON array instead of object", "[1,2,3]", 400, nullptr},
      {"wrong type: type is a number", R"({"type":5,"subject":{"name":"Getal"},"municipality":"Kerkrade","data":)" +
                                           data + "}",
       400, "type"},
      {"wrong type: subject is a string", R"({"type":"iaww","subject":"Jan","municipality":"Kerkrade","data":)" +
                                              data + "}",
       400, "subject"},
      {"wrong type: confidentiality is a string",
       R"({"type":"iaww","subject":{"name":"Conf"},"municipality":"Kerkrade","confidentiality":"hoog","data":)" + data +
           "}",
       400, "confidentiality"},
      {"unknown top-level field", R"({"type":"iaww","subject":{"name":"Onbekend"},"municipality":"Kerkrade","admin":true,"data":)" +
                                      data + "}",
       400, "admin"},
      {"unknown nested field", body_with(R"({"name":"Genest","shoe_size":44})"), 400, "subject.shoe_size"},
      {"duplicate keys", R"({"type":"iaww","type":"jpp","subject":{"name":"Dubbel"},"municipality":"Kerkrade","data":)" +
                             data + "}",
       400, nullptr},
      {"invalid UTF-8 bytes", body_with("{\"name\":\"Jan \xff\xfe de Vries\"}"), 400, nullptr},
      {"overlong UTF-8 encoding", body_with("{\"name\":\"Jan \xc0\xaf\"}"), 400, nullptr},
      {"control characters in a name", body_with(R"({"name":"Jan\u0000Nul"})"), 400, "subject.name"},
      {"deeply nested JSON", deep_data, 400, nullptr},
      {"unknown case type", R"({"type":"brandweer","subject":{"name":"Type"},"municipality":"Kerkrade","data":{}})", 400,
       "type"},
      {"missing subject and data", R"({"type":"iaww","municipality":"Kerkrade"})", 422, "subject"},
  };
  for (const auto& c : cases) {
    HttpResult r = meldpunt.PostRaw("/api/v1/cases", c.body);
    if (c.status == 422) {
      EXPECT_TRUE(r.status == 422 || r.status == 400) << c.what << ": " << r.Describe();
      ExpectProblem(r, r.status, c.what);
    } else {
      ExpectProblem(r, c.status, c.what);
    }
    if (c.field) {
      EXPECT_TRUE(NamesField(r, c.field)) << c.what << ": should name " << c.field << ": " << r.body;
    }
  }
  // The workflow's required data, missing: 422 naming every missing field.
  json::object partial{{"categorie", "woonoverlast"}, {"melder_type", "burger"}};
  json::object body{{"type", "iaww"}, {"subject", {{"name", Unique("Onvolledig")}}}, {"municipality", "Kerkrade"},
                    {"data", partial}};
  HttpResult missing = meldpunt.Post("/api/v1/cases", body);
  ExpectProblem(missing, 422, "missing workflow data");
  EXPECT_TRUE(NamesField(missing, "data.wijk")) << missing.body;
  EXPECT_TRUE(NamesField(missing, "data.omschrijving")) << missing.body;
  // Wrong enum value in workflow data.
  partial["wijk"] = "Centrum";
  partial["omschrijving"] = "x";
  partial["categorie"] = "ruzie";
  body["data"] = partial;
  HttpResult bad_enum = meldpunt.Post("/api/v1/cases", body);
  EXPECT_TRUE(bad_enum.status == 400 || bad_enum.status == 422) << bad_enum.Describe();

  EXPECT_EQ(AllCases(), before) << "no refused request may open a case";
}

TEST(Input, UnknownMunicipalityIsRefused) {
  // Reports refuse a municipality outside the configuration (422,
  // location.municipality: unknown municipality); a case must too.
  Api meldpunt("kr_meldpunt");
  json::object nowhere{{"type", "iaww"}, {"subject", {{"name", Unique("Nergens")}}}, {"municipality", "Atlantis"},
                       {"data", OpenData("iaww")}};
  HttpResult atlantis = meldpunt.Post("/api/v1/cases", nowhere);
  EXPECT_TRUE(atlantis.status == 400 || atlantis.status == 422) << "unknown municipality: " << atlantis.Describe();
  EXPECT_TRUE(NamesField(atlantis, "municipality")) << atlantis.body.substr(0, 300);
}

TEST(Input, OversizedBodyIs413) {
  Api meldpunt("kr_meldpunt");
  const auto before = AllCases();
  HttpResult r = meldpunt.client().RequestHeadOnly("POST", "/api/v1/cases", (1u << 20) + 1, meldpunt.AuthHeaders());
  ExpectProblem(r, 413, "a declared body of 1 MiB + 1 byte");
  // A body just under the limit is read and judged on its content.
  std::string big = R"({"text":")" + std::string((1u << 20) - 100, 'a') + R"("})";
  HttpResult c = OpenCase(meldpunt, "iaww", "Kerkrade", Unique("Groot"));
  ASSERT_EQ(c.status, 201);
  HttpResult note = meldpunt.PostRaw("/api/v1/cases/" + c.Str("id") + "/notes", big);
  ExpectProblem(note, 400, "a 1 MiB note (above the note limit)");
  EXPECT_TRUE(NamesField(note, "text")) << note.body.substr(0, 300);
  EXPECT_EQ(meldpunt.Get("/api/v1/cases/" + c.Str("id") + "/notes").obj().at("notes").as_array().size(), 0u);
  auto after = AllCases();
  after.erase(std::remove(after.begin(), after.end(), c.Str("id")), after.end());
  EXPECT_EQ(after, before);
}

TEST(Input, BrokenTransitionBodiesLeaveTheCaseAsItWas) {
  Api meldpunt("kr_meldpunt");
  HttpResult c = OpenCase(meldpunt, "iaww", "Kerkrade", Unique("Kapotte transitie"));
  ASSERT_EQ(c.status, 201) << c.Describe();
  const std::string target = "/api/v1/cases/" + c.Str("id") + "/transitions";
  const std::pair<const char*, std::string> bodies[] = {
      {"malformed", R"({"transition":"verrijking_starten","version":)"},
      {"version as string", R"({"transition":"verrijking_starten","version":"1"})"},
      {"version as float", R"({"transition":"verrijking_starten","version":1.5})"},
      {"version huge", R"({"transition":"verrijking_starten","version":18446744073709551615})"},
      {"data as array", R"({"transition":"verrijking_starten","version":1,"data":[1]})"},
      {"data value an object", R"({"transition":"verrijking_starten","version":1,"data":{"x":{"y":1}}})"},
      {"unknown field", R"({"transition":"verrijking_starten","version":1,"force":true})"},
      {"invalid UTF-8", "{\"transition\":\"verrijking_starten\xff\",\"version\":1}"},
      {"missing version", R"({"transition":"verrijking_starten"})"},
  };
  for (const auto& [what, body] : bodies) {
    HttpResult r = meldpunt.PostRaw(target, body);
    EXPECT_TRUE(r.status == 400 || r.status == 422) << what << ": " << r.Describe();
    ExpectProblem(r, r.status, what);
  }
  HttpResult now = meldpunt.Get("/api/v1/cases/" + c.Str("id"));
  EXPECT_EQ(VersionOf(now), 1) << now.body;
  EXPECT_EQ(now.Str("state"), "aangemeld");
  HttpResult events = meldpunt.Get("/api/v1/cases/" + c.Str("id") + "/events");
  EXPECT_EQ(events.body.find("case.transitioned"), std::string::npos) << events.body;
}

TEST(Input, UnknownResourcesAndMethods) {
  Api meldpunt("kr_meldpunt");
  ExpectProblem(meldpunt.Get("/api/v1/cases/case_doesnotexist"), 404, "unknown case");
  ExpectProblem(meldpunt.Get("/api/v1/cases/..%2F..%2Fetc"), 404, "hostile id");
  ExpectProblem(meldpunt.Get("/api/v1/nothing-here"), 404, "unknown path");
  HttpResult transition = Transition(meldpunt, "case_doesnotexist", "verrijking_starten", 1);
  ExpectProblem(transition, 404, "transition on an unknown case");
  HttpResult del = meldpunt.Send("DELETE", "/api/v1/cases", "");
  ExpectProblem(del, 405, "DELETE on the case list");
  EXPECT_NE(del.Header("allow").find("GET"), std::string::npos) << del.Describe();
  HttpResult bad_query = meldpunt.Get("/api/v1/cases?limit=100000");
  ExpectProblem(bad_query, 400, "limit out of range");
  ExpectProblem(meldpunt.Get("/api/v1/cases?colour=red"), 400, "unknown query parameter");
  ExpectProblem(meldpunt.Get("/api/v1/reports?since=yesterday"), 400, "since not a time");
}

TEST(Input, PublicReportValidationNamesTheFields) {
  Api anon;
  HttpResult no_muni = anon.Post("/api/v1/public/reports",
                                 json::object{{"category", "woonoverlast"}, {"description", "x"}, {"location", json::object{}}});
  EXPECT_TRUE(no_muni.status == 400 || no_muni.status == 422) << no_muni.Describe();
  ExpectProblem(no_muni, no_muni.status, "public report without municipality");
  EXPECT_TRUE(NamesField(no_muni, "location.municipality")) << no_muni.body;
  HttpResult bad_category =
      anon.Post("/api/v1/public/reports",
                json::object{{"category", "ufo"}, {"description", "x"}, {"location", {{"municipality", "Kerkrade"}}}});
  EXPECT_TRUE(bad_category.status == 400 || bad_category.status == 422) << bad_category.Describe();
  EXPECT_TRUE(NamesField(bad_category, "category")) << bad_category.body;
  HttpResult bad_email = anon.Post("/api/v1/public/reports",
                                   json::object{{"category", "woonoverlast"},
                                                {"description", "x"},
                                                {"location", {{"municipality", "Kerkrade"}}},
                                                {"reporter", {{"email", "geen adres"}}}});
  EXPECT_TRUE(bad_email.status == 400 || bad_email.status == 422) << bad_email.Describe();
  EXPECT_TRUE(NamesField(bad_email, "reporter.email")) << bad_email.body;
  // Staff endpoints refuse roles that do not handle reports.
  ExpectProblem(Api("pol_partner").Get("/api/v1/reports"), 403, "partner lists reports");
  ExpectProblem(Api("kr_meldpunt").Post("/api/v1/reports", json::object{{"source", "burger"},
                                                                       {"category", "woonoverlast"},
                                                                       {"description", "x"},
                                                                       {"location", {{"municipality", "Heerlen"}}}}),
                403, "Kerkrade meldpunt registers a Heerlen report");
}

}  // namespace
}  // namespace casus::apitest
