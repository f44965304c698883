// The one YAML document of a workflow file, parsed with yaml-cpp without
// its LoadAll: yaml-cpp 0.7 (Debian 12) stalls on a ',' that starts a token
// outside a flow collection ("!a,", "- a:\n, b"): the scanner hands out a
// flow-entry token the block parser never consumes, and every further
// document it reports is an empty one at the same place, so LoadAll
// allocates documents until memory runs out (yaml-cpp issue #1040, fixed
// upstream in 0.8.x). Found by fuzz/fuzz_workflow_loader. Here documents
// are only counted, at most two, with yaml-cpp's event parser.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

namespace casus::engine {

struct YamlDocument {
  YAML::Node node;    // when error is empty
  std::string error;  // e.g. "the file is empty"; with " (line N)" where known
};

// Throws YAML::Exception for a syntax error yaml-cpp reports itself.
YamlDocument LoadSingleYamlDocument(const std::string& text);

}  // namespace casus::engine
