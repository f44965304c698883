#include "tests/privacy/privacy_fixture.h"

namespace casus::privacy::testing {

PrivacyTest::Seeded PrivacyTest::SeedCase(const std::string& id, const std::string& type, const std::string& state,
                                          TimePoint closed_at, const std::string& person_id) {
  Seeded s{id, person_id.empty() ? "person_" + id : person_id, "report_" + id};
  const TimePoint opened = closed_at - std::chrono::hours(24 * 30);
  Status st = store->Write([&](storage::Transaction& tx) -> Status {
    if (person_id.empty()) {
      storage::Person p;
      p.id = s.person_id;
      p.name = "Persoon " + id;
      p.birth_date = ParseDate("1975-05-05");
      p.created_at = opened;
      RETURN_IF_ERROR(tx.persons().Insert(p));
    }
    storage::Report r;
    r.id = s.report_id;
    r.tracking_code = "TC-" + id;
    r.source = "burger";
    r.category = "woonoverlast";
    r.description = "Melding over " + id;
    r.street = "Hoofdstraat 1";
    r.wijk = "Bleijerheide";
    r.municipality = "Kerkrade";
    r.reporter_name = "Melder " + id;
    r.reporter_email = "melder@example.nl";
    r.reporter_phone = "0451234567";
    r.subject_person_id = s.person_id;
    r.status = "gekoppeld";
    r.case_id = id;
    r.received_at = r.updated_at = opened;
    RETURN_IF_ERROR(tx.reports().Insert(r));
    storage::CaseRecord k;
    k.id = id;
    k.type = type;
    const engine::WorkflowDefinition* def = registry.Latest(type);
    k.definition_version = def ? def->version : 1;
    k.state = state;
    k.level = def && !def->levels.empty() ? def->levels.front().id : "regulier";
    k.municipality = "Kerkrade";
    k.subject_person_id = s.person_id;
    k.report_id = s.report_id;
    k.received_at = k.created_at = opened;
    k.updated_at = closed_at;
    k.history = {"open", "afsluiten"};
    k.data = {{"omschrijving", std::string("Inhoud van " + id)}};
    RETURN_IF_ERROR(tx.cases().Insert(k));
    RETURN_IF_ERROR(tx.notes().Insert({"note_" + id, id, "user_x", "Notitie over " + id, opened}));
    RETURN_IF_ERROR(tx.actions().Insert(
        {"action_" + id, id, "Afspraak over " + id, "org_x", "", opened + std::chrono::hours(48), "gereed", opened}));
    RETURN_IF_ERROR(tx.team().Add({id, "org_x", "", "lid", opened}));
    RETURN_IF_ERROR(tx.grants().Insert({"grant_" + id, id, "user_y", "Spoed rond " + id, opened,
                                        opened + std::chrono::hours(1), std::nullopt, ""}));
    return tx.events()
        .Append({0, id, "note.added", opened, "user_x", "{\"text\":\"Notitie over " + id + "\"}"})
        .status();
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return s;
}

std::string PrivacyTest::SeedClosedReport(const std::string& id, const std::string& category, TimePoint closed_at,
                                          const std::string& person_id) {
  Status st = store->Write([&](storage::Transaction& tx) -> Status {
    storage::Person p;
    p.id = person_id;
    p.name = "Persoon " + id;
    p.created_at = closed_at;
    RETURN_IF_ERROR(tx.persons().Insert(p));
    storage::Report r;
    r.id = id;
    r.tracking_code = "TC-" + id;
    r.source = "burger";
    r.category = category;
    r.description = "Losse melding " + id;
    r.street = "Kerkstraat 2";
    r.wijk = "Holz";
    r.municipality = "Kerkrade";
    r.reporter_name = "Melder " + id;
    r.subject_person_id = person_id;
    r.status = "afgesloten";
    r.received_at = r.updated_at = closed_at;
    return tx.reports().Insert(r);
  });
  EXPECT_TRUE(st.ok()) << st.ToString();
  return id;
}

bool PrivacyTest::Verified() {
  auto v = store->VerifyAudit();
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  if (!v.ok()) return false;
  EXPECT_TRUE(v->intact) << "broken at " << v->first_bad_seq << ": " << v->problem;
  return v->intact;
}

}  // namespace casus::privacy::testing
