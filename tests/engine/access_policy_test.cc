// Need-to-know, deny by default: every role against every way of being
// (or not being) related to a case.
#include "engine/access_policy.h"

#include <gtest/gtest.h>

namespace casus::engine {
namespace {

Actor Make(const std::string& role, const std::string& org_id, const std::string& org_type,
           const std::string& municipality = "Kerkrade", const std::string& user = "u1") {
  return Actor{user, {role}, org_id, org_type, municipality};
}

CaseAccessFacts KerkradeCase(std::vector<TeamEntry> team = {{"org_gem", "", "lid"}}, int confidentiality = 1) {
  return CaseAccessFacts{"Kerkrade", confidentiality, std::move(team), false};
}

TEST(AccessPolicy, PrivacyOfficerAdminAndSystemNeverReadCaseContent) {
  for (const char* role : {"privacy_officer", "admin", "system", "onbekend"}) {
    auto d = DecideCaseRead(Make(role, "org_gem", "gemeente"), KerkradeCase());
    EXPECT_FALSE(d.allowed) << role;
    EXPECT_FALSE(DecideBreakGlass(Make(role, "org_gem", "gemeente"), KerkradeCase()).allowed) << role;
  }
}

TEST(AccessPolicy, MunicipalRolesSeeTheirOwnMunicipalityOnly) {
  for (const char* role : {"coordinator", "meldpunt", "burgemeester"}) {
    EXPECT_TRUE(DecideCaseRead(Make(role, "org_gem", "gemeente"), KerkradeCase({})).allowed) << role;
    EXPECT_FALSE(DecideCaseRead(Make(role, "org_hrl", "gemeente", "Heerlen"), KerkradeCase({})).allowed) << role;
  }
  // The same roles at a partner organisation get no municipal overview.
  EXPECT_FALSE(DecideCaseRead(Make("meldpunt", "org_pol", "politie"), KerkradeCase({})).allowed);
}

TEST(AccessPolicy, ZvhCoordinatorSeesTheRegion) {
  auto heerlen_case = CaseAccessFacts{"Heerlen", 3, {}, false};
  EXPECT_TRUE(DecideCaseRead(Make("coordinator", "org_zvh", "zvh"), heerlen_case).allowed);
  EXPECT_FALSE(DecideCaseRead(Make("partner", "org_zvh", "zvh"), heerlen_case).allowed);
}

TEST(AccessPolicy, PartnersAndRegisseursNeedTheirOrganisationOnTheTeam) {
  for (const char* role : {"partner", "regisseur"}) {
    EXPECT_FALSE(DecideCaseRead(Make(role, "org_pol", "politie"), KerkradeCase()).allowed) << role;
    EXPECT_TRUE(DecideCaseRead(Make(role, "org_pol", "politie"), KerkradeCase({{"org_pol", "", "lid"}})).allowed)
        << role;
  }
}

TEST(AccessPolicy, DeelnemerSeesOnlyAsTheNamedUser) {
  auto facts = KerkradeCase({{"org_ggz", "u_invited", "deelnemer"}});
  EXPECT_TRUE(DecideCaseRead(Make("partner", "org_ggz", "ggz", "Kerkrade", "u_invited"), facts).allowed);
  EXPECT_FALSE(DecideCaseRead(Make("partner", "org_ggz", "ggz", "Kerkrade", "u_colleague"), facts).allowed);
}

TEST(AccessPolicy, ConfidentialityCapsEveryRoute) {
  auto secret = KerkradeCase({{"org_pol", "", "lid"}}, 3);
  EXPECT_FALSE(DecideCaseRead(Make("partner", "org_pol", "politie"), secret).allowed);
  EXPECT_FALSE(DecideCaseRead(Make("meldpunt", "org_gem", "gemeente"), secret).allowed);
  EXPECT_TRUE(DecideCaseRead(Make("coordinator", "org_gem", "gemeente"), secret).allowed);
  secret.break_glass_active = true;
  EXPECT_FALSE(DecideCaseRead(Make("partner", "org_x", "ggz"), secret).allowed);
  EXPECT_FALSE(DecideBreakGlass(Make("partner", "org_x", "ggz"), secret).allowed);
}

TEST(AccessPolicy, BreakTheGlassGrantOpensTheCaseAndIsFlagged) {
  auto facts = KerkradeCase();
  EXPECT_FALSE(DecideCaseRead(Make("partner", "org_ggz", "ggz"), facts).allowed);
  EXPECT_TRUE(DecideBreakGlass(Make("partner", "org_ggz", "ggz"), facts).allowed);
  facts.break_glass_active = true;
  auto d = DecideCaseRead(Make("partner", "org_ggz", "ggz"), facts);
  EXPECT_TRUE(d.allowed);
  EXPECT_TRUE(d.via_break_glass);
  auto team = DecideCaseRead(Make("partner", "org_gem", "gemeente"), facts);
  EXPECT_TRUE(team.allowed);
  EXPECT_FALSE(team.via_break_glass);  // on the team anyway: not flagged
}

}  // namespace
}  // namespace casus::engine
