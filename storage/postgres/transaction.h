// Transaction over one PostgreSQL connection: hands out the repositories.
// Begin/commit is the caller's job (the group writer or the reader pool);
// this only groups the repositories that share the connection.
#pragma once

#include "storage/postgres/connection.h"
#include "storage/postgres/repositories.h"
#include "storage/store.h"

namespace casus::storage::postgres {

class PgTransaction final : public Transaction {
 public:
  explicit PgTransaction(Connection& conn)
      : conn_(conn),
        organisations_(conn),
        users_(conn),
        persons_(conn),
        reports_(conn),
        cases_(conn),
        events_(conn),
        notes_(conn),
        actions_(conn),
        team_(conn),
        definitions_(conn),
        audit_(conn),
        sessions_(conn),
        grants_(conn),
        deadline_firings_(conn),
        meetings_(conn),
        privacy_(conn),
        rate_limits_(conn),
        oidc_logins_(conn) {}

  OrganisationRepository& organisations() override { return organisations_; }
  UserRepository& users() override { return users_; }
  PersonRepository& persons() override { return persons_; }
  ReportRepository& reports() override { return reports_; }
  CaseRepository& cases() override { return cases_; }
  CaseEventRepository& events() override { return events_; }
  NoteRepository& notes() override { return notes_; }
  ActionRepository& actions() override { return actions_; }
  TeamRepository& team() override { return team_; }
  DefinitionRepository& definitions() override { return definitions_; }
  AuditLog& audit() override { return audit_; }
  SessionRepository& sessions() override { return sessions_; }
  AccessGrantRepository& grants() override { return grants_; }
  DeadlineFiringRepository& deadline_firings() override { return deadline_firings_; }
  MeetingRepository& meetings() override { return meetings_; }
  PrivacyRepository& privacy() override { return privacy_; }
  RateLimitRepository& rate_limits() override { return rate_limits_; }
  OidcLoginRepository& oidc_logins() override { return oidc_logins_; }

  Connection& connection() { return conn_; }

 private:
  Connection& conn_;
  PgOrganisations organisations_;
  PgUsers users_;
  PgPersons persons_;
  PgReports reports_;
  PgCases cases_;
  PgEvents events_;
  PgNotes notes_;
  PgActions actions_;
  PgTeam team_;
  PgDefinitions definitions_;
  PgAuditLog audit_;
  PgSessions sessions_;
  PgAccessGrants grants_;
  PgDeadlineFirings deadline_firings_;
  PgMeetings meetings_;
  PgPrivacy privacy_;
  PgRateLimits rate_limits_;
  PgOidcLogins oidc_logins_;
};

}  // namespace casus::storage::postgres
