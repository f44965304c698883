// A meeting's decision is atomic (issue #16): the transition, the note, the
// afspraken, their timeline events and audit entries and the decision row
// commit together, or nothing of them does — a refused transition, a stale
// version, an unknown afspraak owner, a storage error.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <set>
#include <thread>

#include "tests/api_handlers/api_fixture.h"

namespace casus::api::handlers::testing {
namespace {

using boost::json::object;
using boost::json::serialize;

// What is on record for one case: compared before and after a decision.
struct DecisionAtomicRecord {
  std::int64_t version = 0;
  std::string state;
  std::vector<storage::Note> notes;
  std::vector<storage::Action> actions;
  std::vector<storage::CaseEvent> events;
  std::vector<storage::AgendaDecision> decisions;
  std::size_t audit_entries = 0;  // all of them, any object
};

class DecisionAtomicTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    meldpunt = AddUser("meldpunt", "meldpunt", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    coordinator = AddUser("oov", "coordinator", "Gemeente Kerkrade", "gemeente", "Kerkrade");
    politie = AddUser("agent", "partner", "Politie Limburg", "politie", "");
    halt = AddUser("halt", "partner", "Halt Limburg", "halt", "");
    fresh = std::string(OpenIaww(meldpunt, "Nieuw Geval").at("id").as_string());
    agendered = std::string(OpenIaww(meldpunt, "Geagendeerd Geval").at("id").as_string());
    ASSERT_EQ(Transition(agendered, "verrijking_starten", {}).status, 200);
    ASSERT_EQ(Transition(agendered, "agenderen", {{"overleg_datum", "2026-03-05"}}).status, 200);
    object meeting{{"case_type", "iaww"},
                   {"municipality", "Kerkrade"},
                   {"name", "IAWW-overleg Kerkrade"},
                   {"participants", boost::json::array{politie.org_id, halt.org_id}}};
    HttpResponse m = Call("POST", "/api/v1/meetings", serialize(meeting), coordinator.token);
    ASSERT_EQ(m.status, 201) << m.body;
    const std::string meeting_id(Json(m).at("id").as_string());
    HttpResponse a = Call("POST", "/api/v1/meetings/" + meeting_id + "/agendas", R"({"date":"2026-03-05"})",
                          coordinator.token);
    ASSERT_EQ(a.status, 201) << a.body;
    agenda_id = std::string(Json(a).at("id").as_string());
    path = "/api/v1/meetings/" + meeting_id + "/agendas/2026-03-05/decisions";
  }

  HttpResponse Transition(const std::string& id, const std::string& name, object data) {
    object body{{"transition", name}, {"version", StoredCase(id).version}, {"data", std::move(data)}};
    return Call("POST", "/api/v1/cases/" + id + "/transitions", serialize(body), meldpunt.token);
  }

  DecisionAtomicRecord Recorded(const std::string& id) {
    DecisionAtomicRecord r;
    storage::CaseRecord rec = StoredCase(id);
    r.version = rec.version;
    r.state = rec.state;
    EXPECT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                       ASSIGN_OR_RETURN(r.notes, tx.notes().ListForCase(id));
                       ASSIGN_OR_RETURN(r.actions, tx.actions().ListForCase(id));
                       ASSIGN_OR_RETURN(r.events, tx.events().ListForCase(id));
                       ASSIGN_OR_RETURN(r.decisions, tx.meetings().ListDecisions(agenda_id));
                       return Status::Ok();
                     }).ok());
    r.audit_entries = Audit().size();
    return r;
  }

  // Nothing of a decision is on record: the case, its notes, afspraken,
  // events and the agenda's decisions are as before; `audited` entries were
  // added (a refusal's own "denied" entry, or none).
  void ExpectNothingWritten(const DecisionAtomicRecord& before, const std::string& id, std::size_t audited) {
    DecisionAtomicRecord after = Recorded(id);
    EXPECT_EQ(after.version, before.version);
    EXPECT_EQ(after.state, before.state);
    EXPECT_EQ(after.notes.size(), before.notes.size());
    EXPECT_EQ(after.actions.size(), before.actions.size());
    EXPECT_EQ(after.events.size(), before.events.size());
    EXPECT_EQ(after.decisions.size(), before.decisions.size());
    EXPECT_EQ(after.audit_entries, before.audit_entries + audited);
  }

  // The audit entries appended since `from` entries were on record.
  std::vector<storage::AuditEntry> AuditSince(std::size_t from) {
    auto all = Audit();
    return {all.begin() + static_cast<std::ptrdiff_t>(std::min(from, all.size())), all.end()};
  }

  boost::json::array Actions(const std::string& second_owner_org, const std::string& second_owner_user = "") {
    object second{{"description", "Huisbezoek"}, {"owner_org", second_owner_org}, {"due_at", "2026-03-13T17:00:00Z"}};
    if (!second_owner_user.empty()) second["owner_user"] = second_owner_user;
    return boost::json::array{
        object{{"description", "Buurtonderzoek"}, {"owner_org", politie.org_id}, {"due_at", "2026-03-12T17:00:00Z"}},
        std::move(second)};
  }

  Login meldpunt, coordinator, politie, halt;
  std::string fresh, agendered, agenda_id, path;
};

std::size_t CountDecisionEvents(const std::vector<storage::CaseEvent>& events, const std::string& type) {
  return static_cast<std::size_t>(
      std::count_if(events.begin(), events.end(), [&](const storage::CaseEvent& e) { return e.type == type; }));
}

std::size_t CountDecisionAudit(const std::vector<storage::AuditEntry>& audit, const std::string& action,
                               const std::string& result, const std::string& case_id) {
  return static_cast<std::size_t>(std::count_if(audit.begin(), audit.end(), [&](const storage::AuditEntry& e) {
    return e.action == action && e.result == result && e.object_id == case_id;
  }));
}

TEST_F(DecisionAtomicTest, TransitionNoteAndTwoActionsCommitTogetherOnceEach) {
  const DecisionAtomicRecord before = Recorded(fresh);
  object body{{"case_id", fresh},
              {"transition", "verrijking_starten"},
              {"version", before.version},
              {"note", "Besproken: politie en Halt leveren informatie."},
              {"actions", Actions(halt.org_id, halt.user_id)}};
  HttpResponse r = Call("POST", path, serialize(body), meldpunt.token);
  ASSERT_EQ(r.status, 201) << r.body;
  // The answer's shape: the decision, the note, the afspraken and the case.
  const object j = Json(r).as_object();
  EXPECT_EQ(j.at("case").at("state").as_string(), "verrijking");
  ASSERT_EQ(j.at("actions").as_array().size(), 2u);
  ASSERT_TRUE(j.at("note").is_object());
  EXPECT_EQ(j.at("decision").at("case_id").as_string(), fresh);

  const DecisionAtomicRecord after = Recorded(fresh);
  EXPECT_EQ(after.version, before.version + 1);
  EXPECT_EQ(after.state, "verrijking");
  ASSERT_EQ(after.notes.size(), 1u);
  EXPECT_EQ(after.notes[0].text, "Besproken: politie en Halt leveren informatie.");
  ASSERT_EQ(after.actions.size(), 2u);
  ASSERT_EQ(after.decisions.size(), 1u);
  const std::string note_id(j.at("note").at("id").as_string());
  const std::string first(j.at("actions").at(0).at("id").as_string());
  const std::string second(j.at("actions").at(1).at("id").as_string());
  EXPECT_EQ(after.decisions[0].summary,
            "transition verrijking_starten; note " + note_id + "; action " + first + "; action " + second);
  EXPECT_EQ(after.decisions[0].decided_by, meldpunt.user_id);

  // Each timeline event and audit entry once.
  std::vector<storage::CaseEvent> added(after.events.begin() + static_cast<std::ptrdiff_t>(before.events.size()),
                                        after.events.end());
  EXPECT_EQ(CountDecisionEvents(added, "case.transitioned"), 1u);
  EXPECT_EQ(CountDecisionEvents(added, "note.added"), 1u);
  EXPECT_EQ(CountDecisionEvents(added, "action.added"), 2u);
  const auto audit = AuditSince(before.audit_entries);
  EXPECT_EQ(CountDecisionAudit(audit, "case.transition", "success", fresh), 1u);
  EXPECT_EQ(CountDecisionAudit(audit, "note.create", "success", fresh), 1u);
  EXPECT_EQ(CountDecisionAudit(audit, "action.create", "success", fresh), 2u);
  EXPECT_EQ(CountDecisionAudit(audit, "meeting.decision", "success", fresh), 1u);
  EXPECT_EQ(audit.size(), 5u);
  for (const auto& e : audit) EXPECT_NE(e.result, "denied") << e.action;
}

TEST_F(DecisionAtomicTest, UnknownOwnerOfTheSecondActionWritesNothing) {
  const DecisionAtomicRecord before = Recorded(fresh);
  object body{{"case_id", fresh},
              {"transition", "verrijking_starten"},
              {"version", before.version},
              {"note", "Zou niets mogen opleveren"},
              {"actions", Actions("org_onbekend")}};
  HttpResponse r = Call("POST", path, serialize(body), meldpunt.token);
  EXPECT_EQ(r.status, 422) << r.body;
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_NE(r.body.find("actions[1].owner_org"), std::string::npos) << r.body;
  ExpectNothingWritten(before, fresh, /*audited=*/0);

  // A user who is not of the named organisation: the same, without a transition.
  object user_body{{"case_id", fresh}, {"note", "Ook niets"}, {"actions", Actions(halt.org_id, politie.user_id)}};
  HttpResponse u = Call("POST", path, serialize(user_body), meldpunt.token);
  EXPECT_EQ(u.status, 422) << u.body;
  EXPECT_NE(u.body.find("actions[1].owner_user"), std::string::npos) << u.body;
  ExpectNothingWritten(before, fresh, /*audited=*/0);
}

TEST_F(DecisionAtomicTest, StaleVersionWritesOnlyItsRefusal) {
  const DecisionAtomicRecord before = Recorded(fresh);
  object body{{"case_id", fresh},
              {"transition", "verrijking_starten"},
              {"version", before.version + 7},
              {"note", "Nee"},
              {"actions", Actions(halt.org_id)}};
  HttpResponse r = Call("POST", path, serialize(body), meldpunt.token);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_TRUE(Json(r).as_object().contains("allowed_transitions")) << r.body;
  // The refusal itself is audited (NEN 7513), as with any refused transition.
  ExpectNothingWritten(before, fresh, /*audited=*/1);
  const auto audit = AuditSince(before.audit_entries);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "case.transition");
  EXPECT_EQ(audit[0].result, "denied");
}

TEST_F(DecisionAtomicTest, RefusedTransitionWritesOnlyItsRefusal) {
  // plan_vaststellen is the regisseur's: the meldpunt is refused.
  const DecisionAtomicRecord before = Recorded(agendered);
  object body{{"case_id", agendered},
              {"transition", "plan_vaststellen"},
              {"version", before.version},
              {"data", object{{"afspraken", "x"}}},
              {"note", "Zou niets mogen opleveren"},
              {"actions", Actions(halt.org_id)}};
  HttpResponse r = Call("POST", path, serialize(body), meldpunt.token);
  EXPECT_EQ(r.status, 403) << r.body;
  ExpectNothingWritten(before, agendered, /*audited=*/1);
  const auto audit = AuditSince(before.audit_entries);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "case.transition");
  EXPECT_EQ(audit[0].result, "denied");
  EXPECT_EQ(audit[0].object_id, agendered);
}

TEST_F(DecisionAtomicTest, NeedToKnowRefusalOfTheNoteWritesOnlyItsRefusal) {
  // The police are on no team of this case: their note and afspraak are refused.
  const DecisionAtomicRecord before = Recorded(fresh);
  object body{{"case_id", fresh}, {"note", "Niet van ons"}, {"actions", Actions(halt.org_id)}};
  HttpResponse r = Call("POST", path, serialize(body), politie.token);
  EXPECT_EQ(r.status, 403) << r.body;
  ExpectNothingWritten(before, fresh, /*audited=*/1);
  const auto audit = AuditSince(before.audit_entries);
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].action, "note.create");
  EXPECT_EQ(audit[0].result, "denied");
}

TEST_F(DecisionAtomicTest, StorageErrorOnTheDecisionRowWritesNothing) {
  const DecisionAtomicRecord before = Recorded(fresh);
  // The decision row is the last row the write set inserts: without its
  // table, the transition, note and afspraken before it must roll back too.
  ASSERT_EQ(RawExec("DROP TABLE agenda_decisions;"), "");
  object body{{"case_id", fresh},
              {"transition", "verrijking_starten"},
              {"version", before.version},
              {"note", "Zou niets mogen opleveren"},
              {"actions", Actions(halt.org_id)}};
  HttpResponse r = Call("POST", path, serialize(body), meldpunt.token);
  EXPECT_GE(r.status, 500) << r.body;  // Internal or Unavailable, by backend
  storage::CaseRecord rec = StoredCase(fresh);
  EXPECT_EQ(rec.version, before.version);
  EXPECT_EQ(rec.state, before.state);
  std::vector<storage::Note> notes;
  std::vector<storage::Action> actions;
  std::vector<storage::CaseEvent> events;
  ASSERT_TRUE(store->Read([&](storage::Transaction& tx) -> Status {
                       ASSIGN_OR_RETURN(notes, tx.notes().ListForCase(fresh));
                       ASSIGN_OR_RETURN(actions, tx.actions().ListForCase(fresh));
                       ASSIGN_OR_RETURN(events, tx.events().ListForCase(fresh));
                       return Status::Ok();
                     }).ok());
  EXPECT_EQ(notes.size(), before.notes.size());
  EXPECT_EQ(actions.size(), before.actions.size());
  EXPECT_EQ(events.size(), before.events.size());
  EXPECT_EQ(Audit().size(), before.audit_entries);
}

TEST_F(DecisionAtomicTest, OfTwoDecisionsOnTheSameVersionOneCommitsWholeTheOtherNothing) {
  const DecisionAtomicRecord before = Recorded(fresh);
  // Hold the writer, so that both decisions are planned on the same
  // snapshot and meet at the commit: the second finds the case moved on,
  // is planned again and refused as stale, with nothing of it written.
  std::promise<void> holding, release;
  std::shared_future<void> released = release.get_future().share();
  ASSERT_TRUE(store
                  ->SubmitWrite(
                      [&](storage::Transaction&) {
                        holding.set_value();
                        released.wait();
                        return Status::Ok();
                      },
                      nullptr)
                  .ok());
  holding.get_future().wait();
  auto decide = [&](const std::string& note) {
    object body{{"case_id", fresh},
                {"transition", "verrijking_starten"},
                {"version", before.version},
                {"note", note},
                {"actions", Actions(halt.org_id)}};
    return std::async(std::launch::async, [this, body] { return Call("POST", path, serialize(body), meldpunt.token); });
  };
  auto a = decide("Besluit A");
  auto b = decide("Besluit B");
  for (int i = 0; i < 2000 && store->WriteQueueDepth() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  release.set_value();
  HttpResponse first = a.get();
  HttpResponse second = b.get();
  std::multiset<int> statuses{first.status, second.status};
  EXPECT_EQ(statuses, (std::multiset<int>{201, 409})) << first.body << second.body;

  const DecisionAtomicRecord after = Recorded(fresh);
  EXPECT_EQ(after.version, before.version + 1);
  ASSERT_EQ(after.notes.size(), 1u);
  EXPECT_EQ(after.notes[0].text, first.status == 201 ? "Besluit A" : "Besluit B");
  EXPECT_EQ(after.actions.size(), 2u);
  EXPECT_EQ(after.decisions.size(), 1u);
  const auto audit = AuditSince(before.audit_entries);
  EXPECT_EQ(CountDecisionAudit(audit, "meeting.decision", "success", fresh), 1u);
  EXPECT_EQ(CountDecisionAudit(audit, "note.create", "success", fresh), 1u);
  EXPECT_EQ(CountDecisionAudit(audit, "case.transition", "denied", fresh), 1u);
}

}  // namespace
}  // namespace casus::api::handlers::testing
