#include "app/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "app/report_service.h"

namespace casus::app {
namespace {

Status Bad(const std::string& file, const std::string& key, const std::string& message) {
  return Status::InvalidArgument(file + ": " + key + ": " + message);
}

Status CheckSynchronous(const std::string& file, const std::string& key, const std::string& value) {
  if (value == "FULL" || value == "NORMAL") return Status::Ok();
  return Bad(file, key, "must be FULL or NORMAL, not \"" + value + "\"");
}

Status CheckPostgresUrl(const std::string& file, const std::string& key, const std::string& url) {
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) return Status::Ok();
  return Bad(file, key, "must be a postgresql:// URL");  // the value itself may hold a password: not repeated
}

Status ApplyStorage(const YAML::Node& node, const std::string& file, StorageConfig& storage) {
  if (!node.IsMap()) return Bad(file, "storage", "must be a map");
  for (const auto& entry : node) {
    const std::string k = entry.first.as<std::string>();
    const YAML::Node& v = entry.second;
    if (k == "backend" && v.IsScalar()) {
      const std::string backend = v.as<std::string>();
      if (backend == "sqlite") storage.backend = StorageConfig::Backend::kSqlite;
      else if (backend == "postgres") storage.backend = StorageConfig::Backend::kPostgres;
      else return Bad(file, "storage.backend", "must be sqlite or postgres");
    } else if (k == "postgres" && v.IsMap()) {
      for (const auto& pg : v) {
        const std::string pk = pg.first.as<std::string>();
        if (pk != "url" || !pg.second.IsScalar()) return Bad(file, "storage.postgres." + pk, "unknown setting");
        storage.postgres_url = pg.second.as<std::string>();
        RETURN_IF_ERROR(CheckPostgresUrl(file, "storage.postgres.url", storage.postgres_url));
      }
    } else {
      return Bad(file, "storage." + k, "unknown setting or wrong kind of value");
    }
  }
  return Status::Ok();
}

Status ApplyMunicipalities(const YAML::Node& node, const std::string& file, Config& config) {
  if (!node.IsMap()) return Bad(file, "municipalities", "must be a map of municipality names");
  for (const auto& entry : node) {
    std::string name = entry.first.as<std::string>();
    std::string path = "municipalities." + name;
    if (entry.second.IsNull()) {
      config.municipalities[name];
      continue;
    }
    if (!entry.second.IsMap()) return Bad(file, path, "must be a map of settings");
    engine::Settings& settings = config.municipalities[name];
    for (const auto& flag : entry.second) {
      std::string key = flag.first.as<std::string>();
      bool value = false;
      if (!flag.second.IsScalar() || !YAML::convert<bool>::decode(flag.second, value))
        return Bad(file, path + "." + key, "must be true or false");
      settings.flags[key] = value;
    }
  }
  return Status::Ok();
}

template <typename T>
Status ReadNumber(const YAML::Node& node, const std::string& file, const std::string& key, T min, T max, T& out) {
  T value{};
  if (!node.IsScalar() || !YAML::convert<T>::decode(node, value) || value < min || value > max)
    return Bad(file, key, "must be a number from " + std::to_string(min) + " to " + std::to_string(max));
  out = value;
  return Status::Ok();
}

// `server:` holds the app's access limits and the transport's settings;
// the latter are kept as text for api/server to check.
Status ApplyServer(const YAML::Node& node, const std::string& file, Config& config) {
  if (!node.IsMap()) return Bad(file, "server", "must be a map");
  AccessLimits& a = config.limits;
  for (const auto& entry : node) {
    std::string k = entry.first.as<std::string>();
    std::string key = "server." + k;
    const YAML::Node& v = entry.second;
    if (k == "session_idle_minutes") RETURN_IF_ERROR(ReadNumber(v, file, key, 1, 24 * 60, a.session_idle_minutes));
    else if (k == "session_absolute_hours") RETURN_IF_ERROR(ReadNumber(v, file, key, 1, 24 * 7, a.session_absolute_hours));
    else if (k == "break_glass_minutes") RETURN_IF_ERROR(ReadNumber(v, file, key, 1, 24 * 60 * 7, a.break_glass_minutes));
    else if (k == "public_reports_per_hour")
      RETURN_IF_ERROR(ReadNumber(v, file, key, 1, 100000, a.public_reports_per_hour));
    else if (v.IsScalar()) config.server_settings.push_back({file, k, v.as<std::string>()});
    else return Bad(file, key, "unknown setting or wrong kind of value");
  }
  return Status::Ok();
}

Status ApplyDeadlines(const YAML::Node& node, const std::string& file, DeadlineConfig& d) {
  if (!node.IsMap()) return Bad(file, "deadlines", "must be a map");
  for (const auto& entry : node) {
    std::string k = entry.first.as<std::string>();
    std::string key = "deadlines." + k;
    const YAML::Node& v = entry.second;
    if (k == "tick_seconds") {
      RETURN_IF_ERROR(ReadNumber(v, file, key, 1, 24 * 3600, d.tick_seconds));
    } else if (k == "due_soon" && v.IsScalar()) {
      auto lead = engine::ParseDuration(v.as<std::string>());
      if (!lead) return Bad(file, key, "must be a duration such as 2wd, 3d or 4h");
      d.due_soon = *lead;
    } else {
      return Bad(file, key, "unknown setting or wrong kind of value");
    }
  }
  return Status::Ok();
}

Status ReadPeriod(const YAML::Node& node, const std::string& file, const std::string& key, RetentionPeriod& out) {
  std::optional<RetentionPeriod> period;
  if (node.IsScalar()) period = ParseRetentionPeriod(node.as<std::string>());
  if (!period) return Bad(file, key, "must be a period such as 5y, 18m or 90d");
  out = *period;
  return Status::Ok();
}

bool AtLeastFiveYears(const RetentionPeriod& p) {
  using U = RetentionPeriod::Unit;
  return (p.unit == U::kYears && p.amount >= 5) || (p.unit == U::kMonths && p.amount >= 60) ||
         (p.unit == U::kDays && p.amount >= 5 * 366);
}

Status ApplyRetention(const YAML::Node& node, const std::string& file, RetentionConfig& r) {
  if (!node.IsMap()) return Bad(file, "retention", "must be a map");
  for (const auto& entry : node) {
    std::string k = entry.first.as<std::string>();
    std::string key = "retention." + k;
    const YAML::Node& v = entry.second;
    if (k == "interval_hours") {
      RETURN_IF_ERROR(ReadNumber(v, file, key, 1, 24 * 7, r.interval_hours));
    } else if (k == "audit") {
      RETURN_IF_ERROR(ReadPeriod(v, file, key, r.audit));
      if (!AtLeastFiveYears(r.audit)) return Bad(file, key, "audit entries are kept at least 5 years (NEN 7513)");
    } else if (k == "cases" && v.IsMap()) {
      for (const auto& type : v) {
        std::string t = type.first.as<std::string>();
        if (!type.second.IsMap()) return Bad(file, key + "." + t, "must be a map of state (or default) to period");
        for (const auto& state : type.second) {
          std::string st = state.first.as<std::string>();
          RETURN_IF_ERROR(ReadPeriod(state.second, file, key + "." + t + "." + st, r.cases[t][st]));
        }
      }
    } else if (k == "reports" && v.IsMap()) {
      for (const auto& cat : v) {
        std::string c = cat.first.as<std::string>();
        const auto& known = ReportCategories();
        if (c != "default" && std::find(known.begin(), known.end(), c) == known.end())
          return Bad(file, key + "." + c, "unknown report category");
        RETURN_IF_ERROR(ReadPeriod(cat.second, file, key + "." + c, r.reports[c]));
      }
    } else {
      return Bad(file, key, "unknown setting or wrong kind of value");
    }
  }
  return Status::Ok();
}

Status ApplyNode(const YAML::Node& root, const std::string& file, Config& config) {
  if (root.IsNull()) return Status::Ok();
  if (!root.IsMap()) return Bad(file, "(top)", "must be a map");
  for (const auto& entry : root) {
    std::string key = entry.first.as<std::string>();
    const YAML::Node& value = entry.second;
    if (key == "data_dir" && value.IsScalar()) {
      config.data_dir = value.as<std::string>();
    } else if (key == "workflows_dir" && value.IsScalar()) {
      config.workflows_dir = value.as<std::string>();
    } else if (key == "database" && value.IsMap()) {
      for (const auto& db : value) {
        std::string k = db.first.as<std::string>();
        if (k != "synchronous" || !db.second.IsScalar()) return Bad(file, "database." + k, "unknown setting");
        config.synchronous = db.second.as<std::string>();
        RETURN_IF_ERROR(CheckSynchronous(file, "database.synchronous", config.synchronous));
      }
    } else if (key == "calendar" && value.IsMap()) {
      for (const auto& c : value) {
        std::string k = c.first.as<std::string>();
        if (k != "bevrijdingsdag" || !c.second.IsScalar()) return Bad(file, "calendar." + k, "unknown setting");
        std::string v = c.second.as<std::string>();
        using B = engine::CalendarOptions::Bevrijdingsdag;
        if (v == "every_year") config.calendar.bevrijdingsdag = B::kEveryYear;
        else if (v == "lustrum_only") config.calendar.bevrijdingsdag = B::kLustrumOnly;
        else if (v == "never") config.calendar.bevrijdingsdag = B::kNever;
        else return Bad(file, "calendar.bevrijdingsdag", "must be every_year, lustrum_only or never");
      }
    } else if (key == "storage") {
      RETURN_IF_ERROR(ApplyStorage(value, file, config.storage));
    } else if (key == "server") {
      RETURN_IF_ERROR(ApplyServer(value, file, config));
    } else if (key == "deadlines") {
      RETURN_IF_ERROR(ApplyDeadlines(value, file, config.deadlines));
    } else if (key == "retention") {
      RETURN_IF_ERROR(ApplyRetention(value, file, config.retention));
    } else if (key == "municipalities") {
      RETURN_IF_ERROR(ApplyMunicipalities(value, file, config));
    } else if (key == "login") {
      RETURN_IF_ERROR(ApplyLoginSection(value, file, config.login));
    } else {
      return Bad(file, key, "unknown setting or wrong kind of value");
    }
  }
  return Status::Ok();
}

}  // namespace

std::optional<RetentionPeriod> ParseRetentionPeriod(const std::string& text) {
  if (text.size() < 2 || text.size() > 5) return std::nullopt;
  RetentionPeriod p;
  switch (text.back()) {
    case 'y': p.unit = RetentionPeriod::Unit::kYears; break;
    case 'm': p.unit = RetentionPeriod::Unit::kMonths; break;
    case 'd': p.unit = RetentionPeriod::Unit::kDays; break;
    default: return std::nullopt;
  }
  int amount = 0;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    amount = amount * 10 + (text[i] - '0');
  }
  if (amount < 1) return std::nullopt;
  p.amount = amount;
  return p;
}

TimePoint RetentionPeriod::Before(TimePoint t) const {
  using namespace std::chrono;
  if (unit == Unit::kDays) return t - days{amount};
  const sys_days day = floor<days>(t);
  const seconds time_of_day = t - day;
  year_month_day ymd{day};
  ymd = unit == Unit::kYears ? ymd - years{amount} : ymd - months{amount};
  if (!ymd.ok()) ymd = ymd.year() / ymd.month() / last;  // 29 February, 31st
  return sys_days{ymd} + time_of_day;
}

std::string RetentionPeriod::ToString() const {
  return std::to_string(amount) + (unit == Unit::kYears ? "y" : unit == Unit::kMonths ? "m" : "d");
}

const RetentionPeriod& RetentionConfig::ForCase(const std::string& type, const std::string& state) const {
  auto t = cases.find(type);
  if (t == cases.end()) return case_fallback;
  if (auto s = t->second.find(state); s != t->second.end()) return s->second;
  if (auto d = t->second.find("default"); d != t->second.end()) return d->second;
  return case_fallback;
}

const RetentionPeriod& RetentionConfig::ForReport(const std::string& category) const {
  static const RetentionPeriod kOneYear{RetentionPeriod::Unit::kYears, 1};
  if (auto c = reports.find(category); c != reports.end()) return c->second;
  if (auto d = reports.find("default"); d != reports.end()) return d->second;
  return kOneYear;
}

engine::Settings Config::SettingsFor(const std::string& municipality) const {
  auto it = municipalities.find(municipality);
  return it == municipalities.end() ? engine::Settings{} : it->second;
}

Status ApplyConfigText(const std::string& yaml_text, const std::string& file_name, Config& config) {
  try {
    return ApplyNode(YAML::Load(yaml_text), file_name, config);
  } catch (const YAML::Exception& e) {
    return Status::InvalidArgument(file_name + ": line " + std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
}

Status ApplyConfigFile(const std::filesystem::path& file, Config& config) {
  std::ifstream in(file);
  if (!in) return Status::NotFound("cannot read configuration file " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  return ApplyConfigText(text.str(), file.string(), config);
}

Status ApplyEnvironment(Config& config) {
  if (const char* v = std::getenv("CASUS_DATA_DIR"); v && *v) config.data_dir = v;
  if (const char* v = std::getenv("CASUS_WORKFLOWS_DIR"); v && *v) config.workflows_dir = v;
  if (const char* v = std::getenv("CASUS_SYNCHRONOUS"); v && *v) {
    config.synchronous = v;
    RETURN_IF_ERROR(CheckSynchronous("environment", "CASUS_SYNCHRONOUS", config.synchronous));
  }
  if (const char* v = std::getenv("CASUS_DATABASE_URL"); v && *v) {
    RETURN_IF_ERROR(CheckPostgresUrl("environment", "CASUS_DATABASE_URL", v));
    config.storage.backend = StorageConfig::Backend::kPostgres;
    config.storage.postgres_url = v;
  }
  for (const auto& [name, key] : {std::pair{"CASUS_LISTEN", "listen"}, std::pair{"CASUS_TLS_CERT", "tls_cert"},
                                  std::pair{"CASUS_TLS_KEY", "tls_key"}, std::pair{"CASUS_WEB_ROOT", "web_root"}})
    if (const char* v = std::getenv(name); v && *v)
      config.server_settings.push_back({std::string("environment (") + name + ")", key, v});
  return Status::Ok();
}

std::filesystem::path ResolveBesideSource(const std::filesystem::path& path) {
  std::error_code ec;
  if (path.is_absolute() || std::filesystem::exists(path, ec)) return path;
  return std::filesystem::path(CASUS_SOURCE_DIR) / path;
}

std::filesystem::path DefaultConfigFile() {
  std::filesystem::path local = "config/casus.yaml";
  if (std::filesystem::exists(local)) return local;
  return std::filesystem::path(CASUS_SOURCE_DIR) / "config" / "casus.yaml";
}

StatusOr<Config> LoadConfig(const std::optional<std::filesystem::path>& override_file) {
  Config config;
  RETURN_IF_ERROR(ApplyConfigFile(DefaultConfigFile(), config));
  if (override_file) RETURN_IF_ERROR(ApplyConfigFile(*override_file, config));
  RETURN_IF_ERROR(ApplyEnvironment(config));
  RETURN_IF_ERROR(CheckLoginConfig(config.login));
  if (config.storage.backend == StorageConfig::Backend::kPostgres && config.storage.postgres_url.empty())
    return Status::InvalidArgument("storage.backend is postgres, but neither storage.postgres.url nor "
                                   "CASUS_DATABASE_URL gives the database");
  return config;
}

}  // namespace casus::app
