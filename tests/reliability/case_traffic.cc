#include "tests/reliability/case_traffic.h"

#include <boost/json.hpp>

#include <algorithm>
#include <chrono>
#include <memory>
#include <thread>

#include "tests/reliability/casus_process.h"

namespace casus::reliability {

namespace json = boost::json;

void Acknowledged::Record(const std::string& case_id, std::int64_t version) {
  std::lock_guard lock(mu_);
  std::int64_t& v = versions_[case_id];
  v = std::max(v, version);
}

std::map<std::string, std::int64_t> Acknowledged::Snapshot() const {
  std::lock_guard lock(mu_);
  return versions_;
}

void TrafficCounts::Refuse(const std::string& what) {
  ++refused;
  std::lock_guard lock(mu);
  if (refusals.size() < 10) refusals.push_back(what);
}

void RunCaseWriter(const std::atomic<int>& port, const std::string& token, const std::atomic<bool>& stop,
                   Acknowledged& acks, TrafficCounts& counts, int transitions_per_case) {
  const Headers auth = {{"Authorization", "Bearer " + token}};
  std::unique_ptr<HttpsClient> client;
  int client_port = 0;
  std::string case_id;
  std::int64_t version = 0;
  while (!stop.load()) {
    if (!client || client_port != port.load()) {
      client_port = port.load();
      client = std::make_unique<HttpsClient>(client_port);
    }
    std::string target;
    json::object body;
    if (case_id.empty() || version > transitions_per_case) {
      target = "/api/v1/cases";
      body = {{"type", "iaww"},
              {"subject", {{"name", UniqueName("Crash")}}},
              {"municipality", "Kerkrade"},
              {"data",
               {{"categorie", "woonoverlast"},
                {"melder_type", "burger"},
                {"wijk", "Chevremont"},
                {"omschrijving", "Geluidsoverlast"}}}};
    } else {
      target = "/api/v1/cases/" + case_id + "/transitions";
      body = {{"transition", version == 1 ? "verrijking_starten" : "partnerinformatie_toevoegen"},
              {"version", version}};
      if (version > 1) body["data"] = json::object{{"informatie", "Bericht " + std::to_string(version)}};
    }
    const HttpResult r = client->Request("POST", target, json::serialize(body), auth, std::chrono::seconds(10));
    if (r.status >= 200 && r.status < 300) {
      const std::string id = r.Str("id");
      const auto* v = r.obj().if_contains("version");
      if (id.empty() || !v || !v->is_int64()) {
        counts.Refuse("2xx without id/version: " + r.Describe());
        case_id.clear();
        continue;
      }
      case_id = id;
      version = v->get_int64();
      acks.Record(case_id, version);
      ++counts.acknowledged;
    } else if (r.status == 0) {
      ++counts.unanswered;
      case_id.clear();
      client.reset();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } else {
      counts.Refuse(target + ": " + r.Describe());
      case_id.clear();
    }
  }
}

}  // namespace casus::reliability
