// Transaction over one connection: hands out the repositories. Begin/commit
// is the caller's job (writer thread or reader pool); this only groups the
// repositories that share the connection. Tests may dynamic_cast a
// Transaction& to this type to inspect the connection (e.g. PRAGMAs).
#pragma once

#include "storage/sqlite/connection.h"
#include "storage/sqlite/repositories.h"
#include "storage/store.h"

namespace casus::storage::sqlite {

class SqliteTransaction final : public Transaction {
 public:
  explicit SqliteTransaction(Connection& conn)
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
  SqliteOrganisations organisations_;
  SqliteUsers users_;
  SqlitePersons persons_;
  SqliteReports reports_;
  SqliteCases cases_;
  SqliteEvents events_;
  SqliteNotes notes_;
  SqliteActions actions_;
  SqliteTeam team_;
  SqliteDefinitions definitions_;
  SqliteAuditLog audit_;
  SqliteSessions sessions_;
  SqliteAccessGrants grants_;
  SqliteDeadlineFirings deadline_firings_;
  SqliteMeetings meetings_;
  SqlitePrivacy privacy_;
  SqliteRateLimits rate_limits_;
  SqliteOidcLogins oidc_logins_;
};

}  // namespace casus::storage::sqlite
