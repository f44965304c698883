// A small hand-built workflow for tests that must not depend on the
// authored workflow files: three states, three levels, a guarded measure
// and one deadline of each start kind.
#pragma once

#include "engine/definition.h"

namespace casus::testing {

// Version `version` of type "iaww". States nieuw (initial) -> bezig -> klaar
// (terminal); levels laag < midden < hoog. Transitions: start (regisseur,
// requires text "plan"), opschalen/afschalen (coordinator, stay), maatregel
// (burgemeester at a gemeente; guards config_enabled apv, prior_transition
// opschalen, all_true c1 c2; sets level hoog), afronden (regisseur).
// Open: meldpunt at a gemeente, requires enum "bron" (burger|politie).
// Deadlines: besluit 14d from receipt on open; uitvoering 24h on entering
// bezig; evaluatie 4w (6w with eigen_plan) on opschalen; all but evaluatie
// cleared by klaar.
engine::WorkflowDefinition SampleWorkflow(int version = 3);

}  // namespace casus::testing
