// Definition-wide tests, run for each workflow file (kCaseTypes): they load,
// every path to every end is walkable, every transition is takeable from
// each state it lists, and everything outside a transition's states, roles,
// organisation types and data is refused with the exact reason.
#include <regex>

#include "engine/vocabulary.h"
#include "common/contains.h"
#include "tests/workflows/harness.h"

namespace casus::workflows_test {
namespace {

std::set<std::string> AsSet(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

std::string Ids(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " -> ") + s;
  return out;
}

TEST(WorkflowFiles, AllLoadWithoutErrors) {
  const auto& result = Loaded();
  for (const auto& e : result.errors) ADD_FAILURE() << e.ToString();
  EXPECT_TRUE(result.ok());
  std::set<std::string> ids;
  for (const auto& d : result.definitions) {
    ids.insert(d.id);
    // Bumped when a file changed (databases pin versions): deadline
    // consequences; overleg, report_outcome, suggest_for and the monitoring
    // evaluation; suspendable norms (and, for the Wvggz, why its terms are not).
    EXPECT_EQ(d.version, d.id == "wvggz" ? 5 : d.id == "iaww" ? 4 : d.id == "huisverbod" ? 2 : 3) << d.id;
  }
  EXPECT_EQ(ids, (std::set<std::string>(std::begin(kCaseTypes), std::end(kCaseTypes))));
}

class EachWorkflow : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    def_ = Find(GetParam());
    ASSERT_NE(def_, nullptr) << GetParam() << ".yaml did not load";
  }
  const WorkflowDefinition& def() const { return *def_; }
  Context Ctx(TimePoint now = At("2026-03-02T12:00:00Z")) const { return Context{now, &calendar_, &settings_}; }

  const WorkflowDefinition* def_ = nullptr;
  engine::DutchCalendar calendar_{tz::Amsterdam()};
  Settings settings_;
};

// Lowercase snake_case ids, Dutch labels present, a legal basis on every
// deadline, and the role conventions of DOMAIN.md §2/§5.
TEST_P(EachWorkflow, FollowsConventions) {
  const std::regex snake("[a-z][a-z0-9]*(_[a-z0-9]+)*");
  auto check_id = [&](const std::string& id, const std::string& what) {
    EXPECT_TRUE(std::regex_match(id, snake)) << what << " " << id;
  };
  EXPECT_FALSE(def().label.empty());
  for (const auto& s : def().states) {
    check_id(s.id, "state");
    EXPECT_FALSE(s.label.empty()) << s.id;
  }
  for (const auto& l : def().levels) {
    check_id(l.id, "level");
    EXPECT_FALSE(l.label.empty()) << l.id;
  }
  for (const auto& f : def().open.fields) {
    check_id(f.name, "open field");
    EXPECT_FALSE(f.label.empty()) << f.name;
  }
  for (const auto& d : def().deadlines) {
    check_id(d.id, "deadline");
    EXPECT_FALSE(d.label.empty()) << d.id;
    EXPECT_FALSE(d.legal_basis.empty()) << d.id;
    EXPECT_FALSE(d.cleared_by.empty()) << d.id;
  }
  EXPECT_FALSE(Contains(def().open.roles, "admin"));
  EXPECT_FALSE(Contains(def().open.roles, "privacy_officer"));
  EXPECT_FALSE(Contains(def().open.roles, "system"));
  for (const auto& t : def().transitions) {
    check_id(t.name, "transition");
    EXPECT_FALSE(t.label.empty()) << t.name;
    for (const auto& f : t.fields) {
      check_id(f.name, "field");
      EXPECT_FALSE(f.label.empty()) << t.name << "." << f.name;
    }
    // The functioneel beheerder and the privacy officer never handle cases.
    EXPECT_FALSE(Contains(t.roles, "admin")) << t.name;
    EXPECT_FALSE(Contains(t.roles, "privacy_officer")) << t.name;
    // Partners contribute but do not close.
    const auto* to = def().FindState(t.to);
    if (to && to->terminal) {
      EXPECT_FALSE(Contains(t.roles, "partner")) << t.name;
    }
    // The burgemeester takes measures, and nothing but the burgemeester does.
    // The huisverbod is the burgemeester's from decision to withdrawal (Wth art. 2, 9).
    bool measure = t.name == "crisismaatregel_nemen" || t.name == "gedragsaanwijzing_opleggen" ||
                   (def().id == "huisverbod" && (t.name == "huisverbod_opleggen" || t.name == "afzien_van_huisverbod" ||
                                                 t.name == "huisverbod_verlengen" || t.name == "huisverbod_intrekken"));
    EXPECT_EQ(Contains(t.roles, "burgemeester"), measure) << t.name;
    if (measure) {
      EXPECT_EQ(t.roles, std::vector<std::string>{"burgemeester"}) << t.name;
    }
    // The system only acts on deadlines that ran out.
    bool on_deadline = std::any_of(t.guards.begin(), t.guards.end(),
                                   [](const GuardSpec& g) { return g.name == "deadline_passed"; });
    EXPECT_EQ(Contains(t.roles, "system"), on_deadline) << t.name;
  }
  for (const auto& s : def().states) {
    if (!s.terminal) continue;
    for (const auto& t : def().transitions) EXPECT_FALSE(Contains(t.from, s.id)) << t.name << " leaves " << s.id;
  }
}

// (b) Every simple path from the initial state to each terminal state can be
// walked with permitted actors and valid data.
TEST_P(EachWorkflow, EveryPathToEveryTerminalStateIsWalkable) {
  auto paths = SimplePathsToTerminals(def());
  std::set<std::string> reached;
  for (const auto& path : paths) {
    Walker w(def());
    ASSERT_TRUE(w.Open(path));
    bool ok = true;
    for (const auto& step : path) {
      auto r = w.Take(step);
      EXPECT_TRUE(r) << "path " << Ids(path);
      if (!r) {
        ok = false;
        break;
      }
    }
    if (!ok) continue;
    const auto* end = def().FindState(w.kase().state);
    ASSERT_NE(end, nullptr);
    EXPECT_TRUE(end->terminal) << Ids(path);
    reached.insert(end->id);
    EXPECT_EQ(w.last().events.back().type, "case.closed") << Ids(path);
  }
  std::set<std::string> terminals;
  for (const auto& s : def().states)
    if (s.terminal) terminals.insert(s.id);
  EXPECT_EQ(reached, terminals);
  EXPECT_GE(paths.size(), terminals.size());
  RecordProperty("paths", static_cast<int>(paths.size()));
}

// (b') Every transition, including those that keep the state (op-/afschalen,
// partner contributions, measures), is takeable from every state it lists.
TEST_P(EachWorkflow, EveryTransitionIsTakeableFromEachOfItsStates) {
  for (const auto& t : def().transitions) {
    for (const auto& from : t.from) {
      auto path = PathTo(def(), from);
      ASSERT_TRUE(path.has_value()) << from << " unreachable";
      std::vector<std::string> planned = *path;
      planned.push_back(t.name);
      Walker w(def());
      ASSERT_TRUE(w.Open(planned));
      bool ok = true;
      for (const auto& step : *path) {
        if (!(ok = w.Take(step))) {
          ADD_FAILURE() << "cannot reach " << from << " via " << Ids(*path);
          break;
        }
      }
      if (!ok) continue;
      EXPECT_TRUE(w.Take(t.name)) << "via " << Ids(*path);
      EXPECT_EQ(w.kase().state, t.to.empty() ? from : t.to) << t.name;
    }
  }
}

// (c) From every other state a transition is refused: not_allowed_in_state
// with what the actor may do instead, or case_closed when the case is closed.
TEST_P(EachWorkflow, TransitionsAreRefusedOutsideTheirStates) {
  for (const auto& t : def().transitions) {
    Actor actor = PermittedActor(t.roles, t.org_types);
    FieldMap data = ValidData(t.fields, t.guards);
    for (const auto& s : def().states) {
      if (Contains(t.from, s.id)) continue;
      CaseState kase = CaseIn(def(), s.id);
      auto out = engine::Transition(def(), kase, Command{t.name, data}, actor, Ctx());
      ASSERT_FALSE(out.ok()) << t.name << " from " << s.id;
      EXPECT_EQ(out.status().code(), StatusCode::kFailedPrecondition) << t.name << " from " << s.id;
      if (s.terminal) {
        EXPECT_EQ(Reason(out.status()), "case_closed") << t.name << " from " << s.id;
        continue;
      }
      EXPECT_EQ(Reason(out.status()), "not_allowed_in_state") << t.name << " from " << s.id;
      ASSERT_NE(out.status().detail(), nullptr);
      EXPECT_EQ(AsSet(out.status().detail()->allowed_transitions), ExpectedAllowed(def(), s.id, actor))
          << t.name << " from " << s.id;
    }
  }
}

TEST_P(EachWorkflow, UnknownTransitionIsNotFound) {
  CaseState kase = CaseIn(def(), def().InitialState()->id);
  auto out = engine::Transition(def(), kase, Command{"heropenen", {}}, MakeActor("coordinator", "gemeente"), Ctx());
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.status().code(), StatusCode::kNotFound);
  EXPECT_EQ(Reason(out.status()), "unknown_transition");
}

// (d) Every role a transition does not list is refused (role_refused), every
// organisation type it does not list is refused (org_refused); every listed
// role and organisation type gets past the actor check.
TEST_P(EachWorkflow, RolesAndOrganisationTypesOutsideATransitionAreRefused) {
  for (const auto& t : def().transitions) {
    CaseState kase = CaseIn(def(), t.from.front());
    FieldMap data = ValidData(t.fields, t.guards);
    std::string allowed_org = t.org_types.empty() ? "gemeente" : t.org_types.front();
    for (std::string_view r : engine::kRoles) {
      std::string role(r);
      auto out = engine::Transition(def(), kase, Command{t.name, data}, MakeActor(role, allowed_org), Ctx());
      if (Contains(t.roles, role)) {
        EXPECT_NE(Reason(out.status()), "role_refused") << t.name << " " << role;
        EXPECT_NE(Reason(out.status()), "org_refused") << t.name << " " << role;
      } else {
        ASSERT_FALSE(out.ok()) << t.name << " taken by " << role;
        EXPECT_EQ(out.status().code(), StatusCode::kPermissionDenied) << t.name << " " << role;
        EXPECT_EQ(Reason(out.status()), "role_refused") << t.name << " " << role;
      }
    }
    for (std::string_view o : engine::kOrgTypes) {
      std::string org(o);
      for (const auto& role : t.roles) {
        auto out = engine::Transition(def(), kase, Command{t.name, data}, MakeActor(role, org), Ctx());
        if (t.org_types.empty() || Contains(t.org_types, org)) {
          EXPECT_NE(Reason(out.status()), "org_refused") << t.name << " " << role << "@" << org;
        } else {
          ASSERT_FALSE(out.ok()) << t.name << " taken by " << role << "@" << org;
          EXPECT_EQ(out.status().code(), StatusCode::kPermissionDenied);
          EXPECT_EQ(Reason(out.status()), "org_refused") << t.name << " " << role << "@" << org;
        }
      }
    }
  }
}

TEST_P(EachWorkflow, OpeningIsRefusedForOtherRolesAndOrganisationTypes) {
  AgeBounds bounds;
  bounds.Add(def().open.guards);
  TimePoint now = At("2026-03-02T12:00:00Z");
  OpenRequest req{"Kerkrade", BirthDateForAge(bounds.Pick(), calendar_.LocalDate(now)), std::nullopt,
                  ValidData(def().open.fields, def().open.guards)};
  std::string allowed_org = def().open.org_types.empty() ? "gemeente" : def().open.org_types.front();
  for (std::string_view r : engine::kRoles) {
    std::string role(r);
    auto out = engine::Open(def(), req, MakeActor(role, allowed_org), Ctx(now));
    if (Contains(def().open.roles, role)) {
      EXPECT_TRUE(out.ok()) << role << ": " << out.status().ToString();
    } else {
      ASSERT_FALSE(out.ok()) << role;
      EXPECT_EQ(out.status().code(), StatusCode::kPermissionDenied) << role;
      EXPECT_EQ(Reason(out.status()), "role_refused") << role;
    }
  }
  for (std::string_view o : engine::kOrgTypes) {
    std::string org(o);
    for (const auto& role : def().open.roles) {
      auto out = engine::Open(def(), req, MakeActor(role, org), Ctx(now));
      if (def().open.org_types.empty() || Contains(def().open.org_types, org)) {
        EXPECT_TRUE(out.ok()) << role << "@" << org << ": " << out.status().ToString();
      } else {
        ASSERT_FALSE(out.ok()) << role << "@" << org;
        EXPECT_EQ(Reason(out.status()), "org_refused") << role << "@" << org;
      }
    }
  }
}

// (e) Each required field missing, each field malformed and an undeclared
// field are refused with invalid_data naming exactly that field.
TEST_P(EachWorkflow, MissingOrMalformedTransitionDataIsNamed) {
  for (const auto& t : def().transitions) {
    CaseState kase = CaseIn(def(), t.from.front());
    Actor actor = PermittedActor(t.roles, t.org_types);
    FieldMap valid = ValidData(t.fields, t.guards);
    auto refused_naming = [&](const FieldMap& data, const std::string& field, const std::string& what) {
      auto out = engine::Transition(def(), kase, Command{t.name, data}, actor, Ctx());
      ASSERT_FALSE(out.ok()) << t.name << " " << what << " " << field;
      EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument) << t.name << " " << what << " " << field;
      EXPECT_EQ(Reason(out.status()), "invalid_data") << t.name << " " << what << " " << field;
      EXPECT_EQ(FieldErrorNames(out.status()), std::vector<std::string>{field}) << t.name << " " << what;
    };
    for (const auto& f : t.fields) {
      if (!f.optional) {
        FieldMap data = valid;
        data.erase(f.name);
        refused_naming(data, f.name, "missing");
      }
      FieldMap data = valid;
      data[f.name] = InvalidValue(f);
      refused_naming(data, f.name, "malformed");
    }
    FieldMap extra = valid;
    extra["niet_gedeclareerd"] = Text("x");
    refused_naming(extra, "niet_gedeclareerd", "undeclared");
  }
}

TEST_P(EachWorkflow, MissingOrMalformedOpeningDataIsNamed) {
  AgeBounds bounds;
  bounds.Add(def().open.guards);
  TimePoint now = At("2026-03-02T12:00:00Z");
  Date birth = BirthDateForAge(bounds.Pick(), calendar_.LocalDate(now));
  Actor actor = PermittedActor(def().open.roles, def().open.org_types);
  FieldMap valid = ValidData(def().open.fields, def().open.guards);
  auto refused_naming = [&](const FieldMap& data, const std::string& field, const std::string& what) {
    auto out = engine::Open(def(), OpenRequest{"Kerkrade", birth, std::nullopt, data}, actor, Ctx(now));
    ASSERT_FALSE(out.ok()) << what << " " << field;
    EXPECT_EQ(out.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(Reason(out.status()), "invalid_data");
    EXPECT_EQ(FieldErrorNames(out.status()), std::vector<std::string>{field}) << what;
  };
  for (const auto& f : def().open.fields) {
    if (!f.optional) {
      FieldMap data = valid;
      data.erase(f.name);
      refused_naming(data, f.name, "missing");
    }
    FieldMap data = valid;
    data[f.name] = InvalidValue(f);
    refused_naming(data, f.name, "malformed");
  }
  FieldMap extra = valid;
  extra["niet_gedeclareerd"] = Text("x");
  refused_naming(extra, "niet_gedeclareerd", "undeclared");
  auto ok = engine::Open(def(), OpenRequest{"Kerkrade", birth, std::nullopt, valid}, actor, Ctx(now));
  EXPECT_TRUE(ok.ok()) << ok.status().ToString();
}

// AllowedTransitions offers exactly what the definition grants per state, role and organisation type.
TEST_P(EachWorkflow, AllowedTransitionsMatchTheDefinition) {
  for (const auto& s : def().states) {
    CaseState kase = CaseIn(def(), s.id);
    for (std::string_view r : engine::kRoles) {
      for (std::string_view o : engine::kOrgTypes) {
        Actor actor = MakeActor(std::string(r), std::string(o));
        std::set<std::string> got;
        for (const auto& a : engine::AllowedTransitions(def(), kase, actor)) got.insert(a.name);
        EXPECT_EQ(got, ExpectedAllowed(def(), s.id, actor)) << s.id << " " << r << "@" << o;
        if (s.terminal) {
          EXPECT_TRUE(got.empty()) << s.id;
        }
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Workflows, EachWorkflow,
                         ::testing::ValuesIn(std::vector<std::string>(std::begin(kCaseTypes), std::end(kCaseTypes))),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace casus::workflows_test
