// Runs a function every `period` on a thread of its own until Stop() (or
// destruction); Stop() ends the wait at once (a run in progress finishes).
// For the daily retention job.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

namespace casus::app {

class PeriodicTask {
 public:
  PeriodicTask() = default;
  ~PeriodicTask() { Stop(); }
  PeriodicTask(const PeriodicTask&) = delete;
  PeriodicTask& operator=(const PeriodicTask&) = delete;

  // The first run comes after `first_delay` (zero: at once, on the task's
  // thread), then one every `period`.
  void Start(std::chrono::seconds first_delay, std::chrono::seconds period, std::function<void()> run) {
    Stop();
    {
      std::lock_guard lock(mu_);
      stopping_ = false;
    }
    thread_ = std::thread([this, first_delay, period, run = std::move(run)] {
      std::unique_lock lock(mu_);
      std::chrono::seconds wait = first_delay;
      for (; !wake_.wait_for(lock, wait, [this] { return stopping_; }); wait = period) {
        lock.unlock();
        run();
        lock.lock();
      }
    });
  }

  void Stop() {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    wake_.notify_all();
    if (thread_.joinable()) thread_.join();
  }

 private:
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace casus::app
