// The shared rate limits (RateLimitRepository) on SQLite.
#include "storage/codec.h"
#include "storage/sqlite/repositories.h"

namespace casus::storage::sqlite {

StatusOr<int> SqliteRateLimits::CountSince(const std::string& scope, const std::string& key, TimePoint since) {
  ASSIGN_OR_RETURN(StatementRef s,
                   c_.Prepare("SELECT count(*) FROM rate_limit_hits WHERE scope = ? AND key_hash = ? AND at >= ?"));
  s->Bind(1, scope);
  s->Bind(2, key);
  s->Bind(3, ToUnix(since));
  ASSIGN_OR_RETURN(bool row, s->Step("count rate limit hits"));
  return row ? static_cast<int>(s->ColumnInt(0)) : 0;
}

Status SqliteRateLimits::Record(const std::string& id, const std::string& scope, const std::string& key,
                                TimePoint at) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("INSERT INTO rate_limit_hits (id, scope, key_hash, at) VALUES (?, ?, ?, ?)"));
  s->Bind(1, id);
  s->Bind(2, scope);
  s->Bind(3, key);
  s->Bind(4, ToUnix(at));
  return s->Run("record rate limit hit");
}

Status SqliteRateLimits::Remove(const std::string& id) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("DELETE FROM rate_limit_hits WHERE id = ?"));
  s->Bind(1, id);
  return s->Run("remove rate limit hit");
}

Status SqliteRateLimits::RemoveKey(const std::string& scope, const std::string& key) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("DELETE FROM rate_limit_hits WHERE scope = ? AND key_hash = ?"));
  s->Bind(1, scope);
  s->Bind(2, key);
  return s->Run("clear rate limit key");
}

Status SqliteRateLimits::PurgeBefore(const std::string& scope, TimePoint before) {
  ASSIGN_OR_RETURN(StatementRef s, c_.Prepare("DELETE FROM rate_limit_hits WHERE scope = ? AND at < ?"));
  s->Bind(1, scope);
  s->Bind(2, ToUnix(before));
  return s->Run("purge rate limit hits");
}

}  // namespace casus::storage::sqlite
