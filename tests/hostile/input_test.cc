// Hostile values inside well-formed requests: SQL metacharacters are data
// (stored and returned verbatim, never interpreted), huge numbers and
// absurd nesting are refused with a 4xx, and nothing is half-written.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "tests/api/server_fixture.h"

namespace casus::hostile {
namespace {

using apitest::Api;
using apitest::ApiServer;
using apitest::HttpResult;
namespace json = boost::json;

void Expect4xx(const HttpResult& r, const std::string& what) {
  EXPECT_GE(r.status, 400) << what << ": " << r.Describe();
  EXPECT_LT(r.status, 500) << what << ": " << r.Describe();
  EXPECT_EQ(r.Header("content-type"), "application/problem+json") << what;
}

TEST(SqlMetacharacters, AreStoredAndReturnedVerbatim) {
  Api meldpunt("kr_meldpunt");
  const std::string name = apitest::Unique("O'Brien \"de\" Vries; --");
  HttpResult opened = apitest::OpenCase(meldpunt, "iaww", "Kerkrade", name, "1980-01-01");
  ASSERT_EQ(opened.status, 201) << opened.Describe();
  const std::string id = opened.Str("id");
  EXPECT_EQ(std::string(opened.obj().at("subject").as_object().at("name").as_string()), name);

  const std::string texts[] = {
      "'); DROP TABLE cases;--",
      "\" OR \"1\"=\"1",
      "Robert'); DELETE FROM audit_log WHERE ('1'='1",
      "100% zeker_niet \\ LIKE '%'",
      "/* comment */ UNION SELECT password_hash FROM users --",
  };
  const std::string notes = "/api/v1/cases/" + id + "/notes";
  for (const auto& text : texts) {
    HttpResult posted = meldpunt.Post(notes, json::object{{"text", text}});
    ASSERT_EQ(posted.status, 201) << text << ": " << posted.Describe();
  }
  HttpResult listed = meldpunt.Get(notes);
  ASSERT_EQ(listed.status, 200) << listed.Describe();
  const auto& got = listed.obj().at("notes").as_array();
  ASSERT_EQ(got.size(), std::size(texts));
  std::vector<std::string> stored;
  for (const auto& n : got) stored.emplace_back(n.as_object().at("text").as_string());
  for (const auto& text : texts)
    EXPECT_NE(std::find(stored.begin(), stored.end(), text), stored.end()) << "not returned verbatim: " << text;

  // The tables are all still there: the case reads back, the case list and
  // the audit chain work.
  HttpResult again = meldpunt.Get("/api/v1/cases/" + id);
  ASSERT_EQ(again.status, 200) << again.Describe();
  EXPECT_EQ(std::string(again.obj().at("subject").as_object().at("name").as_string()), name);
  EXPECT_EQ(meldpunt.Get("/api/v1/cases").status, 200);
  EXPECT_EQ(Api("kr_privacy").Get("/api/v1/audit?limit=5").status, 200);
}

TEST(SqlMetacharacters, InQueryParametersMatchNothing) {
  Api overseer("zvh_coordinator");
  for (const char* query : {"type=iaww%27%20OR%20%271%27%3D%271", "state=%27%20OR%201%3D1--", "level=%25",
                            "cursor=%27%3B%20DROP%20TABLE%20cases%3B--"}) {
    HttpResult r = overseer.Get(std::string("/api/v1/cases?") + query);
    // Refused as invalid, or a filter that matches no case; never every case.
    if (r.status == 200) {
      EXPECT_TRUE(apitest::CaseIds(r).empty()) << query << ": " << r.Describe();
    } else {
      Expect4xx(r, query);
    }
  }
}

TEST(HugeNumbers, AreRefusedAndChangeNothing) {
  Api meldpunt("kr_meldpunt");
  HttpResult opened = apitest::OpenCase(meldpunt, "iaww", "Kerkrade", apitest::Unique("Getallen"));
  ASSERT_EQ(opened.status, 201) << opened.Describe();
  const std::string id = opened.Str("id");
  const std::int64_t version = apitest::VersionOf(opened);
  const std::string transitions = "/api/v1/cases/" + id + "/transitions";
  for (const char* v : {"1e400", "-1e400", "18446744073709551616", "9223372036854775808", "-9223372036854775809",
                        "123456789012345678901234567890123456789", "1.5", "NaN", "Infinity", "0x10"}) {
    const std::string body = std::string(R"({"transition":"verrijking_starten","version":)") + v + "}";
    Expect4xx(meldpunt.PostRaw(transitions, body), std::string("version ") + v);
  }
  // A huge number inside workflow data, and huge query numbers.
  Expect4xx(meldpunt.PostRaw("/api/v1/cases", R"({"type":"iaww","municipality":"Kerkrade","subject":{"name":"N"},)"
                                              R"("data":{"categorie":1e999999,"melder_type":"burger"}})"),
            "huge number in data");
  Expect4xx(meldpunt.Get("/api/v1/cases?limit=99999999999999999999999"), "huge limit");
  Expect4xx(meldpunt.Get("/api/v1/cases?limit=-9223372036854775809"), "huge negative limit");
  Expect4xx(Api("kr_privacy").Get("/api/v1/audit?after=99999999999999999999999"), "huge audit cursor");
  EXPECT_EQ(apitest::VersionOf(meldpunt.Get("/api/v1/cases/" + id)), version) << "a refused transition changed the case";
}

TEST(DeepNesting, HundredThousandLevelsAreRefusedWithoutHarm) {
  // The parser stops at depth 20 (api/handlers/json_input.h); 100 000
  // levels would overflow the stack of a recursive parser.
  Api meldpunt("kr_meldpunt");
  const std::string deep_array = std::string(100000, '[') + std::string(100000, ']');
  std::string deep_object;
  for (int i = 0; i < 50000; ++i) deep_object += "{\"a\":";
  deep_object += "1" + std::string(50000, '}');
  for (const auto& body : {deep_array, deep_object, R"({"text":)" + deep_array + "}"}) {
    HttpResult r = meldpunt.PostRaw("/api/v1/cases", body);
    Expect4xx(r, "deep body of " + std::to_string(body.size()) + " bytes");
  }
  EXPECT_EQ(meldpunt.Get("/api/v1/me").status, 200);
}

}  // namespace
}  // namespace casus::hostile
