// The threads that run handlers, so that blocking work (SQLite, fsync,
// password hashing) never stalls an I/O thread. The queue is bounded: when
// it is full the caller answers 503 instead of queueing without limit.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace casus::api::server {

class WorkerPool {
 public:
  // Starts `threads` workers (at least one). `max_queued` bounds tasks
  // waiting for a worker (tasks being run do not count).
  WorkerPool(int threads, std::size_t max_queued);
  ~WorkerPool();  // Stop()
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // Queues `task`; false (task dropped) when the queue is full or the pool
  // is stopped. Thread-safe.
  bool TryPost(std::function<void()> task);

  // Queues `task` regardless of the bound, for cleanup that must happen
  // (a subscription's Stop). After Stop() it runs on the calling thread.
  void Post(std::function<void()> task);

  // Runs every queued task, then joins the workers. Idempotent; must not be
  // called from a worker.
  void Stop();

  std::size_t queued() const;

 private:
  void Run();

  const std::size_t max_queued_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> queue_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace casus::api::server
