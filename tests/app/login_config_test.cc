// `login:` in the configuration: OpenID providers and local accounts. Every
// bad value is refused naming the key, a client secret is only read from a
// file or the environment and never repeated, and what needs the whole
// configuration (public_url, distinct issuers) is checked at the end.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "app/config.h"

namespace casus::app {
namespace {

class LoginConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("casus-login-config-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
    secret_file_ = dir_ / "secret";
    std::ofstream(secret_file_) << "s3cret-value-for-tests\n";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // One provider with every required key; `extra` is appended to it.
  std::string Provider(const std::string& extra = "", const std::string& id = "kerkrade",
                       const std::string& issuer = "https://idp.kerkrade.example/") const {
    return "    - id: " + id + "\n      issuer: " + issuer + "\n      client_id: casus\n      client_secret_file: " +
           secret_file_.string() + "\n      organisations: [\"Gemeente Kerkrade\"]\n" + extra;
  }

  Status Apply(const std::string& yaml, Config& config) { return ApplyConfigText(yaml, "region.yaml", config); }

  std::filesystem::path dir_;
  std::filesystem::path secret_file_;
};

TEST_F(LoginConfigTest, AProviderIsReadWithItsDefaults) {
  Config config;
  Status st = Apply("login:\n  public_url: https://casus.example/\n  oidc:\n" +
                        Provider("      provisioning: roles_claim\n      roles_claim: roles\n"
                                 "      role_map: {Casus.Regisseur: regisseur}\n      mfa_acr: [urn:mfa]\n"),
                    config);
  ASSERT_TRUE(st.ok()) << st.ToString();
  ASSERT_EQ(config.login.providers.size(), 1u);
  const OidcProviderConfig& p = config.login.providers[0];
  EXPECT_EQ(config.login.public_url, "https://casus.example");  // trailing slash dropped
  EXPECT_EQ(p.label, "kerkrade");                               // the id when no label is given
  EXPECT_EQ(p.client_secret, "s3cret-value-for-tests");         // without the file's newline
  EXPECT_EQ(p.scopes, std::vector<std::string>{"openid"});
  EXPECT_EQ(p.provisioning, Provisioning::kRolesClaim);
  EXPECT_EQ(p.role_map.at("Casus.Regisseur"), "regisseur");
  EXPECT_EQ(p.mfa_acr, std::vector<std::string>{"urn:mfa"});
  EXPECT_EQ(p.clock_skew, std::chrono::seconds(60));
  EXPECT_TRUE(CheckLoginConfig(config.login).ok());
  EXPECT_EQ(config.login.Provider("kerkrade"), &p);
  EXPECT_EQ(config.login.Provider("heerlen"), nullptr);
}

TEST_F(LoginConfigTest, OpenidIsAlwaysAmongTheScopes) {
  Config config;
  ASSERT_TRUE(Apply("login:\n  oidc:\n" + Provider("      scopes: [profile, email]\n"), config).ok());
  EXPECT_EQ(config.login.providers[0].scopes, (std::vector<std::string>{"openid", "profile", "email"}));
}

TEST_F(LoginConfigTest, TheSecretComesFromTheEnvironment) {
  Config config;
  ::setenv("CASUS_TEST_OIDC_SECRET", "from-the-environment", 1);
  std::string yaml = "login:\n  oidc:\n    - id: a\n      issuer: https://idp.example\n      client_id: c\n"
                     "      client_secret_env: CASUS_TEST_OIDC_SECRET\n      organisations: [X]\n";
  Status st = Apply(yaml, config);
  ::unsetenv("CASUS_TEST_OIDC_SECRET");
  ASSERT_TRUE(st.ok()) << st.ToString();
  EXPECT_EQ(config.login.providers[0].client_secret, "from-the-environment");

  Config unset;
  Status missing = Apply(yaml, unset);
  EXPECT_EQ(missing.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(missing.message().find("client_secret_env"), std::string::npos) << missing.message();
}

TEST_F(LoginConfigTest, ASecretWrittenInTheFileIsRefusedWithoutRepeatingIt) {
  Config config;
  Status st = Apply("login:\n  oidc:\n    - id: a\n      issuer: https://idp.example\n      client_id: c\n"
                    "      client_secret: hunter2-do-not-echo\n      organisations: [X]\n",
                    config);
  EXPECT_EQ(st.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(st.message().find("hunter2"), std::string::npos) << st.message();
  EXPECT_NE(st.message().find("client_secret_file or client_secret_env"), std::string::npos) << st.message();
}

TEST_F(LoginConfigTest, EveryBadValueIsRefusedNamingTheKey) {
  const std::pair<std::string, std::string> cases[] = {
      {Provider("      colour: blue\n"), "login.oidc[0].colour"},
      {Provider("", "Kerkrade"), "login.oidc[0].id"},                        // upper case
      {Provider("", "a-very-long-provider-id-beyond-32-chars"), "login.oidc[0].id"},
      {Provider("", "a", "http://idp.example"), "login.oidc[0].issuer"},     // not https
      {Provider("      provisioning: everyone\n"), "login.oidc[0].provisioning"},
      {Provider("      provisioning: roles_claim\n"), "login.oidc.kerkrade.roles_claim"},
      {Provider("      role_map: {x: superuser}\n"), "login.oidc[0].role_map.x"},
      {Provider("      role_map: {x: system}\n"), "login.oidc[0].role_map.x"},  // never a person's role
      {Provider("      clock_skew_seconds: 3600\n"), "login.oidc[0].clock_skew_seconds"},
      {Provider("      scopes: openid\n"), "login.oidc[0].scopes"},
      {"    - id: a\n      issuer: https://idp.example\n      client_id: c\n      organisations: [X]\n",
       "login.oidc.a.client_secret_file"},
      {"    - id: a\n      issuer: https://idp.example\n      client_id: c\n      client_secret_file: /nonexistent/s\n"
       "      organisations: [X]\n",
       "login.oidc[0].client_secret_file"},
      {"    - id: a\n      issuer: https://idp.example\n      client_id: c\n      client_secret_file: " +
           secret_file_.string() + "\n",
       "login.oidc.a.organisations"},
  };
  for (const auto& [provider, key] : cases) {
    Config config;
    Status st = Apply("login:\n  oidc:\n" + provider, config);
    EXPECT_EQ(st.code(), StatusCode::kInvalidArgument) << provider;
    EXPECT_NE(st.message().find("region.yaml: " + key), std::string::npos) << st.message();
  }
  Config config;
  EXPECT_EQ(Apply("login:\n  public_url: http://casus.example\n", config).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Apply("login:\n  unknown: 1\n", config).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(Apply("login: []\n", config).code(), StatusCode::kInvalidArgument);
}

TEST_F(LoginConfigTest, ProvidersNeedAPublicUrlAndDistinctIssuers) {
  Config config;
  ASSERT_TRUE(Apply("login:\n  oidc:\n" + Provider(), config).ok());
  Status no_url = CheckLoginConfig(config.login);
  EXPECT_EQ(no_url.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(no_url.message().find("login.public_url"), std::string::npos);

  Config twice;
  ASSERT_TRUE(Apply("login:\n  public_url: https://casus.example\n  oidc:\n" + Provider("", "a") + Provider("", "b"),
                    twice)
                  .ok());
  Status same = CheckLoginConfig(twice.login);
  EXPECT_EQ(same.code(), StatusCode::kInvalidArgument);
  EXPECT_NE(same.message().find("same issuer"), std::string::npos);
}

TEST_F(LoginConfigTest, ALaterFileReplacesAProviderWithTheSameId) {
  Config config;
  ASSERT_TRUE(Apply("login:\n  oidc:\n" + Provider("      label: Old\n"), config).ok());
  ASSERT_TRUE(Apply("login:\n  oidc:\n" + Provider("      label: New\n"), config).ok());
  ASSERT_EQ(config.login.providers.size(), 1u);
  EXPECT_EQ(config.login.providers[0].label, "New");
}

TEST_F(LoginConfigTest, LocalAccountsCanBeSwitchedOffPerOrganisation) {
  Config config;
  ASSERT_TRUE(Apply("login:\n  local_accounts_disabled_for: [\"Gemeente Kerkrade\"]\n", config).ok());
  EXPECT_FALSE(config.login.LocalAccountsAllowedFor("Gemeente Kerkrade"));
  EXPECT_TRUE(config.login.LocalAccountsAllowedFor("Politie Limburg"));
}

}  // namespace
}  // namespace casus::app
