// Appending to the hash-chained audit log (storage/sqlite/audit_repository.cc
// on PostgreSQL). Several Casus nodes may write to one database, so the
// chain cannot rely on a single writer: every append takes the append lock
// (locks.h) first and reads and moves audit_head under it.
#include "storage/postgres/repositories.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "storage/audit_chain_rules.h"
#include "storage/codec.h"
#include "storage/postgres/audit_rows.h"
#include "storage/postgres/row_codec.h"

namespace casus::storage::postgres {
namespace {

constexpr const char* kInsertPrefix =
    "INSERT INTO audit_log (seq, at, action, result, user_id, role, org_id, on_behalf_of, client, object_type, "
    "object_id, person_id, reason, prev_hash, hash, scheme, detail, salt, content_digest) VALUES ";
constexpr int kInsertParams = 18;
// Rows per INSERT: the append lock is held from the head's read to commit
// and every node's appends wait for it, so a group's entries go in a few
// round trips, not one each (PostgreSQL allows 65,535 parameters).
constexpr std::size_t kInsertRows = 500;

std::string InsertSql(std::size_t rows) {
  std::string sql = kInsertPrefix;
  int p = 1;
  for (std::size_t r = 0; r < rows; ++r) {
    if (r > 0) sql += ", ";
    sql += "($" + std::to_string(p) + "::bigint, $" + std::to_string(p + 1) + "::bigint";
    for (int i = 2; i < kInsertParams; ++i) {
      if (i == 15) sql += ", 2";  // scheme
      sql += ", $" + std::to_string(p + i);
    }
    sql += ")";
    p += kInsertParams;
  }
  return sql;
}

void AddInsertParams(std::vector<Param>& params, const AuditEntry& e) {
  params.emplace_back(std::to_string(e.seq));
  params.emplace_back(std::to_string(ToUnix(e.at)));
  params.emplace_back(e.action);
  params.emplace_back(e.result);
  params.emplace_back(e.user_id);
  params.emplace_back(e.role);
  params.emplace_back(e.org_id);
  params.emplace_back(e.on_behalf_of);
  params.emplace_back(e.client);
  params.emplace_back(e.object_type);
  params.emplace_back(e.object_id);
  params.emplace_back(e.person_id);
  params.emplace_back(e.reason);
  params.emplace_back(e.prev_hash);
  params.emplace_back(e.hash);
  params.emplace_back(e.detail);
  params.emplace_back(e.salt);
  params.emplace_back(e.content_digest);
}

std::vector<AuditEntry> ReadEntries(const Result& r) {
  std::vector<AuditEntry> out;
  out.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) out.push_back(ReadAuditRow(r, i));
  return out;
}

}  // namespace

StatusOr<std::vector<AuditEntry>> PgAuditLog::AppendAll(std::vector<AuditEntry> entries) {
  if (entries.empty()) return entries;
  // Several nodes append to one chain. The append lock is transaction-
  // scoped: held from here until this transaction commits or rolls back.
  // Whoever appended before us has therefore committed (released the lock)
  // before we read audit_head, and the writer runs in READ COMMITTED, so
  // the head we read below is their committed head; whoever appends after
  // us waits for our commit. Sequence numbers assigned under a lock held to
  // commit are thus commit order: no two transactions chain onto the same
  // head, no seq is taken twice or skipped, and a transaction that rolls
  // back leaves the head (and its seqs) to the next one. FOR UPDATE adds
  // nothing under the lock; it makes a caller that forgot the lock, or runs
  // at REPEATABLE READ with an older snapshot, fail (wait, or 40001) instead
  // of chaining onto a stale head.
  {
    Status locked = c_.EnsureAppendLock();
    if (!locked.ok()) return InContext(locked, "lock audit chain");
  }
  std::int64_t seq = 0;
  std::string prev_hash;
  {
    ASSIGN_OR_RETURN(Result head, RunQuery(c_, "read audit head",
                                           "SELECT last_seq, last_hash FROM audit_head WHERE id = 1 FOR UPDATE"));
    if (head.rows() == 0) return Status::Internal("audit head row is missing");
    seq = head.Int(0, 0);
    prev_hash = head.Text(0, 1);
  }
  // One sealing rule for both backends (audit_chain_rules.h): a chain
  // written by either verifies by the same rules.
  RETURN_IF_ERROR(SealOntoChain(entries, seq, prev_hash));
  // The entries and the head's move go in one round trip (pipeline mode):
  // nothing between them needs an answer, and the lock is held meanwhile.
  std::vector<Connection::Statement> statements;
  for (std::size_t start = 0; start < entries.size(); start += kInsertRows) {
    const std::size_t rows = std::min(kInsertRows, entries.size() - start);
    std::vector<Param> params;
    params.reserve(rows * kInsertParams);
    for (std::size_t i = start; i < start + rows; ++i) AddInsertParams(params, entries[i]);
    statements.push_back({InsertSql(rows), std::move(params)});
  }
  statements.push_back(
      {"UPDATE audit_head SET last_seq = $1::bigint, last_hash = $2 WHERE id = 1", {std::to_string(seq), prev_hash}});
  StatusOr<std::vector<Result>> written = c_.QueryPipelined(statements);
  if (!written.ok()) return InContext(written.status(), "append audit entries");
  if (written->back().Affected() != 1) return Status::Internal("audit head row is missing");
  return entries;
}

StatusOr<std::vector<AuditEntry>> PgAuditLog::List(std::int64_t after_seq, int limit) {
  RETURN_IF_ERROR(CheckLimit(limit));
  ASSIGN_OR_RETURN(Result r,
                   RunQuery(c_, "list audit entries",
                            std::string(kAuditColumns) + "WHERE seq > $1::bigint ORDER BY seq LIMIT $2::bigint",
                            {std::to_string(after_seq), std::to_string(limit)}));
  return ReadEntries(r);
}

StatusOr<std::vector<AuditEntry>> PgAuditLog::Search(const AuditFilter& filter) {
  RETURN_IF_ERROR(CheckLimit(filter.limit));
  // As with the other filtered lists, the SQL depends only on which
  // criteria are set.
  std::vector<Param> params;
  params.emplace_back(std::to_string(filter.after_seq));
  std::string sql = std::string(kAuditColumns) + "WHERE seq > $1::bigint";
  auto next = [&params]() { return "$" + std::to_string(params.size() + 1); };
  const std::pair<const char*, const std::optional<std::string>*> criteria[] = {
      {"object_type", &filter.object_type}, {"object_id", &filter.object_id}, {"person_id", &filter.person_id},
      {"user_id", &filter.user_id},         {"action", &filter.action},
  };
  for (const auto& [column, value] : criteria) {
    if (!*value) continue;
    sql += std::string(" AND ") + column + " = " + next();
    params.emplace_back(**value);
  }
  if (filter.since) {
    sql += " AND at >= " + next() + "::bigint";
    params.emplace_back(std::to_string(ToUnix(*filter.since)));
  }
  sql += " ORDER BY seq LIMIT " + next() + "::bigint";
  params.emplace_back(std::to_string(filter.limit));
  ASSIGN_OR_RETURN(Result r, RunQuery(c_, "search audit entries", sql, params));
  return ReadEntries(r);
}

}  // namespace casus::storage::postgres
