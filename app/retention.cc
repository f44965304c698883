#include "app/retention.h"

#include <algorithm>

#include "app/case_access.h"

namespace casus::app {
namespace {

constexpr int kPage = 500;

// The shortest period configured anywhere: nothing changed more recently
// than this before now can have expired, which bounds the candidate scan.
RetentionPeriod Shortest(const RetentionConfig& config) {
  std::vector<RetentionPeriod> all{config.case_fallback, config.ForReport("default")};
  for (const auto& [type, states] : config.cases)
    for (const auto& [state, period] : states) all.push_back(period);
  for (const auto& [category, period] : config.reports) all.push_back(period);
  const TimePoint probe = *ParseRfc3339("2000-01-01T00:00:00Z");
  return *std::max_element(all.begin(), all.end(), [&](const RetentionPeriod& a, const RetentionPeriod& b) {
    return a.Before(probe) < b.Before(probe);
  });
}

storage::AuditEntry SystemAudit(TimePoint now, std::string action, std::string object_type, std::string object_id,
                                std::string person_id, std::string detail) {
  storage::AuditEntry e = MakeAudit(SystemCaller(), now, std::move(action), "success", std::move(object_type),
                                    std::move(object_id), std::move(person_id),
                                    "retention period after closure passed");
  e.detail = std::move(detail);
  return e;
}

bool ReportClosedWithoutCase(const storage::Report& r) {
  return !r.case_id && (r.status == "afgesloten" || r.status == "doorgestuurd");
}

}  // namespace

Status CheckRetentionConfig(const RetentionConfig& config, const engine::DefinitionRegistry& registry) {
  for (const auto& [type, states] : config.cases) {
    const engine::WorkflowDefinition* def = registry.Latest(type);
    if (!def) return Status::InvalidArgument("retention.cases." + type + ": unknown case type");
    for (const auto& [state, period] : states) {
      if (state == "default") continue;
      const auto* spec = def->FindState(state);
      if (!spec || !spec->terminal)
        return Status::InvalidArgument("retention.cases." + type + "." + state + ": not a terminal state of " + type);
    }
  }
  return Status::Ok();
}

RetentionService::RetentionService(storage::Store& store, const engine::DefinitionRegistry& registry,
                                   const RetentionConfig& config, const Clock& clock)
    : store_(store), registry_(registry), config_(config), clock_(clock) {}

StatusOr<std::vector<RetentionItem>> RetentionService::FindExpired(TimePoint now) {
  std::vector<RetentionItem> out;
  const TimePoint scan_before = Shortest(config_).Before(now);
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    std::string after;
    while (true) {
      ASSIGN_OR_RETURN(auto ids, tx.privacy().ListUnerasedCasesChangedBefore(scan_before, after, kPage));
      for (const auto& id : ids) {
        ASSIGN_OR_RETURN(storage::CaseRecord rec, tx.cases().Get(id));
        const engine::WorkflowDefinition* def = registry_.Find(rec.type, rec.definition_version);
        const auto* state = def ? def->FindState(rec.state) : nullptr;
        if (!state || !state->terminal) continue;  // open, or unknown: keep (deny by default)
        // Closure is the case's last change: a terminal state takes no
        // transition, so nothing updates the case after it closed.
        const RetentionPeriod& period = config_.ForCase(rec.type, rec.state);
        if (rec.updated_at > period.Before(now)) continue;
        out.push_back({"case", rec.id, rec.type, rec.state, rec.updated_at, period.ToString()});
      }
      if (static_cast<int>(ids.size()) < kPage) break;
      after = ids.back();
    }
    after.clear();
    while (true) {
      ASSIGN_OR_RETURN(auto ids, tx.privacy().ListUnerasedReportsChangedBefore(scan_before, after, kPage));
      for (const auto& id : ids) {
        ASSIGN_OR_RETURN(storage::Report r, tx.reports().Get(id));
        if (!ReportClosedWithoutCase(r)) continue;  // open, or erased with its case
        const RetentionPeriod& period = config_.ForReport(r.category);
        if (r.updated_at > period.Before(now)) continue;
        out.push_back({"report", r.id, r.category, r.status, r.updated_at, period.ToString()});
      }
      if (static_cast<int>(ids.size()) < kPage) break;
      after = ids.back();
    }
    return Status::Ok();
  }));
  return out;
}

Status RetentionService::EraseCase(const RetentionItem& item, TimePoint now, RetentionSummary& summary) {
  int persons = 0;
  RETURN_IF_ERROR(store_.Write([&](storage::Transaction& tx) -> Status {
    persons = 0;
    ASSIGN_OR_RETURN(storage::ErasedCase erased, tx.privacy().EraseCase(item.object_id, now));
    std::string report_part;
    if (erased.report_id) {
      ASSIGN_OR_RETURN(std::string report_subject, tx.privacy().EraseReport(*erased.report_id, now));
      report_part = ",\"report\":1";
      if (!report_subject.empty() && report_subject != erased.former_subject_person_id) {
        ASSIGN_OR_RETURN(bool gone, tx.privacy().DeletePersonIfUnreferenced(report_subject));
        persons += gone ? 1 : 0;
      }
    }
    if (!erased.former_subject_person_id.empty()) {
      ASSIGN_OR_RETURN(bool gone, tx.privacy().DeletePersonIfUnreferenced(erased.former_subject_person_id));
      persons += gone ? 1 : 0;
    }
    const std::string counts = "{\"notes\":" + std::to_string(erased.notes) +
                               ",\"actions\":" + std::to_string(erased.actions) +
                               ",\"events\":" + std::to_string(erased.events) +
                               ",\"team\":" + std::to_string(erased.team) +
                               ",\"grants\":" + std::to_string(erased.grants) + report_part +
                               ",\"persons\":" + std::to_string(persons) + "}";
    RETURN_IF_ERROR(tx.privacy().RecordRetention({"case", item.object_id, item.kind, item.closed_at, now, counts}));
    return tx.audit()
        .Append(SystemAudit(now, "retention.erase", "case", item.object_id, erased.former_subject_person_id,
                            "{\"state\":\"" + item.state + "\",\"period\":\"" + item.period + "\",\"counts\":" +
                                counts + "}"))
        .status();
  }));
  summary.cases += 1;
  summary.persons += persons;
  return Status::Ok();
}

Status RetentionService::EraseReports(const std::vector<const RetentionItem*>& items, TimePoint now,
                                      RetentionSummary& summary) {
  int persons = 0;
  RETURN_IF_ERROR(store_.Write([&](storage::Transaction& tx) -> Status {
    persons = 0;
    for (const RetentionItem* item : items) {
      ASSIGN_OR_RETURN(std::string subject, tx.privacy().EraseReport(item->object_id, now));
      int gone_here = 0;
      if (!subject.empty()) {
        ASSIGN_OR_RETURN(bool gone, tx.privacy().DeletePersonIfUnreferenced(subject));
        gone_here = gone ? 1 : 0;
      }
      persons += gone_here;
      const std::string counts = "{\"persons\":" + std::to_string(gone_here) + "}";
      RETURN_IF_ERROR(
          tx.privacy().RecordRetention({"report", item->object_id, item->kind, item->closed_at, now, counts}));
      RETURN_IF_ERROR(tx.audit()
                          .Append(SystemAudit(now, "retention.erase", "report", item->object_id, subject,
                                              "{\"status\":\"" + item->state + "\",\"period\":\"" + item->period +
                                                  "\"}"))
                          .status());
    }
    return Status::Ok();
  }));
  summary.reports += static_cast<int>(items.size());
  summary.persons += persons;
  return Status::Ok();
}

StatusOr<int> RetentionService::EraseAuditContent(TimePoint now, bool dry_run) {
  const TimePoint before = config_.audit.Before(now);
  if (dry_run) {
    int due = 0;
    RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
      storage::AuditFilter filter;
      filter.limit = 10000;
      while (true) {
        ASSIGN_OR_RETURN(auto page, tx.audit().Search(filter));
        for (const auto& e : page)
          if (e.at < before && e.scheme == 2 && !e.erased_at) ++due;
        if (page.size() < 10000 || page.back().at >= before) break;
        filter.after_seq = page.back().seq;
      }
      return Status::Ok();
    }));
    return due;
  }
  int total = 0;
  while (true) {
    int erased = 0;
    RETURN_IF_ERROR(store_.Write([&](storage::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(erased, tx.privacy().EraseAuditContentBefore(before, now, 1000));
      return Status::Ok();
    }));
    total += erased;
    if (erased < 1000) break;
  }
  if (total > 0) {
    RETURN_IF_ERROR(store_.Write([&](storage::Transaction& tx) -> Status {
      RETURN_IF_ERROR(tx.privacy().RecordRetention(
          {"audit", "", "audit", std::nullopt, now, "{\"entries\":" + std::to_string(total) + "}"}));
      return tx.audit()
          .Append(SystemAudit(now, "retention.audit_erase", "audit", "", "",
                              "{\"entries\":" + std::to_string(total) + ",\"before\":\"" + FormatRfc3339(before) +
                                  "\"}"))
          .status();
    }));
  }
  return total;
}

StatusOr<RetentionSummary> RetentionService::Run(bool dry_run) {
  RetentionSummary summary;
  summary.dry_run = dry_run;
  summary.at = clock_.Now();
  ASSIGN_OR_RETURN(summary.items, FindExpired(summary.at));
  if (dry_run) {
    for (const auto& item : summary.items) (item.object_type == "case" ? summary.cases : summary.reports) += 1;
  } else {
    constexpr std::size_t kReportBatch = 100;
    std::vector<const RetentionItem*> reports;
    for (const auto& item : summary.items) {
      if (item.object_type == "case") {
        RETURN_IF_ERROR(EraseCase(item, summary.at, summary));
        continue;
      }
      reports.push_back(&item);
      if (reports.size() == kReportBatch) {
        RETURN_IF_ERROR(EraseReports(reports, summary.at, summary));
        reports.clear();
      }
    }
    if (!reports.empty()) RETURN_IF_ERROR(EraseReports(reports, summary.at, summary));
  }
  ASSIGN_OR_RETURN(summary.audit_entries, EraseAuditContent(summary.at, dry_run));
  return summary;
}

}  // namespace casus::app
