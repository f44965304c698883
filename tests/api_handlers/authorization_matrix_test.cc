// Need-to-know, table-driven: every role in every relation to one IAWW
// case of Kerkrade, for every kind of operation, with the expected answer.
// Relations: a user of an organisation on the case team; of another
// organisation not on the team; of another municipality; a deelnemer named
// on the team; a user outside the team who broke the glass.
#include <algorithm>
#include <map>

#include "tests/api_handlers/api_fixture.h"

namespace casus::api::handlers::testing {
namespace {

namespace json = boost::json;

enum class Relation { kOwnOrgOnTeam, kOtherOrgNotOnTeam, kOtherMunicipality, kDeelnemer, kBreakGlass };
enum class Op { kReadCase, kListCases, kTransition, kAddNote, kReadPerson, kAudit, kExport };

const char* Name(Relation r) {
  switch (r) {
    case Relation::kOwnOrgOnTeam: return "own_org_on_team";
    case Relation::kOtherOrgNotOnTeam: return "other_org_not_on_team";
    case Relation::kOtherMunicipality: return "other_municipality";
    case Relation::kDeelnemer: return "deelnemer";
    case Relation::kBreakGlass: return "break_glass";
  }
  return "?";
}

const char* Name(Op o) {
  switch (o) {
    case Op::kReadCase: return "read_case";
    case Op::kListCases: return "list_cases";
    case Op::kTransition: return "transition";
    case Op::kAddNote: return "add_note";
    case Op::kReadPerson: return "read_person";
    case Op::kAudit: return "audit";
    case Op::kExport: return "export";
  }
  return "?";
}

const std::vector<std::string> kRoles = {"meldpunt",     "regisseur",       "partner", "coordinator",
                                         "burgemeester", "privacy_officer", "admin"};
const std::vector<Relation> kRelations = {Relation::kOwnOrgOnTeam, Relation::kOtherOrgNotOnTeam,
                                          Relation::kOtherMunicipality, Relation::kDeelnemer, Relation::kBreakGlass};
const std::vector<Op> kOps = {Op::kReadCase, Op::kListCases, Op::kTransition, Op::kAddNote,
                              Op::kReadPerson, Op::kAudit, Op::kExport};

bool CaseWorker(const std::string& role) { return role != "privacy_officer" && role != "admin"; }

// The expectation, written out per rule (DOMAIN.md §5).
bool Expected(const std::string& role, Relation rel, Op op) {
  if (op == Op::kAudit || op == Op::kExport) return role == "privacy_officer";
  if (!CaseWorker(role)) return false;  // logs and accounts, never case content
  switch (rel) {
    case Relation::kOwnOrgOnTeam: return true;       // team (and, for gemeente roles, the municipality)
    case Relation::kDeelnemer: return true;          // named on this case's team
    case Relation::kBreakGlass: return true;         // an active grant
    case Relation::kOtherOrgNotOnTeam: return false;
    case Relation::kOtherMunicipality: return false;
  }
  return false;
}

struct OrgOf {
  std::string name, type, municipality;
};

OrgOf OrgFor(Relation rel) {
  switch (rel) {
    case Relation::kOwnOrgOnTeam: return {"Gemeente Kerkrade", "gemeente", "Kerkrade"};
    case Relation::kOtherOrgNotOnTeam: return {"GGZ Parkstad", "ggz", "Kerkrade"};
    case Relation::kOtherMunicipality: return {"Gemeente Heerlen", "gemeente", "Heerlen"};
    case Relation::kDeelnemer: return {"Woonpunt", "woningcorporatie", "Kerkrade"};
    case Relation::kBreakGlass: return {"Halt Parkstad", "halt", "Kerkrade"};
  }
  return {};
}

class AuthorizationMatrixTest : public ApiTest {};

TEST_F(AuthorizationMatrixTest, RolesTimesRelationsTimesOperations) {
  Login opener = AddUser("opener", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade");
  auto kase = OpenIaww(opener);
  const std::string case_id = std::string(kase["id"].as_string());
  const std::string person_id = std::string(kase["subject"].at("id").as_string());

  std::map<std::pair<std::string, Relation>, Login> users;
  for (const auto& role : kRoles)
    for (Relation rel : kRelations) {
      OrgOf org = OrgFor(rel);
      std::string username = role + "." + Name(rel);
      std::replace(username.begin(), username.end(), '_', '-');
      users[{role, rel}] = AddUser(username, role, org.name, org.type, org.municipality);
    }
  // Deelnemers are named on the team; break-the-glass users ask with a reason.
  for (const auto& role : kRoles) {
    const Login& d = users[{role, Relation::kDeelnemer}];
    json::object member{{"org", d.org_id}, {"user", d.user_id}, {"role", "deelnemer"}};
    ASSERT_EQ(Call("POST", "/api/v1/cases/" + case_id + "/team", json::serialize(member), opener.token).status, 201);
    const Login& g = users[{role, Relation::kBreakGlass}];
    HttpResponse glass = Call("POST", "/api/v1/cases/" + case_id + "/access",
                              R"({"reason":"Spoedoverleg vanavond, dossier nodig."})", g.token);
    EXPECT_EQ(glass.status, CaseWorker(role) ? 201 : 403) << role << ": " << glass.body;
  }

  int checked = 0;
  for (const auto& role : kRoles)
    for (Relation rel : kRelations)
      for (Op op : kOps) {
        const Login& who = users[{role, rel}];
        const bool expect = Expected(role, rel, op);
        SCOPED_TRACE(role + " / " + Name(rel) + " / " + Name(op));
        bool allowed = false;
        HttpResponse r;
        switch (op) {
          case Op::kReadCase:
            r = Call("GET", "/api/v1/cases/" + case_id, "", who.token);
            allowed = r.status == 200;
            if (!allowed) {
              EXPECT_EQ(r.status, 403);
            }
            break;
          case Op::kListCases: {
            r = Call("GET", "/api/v1/cases?limit=100", "", who.token);
            ASSERT_EQ(r.status, 200) << r.body;
            allowed = r.body.find(case_id) != std::string::npos;
            break;
          }
          case Op::kTransition:
            // A stale version: access is decided first (403), then the
            // service refuses the version (409) without changing the case.
            r = Call("POST", "/api/v1/cases/" + case_id + "/transitions",
                     R"({"transition":"verrijking_starten","version":99})", who.token);
            allowed = r.status == 409;
            if (!allowed) {
              EXPECT_EQ(r.status, 403) << r.body;
            }
            break;
          case Op::kAddNote:
            r = Call("POST", "/api/v1/cases/" + case_id + "/notes", R"({"text":"Matrix note"})", who.token);
            allowed = r.status == 201;
            if (!allowed) {
              EXPECT_EQ(r.status, 403) << r.body;
            }
            break;
          case Op::kReadPerson:
            r = Call("GET", "/api/v1/persons/" + person_id, "", who.token);
            allowed = r.status == 200;
            if (!allowed) {
              EXPECT_TRUE(r.status == 403 || r.status == 404) << r.body;
            }
            break;
          case Op::kAudit:
            r = Call("GET", "/api/v1/audit?case_id=" + case_id + "&limit=5", "", who.token);
            allowed = r.status == 200;
            if (!allowed) {
              EXPECT_EQ(r.status, 403);
            }
            break;
          case Op::kExport:
            r = Call("GET", "/api/v1/persons/" + person_id + "/export", "", who.token);
            allowed = r.status == 200;
            if (!allowed) {
              EXPECT_EQ(r.status, 403);
            }
            break;
        }
        EXPECT_EQ(allowed, expect) << r.status << " " << r.body.substr(0, 300);
        ++checked;
      }
  EXPECT_EQ(checked, 7 * 5 * 7);
  EXPECT_EQ(StoredCase(case_id).version, 1);  // no transition got through

  // A ZVH coordinator sees the whole region; a ZVH partner only its team's cases.
  Login zvh = AddUser("zvh.coordinator", "coordinator", "ZVH Parkstad", "zvh", "Heerlen");
  EXPECT_EQ(Call("GET", "/api/v1/cases/" + case_id, "", zvh.token).status, 200);
  Login zvh_partner = AddUser("zvh.partner", "partner", "ZVH Parkstad", "zvh", "Heerlen");
  EXPECT_EQ(Call("GET", "/api/v1/cases/" + case_id, "", zvh_partner.token).status, 403);

  // Every refused read is on record.
  auto audit = Audit();
  const Login& outsider = users[{"regisseur", Relation::kOtherOrgNotOnTeam}];
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [&](const auto& e) {
    return e.action == "case.read" && e.result == "denied" && e.user_id == outsider.user_id;
  }));
}

TEST_F(AuthorizationMatrixTest, ConfidentialCasesStayAboveTheirMaximum) {
  Login regisseur = AddUser("regie", "regisseur", "Gemeente Kerkrade", "gemeente", "Kerkrade");
  Login meldpunt = AddUser("meld", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade");
  // A zeer vertrouwelijk JPP case opened by a regisseur (max 3).
  HttpResponse opened = Call("POST", "/api/v1/cases",
                             R"({"type":"jpp","municipality":"Kerkrade","confidentiality":3,)"
                             R"("subject":{"name":"Jongere","birth_date":"2012-06-01"},)"
                             R"("data":{"aanmelder":"politie","reden_aanmelding":"Zorgen"}})",
                             regisseur.token);
  ASSERT_EQ(opened.status, 201) << opened.body;
  std::string id = std::string(json::parse(opened.body).at("id").as_string());
  EXPECT_EQ(Call("GET", "/api/v1/cases/" + id, "", meldpunt.token).status, 403);  // meldpunt max 2
  EXPECT_EQ(Call("GET", "/api/v1/cases", "", meldpunt.token).body.find(id), std::string::npos);
  EXPECT_EQ(Call("POST", "/api/v1/cases/" + id + "/access", R"({"reason":"Ik heb dit echt nodig nu."})", meldpunt.token)
                .status,
            403);
}

}  // namespace
}  // namespace casus::api::handlers::testing
