#include "api/handlers/html_export.h"

#include <map>

namespace casus::api::handlers {
namespace {

// Headings for the keys a reader meets most; other keys show as they are.
const std::map<std::string, std::string, std::less<>>& Labels() {
  static const std::map<std::string, std::string, std::less<>> labels = {
      {"person", "Persoon"},
      {"cases", "Casussen"},
      {"reports", "Meldingen"},
      {"access_log", "Inzage en gebruik (NEN 7513)"},
      {"events", "Tijdlijn"},
      {"notes", "Notities"},
      {"actions", "Afspraken"},
      {"access_grants", "Doorbraak van toegang (break-the-glass)"},
      {"team", "Casusteam"},
      {"deadlines", "Termijnen"},
      {"data", "Vastgelegde gegevens"},
      {"name", "Naam"},
      {"birth_date", "Geboortedatum"},
      {"objected", "Bezwaar gemaakt"},
      {"objected_at", "Bezwaar vastgelegd op"},
      {"bsn_recorded", "BSN vastgelegd"},
      {"generated_at", "Opgesteld op"},
      {"username", "Gebruiker"},
      {"organisation", "Organisatie"},
      {"at", "Tijdstip"},
      {"action", "Handeling"},
      {"reason", "Reden"},
  };
  return labels;
}

std::string Label(std::string_view key) {
  auto it = Labels().find(key);
  return EscapeHtml(it == Labels().end() ? key : std::string_view(it->second));
}

std::string Scalar(const boost::json::value& v) {
  if (v.is_string()) return EscapeHtml(v.get_string());
  if (v.is_bool()) return v.get_bool() ? "ja" : "nee";
  if (v.is_null()) return "&mdash;";
  return EscapeHtml(boost::json::serialize(v));
}

void Render(std::string& out, const boost::json::value& v, int depth);

void RenderObject(std::string& out, const boost::json::object& o, int depth) {
  out += "<dl>";
  for (const auto& [key, value] : o) {
    const bool nested = value.is_object() || (value.is_array() && !value.get_array().empty());
    if (nested && depth < 3) {
      out += "</dl><section><h" + std::to_string(depth + 2) + ">" + Label(key) + "</h" + std::to_string(depth + 2) +
             ">";
      Render(out, value, depth + 1);
      out += "</section><dl>";
    } else {
      out += "<dt>" + Label(key) + "</dt><dd>";
      Render(out, value, depth + 1);
      out += "</dd>";
    }
  }
  out += "</dl>";
}

void Render(std::string& out, const boost::json::value& v, int depth) {
  if (v.is_object()) {
    RenderObject(out, v.get_object(), depth);
  } else if (v.is_array()) {
    const auto& a = v.get_array();
    if (a.empty()) {
      out += "<p>(geen)</p>";
      return;
    }
    out += "<ol>";
    for (const auto& item : a) {
      out += "<li>";
      Render(out, item, depth);
      out += "</li>";
    }
    out += "</ol>";
  } else {
    out += Scalar(v);
  }
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string PersonExportHtml(const boost::json::object& export_json) {
  std::string out =
      "<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\">"
      "<title>Inzageverzoek: gegevens over een persoon</title>"
      "<style>body{font-family:sans-serif;max-width:60rem;margin:1rem auto}dt{font-weight:bold}"
      "dd{margin:0 0 .4rem 1rem}section{border-top:1px solid #999;margin-top:.8rem}"
      "@media print{section{break-inside:avoid-page}}</style></head><body>"
      "<h1>Inzageverzoek (AVG art. 15): alle gegevens over deze persoon</h1>";
  RenderObject(out, export_json, 0);
  out += "</body></html>";
  return out;
}

}  // namespace casus::api::handlers
