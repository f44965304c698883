// Small helpers shared by the benchmark programs: wall time, percentiles,
// and a minimal JSON object writer for the raw numbers bench.sh collects.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

namespace casus::bench {

using SteadyClock = std::chrono::steady_clock;

inline double SecondsSince(SteadyClock::time_point start) {
  return std::chrono::duration<double>(SteadyClock::now() - start).count();
}

// The q-quantile (0..1) of `samples` in the samples' unit; 0 when empty.
inline double Percentile(std::vector<double> samples, double q) {
  if (samples.empty()) return 0;
  std::size_t k = static_cast<std::size_t>(q * static_cast<double>(samples.size() - 1) + 0.5);
  std::nth_element(samples.begin(), samples.begin() + static_cast<std::ptrdiff_t>(k), samples.end());
  return samples[k];
}

// One flat JSON object, fields in insertion order. Keys and string values
// are plain identifiers chosen by the benchmark, so no escaping is needed.
class JsonLine {
 public:
  JsonLine& Str(const std::string& key, const std::string& value) {
    Key(key);
    out_ << '"' << value << '"';
    return *this;
  }
  JsonLine& Num(const std::string& key, double value) {
    Key(key);
    out_ << value;
    return *this;
  }
  std::string Done() const { return "{" + out_.str() + "}"; }

 private:
  void Key(const std::string& key) {
    if (!first_) out_ << ',';
    first_ = false;
    out_ << '"' << key << "\":";
  }
  std::ostringstream out_;
  bool first_ = true;
};

}  // namespace casus::bench
