#include "tests/api_handlers/api_fixture.h"

#include "app/auth/totp.h"
#include "app/workflow_catalog.h"
#include "tests/support/backends.h"
#include "tests/support/password_cost.h"

namespace casus::api::handlers::testing {

void ApiTest::SetUp() {
  // A fresh database per test; on PostgreSQL on the binary's one server
  // (its `_postgres` ctest entry is one process).
  std::string skip;
  database = casus::testing::BackendDatabase::Create(casus::testing::BackendOfThisRun(), dir.path(), &skip);
  if (!skip.empty()) GTEST_SKIP() << skip;
  ASSERT_TRUE(database.has_value());
  on_postgres = database->backend() == casus::testing::Backend::kPostgres;
  store = database->Open();
  ASSERT_TRUE(store);
  auto synced = app::SyncWorkflows(*store, CASUS_SOURCE_DIR "/workflows");
  ASSERT_TRUE(synced.ok()) << synced.status().ToString();
  registry = std::move(synced).value();
  for (const char* m : {"Kerkrade", "Heerlen", "Landgraaf"}) config.municipalities[m].flags["apv_gedragsaanwijzing"] = true;
  config.limits.public_reports_per_hour = 3;
  config.limits.break_glass_minutes = 60;
  // These suites test the handlers, not password hashing.
  app::AuthOptions auth_options;
  auth_options.password_cost = ::casus::testing::kCheapPasswordCost;
  services = std::make_unique<app::Services>(app::ServiceParts{*store, registry, config, clock, ids, auth_options});
  auth = &services->auth;
  cases = &services->cases;
  api = std::make_unique<ApiHandler>(ApiDeps{*services, [this](const std::string& type, const std::string& result) {
                                               transitions_counted.emplace_back(type, result);
                                             }});
}

void ApiTest::TearDown() {
  api.reset();
  services.reset();
  store.reset();
}

Login ApiTest::AddUser(const std::string& username, const std::string& role, const std::string& org_name,
                       const std::string& org_type, const std::string& municipality) {
  auto created = auth->AddUser({username, kPassword, {role}, org_name, org_type, municipality});
  EXPECT_TRUE(created.ok()) << created.status().ToString();
  if (!created.ok()) return {};
  const std::string& uri = created->otpauth_uri;
  auto start = uri.find("secret=") + 7;
  std::string secret = uri.substr(start, uri.find('&', start) - start);
  auto code = app::auth::TotpCodeAt(secret, app::auth::TotpStep(clock.Now()));
  EXPECT_TRUE(code.has_value());
  boost::json::object body{{"username", username}, {"password", kPassword}, {"totp", code.value_or("")}};
  HttpResponse r = Call("POST", "/api/v1/auth/login", boost::json::serialize(body));
  EXPECT_EQ(r.status, 200) << r.body;
  if (r.status != 200) return {};
  auto j = Json(r).as_object();
  return Login{created->user.id, std::string(j["token"].as_string()), std::string(j["csrf_token"].as_string()),
               created->user.org_id, r};
}

HttpResponse ApiTest::Call(const std::string& method, const std::string& target, const std::string& body,
                           const std::string& token, std::vector<std::pair<std::string, std::string>> headers) {
  HttpRequest req;
  req.method = method;
  req.target = target;
  auto q = target.find('?');
  req.path = target.substr(0, q);
  req.query = q == std::string::npos ? "" : target.substr(q + 1);
  req.body = body;
  req.client_address = "192.0.2.10";
  req.request_id = "req-1";
  if (!token.empty()) req.headers.emplace_back("authorization", "Bearer " + token);
  if (!body.empty()) req.headers.emplace_back("content-type", "application/json");
  for (auto& h : headers) req.headers.push_back(std::move(h));
  return api->Handle(req);
}

boost::json::value ApiTest::Json(const HttpResponse& r) {
  boost::json::error_code ec;
  auto v = boost::json::parse(r.body, ec);
  EXPECT_FALSE(ec) << "not JSON: " << r.body;
  return ec ? boost::json::value() : v;
}

std::string ApiTest::Header(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

boost::json::object ApiTest::OpenIaww(const Login& who, const std::string& subject, const std::string& municipality) {
  boost::json::object body{{"type", "iaww"},
                           {"municipality", municipality},
                           {"subject", {{"name", subject}, {"birth_date", "1980-01-01"}}},
                           {"data",
                            {{"categorie", "woonoverlast"},
                             {"melder_type", "burger"},
                             {"wijk", "Bleijerheide"},
                             {"omschrijving", "Geluidsoverlast in de nacht"}}}};
  HttpResponse r = Call("POST", "/api/v1/cases", boost::json::serialize(body), who.token);
  EXPECT_EQ(r.status, 201) << r.body;
  auto v = Json(r);
  return v.is_object() ? v.as_object() : boost::json::object{};
}

std::vector<storage::AuditEntry> ApiTest::Audit() {
  std::vector<storage::AuditEntry> out;
  EXPECT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                     ASSIGN_OR_RETURN(out, tx.audit().List(0, 10000));
                     return Status::Ok();
                   }).ok());
  return out;
}

storage::CaseRecord ApiTest::StoredCase(const std::string& id) {
  storage::CaseRecord out;
  EXPECT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                     ASSIGN_OR_RETURN(out, tx.cases().Get(id));
                     return Status::Ok();
                   }).ok());
  return out;
}

std::string ApiTest::RawExec(const std::string& sql) {
  if (store) store->Flush();
  Status st = database->Exec(sql);
  return st.ok() ? "" : st.ToString();
}

std::string ApiTest::RawText(const std::string& sql) {
  if (store) store->Flush();
  auto text = database->QueryText(sql);
  EXPECT_TRUE(text.ok()) << "raw query failed: " << sql << ": " << text.status().ToString();
  return text.ok() ? *text : "";
}

std::int64_t ApiTest::RawInt(const std::string& sql) {
  if (store) store->Flush();
  auto value = database->QueryInt(sql);
  EXPECT_TRUE(value.ok()) << "raw query failed: " << sql << ": " << value.status().ToString();
  return value.ok() ? *value : -1;
}

std::string ApiTest::DropTrigger(const std::string& trigger, const std::string& table) const {
  return on_postgres ? "DROP TRIGGER " + trigger + " ON " + table + ";" : "DROP TRIGGER " + trigger + ";";
}

}  // namespace casus::api::handlers::testing
