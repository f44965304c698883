// A tiny strict RFC 4180 reader for the tests: records end in CRLF, quoted
// fields may hold commas, CR, LF and doubled quotes. Returns false on any
// malformed input (bare LF, a quote inside an unquoted field, text after a
// closing quote, an unterminated quote, a missing final CRLF).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace casus::testing {

inline bool ParseCsv(std::string_view text, std::vector<std::vector<std::string>>& records) {
  records.clear();
  std::size_t i = 0;
  while (i < text.size()) {
    std::vector<std::string> record;
    while (true) {
      std::string field;
      if (i < text.size() && text[i] == '"') {
        ++i;
        while (true) {
          if (i >= text.size()) return false;
          if (text[i] == '"') {
            if (i + 1 < text.size() && text[i + 1] == '"') {
              field += '"';
              i += 2;
              continue;
            }
            ++i;
            break;
          }
          field += text[i++];
        }
      } else {
        while (i < text.size() && text[i] != ',' && text[i] != '\r' && text[i] != '\n') {
          if (text[i] == '"') return false;
          field += text[i++];
        }
      }
      record.push_back(std::move(field));
      if (i < text.size() && text[i] == ',') {
        ++i;
        continue;
      }
      if (i + 1 < text.size() && text[i] == '\r' && text[i + 1] == '\n') {
        i += 2;
        break;
      }
      return false;  // bare CR/LF, text after a closing quote, or no final CRLF
    }
    records.push_back(std::move(record));
  }
  return true;
}

}  // namespace casus::testing
