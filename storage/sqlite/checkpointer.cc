#include "storage/sqlite/checkpointer.h"

namespace casus::storage::sqlite {

StatusOr<std::unique_ptr<Checkpointer>> Checkpointer::Start(const std::filesystem::path& path, int busy_timeout_ms,
                                                            const std::string& synchronous) {
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn,
                   Connection::Open(path, Connection::Mode::kReadWrite, busy_timeout_ms));
  // The checkpoint's fsyncs follow this connection's setting.
  RETURN_IF_ERROR(conn->Exec("PRAGMA synchronous = " + synchronous));
  return std::unique_ptr<Checkpointer>(new Checkpointer(std::move(conn)));
}

Checkpointer::Checkpointer(std::unique_ptr<Connection> conn) : conn_(std::move(conn)), thread_([this] { Run(); }) {}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Checkpointer::AfterCommit(int wal_pages) {
  if (wal_pages < kWalPages) return;
  {
    std::lock_guard lock(mu_);
    if (due_) return;
    due_ = true;
  }
  wake_.notify_one();
}

void Checkpointer::Run() {
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || due_; });
      if (stopping_) return;
      due_ = false;
    }
    // PASSIVE never waits for readers or the writer; what it cannot copy
    // now is copied by the next one. A failure (e.g. a full disk) leaves the
    // WAL as it is: nothing committed is lost, and the next commit retries.
    (void)conn_->Exec("PRAGMA wal_checkpoint(PASSIVE)");
  }
}

}  // namespace casus::storage::sqlite
