#include "tests/api/server_fixture.h"

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <thread>

#include "app/auth/totp.h"
#include "tests/support/backends.h"
#include "tests/support/child_process.h"
#include "tests/support/postgres_server.h"

namespace casus::apitest {
namespace {

namespace fs = std::filesystem;

using casus::testing::CommandResult;
using casus::testing::RandomHex;

// Runs the casus binary from the source directory (config/ and workflows/
// are found there) with `input` on stdin, with commits that need not wait
// for the disk (a throw-away test database).
CommandResult RunCasus(const std::vector<std::string>& args, const std::string& input = "") {
  std::vector<std::string> argv = {CASUS_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return casus::testing::RunCommand(argv, casus::testing::ChildEnvironment({"CASUS_SYNCHRONOUS=NORMAL"}), input,
                                    CASUS_SOURCE_DIR);
}

std::int64_t NowStep() {
  return casus::app::auth::TotpStep(std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now()));
}

ApiServer* g_server = nullptr;

std::string& ConfigOverride() {
  static std::string yaml;
  return yaml;
}

}  // namespace

class ApiEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    g_server = &server_;
    server_.Start();
  }
  void TearDown() override { server_.Stop(); }

 private:
  ApiServer server_;
};

// Registered before main() (gtest_main): one server for the whole binary.
// Not started for --gtest_list_tests.
[[maybe_unused]] static ::testing::Environment* const kEnvironment =
    ::testing::AddGlobalTestEnvironment(new ApiEnvironment);

void ApiServer::SetConfigOverride(std::string yaml) { ConfigOverride() = std::move(yaml); }

ApiServer& ApiServer::Get() {
  if (!g_server) {
    std::fprintf(stderr, "api_test: the server environment is not set up\n");
    std::abort();
  }
  return *g_server;
}

std::string ApiServer::ServerLog() const {
  std::ifstream in(log_path_, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const TestUser& ApiServer::User(const std::string& key) const {
  auto it = users_.find(key);
  if (it == users_.end()) {
    std::fprintf(stderr, "api_test: unknown test user %s\n", key.c_str());
    std::abort();
  }
  return it->second;
}

std::vector<std::string> ApiServer::UserKeys() const {
  std::vector<std::string> out;
  for (const auto& k : order_)
    if (k != "kr_meldpunt2" && k != "kr_meldpunt3") out.push_back(k);
  return out;
}

std::string ApiServer::TotpAt(const std::string& key, std::int64_t step) const {
  return casus::app::auth::TotpCodeAt(User(key).totp_secret, step).value_or("");
}

HttpResult ApiServer::LoginWith(const std::string& username, const std::string& password, const std::string& totp,
                                HttpsClient& client) {
  json::object body{{"username", username}, {"password", password}, {"totp", totp}};
  HttpResult r = client.Request("POST", "/api/v1/auth/login", json::serialize(body));
  if (r.status == 200) {
    RememberSecret(r.Str("token"));
    RememberSecret(r.Str("csrf_token"));
  }
  return r;
}

HttpResult ApiServer::LoginAgain(const std::string& key, HttpsClient& client) {
  TestUser& u = users_.at(key);
  std::int64_t step;
  {
    std::lock_guard lock(mu_);
    // The server accepts steps now-1 .. now+1 above the last one it accepted.
    step = std::max(u.last_step + 1, NowStep() - 1);
    u.last_step = step;
  }
  while (step > NowStep() + 1) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  return LoginWith(u.username, u.password, TotpAt(key, step), client);
}

std::vector<std::string> ApiServer::AllSecrets() const {
  std::lock_guard lock(mu_);
  return secrets_;
}

void ApiServer::RememberSecret(const std::string& secret) {
  if (secret.empty()) return;
  std::lock_guard lock(mu_);
  secrets_.push_back(secret);
}

// Runs `casus user add` for `u` and fills in its credentials; "" or the error.
static std::string AddUserWithCli(const std::string& data_dir, TestUser& u) {
  u.username = "t_" + u.key;
  u.password = "Pw-" + u.key + "-" + RandomHex(12);
  std::vector<std::string> args = {"user",   "add",  "--data-dir", data_dir,   "--username", u.username,
                                   "--role", u.role, "--org",      u.org,      "--org-type", u.org_type};
  if (!u.municipality.empty()) {
    args.push_back("--municipality");
    args.push_back(u.municipality);
  }
  CommandResult r = RunCasus(args, u.password + "\n");
  if (r.exit_code != 0) return "casus user add " + u.key + ": " + r.out + r.err;
  const auto at = r.out.find("secret=");
  if (at == std::string::npos) return "no otpauth secret in: " + r.out;
  const auto end = r.out.find_first_of("&\n", at);
  u.totp_secret = r.out.substr(at + 7, end - at - 7);
  if (!casus::app::auth::TotpCodeAt(u.totp_secret, 1)) return "not base32: " + u.totp_secret;
  return "";
}

void ApiServer::LoginAll() {
  const std::int64_t step = NowStep();
  std::vector<std::string> keys = order_;
  std::vector<HttpResult> results(keys.size());
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&] {
      HttpsClient client(port_);
      for (std::size_t i; (i = next.fetch_add(1)) < keys.size();) {
        const TestUser& u = users_.at(keys[i]);
        results[i] = LoginWith(u.username, u.password, TotpAt(u.key, step), client);
      }
    });
  for (auto& t : threads) t.join();
  for (std::size_t i = 0; i < keys.size(); ++i) {
    TestUser& u = users_.at(keys[i]);
    const HttpResult& r = results[i];
    ASSERT_EQ(r.status, 200) << "login " << u.key << ": " << r.Describe();
    u.last_step = step;
    u.token = r.Str("token");
    u.csrf_token = r.Str("csrf_token");
    const auto& user = r.obj().at("user").as_object();
    u.id = std::string(user.at("id").as_string());
    u.org_id = std::string(user.at("organisation").as_object().at("id").as_string());
    ASSERT_FALSE(u.token.empty()) << r.Describe();
  }
}

namespace {

// CASUS_TEST_BACKEND=postgres runs the whole suite against PostgreSQL: a
// throwaway server and database, whose URL every casus child (init, user
// add, serve, audit verify) inherits through CASUS_DATABASE_URL.
void UsePostgresWhenAsked() {
  if (casus::testing::BackendOfThisRun() != casus::testing::Backend::kPostgres) return;
  std::string reason;
  casus::testing::PostgresServer* server = casus::testing::SharedPostgres(&reason);
  if (!server) GTEST_SKIP() << "PostgreSQL unavailable: " << reason;
  auto url = server->CreateDatabase("casus_api");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  ::setenv("CASUS_DATABASE_URL", url->c_str(), 1);
}

}  // namespace

void ApiServer::Start() {
  UsePostgresWhenAsked();
  if (::testing::Test::IsSkipped() || ::testing::Test::HasFatalFailure()) return;
  root_dir_ = (fs::temp_directory_path() / ("casus-api-test-" + RandomHex(8))).string();
  data_dir_ = root_dir_ + "/data";
  log_path_ = root_dir_ + "/server.log";
  fs::create_directories(data_dir_);

  CommandResult init = RunCasus({"init", "--data-dir", data_dir_});
  ASSERT_EQ(init.exit_code, 0) << init.out << init.err;
  // The backend asked for is the one the children use.
  ASSERT_EQ(init.out.find("(PostgreSQL)") != std::string::npos, std::getenv("CASUS_DATABASE_URL") != nullptr)
      << init.out;

  struct Spec {
    const char* key;
    const char* role;
    const char* org;
    const char* type;
    const char* municipality;
  };
  const Spec specs[] = {
      {"kr_meldpunt", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade"},
      {"kr_regisseur", "regisseur", "Gemeente Kerkrade", "gemeente", "Kerkrade"},
      {"kr_coordinator", "coordinator", "Gemeente Kerkrade", "gemeente", "Kerkrade"},
      {"kr_burgemeester", "burgemeester", "Gemeente Kerkrade", "gemeente", "Kerkrade"},
      {"kr_privacy", "privacy_officer", "Gemeente Kerkrade", "gemeente", "Kerkrade"},
      {"kr_admin", "admin", "Gemeente Kerkrade", "gemeente", "Kerkrade"},
      {"hl_meldpunt", "meldpunt", "Gemeente Heerlen", "gemeente", "Heerlen"},
      {"hl_coordinator", "coordinator", "Gemeente Heerlen", "gemeente", "Heerlen"},
      {"pol_partner", "partner", "Politie Limburg", "politie", ""},
      {"pol_meldpunt", "meldpunt", "Politie Limburg", "politie", ""},
      {"ggz_partner", "partner", "Mondriaan GGZ", "ggz", ""},
      {"zvh_regisseur", "regisseur", "ZVH Parkstad", "zvh", ""},
      {"zvh_coordinator", "coordinator", "ZVH Parkstad", "zvh", ""},
      {"om_partner", "partner", "OM Limburg", "om", ""},
      {"om_colleague", "partner", "OM Limburg", "om", ""},
      {"kr_meldpunt2", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade"},
      {"kr_meldpunt3", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade"},
  };
  // The first account of each organisation creates it, one at a time;
  // the others then run in parallel (each `casus user add` hashes a
  // password with Argon2id, the slow part).
  std::vector<TestUser> accounts;
  for (const Spec& s : specs) {
    TestUser u;
    u.key = s.key;
    u.role = s.role;
    u.org = s.org;
    u.org_type = s.type;
    u.municipality = s.municipality;
    accounts.push_back(std::move(u));
  }
  std::vector<std::string> errors(accounts.size());
  std::vector<std::size_t> later;
  std::set<std::string> orgs;
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    if (!orgs.insert(accounts[i].org).second) {
      later.push_back(i);
      continue;
    }
    errors[i] = AddUserWithCli(data_dir_, accounts[i]);
  }
  std::atomic<std::size_t> next{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < 3; ++t)
    workers.emplace_back([&] {
      for (std::size_t k; (k = next.fetch_add(1)) < later.size();)
        errors[later[k]] = AddUserWithCli(data_dir_, accounts[later[k]]);
    });
  for (auto& w : workers) w.join();
  for (std::size_t i = 0; i < accounts.size(); ++i) {
    ASSERT_EQ(errors[i], "") << accounts[i].key;
    order_.push_back(accounts[i].key);
    users_[accounts[i].key] = std::move(accounts[i]);
  }

  // The server: stdout to a pipe (for the port), stderr to a log file.
  std::vector<std::string> argv = {CASUS_BINARY, "serve", "--data-dir", data_dir_, "--listen", "127.0.0.1:0"};
  if (!ConfigOverride().empty()) {
    const std::string override_path = root_dir_ + "/override.yaml";
    std::ofstream(override_path) << ConfigOverride();
    argv.insert(argv.end(), {"--config", override_path});
  }
  const casus::testing::ServeChild child =
      casus::testing::StartServe(argv, casus::testing::ChildEnvironment({"CASUS_SYNCHRONOUS=NORMAL"}),
                                 CASUS_SOURCE_DIR, log_path_, std::chrono::seconds(20));
  ASSERT_EQ(child.error, "") << "log:\n" << ServerLog();
  pid_ = child.pid;
  stdout_fd_ = child.stdout_fd;
  port_ = child.port;

  LoginAll();
}

void ApiServer::Stop() {
  if (pid_ > 0) {
    const casus::testing::Ending end = casus::testing::TerminateAndReap(pid_, std::chrono::seconds(20));
    pid_ = -1;
    if (end.timed_out) {
      ADD_FAILURE() << "casus serve did not stop within 20 s of SIGTERM";
    } else {
      EXPECT_TRUE(end.exited) << "casus serve ended by signal " << end.signal;
      if (end.exited) {
        EXPECT_EQ(end.exit_code, 0) << "log:\n" << ServerLog();
      }
    }
  }
  if (stdout_fd_ >= 0) close(stdout_fd_);
  stdout_fd_ = -1;
  if (!root_dir_.empty() && !std::getenv("CASUS_API_TEST_KEEP")) {
    std::error_code ec;
    fs::remove_all(root_dir_, ec);
  }
}

// ------------------------------------------------------------------ helpers

Api::Api(std::string user_key) : client_(ApiServer::Get().port()) {
  if (!user_key.empty()) user_ = &ApiServer::Get().User(user_key);
}

Headers Api::AuthHeaders() const {
  if (!user_) return {};
  return {{"Authorization", "Bearer " + user_->token}};
}

HttpResult Api::Send(const std::string& method, const std::string& target, const std::string& body,
                     const Headers& extra) {
  Headers h = AuthHeaders();
  h.insert(h.end(), extra.begin(), extra.end());
  return client_.Request(method, target, body, h);
}

HttpResult Api::Get(const std::string& target, const Headers& extra) { return Send("GET", target, "", extra); }

HttpResult Api::Post(const std::string& target, const json::value& body, const Headers& extra) {
  return Send("POST", target, json::serialize(body), extra);
}

HttpResult Api::PostRaw(const std::string& target, const std::string& body, const Headers& extra) {
  return Send("POST", target, body, extra);
}

std::string Unique(const std::string& prefix) {
  static std::atomic<int> counter{0};
  static const std::string run = RandomHex(3);
  return prefix + " " + run + "-" + std::to_string(++counter);
}

std::string Dump(const json::value& v) { return json::serialize(v); }

std::vector<std::string> CaseIds(const HttpResult& list) {
  std::vector<std::string> out;
  const auto* cases = list.obj().if_contains("cases");
  if (!cases || !cases->is_array()) return out;
  for (const auto& c : cases->get_array())
    if (c.is_object())
      if (const auto* id = c.get_object().if_contains("id"); id && id->is_string()) out.emplace_back(id->get_string());
  return out;
}

std::vector<std::string> TransitionNames(const json::value& allowed) {
  std::vector<std::string> out;
  if (!allowed.is_array()) return out;
  for (const auto& t : allowed.get_array()) {
    if (t.is_string()) out.emplace_back(t.get_string());
    else if (t.is_object())
      if (const auto* n = t.get_object().if_contains("name"); n && n->is_string()) out.emplace_back(n->get_string());
  }
  return out;
}

std::vector<std::string> ListAllCaseIds(Api& api, const std::string& query) {
  std::vector<std::string> out;
  std::string cursor;
  for (int page = 0; page < 100; ++page) {
    std::string target = "/api/v1/cases?limit=100" + (query.empty() ? "" : "&" + query) +
                         (cursor.empty() ? "" : "&cursor=" + cursor);
    HttpResult r = api.Get(target);
    EXPECT_EQ(r.status, 200) << target << ": " << r.Describe();
    if (r.status != 200) break;
    for (auto& id : CaseIds(r)) out.push_back(std::move(id));
    const auto* next = r.obj().if_contains("next_cursor");
    if (!next || !next->is_string()) break;
    cursor = std::string(next->get_string());
  }
  return out;
}

json::object OpenData(const std::string& type) {
  if (type == "iaww")
    return {{"categorie", "woonoverlast"},
            {"melder_type", "burger"},
            {"wijk", "Chevremont"},
            {"omschrijving", "Geluidsoverlast en bedreiging van buren"}};
  if (type == "jpp") return {{"aanmelder", "politie"}, {"reden_aanmelding", "Herhaald betrokken bij vernielingen"}};
  if (type == "topx")
    return {{"reden_voordracht", "Veelpleger met zorgproblematiek"}, {"aantal_incidenten_afgelopen_jaar", 14}};
  if (type == "wvggz")
    return {{"melder_type", "naaste"},
            {"melder_is_essentiele_naaste", true},
            {"aanleiding", "Verward gedrag, weigert zorg"},
            {"politie_incidentcode", "e33"}};
  return {};
}

HttpResult OpenCase(Api& api, const std::string& type, const std::string& municipality, const std::string& subject,
                    const std::string& birth_date) {
  json::object s{{"name", subject}};
  if (!birth_date.empty()) s["birth_date"] = birth_date;
  json::object body{{"type", type}, {"subject", s}, {"municipality", municipality}, {"data", OpenData(type)}};
  return api.Post("/api/v1/cases", body);
}

HttpResult Transition(Api& api, const std::string& case_id, const std::string& name, std::int64_t version,
                      const json::object& data) {
  json::object body{{"transition", name}, {"version", version}};
  if (!data.empty()) body["data"] = data;
  return api.Post("/api/v1/cases/" + case_id + "/transitions", body);
}

HttpResult ReadAsOverseer(const std::string& case_id) {
  Api overseer("zvh_coordinator");
  return overseer.Get("/api/v1/cases/" + case_id);
}

std::int64_t VersionOf(const HttpResult& case_answer) {
  const auto* v = case_answer.obj().if_contains("version");
  return v && v->is_int64() ? v->get_int64() : -1;
}

std::int64_t LastEventId(const std::string& case_id) {
  Api overseer("zvh_coordinator");
  HttpResult r = overseer.Get("/api/v1/cases/" + case_id + "/events");
  std::int64_t last = 0;
  if (const auto* events = r.obj().if_contains("events"); events && events->is_array())
    for (const auto& e : events->get_array())
      if (const auto* id = e.as_object().if_contains("id")) {
        if (id->is_int64()) last = std::max(last, id->get_int64());
        else if (id->is_string()) last = std::max<std::int64_t>(last, std::atoll(std::string(id->get_string()).c_str()));
      }
  return last;
}

}  // namespace casus::apitest
