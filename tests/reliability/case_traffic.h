// Write traffic for the reliability tests: a client that opens IAWW cases
// in Kerkrade as a meldpunt and then takes transitions on them
// (verrijking_starten, then partnerinformatie_toevoegen, which keeps the
// case in verrijking and so can repeat). Every 2xx answer is recorded as
// acknowledged, with the version it reported.
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace casus::reliability {

// The highest acknowledged version of each case, shared by the writers.
class Acknowledged {
 public:
  void Record(const std::string& case_id, std::int64_t version);
  std::map<std::string, std::int64_t> Snapshot() const;

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::int64_t> versions_;
};

struct TrafficCounts {
  std::atomic<int> acknowledged{0};
  std::atomic<int> unanswered{0};  // transport errors: the server died or was not there
  std::atomic<int> refused{0};     // answered, but not 2xx
  std::mutex mu;
  std::vector<std::string> refusals;  // the first few, for the failure message
  void Refuse(const std::string& what);
};

// Writes until `stop` is set. `port` is read before each request, so a
// restarted server (new port) is picked up; a transport error makes the
// client forget its current case (its outcome is unknown) and start anew.
void RunCaseWriter(const std::atomic<int>& port, const std::string& token, const std::atomic<bool>& stop,
                   Acknowledged& acks, TrafficCounts& counts, int transitions_per_case = 25);

}  // namespace casus::reliability
