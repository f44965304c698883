// The OpenAPI document parses, is 3.x, describes every route the router
// has (and nothing it lacks), and marks the public operations security: [].
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "tests/api_handlers/api_fixture.h"

namespace casus::api::handlers::testing {
namespace {

namespace json = boost::json;

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class OpenApiTest : public ApiTest {};

TEST_F(OpenApiTest, ServedWithoutAuthAndDescribesEveryRoute) {
  HttpResponse r = Call("GET", "/api/openapi.json");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.route, "GET /api/openapi.json");
  json::error_code ec;
  json::value doc = json::parse(r.body, ec);
  ASSERT_FALSE(ec) << ec.message();
  ASSERT_TRUE(doc.is_object());
  std::string version(doc.at("openapi").as_string());
  EXPECT_EQ(version.rfind("3.", 0), 0u) << version;
  const auto& paths = doc.at("paths").as_object();

  std::set<std::pair<std::string, std::string>> registered;
  for (const auto& route : api->router().Routes()) {
    registered.insert({route.pattern, Lower(route.method)});
    const json::value* item = paths.if_contains(route.pattern);
    ASSERT_NE(item, nullptr) << "missing path " << route.pattern;
    const json::value* op = item->as_object().if_contains(Lower(route.method));
    ASSERT_NE(op, nullptr) << "missing " << route.method << " " << route.pattern;
    EXPECT_TRUE(op->as_object().contains("responses")) << route.pattern;
    EXPECT_TRUE(op->as_object().contains("operationId")) << route.pattern;
  }
  for (const auto& [path, item] : paths)
    for (const auto& [method, op] : item.as_object()) {
      if (method == "parameters") continue;
      // The transport serves these itself, before the router.
      static const std::set<std::string> kTransport = {"/healthz", "/readyz", "/metrics", "/api/v1/events"};
      EXPECT_TRUE(registered.count({std::string(path), std::string(method)}) || kTransport.count(std::string(path)))
          << "documented but not routed: " << method << " " << path;
    }

  const std::set<std::string> kPublic = {"/api/v1/auth/login", "/api/v1/public/reports",
                                         "/api/v1/public/reports/{tracking_code}", "/api/openapi.json",
                                         "/healthz", "/readyz", "/metrics"};
  for (const auto& [path, item] : paths)
    for (const auto& [method, op] : item.as_object()) {
      if (method == "parameters") continue;
      const json::value* security = op.as_object().if_contains("security");
      const bool is_public = security && security->is_array() && security->as_array().empty();
      EXPECT_EQ(is_public, kPublic.count(std::string(path)) > 0) << method << " " << path;
    }
  EXPECT_TRUE(doc.at("components").at("securitySchemes").as_object().contains("bearer"));
}

}  // namespace
}  // namespace casus::api::handlers::testing
