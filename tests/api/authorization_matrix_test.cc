// Need-to-know over the wire, table-driven: every test account (role ×
// organisation) in its relation to the cases of four scenarios, for every
// kind of operation, with the expected allow/deny of DOMAIN.md §5 and
// engine/access_policy.h:
//   - privacy_officer and admin never see case content; only the privacy
//     officer reads the audit log and exports a person;
//   - a partner (or regisseur) only when its organisation is on the team;
//   - a deelnemer named on the team sees that case (not its colleagues);
//   - municipal roles (meldpunt, coordinator, burgemeester of a gemeente)
//     the cases of their own municipality; the ZVH coordinator the region;
//   - anyone with an active break-the-glass grant.
// The expectation is written per relation, not recomputed from the policy.
#include <gtest/gtest.h>

#include <cstdio>
#include <iomanip>
#include <map>
#include <set>
#include <sstream>

#include "tests/api/server_fixture.h"

namespace casus::apitest {
namespace {

enum class Rel { kOwnOrgOnTeam, kOtherOrgNotOnTeam, kOtherMunicipality, kDeelnemer, kDeelnemerColleague, kBreakGlass };
enum class Op { kGetCase, kInList, kTransition, kNote, kPerson, kAudit, kExport };

const char* Name(Rel r) {
  switch (r) {
    case Rel::kOwnOrgOnTeam: return "own org on team";
    case Rel::kOtherOrgNotOnTeam: return "other org, not on team";
    case Rel::kOtherMunicipality: return "other municipality";
    case Rel::kDeelnemer: return "deelnemer (by name)";
    case Rel::kDeelnemerColleague: return "colleague of deelnemer";
    case Rel::kBreakGlass: return "after break-the-glass";
  }
  return "?";
}

const char* Name(Op o) {
  switch (o) {
    case Op::kGetCase: return "GET case";
    case Op::kInList: return "in list";
    case Op::kTransition: return "transition";
    case Op::kNote: return "POST note";
    case Op::kPerson: return "GET person";
    case Op::kAudit: return "GET audit";
    case Op::kExport: return "GET export";
  }
  return "?";
}

const Op kOps[] = {Op::kGetCase, Op::kInList, Op::kTransition, Op::kNote, Op::kPerson, Op::kAudit, Op::kExport};

// One scenario: a case in geagendeerd (G, for notes, reads and the
// transitions of partner/meldpunt/regisseur) and one in uitvoering after
// bemiddeling (U, for the coordinator's and the burgemeester's transitions),
// both with the same team.
struct Scenario {
  std::string name;
  std::string municipality;
  std::map<std::string, Rel> relation;  // per user key
  std::string g, u;                     // case ids
  std::string g_person;                 // the subject of G
};

bool CaseWorker(const std::string& role) { return role != "privacy_officer" && role != "admin"; }

bool Expected(const TestUser& user, Rel rel, Op op) {
  if (op == Op::kAudit || op == Op::kExport) return user.role == "privacy_officer";
  if (!CaseWorker(user.role)) return false;
  switch (rel) {
    case Rel::kOwnOrgOnTeam:
    case Rel::kDeelnemer:
    case Rel::kBreakGlass: return true;
    case Rel::kOtherOrgNotOnTeam: return user.org_type == "zvh" && user.role == "coordinator";  // the region
    case Rel::kOtherMunicipality: return false;
    case Rel::kDeelnemerColleague: return false;  // the invitation names one user, not the organisation
  }
  return false;
}

struct Cell {
  bool expected = false;
  bool allowed = false;
  int status = 0;
  std::string note;
};

struct Row {
  std::string user, scenario;
  Rel rel;
  std::map<Op, Cell> cells;
};

std::string Table(const std::vector<Row>& rows, bool only_mismatches) {
  std::ostringstream out;
  out << std::left << std::setw(17) << "user" << std::setw(10) << "scenario" << std::setw(25) << "relation";
  for (Op op : kOps) out << std::setw(13) << Name(op);
  out << "\n";
  for (const auto& row : rows) {
    bool mismatch = false;
    for (const auto& [op, c] : row.cells) mismatch |= c.expected != c.allowed;
    if (only_mismatches && !mismatch) continue;
    out << std::setw(17) << row.user << std::setw(10) << row.scenario << std::setw(25) << Name(row.rel);
    for (Op op : kOps) {
      auto it = row.cells.find(op);
      if (it == row.cells.end()) {
        out << std::setw(13) << "-";
        continue;
      }
      const Cell& c = it->second;
      std::string text = std::string(c.allowed ? "allow" : "deny") + "(" + std::to_string(c.status) + ")";
      if (c.expected != c.allowed) text = "!!" + text;
      out << std::setw(13) << text;
    }
    out << "\n";
    for (const auto& [op, c] : row.cells)
      if (c.expected != c.allowed)
        out << "    " << Name(op) << ": expected " << (c.expected ? "allow" : "deny") << ", got " << c.note << "\n";
  }
  return out.str();
}

class AuthorizationMatrix : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    built_ = false;
    Build();
    built_ = !::testing::Test::HasFailure();
  }

  static std::string Must(HttpResult r, int status, const std::string& what) {
    EXPECT_EQ(r.status, status) << "matrix setup: " << what << ": " << r.Describe();
    return r.Str("id");
  }

  // Opens an IAWW case as `opener` and brings it to geagendeerd.
  static std::string OpenG(const std::string& opener, const std::string& municipality, std::string* person) {
    Api api(opener);
    HttpResult c = OpenCase(api, "iaww", municipality, Unique("Matrix"));
    const std::string id = Must(c, 201, "open");
    if (person && c.obj().contains("subject")) *person = std::string(c.obj().at("subject").as_object().at("id").as_string());
    Must(Transition(api, id, "verrijking_starten", 1), 200, "verrijking_starten");
    Must(Transition(api, id, "agenderen", 2, {{"overleg_datum", "2030-01-07"}}), 200, "agenderen");
    versions_[id] = 3;
    return id;
  }

  // From geagendeerd to uitvoering with a bemiddeling on record.
  static void ToUitvoering(const std::string& regisseur, const std::string& id) {
    Api api(regisseur);
    Must(Transition(api, id, "plan_vaststellen", 3, {{"afspraken", "Gesprekken met beide partijen"}}), 200,
         "plan_vaststellen");
    Must(Transition(api, id, "uitvoering_starten", 4), 200, "uitvoering_starten");
    Must(Transition(api, id, "bemiddeling_inzetten", 5, {{"bemiddeling_vorm", "buurtbemiddeling"}}), 200,
         "bemiddeling_inzetten");
    versions_[id] = 6;
  }

  static void AddTeam(const std::string& by, const std::string& id, const std::string& org, const std::string& user = "") {
    Api api(by);
    json::object body{{"org", org}};
    if (!user.empty()) body["user"] = user;
    Must(api.Post("/api/v1/cases/" + id + "/team", body), 201, "team add");
  }

  static void Build() {
    ApiServer& s = ApiServer::Get();
    const auto org = [&](const std::string& key) { return s.User(key).org_id; };
    const auto keys = s.UserKeys();
    auto all = [&](Rel default_rel) {
      std::map<std::string, Rel> m;
      for (const auto& k : keys) m[k] = default_rel;
      return m;
    };

    // S1: Kerkrade; team Gemeente Kerkrade, Politie Limburg, the OM partner by name.
    Scenario s1{"S1", "Kerkrade", all(Rel::kOtherOrgNotOnTeam), "", "", ""};
    s1.g = OpenG("kr_meldpunt", "Kerkrade", &s1.g_person);
    s1.u = OpenG("kr_meldpunt", "Kerkrade", nullptr);
    ToUitvoering("kr_regisseur", s1.u);
    for (const auto& id : {s1.g, s1.u}) {
      AddTeam("kr_meldpunt", id, org("pol_partner"));
      AddTeam("kr_meldpunt", id, org("om_partner"), s.User("om_partner").id);
    }
    for (const char* k : {"kr_meldpunt", "kr_regisseur", "kr_coordinator", "kr_burgemeester", "kr_privacy", "kr_admin",
                          "pol_partner", "pol_meldpunt"})
      s1.relation[k] = Rel::kOwnOrgOnTeam;
    s1.relation["om_partner"] = Rel::kDeelnemer;
    s1.relation["om_colleague"] = Rel::kDeelnemerColleague;
    for (const char* k : {"hl_meldpunt", "hl_coordinator"}) s1.relation[k] = Rel::kOtherMunicipality;

    // S2: Kerkrade; team Gemeente Kerkrade, ZVH Parkstad, Mondriaan GGZ.
    Scenario s2{"S2", "Kerkrade", all(Rel::kOtherOrgNotOnTeam), "", "", ""};
    s2.g = OpenG("kr_meldpunt", "Kerkrade", &s2.g_person);
    s2.u = OpenG("kr_meldpunt", "Kerkrade", nullptr);
    ToUitvoering("kr_regisseur", s2.u);
    for (const auto& id : {s2.g, s2.u}) {
      AddTeam("kr_meldpunt", id, org("zvh_regisseur"));
      AddTeam("kr_meldpunt", id, org("ggz_partner"));
    }
    for (const char* k : {"kr_meldpunt", "kr_regisseur", "kr_coordinator", "kr_burgemeester", "kr_privacy", "kr_admin",
                          "zvh_regisseur", "zvh_coordinator", "ggz_partner"})
      s2.relation[k] = Rel::kOwnOrgOnTeam;
    for (const char* k : {"hl_meldpunt", "hl_coordinator"}) s2.relation[k] = Rel::kOtherMunicipality;

    // S3: Heerlen; team Gemeente Heerlen and ZVH Parkstad (whose regisseur plans).
    Scenario s3{"S3", "Heerlen", all(Rel::kOtherOrgNotOnTeam), "", "", ""};
    s3.g = OpenG("hl_meldpunt", "Heerlen", &s3.g_person);
    s3.u = OpenG("hl_meldpunt", "Heerlen", nullptr);
    for (const auto& id : {s3.g, s3.u}) AddTeam("hl_meldpunt", id, org("zvh_regisseur"));
    ToUitvoering("zvh_regisseur", s3.u);
    for (const char* k : {"hl_meldpunt", "hl_coordinator", "zvh_regisseur", "zvh_coordinator"})
      s3.relation[k] = Rel::kOwnOrgOnTeam;
    for (const char* k : {"kr_meldpunt", "kr_regisseur", "kr_coordinator", "kr_burgemeester", "kr_privacy", "kr_admin"})
      s3.relation[k] = Rel::kOtherMunicipality;

    // S4: Kerkrade; team Gemeente Kerkrade only; everyone outside breaks the glass.
    Scenario s4{"S4", "Kerkrade", all(Rel::kBreakGlass), "", "", ""};
    s4.g = OpenG("kr_meldpunt", "Kerkrade", &s4.g_person);
    s4.u = OpenG("kr_meldpunt", "Kerkrade", nullptr);
    ToUitvoering("kr_regisseur", s4.u);
    for (const char* k : {"kr_meldpunt", "kr_regisseur", "kr_coordinator", "kr_burgemeester", "kr_privacy", "kr_admin"})
      s4.relation[k] = Rel::kOwnOrgOnTeam;
    s4.relation["zvh_coordinator"] = Rel::kOtherOrgNotOnTeam;  // reads by the region rule, needs no grant
    for (const auto& [k, rel] : s4.relation) {
      if (rel != Rel::kBreakGlass) continue;
      Api api(k);
      for (const auto& id : {s4.g, s4.u})
        Must(api.Post("/api/v1/cases/" + id + "/access",
                      json::object{{"reason", "Matrixtest: acute zorg, casus buiten het team"}}),
             201, "break the glass as " + k);
    }
    scenarios_ = {s1, s2, s3, s4};
  }

  static inline bool built_ = false;
  static inline std::vector<Scenario> scenarios_;
  static inline std::map<std::string, std::int64_t> versions_;
};

TEST_F(AuthorizationMatrix, EveryRoleRelationAndOperation) {
  ASSERT_TRUE(built_) << "the matrix scenarios could not be built (see the failures above)";
  ApiServer& s = ApiServer::Get();
  std::vector<Row> rows;
  std::set<std::string> matrix_cases;
  for (const auto& sc : scenarios_) {
    matrix_cases.insert(sc.g);
    matrix_cases.insert(sc.u);
  }

  for (const auto& key : s.UserKeys()) {
    const TestUser& user = s.User(key);
    Api api(key);
    const auto listed = ListAllCaseIds(api);
    for (const auto& sc : scenarios_) {
      Row row{key, sc.name + " " + sc.municipality.substr(0, 2), sc.relation.at(key), {}};
      auto cell = [&](Op op) -> Cell& {
        Cell& c = row.cells[op];
        c.expected = Expected(user, row.rel, op);
        return c;
      };
      // GET case: 200 or 403 (never 404: the case exists).
      {
        Cell& c = cell(Op::kGetCase);
        HttpResult r = api.Get("/api/v1/cases/" + sc.g);
        c.status = r.status;
        c.allowed = r.status == 200 && r.Str("id") == sc.g;
        c.note = r.Describe();
        if (!c.allowed && r.status != 403) c.allowed = true, c.note = "unexpected status: " + r.Describe();
      }
      {
        Cell& c = cell(Op::kInList);
        c.allowed = Contains(listed, sc.g);
        c.status = 200;
        c.note = c.allowed ? "listed" : "not listed";
      }
      // A transition the role may take by workflow, on the case in the fitting state.
      {
        Cell& c = cell(Op::kTransition);
        std::string id = sc.g, name = "partnerinformatie_toevoegen";
        json::object data{{"informatie", "Matrix: informatie van " + key}};
        if (user.role == "coordinator") {
          id = sc.u;
          name = "bemiddeling_inzetten";
          data = {{"bemiddeling_vorm", "mediation"}};
        } else if (user.role == "burgemeester") {
          id = sc.u;
          name = "gedragsaanwijzing_opleggen";
          data = {{"besluitdatum", "2030-01-10"},
                  {"gedragsaanwijzing_inhoud", "Geen geluidsoverlast na 22:00"},
                  {"geldig_tot", "2030-07-10"}};
        }
        HttpResult r = Transition(api, id, name, versions_[id], data);
        c.status = r.status;
        c.allowed = r.status == 200;
        c.note = name + " -> " + r.Describe();
        if (r.status == 200) versions_[id] = VersionOf(r);
        else if (r.status != 403) c.allowed = true, c.note = "neither 200 nor 403: " + c.note;
      }
      {
        Cell& c = cell(Op::kNote);
        HttpResult r = api.Post("/api/v1/cases/" + sc.g + "/notes", json::object{{"text", "Matrix-notitie van " + key}});
        c.status = r.status;
        c.allowed = r.status == 201;
        c.note = r.Describe();
        if (!c.allowed && r.status != 403) c.allowed = true, c.note = "neither 201 nor 403: " + c.note;
      }
      // The person view: 200 with the case, or nothing (404 for case
      // workers, 403 for roles without case content).
      {
        Cell& c = cell(Op::kPerson);
        HttpResult r = api.Get("/api/v1/persons/" + sc.g_person);
        c.status = r.status;
        c.allowed = r.status == 200 && Contains(CaseIds(r), sc.g);
        c.note = r.Describe();
        if (!c.allowed && r.status != 403 && r.status != 404) c.allowed = true, c.note = "unexpected: " + c.note;
      }
      {
        Cell& c = cell(Op::kAudit);
        HttpResult r = api.Get("/api/v1/audit?case_id=" + sc.g + "&limit=5");
        c.status = r.status;
        c.allowed = r.status == 200;
        c.note = r.Describe();
        if (!c.allowed && r.status != 403) c.allowed = true, c.note = "unexpected: " + c.note;
      }
      {
        Cell& c = cell(Op::kExport);
        HttpResult r = api.Get("/api/v1/persons/" + sc.g_person + "/export?reason=matrixtest");
        c.status = r.status;
        c.allowed = r.status == 200;
        c.note = r.Describe().substr(0, 300);
        if (!c.allowed && r.status != 403) c.allowed = true, c.note = "unexpected: " + c.note;
      }
      rows.push_back(std::move(row));
    }
  }

  std::printf("%s", Table(rows, false).c_str());
  std::size_t mismatches = 0, checks = 0;
  for (const auto& row : rows)
    for (const auto& [op, c] : row.cells) {
      ++checks;
      mismatches += c.expected != c.allowed;
    }
  EXPECT_EQ(mismatches, 0u) << mismatches << " of " << checks << " checks differ from DOMAIN.md §5 "
                            << "(!! marks them; scenarios: S1 Kerkrade team+Politie+OM deelnemer, S2 Kerkrade "
                               "team+ZVH+GGZ, S3 Heerlen team+ZVH, S4 Kerkrade team only with grants):\n"
                            << Table(rows, true) << "\nfull table:\n"
                            << Table(rows, false);

  // Refused transitions changed nothing: each case is at the version the
  // allowed ones left it.
  for (const auto& id : matrix_cases) {
    HttpResult r = ReadAsOverseer(id);
    EXPECT_EQ(VersionOf(r), versions_[id]) << id;
  }
}

TEST_F(AuthorizationMatrix, ListsNeverIncludeCasesTheUserMayNotRead) {
  ASSERT_TRUE(built_);
  ApiServer& s = ApiServer::Get();
  for (const auto& key : s.UserKeys()) {
    Api api(key);
    const auto listed = ListAllCaseIds(api);
    std::set<std::string> unique(listed.begin(), listed.end());
    EXPECT_EQ(unique.size(), listed.size()) << key << ": a case is listed twice";
    for (const auto& id : listed) {
      HttpResult r = api.Get("/api/v1/cases/" + id);
      EXPECT_EQ(r.status, 200) << key << " lists " << id << " but may not read it: " << r.Describe();
    }
    if (!CaseWorker(s.User(key).role)) {
      HttpResult r = api.Get("/api/v1/cases");
      EXPECT_TRUE(r.status == 403 || (r.status == 200 && CaseIds(r).empty())) << key << ": " << r.Describe();
    }
  }
}

TEST_F(AuthorizationMatrix, BreakTheGlassIsOnlyForCaseWorkersWhoCannotReadAlready) {
  ASSERT_TRUE(built_);
  const Scenario& s1 = scenarios_[0];
  const std::string reason = "Matrixtest: toegang buiten het team nodig";
  for (const char* key : {"kr_privacy", "kr_admin"}) {
    HttpResult r = Api(key).Post("/api/v1/cases/" + s1.g + "/access", json::object{{"reason", reason}});
    EXPECT_EQ(r.status, 403) << key << ": " << r.Describe();
    EXPECT_EQ(Api(key).Get("/api/v1/cases/" + s1.g).status, 403) << key;
  }
  // Someone who can read already needs no grant.
  HttpResult own = Api("kr_meldpunt").Post("/api/v1/cases/" + s1.g + "/access", json::object{{"reason", reason}});
  EXPECT_EQ(own.status, 409) << own.Describe();
  HttpResult unknown = Api("ggz_partner").Post("/api/v1/cases/case_doesnotexist/access", json::object{{"reason", reason}});
  EXPECT_EQ(unknown.status, 404) << unknown.Describe();
}

TEST_F(AuthorizationMatrix, CrossOrganisationAndCrossMunicipalityWritesAreRefused) {
  ASSERT_TRUE(built_);
  ApiServer& s = ApiServer::Get();
  const Scenario& s1 = scenarios_[0];  // Kerkrade
  const Scenario& s3 = scenarios_[2];  // Heerlen
  // Heerlen's meldpunt cannot put itself on a Kerkrade case.
  HttpResult team = Api("hl_meldpunt").Post("/api/v1/cases/" + s1.g + "/team", json::object{{"org", s.User("hl_meldpunt").org_id}});
  EXPECT_EQ(team.status, 403) << team.Describe();
  // Nor add afspraken to it, nor read its timeline, notes, actions or team.
  HttpResult action = Api("hl_meldpunt").Post("/api/v1/cases/" + s1.g + "/actions",
                                              json::object{{"description", "Overname"},
                                                           {"owner_org", s.User("hl_meldpunt").org_id},
                                                           {"due_at", "2030-01-01T00:00:00Z"}});
  EXPECT_EQ(action.status, 403) << action.Describe();
  for (const char* part : {"/events", "/notes", "/actions", "/team"}) {
    EXPECT_EQ(Api("hl_coordinator").Get("/api/v1/cases/" + s1.g + part).status, 403) << part;
    EXPECT_EQ(Api("kr_coordinator").Get("/api/v1/cases/" + s3.g + part).status, 403) << part;
    EXPECT_EQ(Api("om_partner").Get("/api/v1/cases/" + s3.g + part).status, 403) << part;
    EXPECT_EQ(Api("kr_privacy").Get("/api/v1/cases/" + s1.g + part).status, 403) << part;
  }
  // The deelnemer's invitation is personal: a colleague of the same
  // organisation is not let in.
  EXPECT_EQ(Api("om_partner").Get("/api/v1/cases/" + s1.g).status, 200);
  EXPECT_EQ(Api("om_colleague").Get("/api/v1/cases/" + s1.g).status, 403);
  // A Kerkrade case cannot be moved by Heerlen's coordinator.
  Api hl_coordinator("hl_coordinator");
  const std::int64_t version = VersionOf(ReadAsOverseer(s1.u));
  HttpResult t = Transition(hl_coordinator, s1.u, "bemiddeling_inzetten", version, {{"bemiddeling_vorm", "mediation"}});
  EXPECT_EQ(t.status, 403) << t.Describe();
}

TEST_F(AuthorizationMatrix, MunicipalStaffOpenCasesOnlyForTheirOwnMunicipality) {
  // DOMAIN.md §5: municipal roles act for their own municipality (reports
  // are refused the same way: "for your own municipality only").
  Api heerlen("hl_meldpunt");
  HttpResult r = OpenCase(heerlen, "iaww", "Kerkrade", Unique("Verkeerde gemeente"));
  EXPECT_EQ(r.status, 403) << "a Heerlen meldpunt opened a Kerkrade case: " << r.Describe();
  if (r.status == 201) {
    // Then at least Kerkrade's own coordinator sees it and Heerlen's staff
    // do not see more than their team membership gives them.
    Api kerkrade("kr_coordinator");
    EXPECT_EQ(kerkrade.Get("/api/v1/cases/" + r.Str("id")).status, 200);
  }
}

}  // namespace
}  // namespace casus::apitest
