// The data-subject export as a printable HTML page: the same JSON document
// the API returns, rendered generically (so the page holds exactly what
// the JSON holds), with Dutch headings. Every value is escaped.
#pragma once

#include <boost/json.hpp>
#include <string>
#include <string_view>

namespace casus::api::handlers {

// &, <, >, " and ' as entities.
std::string EscapeHtml(std::string_view text);

// A complete HTML document for a PersonExportJson object.
std::string PersonExportHtml(const boost::json::object& export_json);

}  // namespace casus::api::handlers
