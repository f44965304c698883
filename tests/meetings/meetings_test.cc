// Overleggen: agenda contents for a date, need-to-know on agenda items,
// editing, and decisions recorded through CaseService.
#include <gtest/gtest.h>

#include <algorithm>

#include "loader/workflow_loader.h"
#include "tests/api_handlers/api_fixture.h"

namespace casus::api::handlers::testing {
namespace {

using boost::json::object;
using boost::json::serialize;

class MeetingsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    meldpunt = AddUser("meldpunt", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    coordinator = AddUser("oov", "coordinator", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    heerlen = AddUser("meldpunt.heerlen", "meldpunt", "Gemeente Heerlen", "gemeente", "Heerlen");
    politie = AddUser("agent", "partner", "Politie Limburg", "politie", "");
    halt = AddUser("halt", "partner", "Halt Limburg", "halt", "");
  }

  std::string Id(const object& o) { return std::string(o.at("id").as_string()); }

  // Changes the stored case directly (states and times the test needs).
  void Rewrite(const std::string& id, const std::function<void(storage::CaseRecord&)>& change) {
    ASSERT_TRUE(store->Write([&](storage::Transaction& tx) -> Status {
                       ASSIGN_OR_RETURN(auto rec, tx.cases().Get(id));
                       std::int64_t v = rec.version;
                       change(rec);
                       return tx.cases().Update(rec, v);
                     }).ok());
  }

  HttpResponse Transition(const Login& who, const std::string& id, const std::string& name, object data = {}) {
    std::int64_t version = StoredCase(id).version;
    object body{{"transition", name}, {"version", version}, {"data", data}};
    return Call("POST", "/api/v1/cases/" + id + "/transitions", serialize(body), who.token);
  }

  std::string CreateMeeting() {
    object body{{"case_type", "iaww"},
                {"municipality", "Kerkrade"},
                {"name", "IAWW-overleg Kerkrade"},
                {"participants", boost::json::array{politie.org_id, halt.org_id}}};
    HttpResponse r = Call("POST", "/api/v1/meetings", serialize(body), coordinator.token);
    EXPECT_EQ(r.status, 201) << r.body;
    return Id(Json(r).as_object());
  }

  // (case id, reason) in agenda order.
  static std::vector<std::pair<std::string, std::string>> Items(const boost::json::value& agenda) {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& i : agenda.at("items").as_array())
      out.emplace_back(std::string(i.at("case_id").as_string()), std::string(i.at("reason").as_string()));
    return out;
  }

  // The standard set of cases (see AgendaListsTheCasesDueOnTheDate).
  void OpenCases() {
    fresh = Id(OpenIaww(meldpunt, "Nieuw Geval"));
    agendered = Id(OpenIaww(meldpunt, "Geagendeerd Geval"));
    ASSERT_EQ(Transition(meldpunt, agendered, "verrijking_starten").status, 200);
    ASSERT_EQ(Transition(meldpunt, agendered, "agenderen", {{"overleg_datum", "2026-03-05"}}).status, 200);
    // Under monitoring, the evaluation (iaww.yaml monitoring_evaluatie) due
    // before the meeting of 2026-03-05, and one due on 2026-04-03.
    review_due = Id(OpenIaww(meldpunt, "Monitoring Nu"));
    Rewrite(review_due, [&](storage::CaseRecord& r) {
      r.state = "monitoring";
      r.deadlines.push_back({"monitoring_evaluatie", *ParseRfc3339("2026-01-18T10:00:00Z"),
                             *ParseRfc3339("2026-03-01T23:00:00Z"), std::nullopt});
    });
    review_later = Id(OpenIaww(meldpunt, "Monitoring Later"));
    Rewrite(review_later, [&](storage::CaseRecord& r) {
      r.state = "monitoring";
      r.deadlines.push_back({"monitoring_evaluatie", *ParseRfc3339("2026-02-20T10:00:00Z"),
                             *ParseRfc3339("2026-04-03T22:00:00Z"), std::nullopt});
    });
    closed = Id(OpenIaww(meldpunt, "Gesloten Geval"));
    ASSERT_EQ(Transition(meldpunt, closed, "afsluiten_zonder_vervolg", {{"reden", "dubbele_melding"}}).status, 200);
    other_type = Id(OpenIaww(meldpunt, "Ander Type"));
    Rewrite(other_type, [&](storage::CaseRecord& r) {
      r.type = "jpp";
      r.state = "aangemeld";
    });
    other_town = Id(OpenIaww(heerlen, "Heerlens Geval", "Heerlen"));
    // The police take part in the geagendeerde case only.
    HttpResponse t = Call("POST", "/api/v1/cases/" + agendered + "/team", serialize(object{{"org", politie.org_id}}),
                          meldpunt.token);
    ASSERT_EQ(t.status, 201) << t.body;
  }

  Login meldpunt, coordinator, heerlen, politie, halt;
  std::string fresh, agendered, review_due, review_later, closed, other_type, other_town;
};

TEST_F(MeetingsTest, AgendaListsTheCasesDueOnTheDate) {
  OpenCases();
  std::string meeting = CreateMeeting();
  HttpResponse r = Call("POST", "/api/v1/meetings/" + meeting + "/agendas", R"({"date":"2026-03-05"})",
                        coordinator.token);
  ASSERT_EQ(r.status, 201) << r.body;
  std::vector<std::pair<std::string, std::string>> expected{
      {fresh, "new"}, {agendered, "awaiting_overleg"}, {review_due, "review_due"}};
  EXPECT_EQ(Items(Json(r)), expected);
  EXPECT_EQ(Json(r).at("date").as_string(), "2026-03-05");

  // Stored: the same agenda when read back; generating again is refused.
  HttpResponse got = Call("GET", "/api/v1/meetings/" + meeting + "/agendas/2026-03-05", "", coordinator.token);
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(Items(Json(got)), expected);
  EXPECT_EQ(Call("POST", "/api/v1/meetings/" + meeting + "/agendas", R"({"date":"2026-03-05"})", coordinator.token)
                .status,
            409);
  // A later date also catches the later review.
  HttpResponse later = Call("POST", "/api/v1/meetings/" + meeting + "/agendas", R"({"date":"2026-04-03"})",
                            coordinator.token);
  ASSERT_EQ(later.status, 201) << later.body;
  expected.emplace_back(review_later, "review_due");
  EXPECT_EQ(Items(Json(later)), expected);

  auto audit = Audit();
  EXPECT_TRUE(std::any_of(audit.begin(), audit.end(), [&](const storage::AuditEntry& e) {
    return e.action == "meeting.agenda.read" && e.object_id == fresh && e.user_id == coordinator.user_id;
  }));
}

TEST_F(MeetingsTest, PartnerSeesOnlyItsTeamsItemsAndCannotEdit) {
  OpenCases();
  std::string meeting = CreateMeeting();
  ASSERT_EQ(Call("POST", "/api/v1/meetings/" + meeting + "/agendas", R"({"date":"2026-03-05"})", coordinator.token)
                .status,
            201);
  HttpResponse r = Call("GET", "/api/v1/meetings/" + meeting + "/agendas/2026-03-05", "", politie.token);
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<std::pair<std::string, std::string>> only{{agendered, "awaiting_overleg"}};
  EXPECT_EQ(Items(Json(r)), only);
  HttpResponse h = Call("GET", "/api/v1/meetings/" + meeting + "/agendas/2026-03-05", "", halt.token);
  ASSERT_EQ(h.status, 200);
  EXPECT_TRUE(Json(h).at("items").as_array().empty());

  // Participants list the meeting; an outsider neither lists nor reads it.
  HttpResponse list = Call("GET", "/api/v1/meetings", "", politie.token);
  ASSERT_EQ(list.status, 200);
  EXPECT_EQ(Json(list).at("meetings").as_array().size(), 1u);
  EXPECT_TRUE(Json(Call("GET", "/api/v1/meetings", "", heerlen.token)).at("meetings").as_array().empty());
  EXPECT_EQ(Call("GET", "/api/v1/meetings/" + meeting, "", heerlen.token).status, 404);

  EXPECT_EQ(Call("PUT", "/api/v1/meetings/" + meeting + "/agendas/2026-03-05/items",
                 serialize(object{{"items", boost::json::array{object{{"case_id", agendered}}}}}), politie.token)
                .status,
            403);
  EXPECT_EQ(Call("POST", "/api/v1/meetings/" + meeting + "/agendas", R"({"date":"2026-03-12"})", politie.token).status,
            403);
}

TEST_F(MeetingsTest, CreatingIsForOrganisersAndInputIsStrict) {
  object body{{"case_type", "iaww"}, {"municipality", "Kerkrade"}, {"name", "X"}, {"participants", boost::json::array{}}};
  EXPECT_EQ(Call("POST", "/api/v1/meetings", serialize(body), politie.token).status, 403);
  body["municipality"] = "Heerlen";
  EXPECT_EQ(Call("POST", "/api/v1/meetings", serialize(body), coordinator.token).status, 403);
  body["municipality"] = "Maastricht";  // not served here
  EXPECT_EQ(Call("POST", "/api/v1/meetings", serialize(body), coordinator.token).status, 422);
  body["municipality"] = "Kerkrade";
  body["extra"] = 1;
  EXPECT_EQ(Call("POST", "/api/v1/meetings", serialize(body), coordinator.token).status, 400);
  body.erase("extra");
  body["participants"] = boost::json::array{"org_unknown"};  // well-formed but unknown: 422
  EXPECT_EQ(Call("POST", "/api/v1/meetings", serialize(body), coordinator.token).status, 422);
  body["participants"] = "not an array";
  EXPECT_EQ(Call("POST", "/api/v1/meetings", serialize(body), coordinator.token).status, 400);
}

TEST_F(MeetingsTest, ItemsCanBeEditedAndReordered) {
  OpenCases();
  std::string meeting = CreateMeeting();
  ASSERT_EQ(Call("POST", "/api/v1/meetings/" + meeting + "/agendas", R"({"date":"2026-03-05"})", coordinator.token)
                .status,
            201);
  const std::string path = "/api/v1/meetings/" + meeting + "/agendas/2026-03-05/items";
  object body{{"items", boost::json::array{object{{"case_id", review_later}, {"reason", "op verzoek politie"}},
                                           object{{"case_id", fresh}}}}};
  HttpResponse r = Call("PUT", path, serialize(body), coordinator.token);
  ASSERT_EQ(r.status, 200) << r.body;
  std::vector<std::pair<std::string, std::string>> expected{{review_later, "op verzoek politie"}, {fresh, "manual"}};
  EXPECT_EQ(Items(Json(r)), expected);
  // Not a case of this meeting: another municipality.
  object bad{{"items", boost::json::array{object{{"case_id", other_town}}}}};
  EXPECT_EQ(Call("PUT", path, serialize(bad), coordinator.token).status, 422);
  object unknown{{"items", boost::json::array{object{{"case_id", fresh}, {"extra", true}}}}};
  EXPECT_EQ(Call("PUT", path, serialize(unknown), coordinator.token).status, 400);
}

TEST_F(MeetingsTest, DecisionBecomesTransitionNoteAndAction) {
  OpenCases();
  std::string meeting = CreateMeeting();
  ASSERT_EQ(Call("POST", "/api/v1/meetings/" + meeting + "/agendas", R"({"date":"2026-03-05"})", meldpunt.token)
                .status,
            201);
  const std::string path = "/api/v1/meetings/" + meeting + "/agendas/2026-03-05/decisions";
  const std::int64_t version = StoredCase(fresh).version;
  object body{{"case_id", fresh},
              {"transition", "verrijking_starten"},
              {"version", version},
              {"note", "Besproken: politie en woningcorporatie leveren informatie."},
              {"actions", boost::json::array{object{{"description", "Buurtonderzoek"},
                                                    {"owner_org", politie.org_id},
                                                    {"due_at", "2026-03-12T17:00:00Z"}}}}};
  HttpResponse r = Call("POST", path, serialize(body), meldpunt.token);
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = Json(r).as_object();
  EXPECT_EQ(j.at("case").at("state").as_string(), "verrijking");
  EXPECT_EQ(j.at("actions").as_array().size(), 1u);
  EXPECT_TRUE(j.at("note").is_object());

  auto stored = StoredCase(fresh);
  EXPECT_EQ(stored.state, "verrijking");
  EXPECT_EQ(stored.version, version + 1);
  std::vector<storage::CaseEvent> events;
  ASSERT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                     ASSIGN_OR_RETURN(events, tx.events().ListForCase(fresh));
                     return Status::Ok();
                   }).ok());
  auto has_event = [&](const std::string& type) {
    return std::any_of(events.begin(), events.end(), [&](const storage::CaseEvent& e) { return e.type == type; });
  };
  EXPECT_TRUE(has_event("note.added"));
  EXPECT_TRUE(has_event("action.added"));
  auto audit = Audit();
  auto audited = [&](const std::string& action) {
    return std::any_of(audit.begin(), audit.end(), [&](const storage::AuditEntry& e) {
      return e.action == action && e.object_id == fresh && e.result == "success";
    });
  };
  EXPECT_TRUE(audited("case.transition"));
  EXPECT_TRUE(audited("note.create"));
  EXPECT_TRUE(audited("action.create"));
  EXPECT_TRUE(audited("meeting.decision"));

  HttpResponse agenda = Call("GET", "/api/v1/meetings/" + meeting + "/agendas/2026-03-05", "", meldpunt.token);
  ASSERT_EQ(agenda.status, 200);
  ASSERT_EQ(Json(agenda).at("decisions").as_array().size(), 1u);
  EXPECT_EQ(Json(agenda).at("decisions").at(0).at("case_id").as_string(), fresh);
}

TEST_F(MeetingsTest, RefusedOrStaleTransitionRecordsNothingElse) {
  OpenCases();
  std::string meeting = CreateMeeting();
  ASSERT_EQ(Call("POST", "/api/v1/meetings/" + meeting + "/agendas", R"({"date":"2026-03-05"})", meldpunt.token)
                .status,
            201);
  const std::string path = "/api/v1/meetings/" + meeting + "/agendas/2026-03-05/decisions";
  auto notes_of = [&](const std::string& id) {
    std::vector<storage::Note> notes;
    EXPECT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                       ASSIGN_OR_RETURN(notes, tx.notes().ListForCase(id));
                       return Status::Ok();
                     }).ok());
    return notes.size();
  };
  // plan_vaststellen is the regisseur's: the meldpunt is refused.
  const auto before = StoredCase(agendered);
  object refused{{"case_id", agendered},
                 {"transition", "plan_vaststellen"},
                 {"version", before.version},
                 {"data", object{{"afspraken", "x"}}},
                 {"note", "Zou niets mogen opleveren"}};
  HttpResponse r = Call("POST", path, serialize(refused), meldpunt.token);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_EQ(StoredCase(agendered).version, before.version);
  EXPECT_EQ(notes_of(agendered), 0u);

  // A stale version: 409 with what is allowed now.
  object stale{{"case_id", fresh}, {"transition", "verrijking_starten"}, {"version", 99}, {"note", "Nee"}};
  HttpResponse s = Call("POST", path, serialize(stale), meldpunt.token);
  EXPECT_EQ(s.status, 409) << s.body;
  EXPECT_TRUE(Json(s).as_object().contains("allowed_transitions")) << s.body;
  EXPECT_EQ(notes_of(fresh), 0u);

  HttpResponse agenda = Call("GET", "/api/v1/meetings/" + meeting + "/agendas/2026-03-05", "", meldpunt.token);
  EXPECT_TRUE(Json(agenda).at("decisions").as_array().empty());
  auto audit = Audit();
  EXPECT_FALSE(std::any_of(audit.begin(), audit.end(),
                           [](const storage::AuditEntry& e) { return e.action == "meeting.decision"; }));

  // A case not on the agenda is refused before anything happens.
  object off{{"case_id", other_town}, {"note", "x"}};
  EXPECT_EQ(Call("POST", path, serialize(off), meldpunt.token).status, 422);
}

TEST_F(MeetingsTest, RegionWideCasusoverlegIsTheZvhsAndTakesEscalatedCases) {
  Login zvh = AddUser("zvh", "coordinator", "Zorg- en Veiligheidshuis", "zvh", "");
  object body{{"case_type", "iaww"}, {"municipality", "regio"}, {"name", "ZVH casusoverleg"},
              {"participants", boost::json::array{politie.org_id}}};
  EXPECT_EQ(Call("POST", "/api/v1/meetings", serialize(body), coordinator.token).status, 403);
  HttpResponse m = Call("POST", "/api/v1/meetings", serialize(body), zvh.token);
  ASSERT_EQ(m.status, 201) << m.body;
  std::string meeting = Id(Json(m).as_object());
  std::string kerkrade = Id(OpenIaww(meldpunt, "Opgeschaald Kerkrade"));
  std::string heerlen_case = Id(OpenIaww(heerlen, "Opgeschaald Heerlen", "Heerlen"));
  std::string not_escalated = Id(OpenIaww(meldpunt, "Niet Opgeschaald"));
  for (const auto& id : {kerkrade, heerlen_case})
    Rewrite(id, [](storage::CaseRecord& r) { r.state = "opgeschaald_zvh"; });
  HttpResponse r = Call("POST", "/api/v1/meetings/" + meeting + "/agendas", R"({"date":"2026-03-05"})", zvh.token);
  ASSERT_EQ(r.status, 201) << r.body;
  auto items = Items(Json(r));
  std::vector<std::pair<std::string, std::string>> expected{{kerkrade, "awaiting_overleg"},
                                                            {heerlen_case, "awaiting_overleg"}};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(items, expected);
}

// iaww.yaml: a case under monitoring is due for review when its
// monitoring_evaluatie deadline is; evaluating restarts the term and
// leaving monitoring clears it.
TEST_F(MeetingsTest, MonitoringReviewFollowsTheWorkflowsDeadline) {
  Login regisseur = AddUser("regie", "regisseur", "Gemeente Kerkrade", "gemeente", "Kerkrade");
  const std::string id = Id(OpenIaww(meldpunt, "In Monitoring"));
  ASSERT_EQ(Transition(meldpunt, id, "verrijking_starten").status, 200);
  ASSERT_EQ(Transition(meldpunt, id, "agenderen", {{"overleg_datum", "2026-03-05"}}).status, 200);
  ASSERT_EQ(Transition(regisseur, id, "plan_vaststellen", {{"afspraken", "Gesprek met bewoner"}}).status, 200);
  ASSERT_EQ(Transition(regisseur, id, "uitvoering_starten").status, 200);
  ASSERT_EQ(Transition(regisseur, id, "monitoring_starten").status, 200);
  // Six weeks from 2026-03-02: due at the end of 2026-04-13 (Amsterdam time).
  auto review = [&] {
    for (const auto& d : StoredCase(id).deadlines)
      if (d.id == "monitoring_evaluatie" && d.active()) return FormatRfc3339(d.due_at);
    return std::string("none");
  };
  EXPECT_EQ(review(), "2026-04-13T22:00:00Z");

  const std::string meeting = CreateMeeting();
  auto agenda = [&](const std::string& date) {
    HttpResponse r = Call("POST", "/api/v1/meetings/" + meeting + "/agendas", R"({"date":")" + date + R"("})",
                          coordinator.token);
    EXPECT_EQ(r.status, 201) << r.body;
    return Items(Json(r));
  };
  using Items_ = std::vector<std::pair<std::string, std::string>>;
  EXPECT_EQ(agenda("2026-04-12"), Items_{});  // not due yet; monitoring alone is no reason
  EXPECT_EQ(agenda("2026-04-13"), (Items_{{id, "review_due"}}));

  // The overleg evaluated it (the term is moved back to make it overdue
  // first): evaluating starts a new term of six weeks from now.
  Rewrite(id, [](storage::CaseRecord& r) {
    for (auto& d : r.deadlines)
      if (d.id == "monitoring_evaluatie") d.due_at = *ParseRfc3339("2026-03-01T23:00:00Z");
  });
  EXPECT_EQ(agenda("2026-03-05"), (Items_{{id, "review_due"}}));
  ASSERT_EQ(Transition(regisseur, id, "monitoring_evalueren", {{"evaluatie_uitkomst", "Rustig"}}).status, 200);
  EXPECT_EQ(review(), "2026-04-13T22:00:00Z");
  EXPECT_EQ(agenda("2026-03-12"), Items_{});

  // Back to uitvoering: the review term is cleared, whatever the date.
  ASSERT_EQ(Transition(regisseur, id, "uitvoering_hervatten", {{"reden", "Nieuwe klachten"}}).status, 200);
  EXPECT_EQ(review(), "none");
  EXPECT_EQ(agenda("2026-05-01"), Items_{});
}

// A workflow file alone gives a new case type its overleg: the default
// cadence and the agenda rules, and an empty region-wide agenda when its
// region_wide block is empty. A type without an overleg section has no
// default cadence and empty agendas.
class YamlMeetingsTest : public MeetingsTest {
 protected:
  void SetUp() override {
    MeetingsTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    for (const std::string& extra :
         {std::string("id: proef\n"
                      "overleg:\n"
                      "  cadence_days: 10\n"
                      "  new_states: [nieuw]\n"
                      "  awaiting_states: [wacht]\n"
                      "  region_wide: {}\n"),
          std::string("id: zonder\n")}) {
      engine::LoadResult loaded = engine::LoadWorkflowText(extra + kBody, "test.yaml");
      ASSERT_TRUE(loaded.ok()) << (loaded.errors.empty() ? "" : loaded.errors[0].ToString());
      ASSERT_TRUE(registry.Add(loaded.definitions.at(0)).ok());
    }
  }

  std::string Open(const std::string& type, const std::string& name) {
    object body{{"type", type}, {"municipality", "Kerkrade"}, {"subject", object{{"name", name}}}};
    HttpResponse r = Call("POST", "/api/v1/cases", serialize(body), meldpunt.token);
    EXPECT_EQ(r.status, 201) << r.body;
    return r.status == 201 ? Id(Json(r).as_object()) : "";
  }

  HttpResponse Create(const std::string& type, const std::string& municipality, const Login& who,
                      std::optional<int> cadence = std::nullopt) {
    object body{{"case_type", type}, {"municipality", municipality}, {"name", "Overleg " + type},
                {"participants", boost::json::array{}}};
    if (cadence) body["cadence_days"] = *cadence;
    return Call("POST", "/api/v1/meetings", serialize(body), who.token);
  }

  static constexpr const char* kBody =
      "version: 1\n"
      "label: Proefzaak\n"
      "levels: [{id: laag, label: Laag}]\n"
      "states:\n"
      "  - {id: nieuw, label: Nieuw, initial: true}\n"
      "  - {id: wacht, label: Wacht op het overleg}\n"
      "  - {id: klaar, label: Klaar, terminal: true}\n"
      "open: {roles: [meldpunt]}\n"
      "transitions:\n"
      "  - {name: agenderen, label: Agenderen, from: nieuw, to: wacht, roles: [meldpunt]}\n"
      "  - {name: afronden, label: Afronden, from: wacht, to: klaar, roles: [meldpunt]}\n";
};

TEST_F(YamlMeetingsTest, RulesAndCadenceComeFromTheFile) {
  const std::string fresh_case = Open("proef", "Nieuwe Proef");
  const std::string waiting = Open("proef", "Wachtende Proef");
  ASSERT_EQ(Transition(meldpunt, waiting, "agenderen").status, 200);
  const std::string done = Open("proef", "Klare Proef");
  ASSERT_EQ(Transition(meldpunt, done, "agenderen").status, 200);
  ASSERT_EQ(Transition(meldpunt, done, "afronden").status, 200);

  HttpResponse m = Create("proef", "Kerkrade", coordinator);
  ASSERT_EQ(m.status, 201) << m.body;
  EXPECT_EQ(Json(m).at("cadence_days").as_int64(), 10);
  HttpResponse r = Call("POST", "/api/v1/meetings/" + Id(Json(m).as_object()) + "/agendas", R"({"date":"2026-03-05"})",
                        coordinator.token);
  ASSERT_EQ(r.status, 201) << r.body;
  std::vector<std::pair<std::string, std::string>> expected{{fresh_case, "new"}, {waiting, "awaiting_overleg"}};
  EXPECT_EQ(Items(Json(r)), expected);

  // region_wide: {} — the ZVH casusoverleg discusses nothing of this type.
  Login zvh = AddUser("zvh", "coordinator", "Zorg- en Veiligheidshuis", "zvh", "");
  HttpResponse regional = Create("proef", "regio", zvh);
  ASSERT_EQ(regional.status, 201) << regional.body;
  HttpResponse ra = Call("POST", "/api/v1/meetings/" + Id(Json(regional).as_object()) + "/agendas",
                         R"({"date":"2026-03-05"})", zvh.token);
  ASSERT_EQ(ra.status, 201) << ra.body;
  EXPECT_TRUE(Json(ra).at("items").as_array().empty());
}

TEST_F(YamlMeetingsTest, TypeWithoutOverlegSectionNeedsACadenceAndHasEmptyAgendas) {
  Open("zonder", "Nieuw Zonder");
  HttpResponse refused = Create("zonder", "Kerkrade", coordinator);
  EXPECT_EQ(refused.status, 422) << refused.body;
  EXPECT_NE(refused.body.find("cadence_days"), std::string::npos) << refused.body;
  HttpResponse m = Create("zonder", "Kerkrade", coordinator, 21);
  ASSERT_EQ(m.status, 201) << m.body;
  EXPECT_EQ(Json(m).at("cadence_days").as_int64(), 21);
  HttpResponse r = Call("POST", "/api/v1/meetings/" + Id(Json(m).as_object()) + "/agendas", R"({"date":"2026-03-05"})",
                        coordinator.token);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(Json(r).at("items").as_array().empty());
  // An unknown type is refused as before.
  EXPECT_EQ(Create("brandweer", "Kerkrade", coordinator, 7).status, 400);
}

TEST_F(MeetingsTest, RepositoryStoresOneAgendaPerDate) {
  OpenCases();
  std::string meeting = CreateMeeting();
  storage::Agenda agenda{"agenda_x", meeting, "2026-03-05", clock.Now(), {{fresh, 1, "new"}, {agendered, 2, "manual"}}};
  ASSERT_TRUE(store->Write([&](storage::Transaction& tx) { return tx.meetings().InsertAgenda(agenda); }).ok());
  Status again = store->Write([&](storage::Transaction& tx) {
    storage::Agenda copy = agenda;
    copy.id = "agenda_y";
    return tx.meetings().InsertAgenda(copy);
  });
  EXPECT_EQ(again.code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                     ASSIGN_OR_RETURN(auto found, tx.meetings().FindAgenda(meeting, "2026-03-05"));
                     EXPECT_TRUE(found.has_value());
                     if (found) {
                       EXPECT_EQ(found->items, agenda.items);
                     }
                     ASSIGN_OR_RETURN(auto none, tx.meetings().FindAgenda(meeting, "2026-03-06"));
                     EXPECT_FALSE(none.has_value());
                     ASSIGN_OR_RETURN(auto m, tx.meetings().Get(meeting));
                     std::vector<std::string> orgs{politie.org_id, halt.org_id};
                     std::sort(orgs.begin(), orgs.end());
                     EXPECT_EQ(m.participant_org_ids, orgs);
                     return Status::Ok();
                   }).ok());
}

}  // namespace
}  // namespace casus::api::handlers::testing
