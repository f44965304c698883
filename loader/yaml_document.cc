#include "loader/yaml_document.h"

#include <yaml-cpp/eventhandler.h>

#include <sstream>

namespace casus::engine {
namespace {

// Records where a document's first event is; ignores the rest.
class DocumentStart : public YAML::EventHandler {
 public:
  const YAML::Mark& mark() const { return mark_; }

  void OnDocumentStart(const YAML::Mark& mark) override { Note(mark); }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t) override { Note(mark); }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override { Note(mark); }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t, const std::string&) override {
    Note(mark);
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {
    Note(mark);
  }
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {
    Note(mark);
  }
  void OnMapEnd() override {}

 private:
  void Note(const YAML::Mark& mark) {
    if (!seen_) mark_ = mark;
    seen_ = true;
  }
  bool seen_ = false;
  YAML::Mark mark_ = YAML::Mark::null_mark();
};

std::string Line(const YAML::Mark& mark) {
  return mark.is_null() ? "" : " (line " + std::to_string(mark.line + 1) + ")";
}

}  // namespace

YamlDocument LoadSingleYamlDocument(const std::string& text) {
  std::istringstream in(text);
  YAML::Parser parser(in);
  DocumentStart first, second;
  if (!parser.HandleNextDocument(first)) return {{}, "the file is empty"};
  if (parser.HandleNextDocument(second)) {
    const YAML::Mark& at = second.mark();
    const bool stray_comma = !at.is_null() && at.pos >= 0 && static_cast<std::size_t>(at.pos) < text.size() &&
                             text[static_cast<std::size_t>(at.pos)] == ',';
    if (stray_comma)
      return {{}, "YAML syntax error: a ',' outside a [ ] list or { } map" + Line(at) +
                      "; a comma that separates items goes at the end of the previous line"};
    return {{}, "expected one YAML document, found another" + Line(at)};
  }
  // Exactly one document: yaml-cpp's Load reads only the first one.
  return {YAML::Load(text), ""};
}

}  // namespace casus::engine
