#include "engine/access_policy.h"

#include <algorithm>

namespace casus::engine {
namespace {

bool Has(const Actor& a, const std::string& role) {
  return std::find(a.roles.begin(), a.roles.end(), role) != a.roles.end();
}

bool OnTeam(const Actor& a, const CaseAccessFacts& f) {
  return std::any_of(f.team.begin(), f.team.end(), [&](const TeamEntry& t) {
    if (!t.user_id.empty()) return t.user_id == a.user_id;  // named member or deelnemer: that user only
    return t.org_id == a.org_id && !a.org_id.empty();
  });
}

AccessDecision Allow(std::string why, bool via_glass = false) { return {true, via_glass, std::move(why)}; }
AccessDecision Deny(std::string why) { return {false, false, std::move(why)}; }

}  // namespace

int ActorMaxConfidentiality(const Actor& a) {
  int max = 0;
  for (const auto& r : a.roles) max = std::max(max, MaxConfidentiality(r));
  return max;
}

int MaxConfidentiality(const std::string& role) {
  if (role == "regisseur" || role == "coordinator" || role == "burgemeester") return 3;
  if (role == "meldpunt" || role == "partner") return 2;
  return 0;  // privacy_officer, admin, system, unknown
}

AccessDecision DecideCaseRead(const Actor& a, const CaseAccessFacts& f) {
  int max = ActorMaxConfidentiality(a);
  if (max == 0) return Deny("this role has no access to case content");
  if (f.confidentiality > max) return Deny("the case is more confidential than this role may read");
  bool own_municipality = !a.municipality.empty() && a.municipality == f.municipality;
  if (a.org_type == "gemeente" && own_municipality &&
      (Has(a, "coordinator") || Has(a, "meldpunt") || Has(a, "burgemeester")))
    return Allow("municipal role in the case's municipality");
  if (a.org_type == "zvh" && Has(a, "coordinator")) return Allow("ZVH coordinator for the region");
  if (OnTeam(a, f)) return Allow("member of the case team");
  if (f.break_glass_active) return Allow("break-the-glass grant", /*via_glass=*/true);
  return Deny("not on the case team");
}

AccessDecision DecideCaseWrite(const Actor& a, const CaseAccessFacts& f) { return DecideCaseRead(a, f); }

AccessDecision DecideBreakGlass(const Actor& a, const CaseAccessFacts& f) {
  int max = ActorMaxConfidentiality(a);
  if (max == 0) return Deny("this role has no access to case content");
  if (f.confidentiality > max) return Deny("the case is more confidential than this role may read");
  return Allow("break-the-glass allowed for this role");
}

}  // namespace casus::engine
