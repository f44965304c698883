#include "app/demo_data.h"

#include <algorithm>
#include <map>
#include <vector>

namespace casus::app {
namespace {

using namespace std::chrono_literals;

struct DemoOrg {
  const char* name;
  const char* type;
  const char* municipality;
};

constexpr DemoOrg kOrgs[] = {
    {"Gemeente Kerkrade", "gemeente", "Kerkrade"},   {"Gemeente Heerlen", "gemeente", "Heerlen"},
    {"Politie Limburg", "politie", "Kerkrade"},      {"Openbaar Ministerie Limburg", "om", "Kerkrade"},
    {"Mondriaan GGZ", "ggz", "Kerkrade"},            {"Veilig Thuis Limburg", "veilig_thuis", "Kerkrade"},
    {"HEEMwonen", "woningcorporatie", "Kerkrade"},   {"Halt Limburg", "halt", "Kerkrade"},
    {"Impuls jongerenwerk", "jongerenwerk", "Kerkrade"}, {"Reclassering Nederland", "reclassering", "Kerkrade"},
    {"Zorg- en Veiligheidshuis Parkstad", "zvh", "Kerkrade"},
};

struct DemoUser {
  const char* username;
  const char* role;
  const char* org;
};

constexpr DemoUser kUsers[] = {
    {"meldpunt.kerkrade", "meldpunt", "Gemeente Kerkrade"},
    {"regisseur.zvh", "regisseur", "Zorg- en Veiligheidshuis Parkstad"},
    {"regisseur.kerkrade", "regisseur", "Gemeente Kerkrade"},
    {"coordinator.kerkrade", "coordinator", "Gemeente Kerkrade"},
    {"burgemeester.kerkrade", "burgemeester", "Gemeente Kerkrade"},
    {"wijkagent.kerkrade", "partner", "Politie Limburg"},
    {"meldpunt.politie", "meldpunt", "Politie Limburg"},
    {"regisseur.politie", "regisseur", "Politie Limburg"},
    {"ovj.limburg", "partner", "Openbaar Ministerie Limburg"},
    {"ggz.mondriaan", "partner", "Mondriaan GGZ"},
    {"halt.limburg", "partner", "Halt Limburg"},
    {"jongerenwerk.impuls", "partner", "Impuls jongerenwerk"},
    {"privacy.kerkrade", "privacy_officer", "Gemeente Kerkrade"},
    {"beheer.kerkrade", "admin", "Gemeente Kerkrade"},
};

constexpr const char* kWijken[] = {"Bleijerheide", "Nulland",  "Rolduckerveld", "Heilust", "Kaalheide",
                                   "Spekholzerheide", "Haanrade", "Eygelshoven", "Chevremont", "Erenstein",
                                   "Hopel", "Centrum", "Holz", "Terwinselen", "Gracht"};

struct DemoCase {
  const char* type;
  const char* subject;
  const char* birth_date;
  const char* category;             // of the report it is opened from
  std::vector<std::string> path;    // transitions to take, in order
};

// Cases in telling states: a running 14-day Wvggz term, a crisismaatregel
// with its 24-hour term, an IAWW case at level bemiddeling, a JPP case
// escalated to LJA, a Top-X person in uitvoering, a huisverbod in force.
const std::vector<DemoCase>& TellingCases() {
  static const std::vector<DemoCase> kCases = {
      {"wvggz", "Jan Demo", "1979-04-12", "verward_gedrag", {"verrijking_starten", "verkennend_onderzoek_starten"}},
      {"wvggz", "Petra Voorbeeld", "1990-09-30", "verward_gedrag", {}},
      {"wvggz", "Mark Crisis", "1984-02-14", "verward_gedrag", {"crisismaatregel_nemen"}},
      {"iaww", "Familie Proef", "1968-01-05", "woonoverlast",
       {"verrijking_starten", "agenderen", "plan_vaststellen", "uitvoering_starten", "bemiddeling_inzetten"}},
      {"iaww", "Kees Testmans", "1985-06-17", "drugsoverlast", {"verrijking_starten"}},
      {"jpp", "Sem Oefening", "2011-03-02", "jeugdoverlast", {"bespreken", "opschalen"}},
      {"jpp", "Noa Fictief", "2014-11-20", "jeugdoverlast", {"bespreken"}},
      {"topx", "Rik Verzonnen", "1996-07-08", "sociale_veiligheid_openbare_ruimte",
       {"selectie_agenderen", "opnemen", "plan_opstellen", "plan_vaststellen"}},
      {"huisverbod", "Piet Uithuis", "1982-08-19", "huiselijk_geweld", {"huisverbod_opleggen"}},
  };
  return kCases;
}

// The telling cases, and one case in its initial state of every loaded type
// they leave out: a case type added by a workflow file alone has demo cases too.
std::vector<DemoCase> DemoCases(const engine::DefinitionRegistry& registry) {
  std::vector<DemoCase> out = TellingCases();
  for (const engine::WorkflowDefinition* def : registry.LatestOfEach()) {
    if (std::any_of(out.begin(), out.end(), [&](const DemoCase& c) { return c.type == def->id; })) continue;
    static const std::string kAnyCategory = "overig";
    const std::string& category = def->suggest_for.categories.empty() ? kAnyCategory : def->suggest_for.categories.front();
    out.push_back({def->id.c_str(), "Demo Persoon", "1975-05-05", category.c_str(), {}});
  }
  return out;
}

// A plausible value of the right type for a field the demo must fill in.
engine::FieldValue DemoValue(const engine::FieldSpec& field, TimePoint now, const engine::DutchCalendar& calendar) {
  switch (field.type) {
    case engine::FieldType::kBool: return true;
    case engine::FieldType::kInteger: return std::int64_t{1};
    case engine::FieldType::kDate: return FormatDate(calendar.LocalDate(now));
    case engine::FieldType::kDateTime: return FormatRfc3339(now);
    case engine::FieldType::kEnum: return field.values.empty() ? std::string() : field.values.front();
    case engine::FieldType::kText: break;
  }
  return std::string("Demo: ") + (field.label.empty() ? field.name : field.label);
}

engine::FieldMap DemoData(const std::vector<engine::FieldSpec>& fields, TimePoint now,
                          const engine::DutchCalendar& calendar) {
  engine::FieldMap data;
  for (const auto& f : fields) data[f.name] = DemoValue(f, now, calendar);
  return data;
}

struct Staff {
  Caller caller;
  std::string org_name;
};

bool Admits(const std::vector<std::string>& roles, const std::vector<std::string>& org_types, const Staff& s) {
  bool role = std::find(roles.begin(), roles.end(), s.caller.actor.roles.front()) != roles.end();
  bool org = org_types.empty() ||
             std::find(org_types.begin(), org_types.end(), s.caller.actor.org_type) != org_types.end();
  return role && org;
}

Status SeedHistoricalReports(storage::Store& store, IdGenerator& ids, int& count) {
  return store.Write([&](storage::Transaction& tx) -> Status {
    for (const auto& row : KerkradeMeldpuntCounts()) {
      for (int i = 0; i < row.count; ++i) {
        // Spread evenly over the year, at 10:00 local time.
        auto day = std::chrono::sys_days{std::chrono::year{row.year} / 1 / 1} + std::chrono::days{i * 365 / row.count};
        storage::Report r;
        r.id = ids.NewId("report_");
        r.tracking_code = "H" + std::to_string(row.year) + "-" + r.id.substr(7);
        r.source = (i % 3 == 0) ? "professional" : "burger";
        r.category = row.category;
        r.description = "Historische melding (demo)";
        r.wijk = kWijken[(i + row.year) % std::size(kWijken)];
        r.municipality = "Kerkrade";
        r.status = "afgesloten";
        r.received_at = r.updated_at = TimePoint{day} + 9h;
        RETURN_IF_ERROR(tx.reports().Insert(r));
        ++count;
      }
    }
    return Status::Ok();
  });
}

}  // namespace

const std::vector<YearlyCount>& KerkradeMeldpuntCounts() {
  // Seed 000, "Cijfers meldpunt overlast" (totals 205, 263, 239).
  static const std::vector<YearlyCount> kCounts = [] {
    const char* categories[] = {"drugsoverlast", "georganiseerde_criminaliteit_en_ondermijning", "verward_gedrag",
                                "jeugdoverlast", "prostitutie_en_mensenhandel", "huiselijk_geweld",
                                "sociale_veiligheid_openbare_ruimte", "verkeersveiligheid", "woonoverlast"};
    const std::map<int, std::vector<int>> per_year = {{2018, {53, 0, 26, 18, 2, 0, 11, 1, 94}},
                                                      {2019, {89, 1, 18, 21, 3, 0, 10, 4, 117}},
                                                      {2020, {139, 0, 18, 5, 1, 1, 1, 0, 74}}};
    std::vector<YearlyCount> out;
    for (const auto& [year, counts] : per_year)
      for (size_t i = 0; i < counts.size(); ++i)
        if (counts[i] > 0) out.push_back({year, categories[i], counts[i]});
    return out;
  }();
  return kCounts;
}

StatusOr<DemoSummary> SeedDemoData(storage::Store& store, CaseService& cases, AuthService& auth,
                                   const engine::DefinitionRegistry& registry, IdGenerator& ids, const Clock& clock) {
  DemoSummary summary;
  std::map<std::string, storage::Organisation> orgs;
  std::vector<Staff> staff;
  RETURN_IF_ERROR(store.Write([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto existing, tx.organisations().List());
    if (!existing.empty())
      return Status::FailedPrecondition("the database already holds data; the demo set goes only into a new one");
    for (const auto& o : kOrgs) {
      storage::Organisation org{ids.NewId("org_"), o.name, o.type, o.municipality};
      RETURN_IF_ERROR(tx.organisations().Insert(org));
      orgs[o.name] = org;
    }
    return Status::Ok();
  }));
  // Staff accounts with real credentials (Argon2id + TOTP), like `casus user add`.
  for (const auto& u : kUsers) {
    const auto& org = orgs.at(u.org);
    ASSIGN_OR_RETURN(CreatedUser created,
                     auth.AddUser({u.username, std::string(kDemoPassword), {u.role}, org.name, org.type, org.municipality}));
    staff.push_back(
        {Caller{{created.user.id, {u.role}, org.id, org.type, org.municipality}, "demo-seed", "", ""}, org.name});
    summary.accounts.push_back({u.username, u.role, org.name});
  }
  summary.lines.push_back(std::to_string(std::size(kOrgs)) + " organisations and " + std::to_string(std::size(kUsers)) +
                          " staff accounts (one per role) created, all with password \"" + std::string(kDemoPassword) +
                          "\"");

  int historical = 0;
  RETURN_IF_ERROR(SeedHistoricalReports(store, ids, historical));
  summary.lines.push_back(std::to_string(historical) +
                          " historical Kerkrade meldpunt reports 2018-2020 loaded (seed 000 table: 205, 263, 239)");

  int step_count = 0;
  const std::vector<DemoCase> demo_cases = DemoCases(registry);
  for (const auto& dc : demo_cases) {
    const engine::WorkflowDefinition* def = registry.Latest(dc.type);
    if (!def) return Status::FailedPrecondition(std::string("no workflow for case type ") + dc.type);
    TimePoint now = clock.Now();
    storage::Report report;
    report.id = ids.NewId("report_");
    report.tracking_code = "D-" + report.id.substr(7);
    report.source = "professional";
    report.category = dc.category;
    report.description = "Demomelding";
    report.wijk = kWijken[step_count % std::size(kWijken)];
    report.municipality = "Kerkrade";
    report.received_at = report.updated_at = now - 48h;
    RETURN_IF_ERROR(store.Write([&](storage::Transaction& tx) { return tx.reports().Insert(report); }));

    const Staff* opener = nullptr;
    for (const auto& s : staff)
      if (Admits(def->open.roles, def->open.org_types, s)) opener = opener ? opener : &s;
    if (!opener) return Status::FailedPrecondition(std::string("no demo user may open a ") + dc.type + " case");
    OpenCaseInput input{dc.type, "Kerkrade", {dc.subject, ParseDate(dc.birth_date)}, report.id, 1,
                        DemoData(def->open.fields, now, cases.calendar())};
    ASSIGN_OR_RETURN(storage::CaseRecord rec, cases.OpenCase(input, opener->caller));

    for (const auto& name : dc.path) {
      const engine::TransitionSpec* t = def->FindTransition(name);
      if (!t) return Status::FailedPrecondition("demo: " + def->id + " has no transition " + name);
      Status last = Status::FailedPrecondition("demo: no demo user may take " + name);
      for (const auto& s : staff) {
        if (!Admits(t->roles, t->org_types, s)) continue;
        auto next =
            cases.Transition(rec.id, name, rec.version, DemoData(t->fields, clock.Now(), cases.calendar()), s.caller);
        last = next.status();
        if (next.ok()) {
          rec = std::move(next).value();
          ++step_count;
          break;
        }
      }
      if (!last.ok()) return Status(last.code(), "demo: " + name + " on " + rec.id + ": " + last.message());
    }
    // The police join every demo case's team; a case the police opened has them already.
    if (opener->org_name != "Politie Limburg")
      RETURN_IF_ERROR(cases.AddTeamMember({rec.id, orgs.at("Politie Limburg").id, "", "lid", {}}, opener->caller));
    storage::Action afspraak;
    afspraak.case_id = rec.id;
    afspraak.description = "Huisbezoek afleggen en terugkoppelen in het overleg";
    afspraak.owner_org_id = orgs.at("Politie Limburg").id;
    afspraak.due_at = clock.Now() + 7 * 24h;
    RETURN_IF_ERROR(cases.AddAction(afspraak, opener->caller).status());
    RETURN_IF_ERROR(cases.AddNote(rec.id, "Casus aangemaakt voor de demo.", opener->caller).status());
    summary.lines.push_back(std::string(dc.type) + " case " + rec.id + " for " + dc.subject + ": state " + rec.state +
                            ", level " + rec.level + ", version " + std::to_string(rec.version));
  }
  summary.lines.push_back(std::to_string(demo_cases.size()) + " demo cases opened from reports, " +
                          std::to_string(step_count) + " transitions taken, each with a note and an afspraak");
  return summary;
}

}  // namespace casus::app
