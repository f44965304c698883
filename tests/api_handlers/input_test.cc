// Strict input: malformed bodies are refused with 400 naming the field, and
// nothing changes (no case version, no note, no audit entry).
#include <algorithm>

#include "api/handlers/json_input.h"
#include "api/handlers/query_params.h"
#include "tests/api_handlers/api_fixture.h"

namespace casus::api::handlers::testing {
namespace {

namespace json = boost::json;

class InputTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    meldpunt = AddUser("meld.kerkrade", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    case_id = std::string(OpenIaww(meldpunt)["id"].as_string());
  }
  Login meldpunt;
  std::string case_id;
};

std::vector<std::string> FieldsOf(const HttpResponse& r) {
  std::vector<std::string> out;
  auto v = json::parse(r.body);
  if (v.as_object().contains("errors"))
    for (const auto& e : v.at("errors").as_array()) out.emplace_back(e.at("field").as_string());
  return out;
}

TEST_F(InputTest, BadBodiesAre400AndChangeNothing) {
  const std::size_t audit_before = Audit().size();
  const std::string transitions = "/api/v1/cases/" + case_id + "/transitions";
  const std::string notes = "/api/v1/cases/" + case_id + "/notes";
  std::string deep;
  for (int i = 0; i < 30; ++i) deep += R"({"a":)";
  deep += "1";
  for (int i = 0; i < 30; ++i) deep += "}";
  struct Case {
    std::string target, body, field;
  };
  const std::vector<Case> cases = {
      {transitions, "", "body"},
      {transitions, "{", "body"},
      {transitions, R"({"transition":"verrijking_starten","version":1,})", "body"},
      {transitions, "[1,2]", "body"},
      {transitions, R"("just a string")", "body"},
      {transitions, deep, "body"},
      {transitions, "{\"transition\":\"verrijking_starten\xff\",\"version\":1}", "body"},
      {transitions, R"({"transition":"verrijking_starten","version":1,"version":2})", "body"},
      {transitions, R"({"transition":"verrijking_starten","version":"1"})", "version"},
      {transitions, R"({"transition":"verrijking_starten","version":1.5})", "version"},
      {transitions, R"({"transition":"verrijking_starten","version":18446744073709551615})", "version"},
      {transitions, R"({"transition":"verrijking_starten","version":1e999})", "version"},
      {transitions, R"({"transition":42,"version":1})", "transition"},
      {transitions, R"({"transition":"verrijking_starten","version":1,"state":"afgesloten"})", "state"},
      {transitions, R"({"transition":"verrijking_starten","version":1,"data":[1]})", "data"},
      {transitions, R"({"transition":"verrijking_starten","version":1,"data":{"x":{"y":1}}})", "data.x"},
      {transitions, R"({"transition":"verrijking_starten","version":1,"data":{"x":1.5}})", "data.x"},
      {transitions, R"({"transition":"verrijking_starten","version":1,"reason":")" + std::string(1001, 'r') + R"("})", "reason"},
      {transitions, R"({"transition":")" + std::string(65, 't') + R"(","version":1})", "transition"},
      {notes, R"({"text":")" + std::string(20001, 'n') + R"("})", "text"},
      {notes, R"({"text":"nul\u0000byte"})", "text"},
      {notes, R"({"text":""})", "text"},
      {notes, R"({"text":"ok","extra":true})", "extra"},
  };
  for (const auto& c : cases) {
    HttpResponse r = Call("POST", c.target, c.body, meldpunt.token);
    EXPECT_EQ(r.status, 400) << c.body.substr(0, 80) << " -> " << r.body;
    EXPECT_EQ(r.content_type, "application/problem+json");
    auto fields = FieldsOf(r);
    EXPECT_NE(std::find(fields.begin(), fields.end(), c.field), fields.end())
        << c.body.substr(0, 80) << " -> " << r.body;
  }
  EXPECT_EQ(StoredCase(case_id).version, 1);
  EXPECT_EQ(Audit().size(), audit_before);
  HttpResponse list = Call("GET", "/api/v1/cases/" + case_id + "/notes", "", meldpunt.token);
  EXPECT_TRUE(json::parse(list.body).at("notes").as_array().empty());
}

TEST_F(InputTest, UnknownFieldsAreNamedAtEveryLevel) {
  HttpResponse r = Call("POST", "/api/v1/public/reports",
                        R"({"category":"woonoverlast","description":"x","location":{"municipality":"Kerkrade","gps":"1,2"},"priority":1})");
  EXPECT_EQ(r.status, 400);
  auto fields = FieldsOf(r);
  EXPECT_NE(std::find(fields.begin(), fields.end(), "location.gps"), fields.end());
  EXPECT_NE(std::find(fields.begin(), fields.end(), "priority"), fields.end());
}

TEST(JsonInput, ParsesObjectsOnly) {
  EXPECT_TRUE(ParseJsonObject(R"({"a":1})").ok());
  EXPECT_FALSE(ParseJsonObject("null").ok());
  EXPECT_FALSE(ParseJsonObject(R"({"a":1} trailing)").ok());
  EXPECT_FALSE(ParseJsonObject(R"({"a":{"b":1,"b":2}})").ok());
  EXPECT_TRUE(ParseJsonObject(R"({"a":[{"b":1},{"b":2}]})").ok());  // same key in sibling objects is fine
  EXPECT_FALSE(ParseJsonObject("{\"a\":\"\xc3\x28\"}").ok());        // invalid UTF-8
  EXPECT_TRUE(ParseJsonObject("{\"a\":\"caf\xc3\xa9\"}").ok());
}

TEST(JsonInput, TextLimitsCountCharacters) {
  EXPECT_EQ(CheckText("caf\xc3\xa9", 4, 1, false), "");
  EXPECT_NE(CheckText("caf\xc3\xa9", 3, 1, false), "");
  EXPECT_NE(CheckText("a\nb", 10, 1, false), "");
  EXPECT_EQ(CheckText("a\nb", 10, 1, true), "");
  // Found by tests/hostile: percent-decoded query values were not checked.
  EXPECT_EQ(CheckText("\xf0\x9f\x98\x80 \xe2\x82\xac", 10, 1, false), "");
  for (const char* bad : {"\xff", "caf\xc3", "\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\x80" "a"})
    EXPECT_EQ(CheckText(bad, 10, 1, false), "is not valid UTF-8") << bad;
}

TEST(QueryParamsTest, DecodesAndRefusesUnknownAndRepeated) {
  auto q = QueryParams::Parse("state=plan%20van+aanpak&limit=5", {"state", "limit"});
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->Get("state"), "plan van aanpak");
  EXPECT_EQ(q->Integer("limit", 1, 10), 5);
  EXPECT_FALSE(QueryParams::Parse("colour=red", {"state"}).ok());
  EXPECT_FALSE(QueryParams::Parse("state=a&state=b", {"state"}).ok());
  EXPECT_FALSE(QueryParams::Parse("state=%00", {"state"}).ok());
  EXPECT_FALSE(QueryParams::Parse("state=%FF", {"state"}).ok());
  EXPECT_FALSE(QueryParams::Parse("state=%C0%AF", {"state"}).ok());
  // An invalid name is not echoed in the problem (which must stay valid JSON).
  auto bad_name = QueryParams::Parse("%FF=1", {"state"});
  ASSERT_FALSE(bad_name.ok());
  ASSERT_NE(bad_name.status().detail(), nullptr);
  EXPECT_EQ(bad_name.status().detail()->field_errors.front().field, "query");
  auto big = QueryParams::Parse("limit=99999999999999999999", {"limit"});
  ASSERT_TRUE(big.ok());
  EXPECT_FALSE(big->Integer("limit", 1, 100).has_value());
  EXPECT_FALSE(big->status().ok());
}

}  // namespace
}  // namespace casus::api::handlers::testing
