// Casus configuration: defaults from config/casus.yaml, then an optional
// file given with --config, then CASUS_* environment variables.
#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/login_config.h"
#include "common/status.h"
#include "common/time.h"
#include "engine/calendar.h"
#include "engine/engine.h"

namespace casus::app {

// A setting the app keeps as text for the layer that reads it: the HTTPS
// transport's keys under `server:` (checked by api/server/server_config.h,
// so that the app does not know the transport).
struct ConfigSetting {
  std::string source;  // the file, or "environment (CASUS_LISTEN)"
  std::string key;     // under `server:`, e.g. "listen"
  std::string value;   // the scalar as written
};

// App rules that the configuration file keeps under `server:`.
struct AccessLimits {
  int session_idle_minutes = 30;
  int session_absolute_hours = 12;
  int break_glass_minutes = 240;    // how long a break-the-glass grant lasts
  int public_reports_per_hour = 10; // per client address
};

// The deadline service (`deadlines:` in the configuration file).
struct DeadlineConfig {
  // Lead time of the due-soon warning for deadlines that declare none.
  engine::DurationSpec due_soon{engine::DurationSpec::Unit::kWorkingDays, 2};
  int tick_seconds = 60;  // how often the server checks deadlines
};

// A retention period: a number of years, months or days (calendar).
struct RetentionPeriod {
  enum class Unit { kDays, kMonths, kYears };
  Unit unit = Unit::kYears;
  int amount = 5;
  // The instant `period` before `t` (calendar months and years, clamped
  // to the month's last day, in UTC).
  TimePoint Before(TimePoint t) const;
  std::string ToString() const;  // "5y", "18m", "30d"
};
std::optional<RetentionPeriod> ParseRetentionPeriod(const std::string& text);

// Retention after closure (`retention:`; docs/privacy.md).
struct RetentionConfig {
  int interval_hours = 24;  // how often `casus serve` runs the job (and once at start)
  // Audit entries: client address, reason and detail are erased after
  // this; never less than 5 years (NEN 7513). The entries' metadata stays.
  RetentionPeriod audit{RetentionPeriod::Unit::kYears, 5};
  // Per case type: "default" and, where it differs, per terminal state.
  std::map<std::string, std::map<std::string, RetentionPeriod>> cases;
  RetentionPeriod case_fallback{RetentionPeriod::Unit::kYears, 5};  // types not configured
  // Reports closed without a case, per category ("default" for the rest).
  std::map<std::string, RetentionPeriod> reports;

  const RetentionPeriod& ForCase(const std::string& type, const std::string& state) const;
  const RetentionPeriod& ForReport(const std::string& category) const;
};

// Where cases live (`storage:`): SQLite in data_dir (the embedded
// default), or a PostgreSQL database that several Casus nodes may share.
struct StorageConfig {
  enum class Backend { kSqlite, kPostgres };
  Backend backend = Backend::kSqlite;
  std::string postgres_url;  // postgresql://…; secret when it holds a password: never logged whole
};

struct Config {
  std::filesystem::path data_dir = "data";
  StorageConfig storage;
  std::filesystem::path workflows_dir = "workflows";
  std::string synchronous = "FULL";
  engine::CalendarOptions calendar;
  std::map<std::string, engine::Settings> municipalities;  // by municipality name
  AccessLimits limits;
  // The transport's settings, in the order given (later ones win).
  std::vector<ConfigSetting> server_settings;
  DeadlineConfig deadlines;
  RetentionConfig retention;
  LoginConfig login;  // OpenID providers and local accounts (app/login_config.h)

  // The settings guards see for a case of `municipality`; an unconfigured
  // municipality has every flag off (deny by default).
  engine::Settings SettingsFor(const std::string& municipality) const;
  std::filesystem::path DatabasePath() const { return data_dir / "casus.db"; }
};

// Applies one YAML document over `config`. InvalidArgument naming the file
// and key on unknown keys or bad values.
Status ApplyConfigFile(const std::filesystem::path& file, Config& config);
Status ApplyConfigText(const std::string& yaml_text, const std::string& file_name, Config& config);
// CASUS_DATA_DIR, CASUS_WORKFLOWS_DIR, CASUS_SYNCHRONOUS, CASUS_DATABASE_URL
// (a PostgreSQL URL: selects the postgres backend); CASUS_LISTEN,
// CASUS_TLS_CERT, CASUS_TLS_KEY and CASUS_WEB_ROOT go to server_settings.
Status ApplyEnvironment(Config& config);

// `path` when absolute or present relative to the working directory, else
// the same relative path inside the source tree this binary was built from.
std::filesystem::path ResolveBesideSource(const std::filesystem::path& path);

// The built-in defaults file: ./config/casus.yaml when present, else the
// one in the source tree this binary was built from.
std::filesystem::path DefaultConfigFile();

// Defaults file, then `override_file` when given, then the environment.
StatusOr<Config> LoadConfig(const std::optional<std::filesystem::path>& override_file);

}  // namespace casus::app
