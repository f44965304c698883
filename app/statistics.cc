#include "app/statistics.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>

#include "app/case_access.h"
#include "engine/calendar.h"

namespace casus::app {
namespace {

constexpr int kCaseBatch = 200;

Status TooManyRows() {
  return Status(StatusCode::kInvalidArgument,
                "the range holds more than " + std::to_string(kStatsRowLimit) + " rows; ask for a shorter range",
                StatusDetail{Refusal::kInvalidData, {}, {{"from", "range too large"}}, ""});
}

std::string MonthKey(Date d) {
  return FormatDate(d).substr(0, 7);  // YYYY-MM
}

std::string OrUnknown(const std::string& s) { return s.empty() ? std::string(kUnknownKey) : s; }

std::string TextField(const engine::FieldMap& data, const std::string& name) {
  auto it = data.find(name);
  if (it == data.end()) return "";
  if (const auto* s = std::get_if<std::string>(&it->second)) return *s;
  return "";
}

std::string ReportKey(const storage::Report& r, const std::string& group_by, const engine::DutchCalendar& calendar) {
  if (group_by == "category") return OrUnknown(r.category);
  if (group_by == "wijk") return OrUnknown(r.wijk);
  if (group_by == "source") return OrUnknown(r.source);
  return MonthKey(calendar.LocalDate(r.received_at));  // month
}

bool InRange(TimePoint t, const StatsQuery& q, const engine::DutchCalendar& calendar) {
  const Date d = calendar.LocalDate(t);
  return d >= q.from && d <= q.to;
}

}  // namespace

const std::vector<std::string>& StatsGroupings() {
  static const std::vector<std::string> kGroupings = {"category", "wijk", "type", "source", "month"};
  return kGroupings;
}

const std::vector<std::string>& StatsSubjects() {
  static const std::vector<std::string> kSubjects = {"reports", "cases"};
  return kSubjects;
}

const std::vector<std::string>& StatsRoles() {
  static const std::vector<std::string> kRoles = {"meldpunt", "coordinator", "burgemeester"};
  return kRoles;
}

StatisticsService::StatisticsService(storage::Store& store, const Clock& clock, const engine::DutchCalendar& calendar)
    : store_(store), clock_(clock), calendar_(calendar) {}

StatusOr<StatsResult> StatisticsService::Compute(const StatsQuery& query, const Caller& caller, bool for_export) {
  const TimePoint now = clock_.Now();
  const engine::Actor& actor = caller.actor;
  const std::string action = for_export ? "stats.export" : "stats.read";
  const std::string object_id = query.subject + ":" + query.group_by + ":" + FormatDate(query.from) + ".." +
                                FormatDate(query.to);
  const std::string reason = for_export ? "export" : "";

  const bool region = actor.org_type == "zvh";
  if (!HasAnyRole(actor, StatsRoles()) || (!region && actor.municipality.empty())) {
    RETURN_IF_ERROR(AppendAudit(store_, {MakeAudit(caller, now, action, "denied", "stats", object_id, "", reason)}));
    return Status(StatusCode::kPermissionDenied, "this role has no access to statistics",
                  StatusDetail{Refusal::kRoleRefused, {}, {}, ""});
  }
  if (std::find(StatsGroupings().begin(), StatsGroupings().end(), query.group_by) == StatsGroupings().end())
    return Status(StatusCode::kInvalidArgument, "group_by: unknown grouping",
                  StatusDetail{Refusal::kInvalidRequest, {}, {{"group_by", "unknown grouping"}}, ""});
  if (std::find(StatsSubjects().begin(), StatsSubjects().end(), query.subject) == StatsSubjects().end())
    return Status(StatusCode::kInvalidArgument, "subject: unknown subject",
                  StatusDetail{Refusal::kInvalidRequest, {}, {{"subject", "unknown subject"}}, ""});
  if (query.from > query.to)
    return Status(StatusCode::kInvalidArgument, "from: must not be after to",
                  StatusDetail{Refusal::kInvalidRequest, {}, {{"from", "must not be after to"}}, ""});

  std::map<std::string, std::int64_t> counts;
  std::int64_t total = 0;
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    if (query.subject == "reports") {
      storage::ReportFilter filter;
      if (!region) filter.municipality = actor.municipality;
      // From local midnight; rows are then matched on their exact local date.
      filter.since = calendar_.StartOfLocalDay(query.from);
      filter.limit = kStatsRowLimit;
      ASSIGN_OR_RETURN(auto reports, tx.reports().List(filter));
      if (static_cast<int>(reports.size()) >= kStatsRowLimit) return TooManyRows();
      std::map<std::string, std::string> case_types;  // case id -> type (cache)
      for (const auto& r : reports) {
        if (!InRange(r.received_at, query, calendar_)) continue;
        std::string key;
        if (query.group_by != "type") {
          key = ReportKey(r, query.group_by, calendar_);
        } else if (!r.case_id) {
          key = kNotLinkedKey;  // a report has a case type only once it is linked to a case
        } else {
          auto it = case_types.find(*r.case_id);
          if (it == case_types.end()) {
            auto rec = tx.cases().Get(*r.case_id);
            if (!rec.ok() && rec.status().code() != StatusCode::kNotFound) return rec.status();
            it = case_types.emplace(*r.case_id, rec.ok() ? rec->type : std::string(kUnknownKey)).first;
          }
          key = it->second;
        }
        ++counts[key];
        ++total;
      }
      return Status::Ok();
    }
    // Cases: counted by the date they were opened.
    storage::CaseFilter filter;
    if (!region) filter.municipality = actor.municipality;
    filter.limit = kCaseBatch;
    int scanned = 0;
    std::map<std::string, std::optional<storage::Report>> reports;  // report id -> report (cache)
    auto linked_report = [&](const storage::CaseRecord& rec) -> StatusOr<const storage::Report*> {
      if (!rec.report_id) return static_cast<const storage::Report*>(nullptr);
      auto it = reports.find(*rec.report_id);
      if (it == reports.end()) {
        auto r = tx.reports().Get(*rec.report_id);
        if (!r.ok() && r.status().code() != StatusCode::kNotFound) return r.status();
        it = reports.emplace(*rec.report_id, r.ok() ? std::optional<storage::Report>(*r) : std::nullopt).first;
      }
      return it->second ? &*it->second : nullptr;
    };
    while (true) {
      ASSIGN_OR_RETURN(auto batch, tx.cases().List(filter));
      scanned += static_cast<int>(batch.size());
      if (scanned > kStatsRowLimit) return TooManyRows();
      for (const auto& rec : batch) {
        filter.after_id = rec.id;
        if (!InRange(rec.created_at, query, calendar_)) continue;
        std::string key;
        if (query.group_by == "type") {
          key = rec.type;
        } else if (query.group_by == "month") {
          key = MonthKey(calendar_.LocalDate(rec.created_at));
        } else {
          ASSIGN_OR_RETURN(const storage::Report* report, linked_report(rec));
          if (query.group_by == "category") {
            key = TextField(rec.data, "categorie");
            if (key.empty() && report) key = report->category;
          } else if (query.group_by == "wijk") {
            key = TextField(rec.data, "wijk");
            if (key.empty() && report) key = report->wijk;
          } else {  // source
            if (report) key = report->source;
            if (key.empty()) key = TextField(rec.data, "melder_type");
          }
        }
        ++counts[OrUnknown(key)];
        ++total;
      }
      if (static_cast<int>(batch.size()) < kCaseBatch) break;
    }
    return Status::Ok();
  }));

  StatsResult result;
  result.query = query;
  result.total = total;
  result.scope = region ? "regio" : actor.municipality;
  for (const auto& [key, count] : counts) result.groups.push_back({key, count});
  // On record before anything is handed out.
  RETURN_IF_ERROR(AppendAudit(store_, {MakeAudit(caller, now, action, "success", "stats", object_id, "", reason)}));
  return result;
}

}  // namespace casus::app
