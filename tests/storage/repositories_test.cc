// Round trips through every repository, and their refusals: the same
// tests on SQLite and on PostgreSQL (tests/support/backends.h).
#include <gtest/gtest.h>

#include "storage/audit_hash.h"
#include "tests/support/backends.h"
#include "tests/storage/test_db.h"

namespace casus::storage::testing {
namespace {

using casus::testing::Backend;
using casus::testing::BackendName;
using casus::testing::OpenBackend;

class RepositoryTest : public StorageTest, public ::testing::WithParamInterface<Backend> {
 protected:
  void SetUp() override {
    std::string skip;
    store_ = OpenBackend(GetParam(), dir_.path(), &skip);
    if (!skip.empty()) GTEST_SKIP() << skip;
    ASSERT_NE(store_, nullptr);
  }
  // A subject person for cases (cases.subject_person_id is a foreign key).
  void AddPerson(const std::string& id = "person_1") {
    MustWrite(*store_, [&](Transaction& tx) { return tx.persons().Insert(MakePerson(id, "Piet de Vries")); });
  }
  void AddCase(const std::string& id, const std::string& person_id = "person_1") {
    MustWrite(*store_, [&](Transaction& tx) { return tx.cases().Insert(MakeCase(id, person_id)); });
  }
  std::unique_ptr<Store> store_;
};

TEST_P(RepositoryTest, OrganisationsRoundTripAndRefuseDuplicateName) {
  MustWrite(*store_, [](Transaction& tx) {
    RETURN_IF_ERROR(tx.organisations().Insert(MakeOrganisation("org_2", "Politie Limburg")));
    return tx.organisations().Insert(MakeOrganisation("org_1", "Gemeente Heerlen"));
  });
  Status dup = store_->Write(
      [](Transaction& tx) { return tx.organisations().Insert(MakeOrganisation("org_3", "Politie Limburg")); });
  EXPECT_EQ(dup.code(), StatusCode::kFailedPrecondition) << dup.ToString();

  MustWrite(*store_, [](Transaction&) { return Status::Ok(); });
  ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
    auto got = tx.organisations().Get("org_1");
    EXPECT_TRUE(got.ok());
    EXPECT_EQ(got->id, "org_1");
    EXPECT_EQ(got->name, "Gemeente Heerlen");
    EXPECT_EQ(got->type, "gemeente");
    EXPECT_EQ(got->municipality, "Heerlen");

    EXPECT_EQ(tx.organisations().Get("org_9").status().code(), StatusCode::kNotFound);

    auto found = tx.organisations().FindByName("Politie Limburg");
    EXPECT_TRUE(found.ok() && found->has_value());
    EXPECT_EQ((*found)->id, "org_2");
    auto absent = tx.organisations().FindByName("Halt");
    EXPECT_TRUE(absent.ok());
    EXPECT_FALSE(absent->has_value());

    auto list = tx.organisations().List();
    EXPECT_TRUE(list.ok());
    EXPECT_EQ(list->size(), 2u);  // the duplicate was not stored
    EXPECT_EQ(list->at(0).name, "Gemeente Heerlen");
    EXPECT_EQ(list->at(1).name, "Politie Limburg");
    return Status::Ok();
  }).ok());
}

TEST_P(RepositoryTest, UsersRoundTripAndRefuseDuplicateUsername) {
  User disabled = MakeUser("user_2", "bob", "org_1");
  disabled.disabled = true;
  disabled.roles = {};
  MustWrite(*store_, [&](Transaction& tx) {
    RETURN_IF_ERROR(tx.users().Insert(MakeUser("user_1", "alice", "org_1")));
    return tx.users().Insert(disabled);
  });
  Status dup = store_->Write([](Transaction& tx) { return tx.users().Insert(MakeUser("user_3", "alice", "org_1")); });
  EXPECT_EQ(dup.code(), StatusCode::kFailedPrecondition);

  ASSERT_TRUE(store_->Read([&](Transaction& tx) -> Status {
    auto alice = tx.users().Get("user_1");
    EXPECT_TRUE(alice.ok());
    User want = MakeUser("user_1", "alice", "org_1");
    EXPECT_EQ(alice->username, want.username);
    EXPECT_EQ(alice->org_id, want.org_id);
    EXPECT_EQ(alice->roles, want.roles);
    EXPECT_EQ(alice->password_hash, want.password_hash);
    EXPECT_EQ(alice->totp_secret, want.totp_secret);
    EXPECT_FALSE(alice->disabled);
    EXPECT_EQ(alice->created_at, want.created_at);

    auto bob = tx.users().FindByUsername("bob");
    EXPECT_TRUE(bob.ok() && bob->has_value());
    EXPECT_TRUE((*bob)->disabled);
    EXPECT_TRUE((*bob)->roles.empty());
    EXPECT_FALSE(tx.users().FindByUsername("carol")->has_value());
    EXPECT_EQ(tx.users().Get("user_9").status().code(), StatusCode::kNotFound);

    auto list = tx.users().List();
    EXPECT_EQ(list->size(), 2u);
    EXPECT_EQ(list->at(0).username, "alice");
    return Status::Ok();
  }).ok());
}

TEST_P(RepositoryTest, PersonsRoundTripAndFindByNameCaseInsensitively) {
  Person no_details;
  no_details.id = "person_2";
  no_details.name = "Piet de Vries";
  no_details.created_at = At(2, 11);
  MustWrite(*store_, [&](Transaction& tx) {
    RETURN_IF_ERROR(tx.persons().Insert(MakePerson("person_1", "Piet de Vries")));
    RETURN_IF_ERROR(tx.persons().Insert(no_details));
    return tx.persons().Insert(MakePerson("person_3", "Anna Smit"));
  });
  ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
    auto p = tx.persons().Get("person_1");
    EXPECT_TRUE(p.ok());
    EXPECT_EQ(p->name, "Piet de Vries");
    EXPECT_EQ(p->birth_date, (Date{std::chrono::year{1990}, std::chrono::month{2}, std::chrono::day{28}}));
    EXPECT_EQ(p->bsn, std::optional<std::string>("123456782"));
    EXPECT_EQ(p->created_at, At(2, 10));

    auto bare = tx.persons().Get("person_2");
    EXPECT_FALSE(bare->birth_date.has_value());
    EXPECT_FALSE(bare->bsn.has_value());
    EXPECT_EQ(tx.persons().Get("nobody").status().code(), StatusCode::kNotFound);

    auto any = tx.persons().FindByName("PIET DE VRIES", std::nullopt);
    EXPECT_EQ(any->size(), 2u);
    EXPECT_EQ(any->at(0).id, "person_1");
    EXPECT_EQ(any->at(1).id, "person_2");
    auto dated = tx.persons().FindByName("piet de vries",
                                         Date{std::chrono::year{1990}, std::chrono::month{2}, std::chrono::day{28}});
    EXPECT_EQ(dated->size(), 1u);
    EXPECT_EQ(dated->at(0).id, "person_1");
    auto other_date = tx.persons().FindByName("Piet de Vries",
                                              Date{std::chrono::year{1991}, std::chrono::month{1}, std::chrono::day{1}});
    EXPECT_TRUE(other_date->empty());
    EXPECT_TRUE(tx.persons().FindByName("Piet", std::nullopt)->empty());  // exact, not prefix
    return Status::Ok();
  }).ok());
}

TEST_P(RepositoryTest, ReportsRoundTripUpdateAndListNewestFirst) {
  AddPerson();
  Report a = MakeReport("rep_a", "TRK-A", At(10));
  Report b = MakeReport("rep_b", "TRK-B", At(11));
  b.category = "woonoverlast";
  b.subject_person_id = "person_1";
  Report c = MakeReport("rep_c", "TRK-C", At(12));
  c.municipality = "Kerkrade";
  MustWrite(*store_, [&](Transaction& tx) {
    RETURN_IF_ERROR(tx.reports().Insert(a));
    RETURN_IF_ERROR(tx.reports().Insert(b));
    return tx.reports().Insert(c);
  });
  Status dup =
      store_->Write([](Transaction& tx) { return tx.reports().Insert(MakeReport("rep_d", "TRK-A", At(13))); });
  EXPECT_EQ(dup.code(), StatusCode::kFailedPrecondition);

  a.status = "gekoppeld";
  a.case_id = "case_1";
  a.updated_at = At(14);
  MustWrite(*store_, [&](Transaction& tx) { return tx.reports().Update(a); });
  Status missing =
      store_->Write([](Transaction& tx) { return tx.reports().Update(MakeReport("rep_x", "TRK-X", At(1))); });
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);

  ASSERT_TRUE(store_->Read([&](Transaction& tx) -> Status {
    auto got = tx.reports().Get("rep_a");
    EXPECT_TRUE(got.ok());
    EXPECT_EQ(got->tracking_code, "TRK-A");
    EXPECT_EQ(got->source, "burger");
    EXPECT_EQ(got->description, a.description);
    EXPECT_EQ(got->incident_code, "E33");
    EXPECT_EQ(got->street, "Akerstraat 1");
    EXPECT_EQ(got->wijk, "Centrum");
    EXPECT_EQ(got->reporter_name, "J. Jansen");
    EXPECT_EQ(got->reporter_email, "j@example.nl");
    EXPECT_EQ(got->reporter_phone, "0451234567");
    EXPECT_FALSE(got->subject_person_id.has_value());
    EXPECT_EQ(got->status, "gekoppeld");
    EXPECT_EQ(got->case_id, std::optional<std::string>("case_1"));
    EXPECT_EQ(got->received_at, At(10));
    EXPECT_EQ(got->updated_at, At(14));

    auto by_code = tx.reports().GetByTrackingCode("TRK-B");
    EXPECT_EQ(by_code->id, "rep_b");
    EXPECT_EQ(by_code->subject_person_id, std::optional<std::string>("person_1"));
    EXPECT_EQ(tx.reports().GetByTrackingCode("TRK-NONE").status().code(), StatusCode::kNotFound);
    EXPECT_EQ(tx.reports().Get("rep_none").status().code(), StatusCode::kNotFound);

    auto all = tx.reports().List(ReportFilter{});
    EXPECT_EQ(all->size(), 3u);
    EXPECT_EQ(all->at(0).id, "rep_c");
    EXPECT_EQ(all->at(2).id, "rep_a");

    ReportFilter f;
    f.municipality = "Heerlen";
    f.since = At(11);
    auto filtered = tx.reports().List(f);
    EXPECT_EQ(filtered->size(), 1u);
    EXPECT_EQ(filtered->at(0).id, "rep_b");

    ReportFilter by_status;
    by_status.status = "gekoppeld";
    by_status.category = "overlast";
    EXPECT_EQ(tx.reports().List(by_status)->size(), 1u);

    ReportFilter limited;
    limited.limit = 2;
    auto two = tx.reports().List(limited);
    EXPECT_EQ(two->size(), 2u);
    EXPECT_EQ(two->at(1).id, "rep_b");

    ReportFilter bad;
    bad.limit = 0;
    EXPECT_EQ(tx.reports().List(bad).status().code(), StatusCode::kInvalidArgument);
    return Status::Ok();
  }).ok());
}

TEST_P(RepositoryTest, CaseRoundTripKeepsEveryFieldDeadlinesAndExactData) {
  AddPerson();
  MustWrite(*store_, [](Transaction& tx) { return tx.reports().Insert(MakeReport("rep_1", "TRK-1", At(1))); });
  CaseRecord want = MakeCase("case_1", "person_1");
  want.report_id = "rep_1";
  MustWrite(*store_, [&](Transaction& tx) { return tx.cases().Insert(want); });

  ASSERT_TRUE(store_->Read([&](Transaction& tx) -> Status {
    auto got = tx.cases().Get("case_1");
    EXPECT_TRUE(got.ok()) << got.status().ToString();
    EXPECT_EQ(got->id, want.id);
    EXPECT_EQ(got->case_number, "WVGGZ-2026-0001");  // assigned on insert (case_number_test.cc)
    EXPECT_EQ(got->type, "wvggz");
    EXPECT_EQ(got->definition_version, 3);
    EXPECT_EQ(got->state, "aangemeld");
    EXPECT_EQ(got->level, "regulier");
    EXPECT_EQ(got->version, 1);
    EXPECT_EQ(got->municipality, "Kerkrade");
    EXPECT_EQ(got->confidentiality, 2);
    EXPECT_EQ(got->subject_person_id, "person_1");
    EXPECT_EQ(got->report_id, std::optional<std::string>("rep_1"));
    EXPECT_EQ(got->received_at, want.received_at);
    EXPECT_EQ(got->created_at, want.created_at);
    EXPECT_EQ(got->updated_at, want.updated_at);
    EXPECT_EQ(got->deadlines, want.deadlines);  // order, cleared and active alike
    EXPECT_EQ(got->history, want.history);
    EXPECT_EQ(got->data, want.data);  // bool stays bool, int64 extremes exact
    EXPECT_TRUE(std::holds_alternative<bool>(got->data.at("zero_bool")));
    EXPECT_EQ(tx.cases().Get("case_none").status().code(), StatusCode::kNotFound);
    return Status::Ok();
  }).ok());
}

TEST_P(RepositoryTest, CaseUpdateBumpsVersionAndRefusesStaleOrMissing) {
  AddPerson();
  AddCase("case_1");
  CaseRecord next = MakeCase("case_1", "person_1");
  next.state = "verrijking";
  next.level = "opgeschaald";
  next.deadlines = {engine::DeadlineState{"besluit", At(4), At(6), std::nullopt}};
  next.history.push_back("opschalen");
  next.data = {{"urgent", false}};
  MustWrite(*store_, [&](Transaction& tx) { return tx.cases().Update(next, 1); });

  Status stale = store_->Write([&](Transaction& tx) { return tx.cases().Update(next, 1); });
  EXPECT_EQ(stale.code(), StatusCode::kAborted);
  EXPECT_NE(stale.message().find("stale version"), std::string::npos) << stale.message();
  Status missing = store_->Write([&](Transaction& tx) { return tx.cases().Update(MakeCase("case_x", ""), 1); });
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);

  ASSERT_TRUE(store_->Read([&](Transaction& tx) -> Status {
    auto got = tx.cases().Get("case_1");
    EXPECT_EQ(got->version, 2);
    EXPECT_EQ(got->state, "verrijking");
    EXPECT_EQ(got->level, "opgeschaald");
    EXPECT_EQ(got->deadlines, next.deadlines);  // replaced, not appended
    EXPECT_EQ(got->history, next.history);
    EXPECT_EQ(got->data, next.data);
    return Status::Ok();
  }).ok());
}

TEST_P(RepositoryTest, CaseRefersToExistingPersonAndReportOnly) {
  Status no_person = store_->Write([](Transaction& tx) { return tx.cases().Insert(MakeCase("case_1", "ghost")); });
  EXPECT_EQ(no_person.code(), StatusCode::kFailedPrecondition) << no_person.ToString();
  AddPerson();
  CaseRecord with_report = MakeCase("case_2", "person_1");
  with_report.report_id = "rep_ghost";
  Status no_report = store_->Write([&](Transaction& tx) { return tx.cases().Insert(with_report); });
  EXPECT_EQ(no_report.code(), StatusCode::kFailedPrecondition);
  // An empty subject is stored as NULL and comes back empty.
  MustWrite(*store_, [](Transaction& tx) { return tx.cases().Insert(MakeCase("case_3", "")); });
  Status dup = store_->Write([](Transaction& tx) { return tx.cases().Insert(MakeCase("case_3", "")); });
  EXPECT_EQ(dup.code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
    EXPECT_EQ(tx.cases().Get("case_3")->subject_person_id, "");
    EXPECT_EQ(tx.cases().Get("case_1").status().code(), StatusCode::kNotFound);
    return Status::Ok();
  }).ok());
}

TEST_P(RepositoryTest, CaseListFiltersAndPagesById) {
  AddPerson("person_1");
  AddPerson("person_2");
  MustWrite(*store_, [](Transaction& tx) {
    for (int i = 1; i <= 5; ++i) {
      CaseRecord k = MakeCase("case_" + std::to_string(i), i <= 3 ? "person_1" : "person_2");
      if (i % 2 == 0) k.state = "besluit";
      if (i == 5) k.type = "signalen";
      if (i == 4) k.level = "hoog";
      if (i == 1) k.municipality = "Heerlen";
      RETURN_IF_ERROR(tx.cases().Insert(k));
    }
    return Status::Ok();
  });
  auto ids = [](const std::vector<CaseRecord>& cases) {
    std::vector<std::string> out;
    for (const auto& k : cases) out.push_back(k.id);
    return out;
  };
  ASSERT_TRUE(store_->Read([&](Transaction& tx) -> Status {
    using V = std::vector<std::string>;
    EXPECT_EQ(ids(*tx.cases().List(CaseFilter{})), (V{"case_1", "case_2", "case_3", "case_4", "case_5"}));
    CaseFilter f;
    f.type = "wvggz";
    f.state = "aangemeld";
    EXPECT_EQ(ids(*tx.cases().List(f)), (V{"case_1", "case_3"}));
    CaseFilter by_subject;
    by_subject.subject_person_id = "person_2";
    EXPECT_EQ(ids(*tx.cases().List(by_subject)), (V{"case_4", "case_5"}));
    CaseFilter by_level;
    by_level.level = "hoog";
    EXPECT_EQ(ids(*tx.cases().List(by_level)), (V{"case_4"}));
    CaseFilter by_muni;
    by_muni.municipality = "Heerlen";
    EXPECT_EQ(ids(*tx.cases().List(by_muni)), (V{"case_1"}));
    CaseFilter page;
    page.limit = 2;
    page.after_id = "case_2";
    auto paged = tx.cases().List(page);
    EXPECT_EQ(ids(*paged), (V{"case_3", "case_4"}));
    EXPECT_EQ(paged->at(0).deadlines.size(), 2u);  // lists carry deadlines too
    page.limit = -1;
    EXPECT_EQ(tx.cases().List(page).status().code(), StatusCode::kInvalidArgument);
    return Status::Ok();
  }).ok());
}

TEST_P(RepositoryTest, EventsAppendWithIncreasingIdsAndListByCaseAndCursor) {
  AddPerson();
  AddCase("case_1");
  AddCase("case_2");
  std::vector<std::int64_t> ids;
  MustWrite(*store_, [&](Transaction& tx) -> Status {
    for (int i = 0; i < 4; ++i) {
      CaseEvent e{0, i % 2 == 0 ? "case_1" : "case_2", "case.transitioned", At(6, 10, i), "user_1",
                  "{\"from\":\"a\",\"to\":\"b\",\"i\":" + std::to_string(i) + "}"};
      ASSIGN_OR_RETURN(std::int64_t id, tx.events().Append(e));
      ids.push_back(id);
    }
    ASSIGN_OR_RETURN(std::int64_t id, tx.events().Append(CaseEvent{0, "case_1", "note.added", At(7), "system", ""}));
    ids.push_back(id);
    return Status::Ok();
  });
  ASSERT_EQ(ids.size(), 5u);
  for (std::size_t i = 1; i < ids.size(); ++i) EXPECT_GT(ids[i], ids[i - 1]);

  Status not_object = store_->Write([](Transaction& tx) {
    return tx.events().Append(CaseEvent{0, "case_1", "x", At(7), "u", "[1,2]"}).status();
  });
  EXPECT_EQ(not_object.code(), StatusCode::kInvalidArgument);
  Status no_case = store_->Write([](Transaction& tx) {
    return tx.events().Append(CaseEvent{0, "case_ghost", "x", At(7), "u", "{}"}).status();
  });
  EXPECT_EQ(no_case.code(), StatusCode::kFailedPrecondition);

  ASSERT_TRUE(store_->Read([&](Transaction& tx) -> Status {
    auto one = tx.events().ListForCase("case_1");
    EXPECT_EQ(one->size(), 3u);
    EXPECT_EQ(one->at(0).id, ids[0]);
    EXPECT_EQ(one->at(0).case_id, "case_1");
    EXPECT_EQ(one->at(0).type, "case.transitioned");
    EXPECT_EQ(one->at(0).at, At(6, 10, 0));
    EXPECT_EQ(one->at(0).actor_user_id, "user_1");
    EXPECT_EQ(one->at(0).payload_json, "{\"from\":\"a\",\"to\":\"b\",\"i\":0}");
    EXPECT_EQ(one->at(2).payload_json, "{}");  // empty payload stored as the empty object
    auto after = tx.events().ListAfter(ids[1], 2);
    EXPECT_EQ(after->size(), 2u);
    EXPECT_EQ(after->at(0).id, ids[2]);
    EXPECT_EQ(after->at(1).id, ids[3]);
    EXPECT_TRUE(tx.events().ListAfter(ids[4], 10)->empty());
    EXPECT_EQ(tx.events().ListAfter(0, 0).status().code(), StatusCode::kInvalidArgument);
    return Status::Ok();
  }).ok());
}

TEST_P(RepositoryTest, NotesActionsAndTeamRoundTrip) {
  AddPerson();
  AddCase("case_1");
  Action action{"act_1", "case_1", "Huisbezoek plannen", "org_ggz", "user_1", At(20), "open", At(6)};
  MustWrite(*store_, [&](Transaction& tx) {
    RETURN_IF_ERROR(tx.notes().Insert(Note{"note_2", "case_1", "user_1", "tweede", At(6, 12)}));
    RETURN_IF_ERROR(tx.notes().Insert(Note{"note_1", "case_1", "user_2", "eerste", At(6, 11)}));
    RETURN_IF_ERROR(tx.actions().Insert(action));
    RETURN_IF_ERROR(tx.team().Add(TeamMember{"case_1", "org_ggz", "", "lid", At(6)}));
    return tx.team().Add(TeamMember{"case_1", "org_ggz", "user_1", "regisseur", At(6, 13)});
  });
  Status again = store_->Write(
      [](Transaction& tx) { return tx.team().Add(TeamMember{"case_1", "org_ggz", "", "deelnemer", At(7)}); });
  EXPECT_EQ(again.code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(again.message().find("already a member"), std::string::npos);

  action.status = "gereed";
  action.owner_user_id = "";
  action.due_at = At(21);
  MustWrite(*store_, [&](Transaction& tx) { return tx.actions().Update(action); });
  Status missing = store_->Write([&](Transaction& tx) {
    Action ghost = action;
    ghost.id = "act_ghost";
    return tx.actions().Update(ghost);
  });
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);

  ASSERT_TRUE(store_->Read([&](Transaction& tx) -> Status {
    auto notes = tx.notes().ListForCase("case_1");
    EXPECT_EQ(notes->size(), 2u);
    EXPECT_EQ(notes->at(0).id, "note_1");  // by creation time
    EXPECT_EQ(notes->at(0).author_user_id, "user_2");
    EXPECT_EQ(notes->at(0).text, "eerste");
    EXPECT_EQ(notes->at(1).created_at, At(6, 12));

    auto actions = tx.actions().ListForCase("case_1");
    EXPECT_EQ(actions->size(), 1u);
    EXPECT_EQ(actions->at(0).status, "gereed");
    EXPECT_EQ(actions->at(0).owner_user_id, "");
    EXPECT_EQ(actions->at(0).owner_org_id, "org_ggz");
    EXPECT_EQ(actions->at(0).due_at, At(21));
    EXPECT_EQ(actions->at(0).created_at, At(6));
    EXPECT_EQ(actions->at(0).description, "Huisbezoek plannen");

    auto team = tx.team().ListForCase("case_1");
    EXPECT_EQ(team->size(), 2u);
    EXPECT_EQ(team->at(0).user_id, "");
    EXPECT_EQ(team->at(0).role, "lid");
    EXPECT_EQ(team->at(1).user_id, "user_1");
    EXPECT_EQ(team->at(1).role, "regisseur");
    EXPECT_EQ(team->at(1).added_at, At(6, 13));
    EXPECT_TRUE(tx.notes().ListForCase("case_2")->empty());
    return Status::Ok();
  }).ok());
}

TEST_P(RepositoryTest, DefinitionsArePinnedPerVersion) {
  MustWrite(*store_, [](Transaction& tx) {
    RETURN_IF_ERROR(tx.definitions().Put("wvggz", 1, "type: wvggz\nversion: 1\n"));
    RETURN_IF_ERROR(tx.definitions().Put("wvggz", 2, "type: wvggz\nversion: 2\n"));
    RETURN_IF_ERROR(tx.definitions().Put("signalen", 1, "type: signalen\n"));
    return tx.definitions().Put("wvggz", 1, "type: wvggz\nversion: 1\n");  // same source again: fine
  });
  Status changed = store_->Write([](Transaction& tx) { return tx.definitions().Put("wvggz", 1, "changed"); });
  EXPECT_EQ(changed.code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
    EXPECT_EQ(*tx.definitions().Get("wvggz", 1), std::optional<std::string>("type: wvggz\nversion: 1\n"));
    EXPECT_FALSE(tx.definitions().Get("wvggz", 3)->has_value());
    auto list = tx.definitions().List();
    EXPECT_EQ(list->size(), 3u);
    EXPECT_EQ(list->at(0).type, "signalen");
    EXPECT_EQ(list->at(1).type, "wvggz");
    EXPECT_EQ(list->at(1).version, 1);
    EXPECT_EQ(list->at(2).version, 2);
    EXPECT_EQ(list->at(2).source, "type: wvggz\nversion: 2\n");
    return Status::Ok();
  }).ok());
}

TEST_P(RepositoryTest, AuditAppendAssignsSeqAndChainsAndListPages) {
  std::vector<AuditEntry> appended;
  MustWrite(*store_, [&](Transaction& tx) -> Status {
    for (int i = 1; i <= 3; ++i) {
      ASSIGN_OR_RETURN(AuditEntry e, tx.audit().Append(MakeAuditEntry(i)));
      appended.push_back(e);
    }
    return Status::Ok();
  });
  ASSERT_EQ(appended.size(), 3u);
  EXPECT_EQ(appended[0].seq, 1);
  EXPECT_EQ(appended[0].prev_hash, "");
  EXPECT_EQ(appended[0].hash, AuditEntryHash("", appended[0]));
  EXPECT_EQ(appended[1].seq, 2);
  EXPECT_EQ(appended[1].prev_hash, appended[0].hash);
  EXPECT_EQ(appended[2].prev_hash, appended[1].hash);
  EXPECT_EQ(appended[2].hash.size(), 64u);

  ASSERT_TRUE(store_->Read([&](Transaction& tx) -> Status {
    auto list = tx.audit().List(1, 10);
    EXPECT_EQ(list->size(), 2u);
    const AuditEntry& e = list->at(0);
    const AuditEntry want = MakeAuditEntry(2);
    EXPECT_EQ(e.seq, 2);
    EXPECT_EQ(e.at, want.at);
    EXPECT_EQ(e.action, want.action);
    EXPECT_EQ(e.result, want.result);
    EXPECT_EQ(e.user_id, want.user_id);
    EXPECT_EQ(e.role, want.role);
    EXPECT_EQ(e.org_id, want.org_id);
    EXPECT_EQ(e.on_behalf_of, want.on_behalf_of);
    EXPECT_EQ(e.client, want.client);
    EXPECT_EQ(e.object_type, want.object_type);
    EXPECT_EQ(e.object_id, want.object_id);
    EXPECT_EQ(e.person_id, want.person_id);
    EXPECT_EQ(e.reason, want.reason);
    EXPECT_EQ(e.prev_hash, appended[0].hash);
    EXPECT_EQ(e.hash, appended[1].hash);
    EXPECT_EQ(tx.audit().List(0, 1)->size(), 1u);
    EXPECT_TRUE(tx.audit().List(3, 10)->empty());
    return Status::Ok();
  }).ok());
}

TEST_P(RepositoryTest, WritesInsideReadFailCleanly) {
  AddPerson();
  Status st = store_->Read([](Transaction& tx) { return tx.cases().Insert(MakeCase("case_1", "person_1")); });
  EXPECT_EQ(st.code(), StatusCode::kFailedPrecondition) << st.ToString();
  Status audit = store_->Read([](Transaction& tx) { return tx.audit().Append(MakeAuditEntry(1)).status(); });
  EXPECT_EQ(audit.code(), StatusCode::kFailedPrecondition) << audit.ToString();
  // The reader connections are still usable, and nothing was written.
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
      EXPECT_EQ(tx.cases().Get("case_1").status().code(), StatusCode::kNotFound);
      EXPECT_TRUE(tx.persons().Get("person_1").ok());
      return Status::Ok();
    }).ok());
  }
}

TEST_P(RepositoryTest, ReadReturnsTheWorkStatusAndSurvivesAThrow) {
  Status own = store_->Read([](Transaction&) { return Status::PermissionDenied("not yours"); });
  EXPECT_EQ(own.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(own.message(), "not yours");
  Status thrown = store_->Read([](Transaction&) -> Status { throw std::runtime_error("boom"); });
  EXPECT_EQ(thrown.code(), StatusCode::kInternal);
  EXPECT_NE(thrown.message().find("boom"), std::string::npos);
  EXPECT_TRUE(store_->Read([](Transaction& tx) { return tx.organisations().List().status(); }).ok());
}

TEST_P(RepositoryTest, UserUpdateReplacesEveryFieldAndRefusesMissingOrDuplicate) {
  MustWrite(*store_, [](Transaction& tx) {
    RETURN_IF_ERROR(tx.users().Insert(MakeUser("user_1", "alice", "org_1")));
    return tx.users().Insert(MakeUser("user_2", "bob", "org_1"));
  });
  User changed = MakeUser("user_1", "alice2", "org_2");
  changed.roles = {"admin"};
  changed.password_hash = "new-hash";
  changed.totp_secret = "NEWSECRET";
  changed.disabled = true;
  changed.totp_last_step = 58'000'123;
  MustWrite(*store_, [&](Transaction& tx) { return tx.users().Update(changed); });
  Status missing = store_->Write([](Transaction& tx) { return tx.users().Update(MakeUser("user_9", "x", "o")); });
  EXPECT_EQ(missing.code(), StatusCode::kNotFound);
  Status taken = store_->Write([](Transaction& tx) { return tx.users().Update(MakeUser("user_2", "alice2", "o")); });
  EXPECT_EQ(taken.code(), StatusCode::kFailedPrecondition);
  ASSERT_TRUE(store_->Read([&](Transaction& tx) -> Status {
    auto u = tx.users().Get("user_1");
    EXPECT_EQ(u->username, "alice2");
    EXPECT_EQ(u->org_id, "org_2");
    EXPECT_EQ(u->roles, changed.roles);
    EXPECT_EQ(u->password_hash, "new-hash");
    EXPECT_EQ(u->totp_secret, "NEWSECRET");
    EXPECT_TRUE(u->disabled);
    EXPECT_EQ(u->totp_last_step, 58'000'123);
    EXPECT_EQ(tx.users().Get("user_2")->username, "bob");
    return Status::Ok();
  }).ok());
}

TEST_P(RepositoryTest, TeamCaseIdsForFindsWholeOrganisationAndNamedUser) {
  AddPerson();
  for (const char* id : {"case_1", "case_2", "case_3", "case_4"}) AddCase(id);
  MustWrite(*store_, [](Transaction& tx) {
    RETURN_IF_ERROR(tx.team().Add(TeamMember{"case_1", "org_ggz", "", "lid", At(1)}));
    RETURN_IF_ERROR(tx.team().Add(TeamMember{"case_2", "org_vt", "user_ggz_1", "deelnemer", At(1)}));
    RETURN_IF_ERROR(tx.team().Add(TeamMember{"case_3", "org_ggz", "user_ggz_2", "lid", At(1)}));
    RETURN_IF_ERROR(tx.team().Add(TeamMember{"case_4", "org_vt", "", "lid", At(1)}));
    return tx.team().Add(TeamMember{"case_1", "org_ggz", "user_ggz_1", "regisseur", At(1)});
  });
  ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
    using V = std::vector<std::string>;
    // case_1 once (two rows), case_2 by name; not case_3 (another user of the org).
    EXPECT_EQ(*tx.team().CaseIdsFor("org_ggz", "user_ggz_1", "", 10), (V{"case_1", "case_2"}));
    // No user: the organisation's whole-team memberships only.
    EXPECT_EQ(*tx.team().CaseIdsFor("org_ggz", "", "", 10), (V{"case_1"}));
    EXPECT_EQ(*tx.team().CaseIdsFor("org_vt", "", "", 10), (V{"case_4"}));
    EXPECT_TRUE(tx.team().CaseIdsFor("org_halt", "user_x", "", 10)->empty());
    // Pages: in id order after the cursor, at most `limit`, across both arms.
    EXPECT_EQ(*tx.team().CaseIdsFor("org_ggz", "user_ggz_1", "", 1), (V{"case_1"}));
    EXPECT_EQ(*tx.team().CaseIdsFor("org_ggz", "user_ggz_1", "case_1", 1), (V{"case_2"}));
    EXPECT_TRUE(tx.team().CaseIdsFor("org_ggz", "user_ggz_1", "case_2", 1)->empty());
    EXPECT_EQ(tx.team().CaseIdsFor("org_ggz", "", "", 0).status().code(), StatusCode::kInvalidArgument);
    return Status::Ok();
  }).ok());
}

TEST_P(RepositoryTest, SessionsAreFoundByTokenHashTouchedRevokedAndPurged) {
  Session a{"sess_a", "hash_a", "csrf_a", "user_1", "10.0.0.1", At(1, 9), At(1, 9), At(1, 17), std::nullopt, "", ""};
  Session b{"sess_b", "hash_b", "csrf_b", "user_1", "10.0.0.2", At(1, 10), At(1, 10), At(3, 10), std::nullopt, "", ""};
  Session c{"sess_c", "hash_c", "csrf_c", "user_2", "10.0.0.3", At(1, 11), At(1, 11), At(3, 11), std::nullopt, "", ""};
  MustWrite(*store_, [&](Transaction& tx) {
    RETURN_IF_ERROR(tx.sessions().Insert(a));
    RETURN_IF_ERROR(tx.sessions().Insert(b));
    return tx.sessions().Insert(c);
  });
  Session same_token = c;
  same_token.id = "sess_d";
  EXPECT_EQ(store_->Write([&](Transaction& tx) { return tx.sessions().Insert(same_token); }).code(),
            StatusCode::kFailedPrecondition);

  MustWrite(*store_, [](Transaction& tx) {
    RETURN_IF_ERROR(tx.sessions().Touch("sess_a", At(1, 12)));
    RETURN_IF_ERROR(tx.sessions().Revoke("sess_c", At(1, 13)));
    return tx.sessions().Revoke("sess_c", At(1, 14));  // second logout keeps the first time
  });
  EXPECT_EQ(store_->Write([](Transaction& tx) { return tx.sessions().Touch("sess_x", At(1)); }).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(store_->Write([](Transaction& tx) { return tx.sessions().Revoke("sess_x", At(1)); }).code(),
            StatusCode::kNotFound);

  ASSERT_TRUE(store_->Read([&](Transaction& tx) -> Status {
    auto found = tx.sessions().FindByTokenHash("hash_a");
    EXPECT_TRUE(found.ok() && found->has_value());
    const Session& s = **found;
    EXPECT_EQ(s.id, "sess_a");
    EXPECT_EQ(s.token_hash, "hash_a");
    EXPECT_EQ(s.csrf_hash, "csrf_a");
    EXPECT_EQ(s.user_id, "user_1");
    EXPECT_EQ(s.client, "10.0.0.1");
    EXPECT_EQ(s.created_at, At(1, 9));
    EXPECT_EQ(s.last_seen_at, At(1, 12));
    EXPECT_EQ(s.expires_at, At(1, 17));
    EXPECT_FALSE(s.revoked_at.has_value());
    EXPECT_EQ((*tx.sessions().FindByTokenHash("hash_c"))->revoked_at, std::optional<TimePoint>(At(1, 13)));
    EXPECT_FALSE(tx.sessions().FindByTokenHash("hash_none")->has_value());
    return Status::Ok();
  }).ok());

  MustWrite(*store_, [](Transaction& tx) { return tx.sessions().RevokeAllForUser("user_1", At(1, 15)); });
  std::optional<int> deleted;
  MustWrite(*store_, [&](Transaction& tx) -> Status {
    // Only sess_c ended (revoked 13:00) before 14:00; sess_a and sess_b
    // were revoked at 15:00 and sess_a expires at 17:00.
    ASSIGN_OR_RETURN(deleted, tx.sessions().DeleteEndedBefore(At(1, 14)));
    return Status::Ok();
  });
  EXPECT_EQ(deleted, 1);
  ASSERT_TRUE(store_->Read([](Transaction& tx) -> Status {
    EXPECT_FALSE(tx.sessions().FindByTokenHash("hash_c")->has_value());
    EXPECT_EQ((*tx.sessions().FindByTokenHash("hash_a"))->revoked_at, std::optional<TimePoint>(At(1, 15)));
    EXPECT_EQ((*tx.sessions().FindByTokenHash("hash_b"))->revoked_at, std::optional<TimePoint>(At(1, 15)));
    return Status::Ok();
  }).ok());
  MustWrite(*store_, [&](Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(deleted, tx.sessions().DeleteEndedBefore(At(1, 18)));
    return Status::Ok();
  });
  EXPECT_EQ(deleted, 2);  // sess_a expired, sess_b revoked before 18:00
}

TEST_P(RepositoryTest, AccessGrantsListActiveAndAreReviewedOnce) {
  AddPerson();
  AddCase("case_1");
  AddCase("case_2");
  AccessGrant g1{"grant_1", "case_1", "user_1", "crisis: acute danger", At(1, 9), At(1, 21), std::nullopt, ""};
  AccessGrant g2{"grant_2", "case_2", "user_1", "crisis", At(1, 10), At(1, 11), std::nullopt, ""};
  AccessGrant g3{"grant_3", "case_1", "user_2", "export", At(1, 11), At(2, 11), std::nullopt, ""};
  MustWrite(*store_, [&](Transaction& tx) {
    RETURN_IF_ERROR(tx.grants().Insert(g1));
    RETURN_IF_ERROR(tx.grants().Insert(g2));
    return tx.grants().Insert(g3);
  });
  Status no_case = store_->Write([&](Transaction& tx) {
    AccessGrant ghost = g1;
    ghost.id = "grant_ghost";
    ghost.case_id = "case_ghost";
    return tx.grants().Insert(ghost);
  });
  EXPECT_EQ(no_case.code(), StatusCode::kFailedPrecondition);

  MustWrite(*store_, [](Transaction& tx) { return tx.grants().MarkReviewed("grant_2", "privacy_1", At(1, 12)); });
  EXPECT_EQ(
      store_->Write([](Transaction& tx) { return tx.grants().MarkReviewed("grant_2", "privacy_2", At(1, 13)); }).code(),
      StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      store_->Write([](Transaction& tx) { return tx.grants().MarkReviewed("grant_x", "privacy_2", At(1, 13)); }).code(),
      StatusCode::kNotFound);

  auto ids = [](const std::vector<AccessGrant>& grants) {
    std::vector<std::string> out;
    for (const auto& g : grants) out.push_back(g.id);
    return out;
  };
  ASSERT_TRUE(store_->Read([&](Transaction& tx) -> Status {
    using V = std::vector<std::string>;
    EXPECT_EQ(ids(*tx.grants().ListActive("case_1", "user_1", At(1, 10, 30))), V{"grant_1"});
    EXPECT_TRUE(tx.grants().ListActive("case_1", "user_1", At(1, 21))->empty());  // expiry is exclusive
    EXPECT_EQ(ids(*tx.grants().ListActiveForUser("user_1", At(1, 10, 30))), (V{"grant_1", "grant_2"}));
    EXPECT_EQ(ids(*tx.grants().ListActiveForUser("user_1", At(1, 11))), V{"grant_1"});
    EXPECT_EQ(ids(*tx.grants().ListForCase("case_1")), (V{"grant_1", "grant_3"}));
    EXPECT_EQ(ids(*tx.grants().ListUnreviewed(10)), (V{"grant_1", "grant_3"}));
    EXPECT_EQ(ids(*tx.grants().ListUnreviewed(1)), V{"grant_1"});
    EXPECT_EQ(tx.grants().ListUnreviewed(0).status().code(), StatusCode::kInvalidArgument);

    auto reviewed = tx.grants().ListForCase("case_2");
    EXPECT_EQ(reviewed->size(), 1u);
    const AccessGrant& g = reviewed->at(0);
    EXPECT_EQ(g.user_id, "user_1");
    EXPECT_EQ(g.reason, "crisis");
    EXPECT_EQ(g.granted_at, At(1, 10));
    EXPECT_EQ(g.expires_at, At(1, 11));
    EXPECT_EQ(g.reviewed_at, std::optional<TimePoint>(At(1, 12)));
    EXPECT_EQ(g.reviewed_by, "privacy_1");  // the first review stands
    return Status::Ok();
  }).ok());
}

TEST_P(RepositoryTest, AuditSearchAppliesEveryCriterionInSeqOrder) {
  MustWrite(*store_, [](Transaction& tx) -> Status {
    for (int i = 1; i <= 12; ++i) RETURN_IF_ERROR(tx.audit().Append(MakeAuditEntry(i)).status());
    return Status::Ok();
  });
  auto seqs = [](const std::vector<AuditEntry>& entries) {
    std::vector<std::int64_t> out;
    for (const auto& e : entries) out.push_back(e.seq);
    return out;
  };
  ASSERT_TRUE(store_->Read([&](Transaction& tx) -> Status {
    using V = std::vector<std::int64_t>;
    // MakeAuditEntry(n): user_(n % 3), action case.read for even n, object case_n, at 08:00:00 + n s.
    AuditFilter by_user;
    by_user.user_id = "user_1";
    EXPECT_EQ(seqs(*tx.audit().Search(by_user)), (V{1, 4, 7, 10}));
    AuditFilter combined;
    combined.user_id = "user_1";
    combined.action = "case.read";
    EXPECT_EQ(seqs(*tx.audit().Search(combined)), (V{4, 10}));
    AuditFilter object;
    object.object_type = "case";
    object.object_id = "case_7";
    object.person_id = "person_1";
    EXPECT_EQ(seqs(*tx.audit().Search(object)), (V{7}));
    AuditFilter since;
    since.since = At(5, 8) + std::chrono::seconds{10};
    since.after_seq = 10;
    EXPECT_EQ(seqs(*tx.audit().Search(since)), (V{11, 12}));
    AuditFilter paged;
    paged.limit = 3;
    paged.after_seq = 2;
    EXPECT_EQ(seqs(*tx.audit().Search(paged)), (V{3, 4, 5}));
    AuditFilter nobody;
    nobody.person_id = "person_2";
    EXPECT_TRUE(tx.audit().Search(nobody)->empty());
    AuditFilter bad;
    bad.limit = 0;
    EXPECT_EQ(tx.audit().Search(bad).status().code(), StatusCode::kInvalidArgument);
    return Status::Ok();
  }).ok());
}

INSTANTIATE_TEST_SUITE_P(Backends, RepositoryTest, ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         BackendName);

}  // namespace
}  // namespace casus::storage::testing
