// The shared rate limits (RateLimitRepository) on PostgreSQL.
#include "storage/postgres/repositories.h"
#include "storage/postgres/row_codec.h"

namespace casus::storage::postgres {

StatusOr<int> PgRateLimits::CountSince(const std::string& scope, const std::string& key, TimePoint since) {
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "count rate limit hits",
                                      "SELECT count(*) FROM rate_limit_hits WHERE scope = $1 AND key_hash = $2 "
                                      "AND at >= $3::bigint",
                                      {scope, key, TimeParam(since)}));
  return static_cast<int>(r.Int(0, 0));
}

Status PgRateLimits::Record(const std::string& id, const std::string& scope, const std::string& key, TimePoint at) {
  return RunQuery(c_, "record rate limit hit",
                  "INSERT INTO rate_limit_hits (id, scope, key_hash, at) VALUES ($1, $2, $3, $4::bigint)",
                  {id, scope, key, TimeParam(at)})
      .status();
}

Status PgRateLimits::Remove(const std::string& id) {
  return RunQuery(c_, "remove rate limit hit", "DELETE FROM rate_limit_hits WHERE id = $1", {id}).status();
}

Status PgRateLimits::RemoveKey(const std::string& scope, const std::string& key) {
  return RunQuery(c_, "clear rate limit key", "DELETE FROM rate_limit_hits WHERE scope = $1 AND key_hash = $2",
                  {scope, key})
      .status();
}

Status PgRateLimits::PurgeBefore(const std::string& scope, TimePoint before) {
  return RunQuery(c_, "purge rate limit hits", "DELETE FROM rate_limit_hits WHERE scope = $1 AND at < $2::bigint",
                  {scope, TimeParam(before)})
      .status();
}

}  // namespace casus::storage::postgres
