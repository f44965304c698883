#include "app/oidc/provider_directory.h"

#include <boost/json.hpp>

#include <map>

#include <openssl/evp.h>

namespace casus::app::oidc {
namespace {

using namespace std::chrono_literals;

constexpr std::chrono::seconds kMetadataLifetime = 1h;
constexpr std::chrono::seconds kKeysLifetime = 24h;
constexpr std::chrono::seconds kMinRefreshInterval = 1s;

std::string Text(const boost::json::object& o, const char* key) {
  const auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

bool IsHttps(const std::string& url) { return url.rfind("https://", 0) == 0; }

// application/x-www-form-urlencoded (RFC 6749 appendix B for the client's
// credentials too).
std::string FormEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else if (c == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string Base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()), static_cast<int>(bytes.size()));
  out.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  return out;
}

StatusOr<boost::json::object> JsonObject(const HttpsResponse& response, const std::string& what) {
  if (response.status != 200) return Status::Unavailable(what + " answered HTTP " + std::to_string(response.status));
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(response.body, ec);
  if (ec || !v.is_object()) return Status::FailedPrecondition(what + " is not a JSON object");
  return std::move(v.as_object());
}

}  // namespace

struct ProviderDirectory::Cache {
  struct Entry {
    // Held across fetches: one fetch per provider at a time, the others
    // wait for its result. Per provider, so that a provider that does not
    // answer holds up only its own organisation's logins.
    std::mutex mutex;
    std::optional<ProviderMetadata> metadata;
    TimePoint metadata_at{};
    std::optional<casus::oidc::KeySet> keys;
    TimePoint keys_at{};
  };
  Entry& For(const std::string& provider_id) {
    std::lock_guard lock(mutex);
    auto& entry = by_provider[provider_id];
    if (!entry) entry = std::make_unique<Entry>();
    return *entry;  // entries are never removed: the reference stays valid
  }
  std::mutex mutex;  // guards the map only
  std::map<std::string, std::unique_ptr<Entry>> by_provider;
};

ProviderDirectory::ProviderDirectory(HttpsFetcher& fetcher, const Clock& clock)
    : cache_(std::make_unique<Cache>()), fetcher_(fetcher), clock_(clock) {}

ProviderDirectory::~ProviderDirectory() = default;

StatusOr<ProviderMetadata> ProviderDirectory::Metadata(const OidcProviderConfig& provider) {
  Cache::Entry& entry = cache_->For(provider.id);
  std::lock_guard lock(entry.mutex);
  const TimePoint now = clock_.Now();
  if (entry.metadata && now - entry.metadata_at < kMetadataLifetime) return *entry.metadata;

  const std::string what = "the discovery document of provider " + provider.id;
  // OIDC Discovery 4: a terminating "/" of the issuer is removed before
  // the well-known path is appended (Entra ID v1's issuer has one).
  std::string base = provider.issuer;
  if (!base.empty() && base.back() == '/') base.pop_back();
  ASSIGN_OR_RETURN(HttpsResponse response,
                   fetcher_.Fetch({"GET", base + "/.well-known/openid-configuration", {}, "", provider.ca_file}));
  ASSIGN_OR_RETURN(boost::json::object doc, JsonObject(response, what));
  ProviderMetadata m{Text(doc, "issuer"), Text(doc, "authorization_endpoint"), Text(doc, "token_endpoint"),
                     Text(doc, "jwks_uri"), Text(doc, "end_session_endpoint")};
  // OIDC Discovery 4.3: the issuer in the document must be the one asked.
  if (m.issuer != provider.issuer) return Status::FailedPrecondition(what + " names another issuer");
  if (!IsHttps(m.authorization_endpoint) || !IsHttps(m.token_endpoint) || !IsHttps(m.jwks_uri) ||
      (!m.end_session_endpoint.empty() && !IsHttps(m.end_session_endpoint)))
    return Status::FailedPrecondition(what + " lacks an https endpoint");
  entry.metadata = m;
  entry.metadata_at = now;
  return m;
}

StatusOr<casus::oidc::KeySet> ProviderDirectory::Keys(const OidcProviderConfig& provider, bool refresh) {
  ASSIGN_OR_RETURN(ProviderMetadata metadata, Metadata(provider));
  Cache::Entry& entry = cache_->For(provider.id);
  std::lock_guard lock(entry.mutex);
  const TimePoint now = clock_.Now();
  if (!refresh && entry.keys && now - entry.keys_at < kKeysLifetime) return *entry.keys;
  ASSIGN_OR_RETURN(HttpsResponse response, fetcher_.Fetch({"GET", metadata.jwks_uri, {}, "", provider.ca_file}));
  if (response.status != 200)
    return Status::Unavailable("the keys of provider " + provider.id + " answered HTTP " +
                               std::to_string(response.status));
  auto keys = casus::oidc::KeySet::Parse(response.body);
  if (!keys.ok()) return Status::FailedPrecondition("the keys of provider " + provider.id + " are unusable");
  entry.keys = *keys;
  entry.keys_at = now;
  return std::move(*keys);
}

StatusOr<std::optional<casus::oidc::KeySet>> ProviderDirectory::RefreshedKeys(const OidcProviderConfig& provider) {
  {
    Cache::Entry& entry = cache_->For(provider.id);
    std::lock_guard lock(entry.mutex);
    if (entry.keys && clock_.Now() - entry.keys_at < kMinRefreshInterval)
      return std::optional<casus::oidc::KeySet>();
  }
  ASSIGN_OR_RETURN(casus::oidc::KeySet keys, Keys(provider, true));
  return std::optional<casus::oidc::KeySet>(std::move(keys));
}

StatusOr<std::string> ProviderDirectory::RedeemCode(const OidcProviderConfig& provider, const std::string& redirect_uri,
                                                    const std::string& code, const std::string& code_verifier) {
  ASSIGN_OR_RETURN(ProviderMetadata metadata, Metadata(provider));
  HttpsRequest request;
  request.method = "POST";
  request.url = metadata.token_endpoint;
  request.ca_file = provider.ca_file;
  // RFC 6749 2.3.1: client id and secret form-encoded, then Basic.
  request.headers.emplace_back(
      "Authorization", "Basic " + Base64(FormEncode(provider.client_id) + ":" + FormEncode(provider.client_secret)));
  request.body = "grant_type=authorization_code&code=" + FormEncode(code) + "&redirect_uri=" + FormEncode(redirect_uri) +
                 "&code_verifier=" + FormEncode(code_verifier);
  ASSIGN_OR_RETURN(HttpsResponse response, fetcher_.Fetch(request));
  if (response.status == 400 || response.status == 401)
    return Status::Unauthenticated("the token endpoint refused the code");
  ASSIGN_OR_RETURN(boost::json::object body, JsonObject(response, "the token endpoint of provider " + provider.id));
  std::string id_token = Text(body, "id_token");
  if (id_token.empty()) return Status::FailedPrecondition("the token endpoint of provider " + provider.id + " sent no id_token");
  return id_token;
}

}  // namespace casus::app::oidc
