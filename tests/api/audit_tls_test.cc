// Audit entries for reads and writes (DOMAIN.md §6), secrets kept out of
// the audit log and the server log, and the TLS versions the server takes.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/ssl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <array>
#include <cstdio>

#include "tests/api/server_fixture.h"

namespace casus::apitest {
namespace {

std::vector<json::object> Entries(const HttpResult& r) {
  std::vector<json::object> out;
  if (const auto* e = r.obj().if_contains("entries"); e && e->is_array())
    for (const auto& x : e->get_array()) out.push_back(x.as_object());
  return out;
}

bool Has(const std::vector<json::object>& entries, const std::string& action, const std::string& user_id,
         const std::string& result) {
  for (const auto& e : entries)
    if (e.at("action") == json::value(action) && e.at("user_id") == json::value(user_id) &&
        e.at("result") == json::value(result))
      return true;
  return false;
}

TEST(Audit, ReadsAndWritesOfACaseAreAuditedWithTheirUsers) {
  ApiServer& s = ApiServer::Get();
  Api meldpunt("kr_meldpunt"), regisseur("kr_regisseur"), ggz("ggz_partner"), privacy("kr_privacy");
  HttpResult c = OpenCase(meldpunt, "iaww", "Kerkrade", Unique("Audit"));
  ASSERT_EQ(c.status, 201) << c.Describe();
  const std::string id = c.Str("id");
  const std::string person = std::string(c.obj().at("subject").as_object().at("id").as_string());
  ASSERT_EQ(regisseur.Get("/api/v1/cases/" + id).status, 200);
  ASSERT_EQ(Transition(meldpunt, id, "verrijking_starten", 1).status, 200);
  ASSERT_EQ(ggz.Get("/api/v1/cases/" + id).status, 403);
  ASSERT_EQ(meldpunt.Post("/api/v1/cases/" + id + "/notes", json::object{{"text", "audit"}}).status, 201);
  ASSERT_EQ(regisseur.Get("/api/v1/persons/" + person).status, 200);

  HttpResult r = privacy.Get("/api/v1/audit?case_id=" + id + "&limit=1000");
  ASSERT_EQ(r.status, 200) << r.Describe();
  const auto entries = Entries(r);
  EXPECT_TRUE(Has(entries, "case.create", s.User("kr_meldpunt").id, "success")) << r.body;
  EXPECT_TRUE(Has(entries, "case.read", s.User("kr_regisseur").id, "success")) << r.body;
  EXPECT_TRUE(Has(entries, "case.transition", s.User("kr_meldpunt").id, "success")) << r.body;
  EXPECT_TRUE(Has(entries, "case.read", s.User("ggz_partner").id, "denied")) << "denied reads are audited: " << r.body;
  EXPECT_TRUE(Has(entries, "note.create", s.User("kr_meldpunt").id, "success")) << r.body;
  for (const auto& e : entries) {
    EXPECT_EQ(e.at("object_id"), json::value(id)) << json::serialize(e);
    EXPECT_EQ(e.at("person_id"), json::value(person)) << json::serialize(e);
    EXPECT_FALSE(std::string(e.at("role").as_string()).empty()) << json::serialize(e);
    EXPECT_FALSE(std::string(e.at("org_id").as_string()).empty()) << json::serialize(e);
    EXPECT_EQ(e.at("client"), json::value("127.0.0.1")) << json::serialize(e);
    EXPECT_FALSE(std::string(e.at("hash").as_string()).empty());
  }
  // The person view is audited against the person.
  HttpResult by_person = privacy.Get("/api/v1/audit?person_id=" + person + "&action=person.read");
  ASSERT_EQ(by_person.status, 200) << by_person.Describe();
  EXPECT_TRUE(Has(Entries(by_person), "person.read", s.User("kr_regisseur").id, "success")) << by_person.body;

  // Filters: by user, and since.
  HttpResult by_user = privacy.Get("/api/v1/audit?case_id=" + id + "&user=" + s.User("kr_regisseur").id);
  ASSERT_EQ(by_user.status, 200);
  ASSERT_FALSE(Entries(by_user).empty());
  for (const auto& e : Entries(by_user)) EXPECT_EQ(e.at("user_id"), json::value(s.User("kr_regisseur").id));
  HttpResult future = privacy.Get("/api/v1/audit?case_id=" + id + "&since=2999-01-01T00:00:00Z");
  ASSERT_EQ(future.status, 200) << future.Describe();
  EXPECT_TRUE(Entries(future).empty()) << future.body;

  // Only the privacy officer reads the audit log; the search is audited too.
  for (const char* key : {"kr_meldpunt", "kr_coordinator", "kr_admin", "zvh_coordinator", "pol_partner"})
    EXPECT_EQ(Api(key).Get("/api/v1/audit?case_id=" + id).status, 403) << key;
  HttpResult searches = privacy.Get("/api/v1/audit?user=" + s.User("kr_privacy").id + "&action=audit.search");
  ASSERT_EQ(searches.status, 200);
  EXPECT_FALSE(Entries(searches).empty()) << "audit searches are themselves audited: " << searches.body;
}

TEST(Audit, NoPasswordTokenOrSecretInTheAuditLogOrTheServerLog) {
  ApiServer& s = ApiServer::Get();
  Api privacy("kr_privacy");
  // The whole audit log, page by page.
  std::string all;
  std::int64_t after = 0;
  for (int page = 0; page < 1000; ++page) {
    HttpResult r = privacy.Get("/api/v1/audit?limit=1000&after=" + std::to_string(after));
    ASSERT_EQ(r.status, 200) << r.Describe();
    all += r.body;
    const auto* next = r.obj().if_contains("next_after");
    if (!next || !next->is_int64()) break;
    after = next->get_int64();
  }
  ASSERT_FALSE(all.empty());
  EXPECT_NE(all.find("login.success"), std::string::npos) << "logins are audited";
  const std::string log = s.ServerLog();
  ASSERT_FALSE(log.empty());
  std::vector<std::pair<std::string, std::string>> secrets;
  for (const auto& key : s.UserKeys()) {
    const TestUser& u = s.User(key);
    secrets.emplace_back(key + " password", u.password);
    secrets.emplace_back(key + " TOTP secret", u.totp_secret);
  }
  for (const auto& t : s.AllSecrets()) secrets.emplace_back("a session or CSRF token", t);
  for (const auto& [what, secret] : secrets) {
    ASSERT_GE(secret.size(), 12u) << what;
    EXPECT_EQ(all.find(secret), std::string::npos) << what << " appears in the audit log";
    EXPECT_EQ(log.find(secret), std::string::npos) << what << " appears in the server log";
  }
  EXPECT_EQ(log.find("Bearer "), std::string::npos) << "an Authorization header reached the log";
}

TEST(Audit, ChainVerifiesWhileTheServerRuns) {
  std::string cmd = std::string("cd " CASUS_SOURCE_DIR " && " CASUS_BINARY " audit verify --data-dir ") +
                    ApiServer::Get().data_dir() + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  std::array<char, 4096> buf;
  while (std::size_t n = fread(buf.data(), 1, buf.size(), pipe)) out.append(buf.data(), n);
  const int status = pclose(pipe);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << out;
  EXPECT_NE(out.find("audit chain intact"), std::string::npos) << out;
}

// ------------------------------------------------------------------ TLS

TEST(Tls, Tls10AndTls11AreRefused) {
  const int port = ApiServer::Get().port();
  for (auto [name, version] : {std::pair{"TLS 1.0", TLS1_VERSION}, std::pair{"TLS 1.1", TLS1_1_VERSION}}) {
    TlsProbe p = ProbeTls(port, version, version);
    EXPECT_FALSE(p.handshake_ok) << name << " was accepted (negotiated 0x" << std::hex << p.negotiated_version << ")";
  }
  // Offering at most TLS 1.1 (with everything older) fails as well.
  TlsProbe old = ProbeTls(port, TLS1_VERSION, TLS1_1_VERSION);
  EXPECT_FALSE(old.handshake_ok);
}

TEST(Tls, Tls12AndTls13AreAccepted) {
  const int port = ApiServer::Get().port();
  TlsProbe v12 = ProbeTls(port, TLS1_2_VERSION, TLS1_2_VERSION);
  EXPECT_TRUE(v12.handshake_ok) << v12.error;
  EXPECT_EQ(v12.negotiated_version, TLS1_2_VERSION);
  TlsProbe v13 = ProbeTls(port, TLS1_3_VERSION, TLS1_3_VERSION);
  EXPECT_TRUE(v13.handshake_ok) << v13.error;
  EXPECT_EQ(v13.negotiated_version, TLS1_3_VERSION);
  TlsProbe any = ProbeTls(port, 0, 0);
  EXPECT_TRUE(any.handshake_ok) << any.error;
  EXPECT_EQ(any.negotiated_version, TLS1_3_VERSION) << "the best version is chosen";
}

TEST(Tls, PlainHttpGetsNoHttpAnswer) {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(ApiServer::Get().port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  timeval tv{5, 0};
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  const std::string req = "GET /api/v1/cases HTTP/1.1\r\nHost: localhost\r\n\r\n";
  ASSERT_EQ(write(fd, req.data(), req.size()), static_cast<ssize_t>(req.size()));
  char buf[256];
  const ssize_t n = read(fd, buf, sizeof buf);
  close(fd);
  const std::string got = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "";
  EXPECT_EQ(got.find("HTTP/1.1 2"), std::string::npos) << "plain HTTP was served: " << got;
  EXPECT_EQ(got.find("case"), std::string::npos) << got;
}

}  // namespace
}  // namespace casus::apitest
