#include "app/oidc/identity_link.h"

#include <boost/json.hpp>

#include <algorithm>

#include "app/case_access.h"

namespace casus::app::oidc {

Status LinkIdentity(storage::Store& store, const Clock& clock, const LoginConfig& login, const std::string& username,
                    const std::string& provider_id, const std::string& subject) {
  const OidcProviderConfig* provider = login.Provider(provider_id);
  if (!provider) return Status::NotFound("no login provider \"" + provider_id.substr(0, 32) + "\" is configured");
  // OIDC Core 2: sub is at most 255 ASCII characters.
  if (subject.empty() || subject.size() > 255) return Status::InvalidArgument("subject: must be 1 to 255 bytes");
  const TimePoint now = clock.Now();
  return store.Write([&](storage::Transaction& tx) -> Status {
    ASSIGN_OR_RETURN(auto user, tx.users().FindByUsername(username));
    if (!user) return Status::NotFound("no account \"" + username.substr(0, 64) + "\"");
    ASSIGN_OR_RETURN(storage::Organisation org, tx.organisations().Get(user->org_id));
    if (std::find(provider->organisations.begin(), provider->organisations.end(), org.name) ==
        provider->organisations.end())
      return Status::FailedPrecondition("provider " + provider->id + " does not sign in staff of " + org.name);
    ASSIGN_OR_RETURN(auto holder, tx.users().FindByOidcSubject(provider->issuer, subject));
    if (holder && holder->id != user->id)
      return Status::FailedPrecondition("another account is linked to this identity");
    user->oidc_issuer = provider->issuer;
    user->oidc_subject = subject;
    RETURN_IF_ERROR(tx.users().Update(*user));
    storage::AuditEntry e = MakeAudit(SystemCaller(), now, "user.link", "success", "user", user->id, "");
    e.detail = boost::json::serialize(boost::json::object{{"provider", provider->id}});
    ASSIGN_OR_RETURN([[maybe_unused]] auto entry, tx.audit().Append(std::move(e)));
    return Status::Ok();
  });
}

}  // namespace casus::app::oidc
