#include "app/event_payload.h"

#include <boost/json.hpp>

namespace casus::app {

std::string EventPayloadJson(const engine::DomainEvent& event) {
  boost::json::object obj;
  for (const auto& [key, value] : event.attrs) obj[key] = value;
  return boost::json::serialize(obj);
}

std::string SingleAttributeJson(const std::string& key, const std::string& value) {
  boost::json::object obj;
  obj[key] = value;
  return boost::json::serialize(obj);
}

}  // namespace casus::app
