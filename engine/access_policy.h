// Need-to-know: who may read or change which case (DOMAIN.md §5). Pure and
// deny by default: an actor sees a case only through a rule below.
//
//  - privacy_officer and admin never see case content (logs and accounts only);
//  - a case above the role's confidentiality maximum is never shown;
//  - coordinator, meldpunt and burgemeester of a gemeente: the cases of
//    their own municipality; a coordinator of the ZVH: every case of the region;
//  - regisseur and partner: cases whose team includes their organisation;
//  - a deelnemer (team entry naming the user, role "deelnemer"): that case only;
//  - anyone with an active break-the-glass grant for the case.
#pragma once

#include <string>
#include <vector>

#include "common/time.h"
#include "engine/engine.h"

namespace casus::engine {

struct TeamEntry {
  std::string org_id;
  std::string user_id;  // empty: the whole organisation
  std::string role;     // lid, deelnemer, regisseur
};

// What the policy needs to know about one case.
struct CaseAccessFacts {
  std::string municipality;
  int confidentiality = 1;  // 1 normaal, 2 vertrouwelijk, 3 zeer vertrouwelijk
  std::vector<TeamEntry> team;
  bool break_glass_active = false;  // the actor holds an unexpired grant for this case
};

struct AccessDecision {
  bool allowed = false;
  bool via_break_glass = false;  // allowed only because of a grant: flag it
  std::string why;               // the rule that decided, for logs and errors
};

// The highest confidentiality level a role may read (0: no case content).
int MaxConfidentiality(const std::string& role);
// The highest over the actor's roles.
int ActorMaxConfidentiality(const Actor& actor);

AccessDecision DecideCaseRead(const Actor& actor, const CaseAccessFacts& facts);
// Changing needs read access; partners and deelnemers may add notes and
// afspraken and take the transitions their role allows — the workflow
// decides which — so write access equals read access here.
AccessDecision DecideCaseWrite(const Actor& actor, const CaseAccessFacts& facts);

// Whether break-the-glass may be requested at all by this actor for this
// case: staff roles with case access in general, within the confidentiality
// maximum; never privacy_officer or admin.
AccessDecision DecideBreakGlass(const Actor& actor, const CaseAccessFacts& facts);

}  // namespace casus::engine
