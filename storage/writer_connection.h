// What the group writer (storage/group_writer.h) needs of the one
// connection it commits through, so that SQLite and PostgreSQL share the
// writer: transaction control and the repositories on that connection.
#pragma once

#include "common/status.h"
#include "storage/store.h"

namespace casus::storage {

class WriterConnection {
 public:
  virtual ~WriterConnection() = default;
  // Starts a group's transaction (SQLite: BEGIN IMMEDIATE; PostgreSQL: BEGIN).
  virtual Status Begin() = 0;
  // COMMIT, ROLLBACK, and SAVEPOINT / RELEASE / ROLLBACK TO within the group.
  virtual Status Control(const char* sql) = 0;
  // False once the database ended the transaction on its own (SQLite on a
  // full disk or I/O error; PostgreSQL when the connection is gone).
  virtual bool InTransaction() const = 0;
  // The repositories, working on this connection.
  virtual Transaction& transaction() = 0;
};

// The disk-full guard's reserve (storage/sqlite/space_reserve.h); optional.
class SpaceGuard {
 public:
  virtual ~SpaceGuard() = default;
  // Makes the reserve when absent and the disk has room; false when it could not.
  virtual bool Ensure() = 0;
  // Gives the reserve's space back to the database.
  virtual void Release() = 0;
  // Whether the disk has room for the reserve and as much again.
  virtual bool SpaceReturned() const = 0;
};

}  // namespace casus::storage
