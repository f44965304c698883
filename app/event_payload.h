// JSON payloads for the case timeline (case_events.payload_json).
#pragma once

#include <string>

#include "engine/engine.h"

namespace casus::app {

// The event's attributes as a JSON object: {"from":"aangemeld","to":"verrijking",...}.
std::string EventPayloadJson(const engine::DomainEvent& event);
// A payload with a single text attribute, e.g. {"note_id":"note_1"}.
std::string SingleAttributeJson(const std::string& key, const std::string& value);

}  // namespace casus::app
