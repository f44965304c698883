// The composition root of the application layer: every service over one
// store, built once and in dependency order. `casus serve`, the API tests,
// the fuzzers and the benchmarks build their services here, and the API
// layer reaches storage only through them (it never sees storage::Store).
#pragma once

#include "app/audit_chain.h"
#include "app/audit_queries.h"
#include "app/auth_service.h"
#include "app/break_glass.h"
#include "app/case_queries.h"
#include "app/case_service.h"
#include "app/config.h"
#include "app/dashboard.h"
#include "app/deadline_service.h"
#include "app/directory.h"
#include "app/event_replay.h"
#include "app/meetings.h"
#include "app/oidc/https_fetcher.h"
#include "app/oidc/oidc_login_service.h"
#include "app/oidc/provider_directory.h"
#include "app/person_queries.h"
#include "app/privacy_service.h"
#include "app/report_norms.h"
#include "app/report_service.h"
#include "app/report_triage.h"
#include "app/retention.h"
#include "app/statistics.h"
#include "app/user_admin.h"
#include "common/ids.h"
#include "common/time.h"
#include "engine/calendar.h"
#include "engine/registry.h"
#include "storage/store.h"

namespace casus::app {

struct ServiceParts {
  storage::Store& store;
  const engine::DefinitionRegistry& registry;
  const Config& config;
  const Clock& clock;
  IdGenerator& ids;
  AuthOptions auth_options = {};
  // The network for OpenID Connect login (api/server/https_fetcher.h in
  // `casus serve`); null: providers are unreachable (NoNetworkFetcher).
  oidc::HttpsFetcher* https = nullptr;
};

class Services {
 public:
  explicit Services(const ServiceParts& parts);
  Services(const Services&) = delete;
  Services& operator=(const Services&) = delete;

  // What every service was built from (no store among them).
  const engine::DefinitionRegistry& registry;
  const Config& config;
  const Clock& clock;
  IdGenerator& ids;
  const engine::DutchCalendar calendar;  // Europe/Amsterdam (tz::Amsterdam()) and config.calendar

  // Declaration order is construction order: each after what it uses.
  oidc::NoNetworkFetcher no_network;
  oidc::ProviderDirectory oidc_providers;
  AuthService auth;
  UserAdmin user_admin;  // blocking accounts (deprovisioning)
  oidc::OidcLoginService oidc_login;  // login through the organisations' OpenID providers
  CaseService cases;
  CaseQueries queries;
  PersonQueries persons;
  ReportNorms norms;
  ReportService reports;
  ReportTriage triage;
  BreakGlassService glass;
  AuditQueries audit;
  AuditChain audit_chain;
  PrivacyService privacy;
  DashboardService dashboard;
  MeetingService meetings;
  StatisticsService statistics;
  Directory directory;
  EventReplay replay;
  DeadlineService deadlines;
  RetentionService retention;
};

}  // namespace casus::app
