#include "fuzz/api_env.h"

#include <boost/json.hpp>
#include <cstdio>
#include <cstdlib>
#include <memory>

#include "app/auth/totp.h"
#include "app/auth_service.h"
#include "app/services.h"
#include "app/config.h"
#include "app/workflow_catalog.h"
#include "common/ids.h"
#include "common/time.h"
#include "engine/calendar.h"
#include "storage/sqlite_store.h"
#include "tests/support/temp_dir.h"

namespace casus::fuzz {
namespace {

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "fuzz environment: %s\n", what.c_str());
  std::abort();
}

// Everything the handlers reference, kept alive for the whole process.
struct Parts {
  casus::testing::TempDir dir;
  std::unique_ptr<storage::Store> store;
  engine::DefinitionRegistry registry;
  app::Config config;
  ManualClock clock{*ParseRfc3339("2026-03-02T09:00:00Z")};
  SequentialIdGenerator ids;
  std::unique_ptr<app::Services> services;
  app::AuthService* auth = nullptr;  // in `services`
  std::unique_ptr<api::handlers::ApiHandler> api;
};

api::HttpResponse Call(Parts& p, const std::string& method, const std::string& target, const std::string& body,
                  const std::string& token) {
  api::HttpRequest req;
  req.method = method;
  req.target = target;
  req.path = target;
  req.body = body;
  req.client_address = "192.0.2.10";
  req.request_id = "fuzz-setup";
  if (!token.empty()) req.headers.emplace_back("authorization", "Bearer " + token);
  req.headers.emplace_back("content-type", "application/json");
  return p.api->Handle(req);
}

FuzzUser AddUser(Parts& p, const std::string& username, const std::string& role) {
  static const char* kPassword = "correct horse battery staple";
  auto created = p.auth->AddUser({username, kPassword, {role}, "Gemeente Kerkrade", "gemeente", "Kerkrade"});
  if (!created.ok()) Die("add user: " + created.status().ToString());
  const std::string& uri = created->otpauth_uri;
  const auto start = uri.find("secret=") + 7;
  const std::string secret = uri.substr(start, uri.find('&', start) - start);
  auto code = app::auth::TotpCodeAt(secret, app::auth::TotpStep(p.clock.Now()));
  if (!code) Die("totp");
  boost::json::object body{{"username", username}, {"password", kPassword}, {"totp", *code}};
  api::HttpResponse r = Call(p, "POST", "/api/v1/auth/login", boost::json::serialize(body), "");
  if (r.status != 200) Die("login: " + r.body);
  auto j = boost::json::parse(r.body).as_object();
  return {std::string(j["token"].as_string()), std::string(j["csrf_token"].as_string())};
}

std::string CreatedId(const api::HttpResponse& r, const char* what) {
  if (r.status != 201) Die(std::string(what) + ": " + r.body);
  return std::string(boost::json::parse(r.body).at("id").as_string());
}

// Never freed (see api_env.h); held here so LeakSanitizer sees it reachable.
Parts* g_parts = nullptr;

ApiEnv Build() {
  auto* p = g_parts = new Parts();
  storage::SqliteOptions options;
  options.path = p->dir.path() / "casus.db";
  options.synchronous = "NORMAL";  // speed; durability is not what is fuzzed
  auto opened = storage::OpenSqliteStore(options);
  if (!opened.ok()) Die("open store: " + opened.status().ToString());
  p->store = std::move(opened).value();
  auto synced = app::SyncWorkflows(*p->store, CASUS_SOURCE_DIR "/workflows");
  if (!synced.ok()) Die("workflows: " + synced.status().ToString());
  p->registry = std::move(synced).value();
  for (const char* m : {"Kerkrade", "Heerlen"}) p->config.municipalities[m].flags["apv_gedragsaanwijzing"] = true;
  p->config.limits.public_reports_per_hour = 1000000;
  p->config.limits.break_glass_minutes = 60;
  p->services = std::make_unique<app::Services>(app::ServiceParts{*p->store, p->registry, p->config, p->clock, p->ids});
  p->auth = &p->services->auth;
  p->api = std::make_unique<api::handlers::ApiHandler>(
      api::handlers::ApiDeps{*p->services, [](const std::string&, const std::string&) {}});

  ApiEnv env;
  env.api = p->api.get();
  env.users.push_back(AddUser(*p, "meld.kerkrade", "meldpunt"));
  env.users.push_back(AddUser(*p, "regie.kerkrade", "regisseur"));
  env.users.push_back(AddUser(*p, "oov.kerkrade", "coordinator"));
  boost::json::object opened_case{{"type", "iaww"},
                                  {"municipality", "Kerkrade"},
                                  {"subject", {{"name", "Jan Demo"}, {"birth_date", "1980-01-01"}}},
                                  {"data",
                                   {{"categorie", "woonoverlast"},
                                    {"melder_type", "burger"},
                                    {"wijk", "Bleijerheide"},
                                    {"omschrijving", "Geluidsoverlast in de nacht"}}}};
  env.case_id = CreatedId(Call(*p, "POST", "/api/v1/cases", boost::json::serialize(opened_case), env.users[0].token),
                          "open case");
  boost::json::object meeting{{"case_type", "iaww"},
                              {"municipality", "Kerkrade"},
                              {"name", "IAWW-overleg Kerkrade"},
                              {"participants", boost::json::array{}}};
  env.meeting_id = CreatedId(
      Call(*p, "POST", "/api/v1/meetings", boost::json::serialize(meeting), env.users[2].token), "meeting");
  // An agenda, so the agenda item and decision routes reach their bodies.
  Call(*p, "POST", "/api/v1/meetings/" + env.meeting_id + "/agendas", R"({"date":"2026-03-05"})", env.users[2].token);
  return env;
}

}  // namespace

const ApiEnv& GetApiEnv() {
  static const ApiEnv env = Build();
  return env;
}

}  // namespace casus::fuzz
