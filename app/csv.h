// RFC 4180 CSV output: CRLF line endings; a field is quoted when it holds a
// comma, a double quote, CR or LF, with quotes doubled inside. UTF-8 text
// passes through unchanged.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace casus::app {

// One field, quoted only when needed.
std::string CsvField(std::string_view value);
// One record followed by CRLF.
std::string CsvRecord(const std::vector<std::string>& fields);
// A header record and the data records.
std::string CsvDocument(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);

}  // namespace casus::app
