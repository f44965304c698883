// Casus configuration: defaults from config/casus.yaml, then an optional
// file given with --config, then CASUS_* environment variables.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"
#include "engine/calendar.h"
#include "engine/engine.h"

namespace casus::app {

struct Config {
  std::filesystem::path data_dir = "data";
  std::filesystem::path workflows_dir = "workflows";
  std::string synchronous = "FULL";
  engine::CalendarOptions calendar;
  std::map<std::string, engine::Settings> municipalities;  // by municipality name

  // The settings guards see for a case of `municipality`; an unconfigured
  // municipality has every flag off (deny by default).
  engine::Settings SettingsFor(const std::string& municipality) const;
  std::filesystem::path DatabasePath() const { return data_dir / "casus.db"; }
};

// Applies one YAML document over `config`. InvalidArgument naming the file
// and key on unknown keys or bad values.
Status ApplyConfigFile(const std::filesystem::path& file, Config& config);
Status ApplyConfigText(const std::string& yaml_text, const std::string& file_name, Config& config);
// CASUS_DATA_DIR, CASUS_WORKFLOWS_DIR, CASUS_SYNCHRONOUS.
Status ApplyEnvironment(Config& config);

// The built-in defaults file: ./config/casus.yaml when present, else the
// one in the source tree this binary was built from.
std::filesystem::path DefaultConfigFile();

// Defaults file, then `override_file` when given, then the environment.
StatusOr<Config> LoadConfig(const std::optional<std::filesystem::path>& override_file);

}  // namespace casus::app
