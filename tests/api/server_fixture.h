// One real `casus serve` per test binary: a global GoogleTest environment
// makes a temp data dir, runs `casus init`, creates the test accounts with
// `casus user add`, starts the server on 127.0.0.1:0 (reading the port from
// its stdout), and logs every account in once (a TOTP code works once, so
// sessions are kept for the whole run). Teardown sends SIGTERM and expects
// exit status 0.
//
// Accounts (key: role, organisation):
//   kr_meldpunt, kr_regisseur, kr_coordinator, kr_burgemeester, kr_privacy
//   (privacy_officer), kr_admin (admin)         Gemeente Kerkrade (gemeente, Kerkrade)
//   hl_meldpunt, hl_coordinator                 Gemeente Heerlen (gemeente, Heerlen)
//   pol_partner, pol_meldpunt                   Politie Limburg (politie)
//   ggz_partner                                 Mondriaan GGZ (ggz)
//   zvh_regisseur, zvh_coordinator              ZVH Parkstad (zvh)
//   om_partner, om_colleague                    OM Limburg (om)
//   kr_meldpunt2, kr_meldpunt3                  more Kerkrade meldpunten, for
//                                               login/logout tests only (each
//                                               has two spare TOTP steps)
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "common/contains.h"
#include "tests/api/https_client.h"

namespace casus::apitest {

namespace json = boost::json;

struct TestUser {
  std::string key;
  std::string username;
  std::string password;
  std::string role;
  std::string org, org_type, municipality;
  std::string totp_secret;  // base32, from the otpauth:// URI
  // From the login of the environment:
  std::string id, org_id, token, csrf_token;
  std::int64_t last_step = 0;  // the highest TOTP step used so far
};

class ApiServer {
 public:
  // The running server; valid inside tests (the environment set it up).
  static ApiServer& Get();

  int port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }
  // Everything the server wrote to stderr so far.
  std::string ServerLog() const;

  const TestUser& User(const std::string& key) const;
  std::vector<std::string> UserKeys() const;  // the accounts of the matrix (not kr_meldpunt2/3)

  // The TOTP code of `key` at `step`.
  std::string TotpAt(const std::string& key, std::int64_t step) const;
  // A fresh login of `key` (a new session) with the next unused TOTP step;
  // waits for the next 30 s step only when the allowed skew is used up.
  HttpResult LoginAgain(const std::string& key, HttpsClient& client);
  // A login with an explicit code (for failure tests); does not touch last_step.
  HttpResult LoginWith(const std::string& username, const std::string& password, const std::string& totp,
                       HttpsClient& client);

  // Every token and CSRF token handed out in this run (for leak checks).
  std::vector<std::string> AllSecrets() const;
  void RememberSecret(const std::string& secret);

  // Extra configuration (YAML, the keys of config/casus.yaml) for `casus
  // serve`; call before the environment starts (e.g. from a static
  // initializer) to run this binary's server with other limits.
  static void SetConfigOverride(std::string yaml);

  // Setup/teardown, called by the environment.
  void Start();
  void Stop();

 private:
  friend class ApiEnvironment;
  void LoginAll();

  std::string root_dir_;  // temp root: data/ and server.log
  std::string data_dir_;
  std::string log_path_;
  int port_ = 0;
  int pid_ = -1;
  int stdout_fd_ = -1;
  std::map<std::string, TestUser> users_;
  std::vector<std::string> order_;
  mutable std::mutex mu_;
  std::vector<std::string> secrets_;
};

// ------------------------------------------------------------------ helpers

// A client acting as one test user (Bearer token), or anonymously ("").
class Api {
 public:
  explicit Api(std::string user_key = "");
  HttpResult Get(const std::string& target, const Headers& extra = {});
  HttpResult Post(const std::string& target, const json::value& body, const Headers& extra = {});
  HttpResult PostRaw(const std::string& target, const std::string& body, const Headers& extra = {});
  HttpResult Send(const std::string& method, const std::string& target, const std::string& body,
                  const Headers& extra = {});
  HttpsClient& client() { return client_; }
  const TestUser* user() const { return user_; }
  Headers AuthHeaders() const;

 private:
  const TestUser* user_ = nullptr;
  HttpsClient client_;
};

// A string unique within this run (for subject names).
std::string Unique(const std::string& prefix);

std::string Dump(const json::value& v);
// The id strings of the "cases" array of a list answer.
std::vector<std::string> CaseIds(const HttpResult& list);
// The names in allowed_transitions (objects with "name", or plain strings).
std::vector<std::string> TransitionNames(const json::value& allowed);

// Every case id `user_key` may list (follows next_cursor).
std::vector<std::string> ListAllCaseIds(Api& api, const std::string& query = "");

// The workflow data each case type's open spec requires.
json::object OpenData(const std::string& type);
// POST /api/v1/cases as `api`'s user; returns the answer.
HttpResult OpenCase(Api& api, const std::string& type, const std::string& municipality, const std::string& subject,
                    const std::string& birth_date = "");
// POST /cases/{id}/transitions.
HttpResult Transition(Api& api, const std::string& case_id, const std::string& name, std::int64_t version,
                      const json::object& data = {});
// The case as the ZVH coordinator (who may read every case of the region) sees it.
HttpResult ReadAsOverseer(const std::string& case_id);
std::int64_t VersionOf(const HttpResult& case_answer);
// The highest event id on a case's timeline (0 when none), read as the overseer.
std::int64_t LastEventId(const std::string& case_id);

}  // namespace casus::apitest
