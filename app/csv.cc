#include "app/csv.h"

namespace casus::app {

std::string CsvField(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out;
  out.reserve(value.size() + 2);
  out += '"';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string CsvRecord(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    out += CsvField(fields[i]);
  }
  out += "\r\n";
  return out;
}

std::string CsvDocument(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows) {
  std::string out = CsvRecord(header);
  for (const auto& row : rows) out += CsvRecord(row);
  return out;
}

}  // namespace casus::app
