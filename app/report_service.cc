#include "app/report_service.h"

#include <openssl/rand.h>

#include <algorithm>
#include <cctype>

#include "app/case_access.h"
#include "app/person_matching.h"
#include "common/contains.h"

namespace casus::app {
namespace {

// A new report row: what both intake routes (public and staff) record.
storage::Report NewReport(std::string id, std::string tracking_code, std::string source, const std::string& category,
                          const std::string& description, const ReportLocation& location,
                          const ReporterContact& reporter, TimePoint now) {
  storage::Report r;
  r.id = std::move(id);
  r.tracking_code = std::move(tracking_code);
  r.source = std::move(source);
  r.category = category;
  r.description = description;
  r.street = location.street;
  r.wijk = location.wijk;
  r.municipality = location.municipality;
  r.reporter_name = reporter.name;
  r.reporter_email = reporter.email;
  r.reporter_phone = reporter.phone;
  r.received_at = r.updated_at = now;
  return r;
}

// Base32 without the look-alikes 0/O and 1/I (L stays: no 1 to confuse it with).
constexpr std::string_view kAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
constexpr std::size_t kCodeChars = 12;

Status Invalid(std::vector<FieldError> errors) {
  std::string message = "invalid report";
  if (!errors.empty()) message = errors.front().field + ": " + errors.front().message;
  return Status(StatusCode::kInvalidArgument, message, StatusDetail{Refusal::kInvalidData, {}, std::move(errors), ""});
}

std::string CoarseStatus(const std::string& status) {
  if (status == "ontvangen") return "ontvangen";
  if (status == "afgesloten" || status == "doorgestuurd") return "afgehandeld";
  return "in_behandeling";
}

}  // namespace

const std::vector<std::string>& ReportCategories() {
  static const std::vector<std::string> kCategories = {
      "drugsoverlast",       "georganiseerde_criminaliteit_en_ondermijning", "verward_gedrag",
      "jeugdoverlast",       "prostitutie_en_mensenhandel",                  "huiselijk_geweld",
      "sociale_veiligheid_openbare_ruimte", "verkeersveiligheid",           "woonoverlast"};
  return kCategories;
}

const std::vector<std::string>& ReportSources() {
  static const std::vector<std::string> kSources = {"burger", "professional", "politie", "landelijk_meldpunt"};
  return kSources;
}

const std::vector<std::string>& ReportStatuses() {
  static const std::vector<std::string> kStatuses = {"ontvangen", "getrieerd", "gekoppeld", "doorgestuurd",
                                                      "afgesloten"};
  return kStatuses;
}

const std::vector<std::string>& ReportRoles() {
  static const std::vector<std::string> kRoles = {"meldpunt", "regisseur", "coordinator"};
  return kRoles;
}

std::string NewTrackingCode() {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return "";
  std::uint64_t bits = 0;
  for (unsigned char b : bytes) bits = (bits << 8) | b;
  std::string code;
  for (std::size_t i = 0; i < kCodeChars; ++i) {
    if (i > 0 && i % 4 == 0) code += '-';
    code += kAlphabet[bits & 31u];
    bits >>= 5;
  }
  return code;
}

std::optional<std::string> NormalizeTrackingCode(std::string_view text) {
  if (text.size() > 32) return std::nullopt;
  std::string plain;
  for (char c : text) {
    if (c == '-' || c == ' ') continue;
    char u = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (kAlphabet.find(u) == std::string_view::npos) return std::nullopt;
    plain += u;
  }
  if (plain.size() != kCodeChars) return std::nullopt;
  return plain.substr(0, 4) + "-" + plain.substr(4, 4) + "-" + plain.substr(8, 4);
}

ReportService::ReportService(storage::Store& store, const Config& config, const Clock& clock, IdGenerator& ids,
                             const ReportNorms* norms, const engine::DefinitionRegistry* registry)
    : store_(store),
      config_(config),
      clock_(clock),
      ids_(ids),
      norms_(norms),
      registry_(registry),
      public_limit_(store, ids, "public_report", config.limits.public_reports_per_hour, std::chrono::hours(1)) {}

void ReportService::CheckCommon(const std::string& category, const std::string& description,
                                  const ReportLocation& location, std::vector<FieldError>& errors) const {
  if (!Contains(ReportCategories(), category)) errors.push_back({"category", "unknown category"});
  if (description.empty()) errors.push_back({"description", "is required"});
  if (location.municipality.empty())
    errors.push_back({"location.municipality", "is required"});
  else if (!config_.municipalities.empty() && !config_.municipalities.count(location.municipality))
    errors.push_back({"location.municipality", "unknown municipality"});
}

StatusOr<std::string> ReportService::UnusedTrackingCode(storage::Transaction& tx) {
  for (int attempt = 0; attempt < 5; ++attempt) {
    std::string code = NewTrackingCode();
    if (code.empty()) return Status::Internal("no random bytes for a tracking code");
    auto existing = tx.reports().GetByTrackingCode(code);
    if (!existing.ok() && existing.status().code() == StatusCode::kNotFound) return code;
    if (!existing.ok()) return existing.status();
  }
  return Status::Internal("could not find an unused tracking code");
}

StatusOr<std::string> ReportService::SubmitPublic(const PublicReportInput& input, const std::string& client_address) {
  std::vector<FieldError> errors;
  CheckCommon(input.category, input.description, input.location, errors);
  if (!errors.empty()) return Invalid(std::move(errors));
  const TimePoint now = clock_.Now();
  std::string code;
  bool limited = false;
  RETURN_IF_ERROR(store_.Write([&](storage::Transaction& tx) -> Status {
    // Admitted and stored in one commit: the limit counts stored reports.
    ASSIGN_OR_RETURN(auto admitted, public_limit_.TryAcquireIn(tx, client_address, now));
    if (!admitted) {
      limited = true;
      return Status::Ok();
    }
    ASSIGN_OR_RETURN(code, UnusedTrackingCode(tx));
    storage::Report r = NewReport(ids_.NewId("report_"), code, "burger", input.category, input.description,
                                  input.location, input.reporter, now);
    RETURN_IF_ERROR(tx.reports().Insert(r));
    Caller anonymous{{"anonymous", {"public"}, "", "", ""}, client_address, "", ""};
    ASSIGN_OR_RETURN([[maybe_unused]] auto e,
                     tx.audit().Append(MakeAudit(anonymous, now, "report.create", "success", "report", r.id, "")));
    return Status::Ok();
  }));
  if (limited)
    return Status(StatusCode::kResourceExhausted, "too many reports from this address, try again later",
                  StatusDetail{Refusal::kRateLimited, {}, {}, ""});
  return code;
}

// Reporter feedback (AVG; DOMAIN.md §4, art. 5:2 Wvggz for the essentiële
// naaste): a melder learns the outcome only when the case type's workflow
// has a `report_outcome` and its `told_when` bool field is true on the linked
// case; then as the label of the case's state under the definition version
// the case is pinned to (the state id when that version is not loaded).
// Who may be told is taken from the type's latest definition: telling is
// done now, under today's rule, also for cases opened under an older file.
// Every other melder, and every report without a linked case, gets nothing.
StatusOr<std::optional<std::string>> ReportService::OutcomeForMelder(storage::Transaction& tx,
                                                                     const storage::Report& report) const {
  const std::optional<std::string> untold;
  if (!report.case_id || registry_ == nullptr) return untold;
  auto kase = tx.cases().Get(*report.case_id);
  if (!kase.ok()) {
    if (kase.status().code() == StatusCode::kNotFound) return untold;
    return kase.status();
  }
  const engine::WorkflowDefinition* latest = registry_->Latest(kase->type);
  if (latest == nullptr || !latest->report_outcome) return untold;
  auto field = kase->data.find(latest->report_outcome->told_when);
  if (field == kase->data.end()) return untold;
  const bool* told = std::get_if<bool>(&field->second);
  if (told == nullptr || !*told) return untold;
  std::string label = kase->state;
  if (const engine::WorkflowDefinition* pinned = registry_->Find(kase->type, kase->definition_version))
    if (const engine::StateSpec* state = pinned->FindState(kase->state); state && !state->label.empty())
      label = state->label;
  return std::optional<std::string>(label);
}

StatusOr<PublicReportStatus> ReportService::PublicStatus(const std::string& tracking_code) {
  const Status not_found = Status::NotFound("no report with this tracking code");
  auto code = NormalizeTrackingCode(tracking_code);
  if (!code) return not_found;
  std::optional<PublicReportStatus> out;
  RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
    auto report = tx.reports().GetByTrackingCode(*code);
    if (!report.ok()) return report.status().code() == StatusCode::kNotFound ? not_found : report.status();
    out = PublicReportStatus{CoarseStatus(report->status), report->updated_at, std::nullopt};
    ASSIGN_OR_RETURN(out->outcome, OutcomeForMelder(tx, *report));
    return Status::Ok();
  }));
  return *out;
}

StatusOr<storage::Report> ReportService::CreateStaff(const StaffReportInput& input, const Caller& caller) {
  const engine::Actor& actor = caller.actor;
  if (!HasAnyRole(actor, ReportRoles()))
    return Status(StatusCode::kPermissionDenied, "this role does not register reports",
                  StatusDetail{Refusal::kRoleRefused, {}, {}, ""});
  std::vector<FieldError> errors;
  CheckCommon(input.category, input.description, input.location, errors);
  if (!Contains(ReportSources(), input.source)) errors.push_back({"source", "unknown source"});
  if (!input.incident_code.empty() && input.incident_code != "E33" && input.incident_code != "E14")
    errors.push_back({"incident_code", "must be E33 or E14"});
  if (input.subject && input.subject->name.empty()) errors.push_back({"subject.name", "is required"});
  if (!errors.empty()) return Invalid(std::move(errors));
  if (actor.org_type != "zvh" && input.location.municipality != actor.municipality)
    return Status(StatusCode::kPermissionDenied, "reports can be registered for your own municipality only",
                  StatusDetail{Refusal::kOtherMunicipality, {}, {}, ""});

  const TimePoint now = clock_.Now();
  storage::Report r;
  RETURN_IF_ERROR(store_.Write([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(std::string code, UnusedTrackingCode(tx));
    r = NewReport(ids_.NewId("report_"), code, input.source, input.category, input.description, input.location,
                  input.reporter, now);
    r.incident_code = input.incident_code;
    if (input.subject) {
      ASSIGN_OR_RETURN(r.subject_person_id,
                       LinkOrCreatePerson(tx, ids_, input.subject->name, input.subject->birth_date, now));
    }
    RETURN_IF_ERROR(tx.reports().Insert(r));
    ASSIGN_OR_RETURN([[maybe_unused]] auto e,
                     tx.audit().Append(MakeAudit(caller, now, "report.create", "success", "report", r.id,
                                                 r.subject_person_id.value_or(""))));
    return Status::Ok();
  }));
  return r;
}

StatusOr<std::vector<storage::Report>> ReportService::List(const ReportListQuery& query, const Caller& caller) {
  const engine::Actor& actor = caller.actor;
  if (!HasAnyRole(actor, ReportRoles()))
    return Status(StatusCode::kPermissionDenied, "this role does not handle reports",
                  StatusDetail{Refusal::kRoleRefused, {}, {}, ""});
  if (query.limit < 1 || query.limit > 200) return Status::InvalidArgument("limit must be between 1 and 200");
  std::vector<storage::Report> out;
  if (actor.org_type != "zvh" && actor.municipality.empty()) return out;  // deny by default
  storage::ReportFilter filter;
  filter.status = query.status;
  filter.category = query.category;
  filter.since = query.since;
  filter.limit = query.limit;
  if (actor.org_type != "zvh") filter.municipality = actor.municipality;
  const TimePoint now = clock_.Now();
  if (query.late) {
    // Only open reports can be late; read the open ones of the scope (up to
    // the store's list limit per status), keep the late ones, newest first.
    if (norms_ == nullptr) return out;
    std::vector<std::string> statuses;
    for (const auto& s : ReportNorms::OpenStatuses())
      if (!query.status || *query.status == s) statuses.push_back(s);
    constexpr int kMaxCandidates = 10000;  // the store's list limit
    filter.limit = kMaxCandidates;
    RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
      for (const auto& s : statuses) {
        filter.status = s;
        ASSIGN_OR_RETURN(std::vector<storage::Report> part, tx.reports().List(filter));
        for (auto& r : part)
          if (norms_->IsLate(r, now)) out.push_back(std::move(r));
      }
      return Status::Ok();
    }));
    std::sort(out.begin(), out.end(), [](const storage::Report& a, const storage::Report& b) {
      return a.received_at != b.received_at ? a.received_at > b.received_at : a.id > b.id;
    });
    if (out.size() > static_cast<std::size_t>(query.limit)) out.resize(static_cast<std::size_t>(query.limit));
  } else {
    RETURN_IF_ERROR(store_.Read([&](storage::Transaction& tx) -> Status {
      ASSIGN_OR_RETURN(out, tx.reports().List(filter));
      return Status::Ok();
    }));
  }
  std::vector<storage::AuditEntry> audit;
  for (const auto& r : out)
    audit.push_back(MakeAudit(caller, now, "report.list", "success", "report", r.id, r.subject_person_id.value_or("")));
  RETURN_IF_ERROR(AppendAudit(store_, std::move(audit)));
  return out;
}

}  // namespace casus::app
