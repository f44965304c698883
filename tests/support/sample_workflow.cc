#include "tests/support/sample_workflow.h"

namespace casus::testing {

using engine::DeadlineSpec;
using engine::FieldType;
using engine::LevelChange;

engine::WorkflowDefinition SampleWorkflow(int version) {
  engine::WorkflowDefinition d;
  d.id = "iaww";
  d.version = version;
  d.states = {{"nieuw", "Nieuw", true, false}, {"bezig", "Bezig", false, false}, {"klaar", "Klaar", false, true}};
  d.levels = {{"laag", "Laag"}, {"midden", "Midden"}, {"hoog", "Hoog"}};
  d.open = {{"meldpunt"}, {"gemeente"}, {{"bron", FieldType::kEnum, {"burger", "politie"}, "", false}}, {}};
  d.transitions = {
      {"start", "Start", {"nieuw"}, "bezig", {"regisseur"}, {}, {{"plan", FieldType::kText, {}, "", false}}, {}, {}},
      {"opschalen", "Opschalen", {"nieuw", "bezig"}, "", {"coordinator"}, {}, {}, {}, {LevelChange::Kind::kRaise, ""}},
      {"afschalen", "Afschalen", {"nieuw", "bezig"}, "", {"coordinator"}, {}, {}, {}, {LevelChange::Kind::kLower, ""}},
      {"maatregel", "Maatregel", {"bezig"}, "", {"burgemeester"}, {"gemeente"},
       {{"c1", FieldType::kBool, {}, "", false}, {"c2", FieldType::kBool, {}, "", false}},
       {{"config_enabled", {{"key", {"apv"}}}}, {"prior_transition", {{"any_of", {"opschalen"}}}},
        {"all_true", {{"fields", {"c1", "c2"}}}}},
       {LevelChange::Kind::kSet, "hoog"}},
      {"afronden", "Afronden", {"bezig"}, "klaar", {"regisseur"}, {}, {}, {}, {}},
  };
  DeadlineSpec received;
  received.id = "besluit";
  received.legal_basis = "art. 5:2 Wvggz";
  received.duration = {engine::DurationSpec::Unit::kCalendarDays, 14};
  received.start_on_open = true;
  received.anchor = DeadlineSpec::Anchor::kReceived;
  received.cleared_by = {"klaar"};
  DeadlineSpec on_enter;
  on_enter.id = "uitvoering";
  on_enter.legal_basis = "werkafspraak";
  on_enter.duration = {engine::DurationSpec::Unit::kHours, 24};
  on_enter.start_on_enter = {"bezig"};
  on_enter.cleared_by = {"klaar"};
  DeadlineSpec on_transition;
  on_transition.id = "evaluatie";
  on_transition.legal_basis = "werkafspraak";
  on_transition.duration = {engine::DurationSpec::Unit::kCalendarDays, 28};
  on_transition.longer_when_field = "eigen_plan";
  on_transition.longer_duration = engine::DurationSpec{engine::DurationSpec::Unit::kCalendarDays, 42};
  on_transition.start_on_transition = {"opschalen"};
  d.deadlines = {received, on_enter, on_transition};
  return d;
}

}  // namespace casus::testing
