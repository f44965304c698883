// Attacks on authentication: replayed and forged tokens, cross-site
// requests riding on the session cookie, and password guessing. Each has a
// fixed answer (401, 403, 429) and leaves other users unaffected.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "app/auth/totp.h"
#include "tests/api/server_fixture.h"

namespace casus::hostile {
namespace {

using apitest::Api;
using apitest::ApiServer;
using apitest::Headers;
using apitest::HttpResult;
using apitest::HttpsClient;
namespace json = boost::json;

std::int64_t NowStep() {
  return app::auth::TotpStep(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

TEST(ReplayedTokens, EveryFormOfALoggedOutSessionIsRefused) {
  ApiServer& s = ApiServer::Get();
  HttpsClient client(s.port());
  HttpResult login = s.LoginAgain("kr_meldpunt3", client);
  ASSERT_EQ(login.status, 200) << login.Describe();
  const std::string token = login.Str("token");
  const std::string csrf = login.Str("csrf_token");
  Api meldpunt("kr_meldpunt");
  HttpResult opened = apitest::OpenCase(meldpunt, "iaww", "Kerkrade", apitest::Unique("Replay"));
  ASSERT_EQ(opened.status, 201) << opened.Describe();
  const std::string notes = "/api/v1/cases/" + opened.Str("id") + "/notes";
  ASSERT_EQ(client.Request("POST", "/api/v1/auth/logout", "", {{"Authorization", "Bearer " + token}}).status, 204);

  const std::string body = json::serialize(json::object{{"text", "na uitloggen"}});
  EXPECT_EQ(client.Request("POST", notes, body, {{"Authorization", "Bearer " + token}}).status, 401);
  EXPECT_EQ(client.Request("POST", notes, body, {{"Cookie", "casus_session=" + token}, {"X-CSRF-Token", csrf}}).status,
            401)
      << "cookie and CSRF token of a logged-out session";
  EXPECT_EQ(client.Request("GET", "/api/v1/cases", "", {{"Cookie", "casus_session=" + token}}).status, 401);
  apitest::WsClient ws(s.port());
  int status = 0;
  EXPECT_NE(ws.Open("/api/v1/events", {{"Authorization", "Bearer " + token}}, &status), "");
  EXPECT_EQ(status, 401) << "live events with a logged-out token";
  EXPECT_EQ(meldpunt.Get(notes).obj().at("notes").as_array().size(), 0u) << "a replayed token wrote a note";
}

TEST(ForgedTokens, GarbageOfEveryShapeIs401) {
  ApiServer& s = ApiServer::Get();
  HttpsClient client(s.port());
  const std::string real = s.User("kr_meldpunt").token;
  const std::string shapes[] = {
      std::string(10 * 1024, 'A'),                 // long, but under the header limit
      "",                                          // "Bearer " and nothing
      real + real,                                 // two sessions glued
      real.substr(0, real.size() / 2),             // a prefix of a real one
      s.User("kr_meldpunt").csrf_token,            // a real secret of the wrong kind
      "../../etc/passwd",                          // path-like
      "' OR '1'='1",                               // SQL-like
      "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.", // an unsigned JWT
  };
  for (const auto& token : shapes) {
    for (const Headers& how : {Headers{{"Authorization", "Bearer " + token}}, Headers{{"Cookie", "casus_session=" + token}}}) {
      HttpResult r = client.Request("GET", "/api/v1/me", "", how);
      EXPECT_EQ(r.status, 401) << "token of " << token.size() << " bytes via " << how[0].first << ": " << r.Describe();
    }
  }
  // Control bytes in a header value are not HTTP: the parser refuses them
  // before any token check.
  for (const Headers& how : {Headers{{"Authorization", std::string("Bearer \x01\x02\x7f")}},
                             Headers{{"Cookie", std::string("casus_session=\x01\x02\x7f")}}}) {
    HttpResult r = client.Request("GET", "/api/v1/me", "", how);
    EXPECT_EQ(r.status, 400) << how[0].first << ": " << r.Describe();
    client.Reset();  // the server closes after a malformed request
  }
  // Only the scheme "Bearer" counts; the token must be the whole value.
  for (const std::string& value : {"Basic " + real, "Token " + real, "Bearer " + real + " extra", real}) {
    HttpResult r = client.Request("GET", "/api/v1/me", "", {{"Authorization", value}});
    EXPECT_EQ(r.status, 401) << value.substr(0, 12) << "...: " << r.Describe();
  }
  EXPECT_EQ(client.Request("GET", "/api/v1/me", "", {{"Authorization", "Bearer " + real}}).status, 200);
}

TEST(Csrf, CrossSiteRequestsOnTheSessionCookieAreRefused) {
  ApiServer& s = ApiServer::Get();
  const apitest::TestUser& u = s.User("kr_meldpunt");
  Api meldpunt("kr_meldpunt");
  HttpResult opened = apitest::OpenCase(meldpunt, "iaww", "Kerkrade", apitest::Unique("Csrf"));
  ASSERT_EQ(opened.status, 201) << opened.Describe();
  const std::string notes = "/api/v1/cases/" + opened.Str("id") + "/notes";
  HttpsClient client(s.port());
  const std::string cookie = "casus_session=" + u.token;
  const std::string evil = "https://evil.example";
  const std::string json_body = json::serialize(json::object{{"text", "cross-site"}});

  // What a page on another site can make a browser send without a CORS
  // preflight: a form post (the cookie rides along, no custom header).
  struct Attempt {
    const char* what;
    std::string body;
    Headers headers;
  };
  const Attempt attempts[] = {
      {"form post, urlencoded", "text=cross-site",
       {{"Cookie", cookie}, {"Origin", evil}, {"Content-Type", "application/x-www-form-urlencoded"}}},
      {"form post, text/plain carrying JSON", json_body,
       {{"Cookie", cookie}, {"Origin", evil}, {"Content-Type", "text/plain"}}},
      {"JSON with a cross-site Origin, no CSRF header", json_body, {{"Cookie", cookie}, {"Origin", evil}}},
      {"JSON with a cross-site Referer, no CSRF header", json_body,
       {{"Cookie", cookie}, {"Referer", evil + "/attack.html"}}},
      {"CSRF header with a guessed value", json_body,
       {{"Cookie", cookie}, {"Origin", evil}, {"X-CSRF-Token", std::string(43, 'A')}}},
      {"CSRF header empty", json_body, {{"Cookie", cookie}, {"Origin", evil}, {"X-CSRF-Token", ""}}},
      {"CSRF header of another session", json_body,
       {{"Cookie", cookie}, {"X-CSRF-Token", s.User("kr_regisseur").csrf_token}}},
      {"logout by form post", "", {{"Cookie", cookie}, {"Origin", evil}, {"Content-Type", "text/plain"}}},
  };
  for (const auto& a : attempts) {
    const std::string target = std::string(a.what).rfind("logout", 0) == 0 ? "/api/v1/auth/logout" : notes;
    HttpResult r = client.Request("POST", target, a.body, a.headers);
    EXPECT_GE(r.status, 400) << a.what << ": " << r.Describe();
    EXPECT_LT(r.status, 500) << a.what << ": " << r.Describe();
    EXPECT_EQ(r.Header("access-control-allow-origin"), "") << a.what;
  }
  // A preflight that would let another site add the header is not granted.
  HttpResult preflight = client.Request("OPTIONS", notes, "",
                                        {{"Origin", evil},
                                         {"Access-Control-Request-Method", "POST"},
                                         {"Access-Control-Request-Headers", "x-csrf-token, content-type"}});
  EXPECT_GE(preflight.status, 400) << preflight.Describe();
  EXPECT_FALSE(preflight.HasHeader("access-control-allow-origin")) << preflight.Describe();
  EXPECT_FALSE(preflight.HasHeader("access-control-allow-headers")) << preflight.Describe();
  EXPECT_FALSE(preflight.HasHeader("access-control-allow-credentials")) << preflight.Describe();

  EXPECT_EQ(meldpunt.Get(notes).obj().at("notes").as_array().size(), 0u) << "a cross-site request wrote a note";
  EXPECT_EQ(meldpunt.Get("/api/v1/me").status, 200) << "the cross-site logout ended the session";
}

TEST(BruteForce, GuessingOneAccountIsThrottledWithoutLockingOutOthers) {
  ApiServer& s = ApiServer::Get();
  const apitest::TestUser& victim = s.User("kr_meldpunt2");
  HttpsClient attacker(s.port());
  int failures = 0;
  HttpResult throttled;
  for (int attempt = 0; attempt < 10; ++attempt) {
    HttpResult r = s.LoginWith(victim.username, "raden-" + std::to_string(attempt), "000000", attacker);
    if (r.status == 429) {
      throttled = r;
      break;
    }
    EXPECT_EQ(r.status, 401) << "guess " << attempt << ": " << r.Describe();
    ++failures;
  }
  ASSERT_EQ(throttled.status, 429) << "ten wrong passwords were never throttled";
  EXPECT_EQ(failures, 5) << "the documented limit is 5 failures per account per 15 minutes";
  EXPECT_EQ(throttled.Header("content-type"), "application/problem+json");
  EXPECT_FALSE(throttled.Header("retry-after").empty()) << throttled.Describe();
  // While throttled even the right password and code are not checked.
  const std::string right_code = s.TotpAt("kr_meldpunt2", NowStep());
  EXPECT_EQ(s.LoginWith(victim.username, victim.password, right_code, attacker).status, 429);

  // Other accounts log in from the same address; the victim's existing
  // session keeps working.
  HttpsClient other(s.port());
  HttpResult colleague = s.LoginAgain("kr_meldpunt", other);
  EXPECT_EQ(colleague.status, 200) << colleague.Describe();
  EXPECT_EQ(Api("kr_meldpunt2").Get("/api/v1/me").status, 200) << "guessing ended the victim's session";
}

}  // namespace
}  // namespace casus::hostile
