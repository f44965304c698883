#include "app/services.h"

#include "tz/tzdb_civil_time.h"

namespace casus::app {
namespace {

// The configuration's word on local accounts reaches the AuthService as an option.
AuthOptions WithLoginConfig(AuthOptions options, const LoginConfig& login) {
  options.local_login_disabled_for = login.local_accounts_disabled_for;
  return options;
}

}  // namespace

Services::Services(const ServiceParts& p)
    : registry(p.registry),
      config(p.config),
      clock(p.clock),
      ids(p.ids),
      calendar(tz::Amsterdam(), p.config.calendar),
      oidc_providers(p.https ? *p.https : no_network, p.clock),
      auth(p.store, p.clock, p.ids, WithLoginConfig(p.auth_options, p.config.login)),
      user_admin(p.store, p.clock),
      oidc_login(p.store, p.clock, p.ids, p.config.login, oidc_providers, auth),
      cases(p.store, p.registry, p.config, calendar, p.clock, p.ids),
      queries(p.store, p.registry, p.clock),
      persons(p.store, queries, p.clock),
      norms(p.registry, calendar),
      reports(p.store, p.config, p.clock, p.ids, &norms, &p.registry),
      triage(p.store, p.clock),
      glass(p.store, p.config, p.clock, p.ids),
      audit(p.store, p.clock),
      audit_chain(p.store, p.clock),
      privacy(p.store, p.clock),
      dashboard(p.store, p.registry, p.clock, calendar),
      meetings(p.store, cases, p.registry, p.clock, p.ids),
      statistics(p.store, p.clock, calendar),
      directory(p.store),
      replay(p.store, p.clock),
      deadlines(p.store, cases, p.registry, p.config, calendar, p.clock),
      retention(p.store, p.registry, p.config.retention, p.clock) {}

}  // namespace casus::app
