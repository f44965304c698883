#include "api/events/live_events.h"

#include <boost/json.hpp>

#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "api/handlers/auth_context.h"
#include "api/handlers/problem.h"
#include "app/case_access.h"
#include "engine/access_policy.h"

namespace casus::api {
namespace {

// ?after=<digits>: nullopt when malformed; -1 when absent (live only).
std::optional<std::int64_t> AfterParameter(const std::string& query) {
  std::int64_t after = -1;
  size_t pos = 0;
  while (pos < query.size()) {
    size_t end = query.find('&', pos);
    if (end == std::string::npos) end = query.size();
    std::string_view part(query.data() + pos, end - pos);
    if (part.substr(0, 6) == "after=") {
      std::string_view digits = part.substr(6);
      if (digits.empty() || digits.size() > 18) return std::nullopt;
      after = 0;
      for (char c : digits) {
        if (c < '0' || c > '9') return std::nullopt;
        after = after * 10 + (c - '0');
      }
    } else if (!part.empty()) {
      return std::nullopt;  // no other parameters
    }
    pos = end + 1;
  }
  return after;
}

class Subscription final : public EventSubscription, public std::enable_shared_from_this<Subscription> {
 public:
  Subscription(app::Principal principal, std::int64_t after, app::EventBus& bus, app::EventReplay& replay,
               const Clock& clock, int replay_limit)
      : principal_(std::move(principal)),
        last_sent_(after),
        bus_(bus),
        replay_(replay),
        clock_(clock),
        replay_limit_(replay_limit) {}

  ~Subscription() override { Stop(); }

  void Start(std::shared_ptr<EventSink> sink) override {
    {
      std::lock_guard lock(mu_);
      sink_ = std::move(sink);
      // Without ?after= the client wants what happens from now on.
      live_only_ = last_sent_ < 0;
      if (live_only_) replayed_ = true;
    }
    LoadGrants();
    // Listen first, so nothing committed during the replay is missed.
    std::weak_ptr<Subscription> weak = shared_from_this();
    std::uint64_t id = bus_.Subscribe([weak](const std::vector<app::PublishedEvent>& events) {
      if (auto self = weak.lock()) self->OnLive(events);
    });
    {
      std::lock_guard lock(mu_);
      subscription_id_ = id;
      if (live_only_) return;
    }
    Replay();
  }

  void Stop() override {
    std::uint64_t id = 0;
    {
      std::lock_guard lock(mu_);
      id = subscription_id_;
      subscription_id_ = 0;
      stopped_ = true;
      sink_.reset();
    }
    if (id) bus_.Unsubscribe(id);
  }

 private:
  void LoadGrants() {
    auto grants = replay_.GrantExpiries(principal_.user.id);
    if (!grants.ok()) return;  // no grants: deny by default
    std::lock_guard lock(mu_);
    grant_expiry_ = std::move(grants).value();
  }

  bool MayRead(engine::CaseAccessFacts facts, const std::string& case_id) {
    auto it = grant_expiry_.find(case_id);
    facts.break_glass_active = it != grant_expiry_.end() && it->second > clock_.Now();
    return engine::DecideCaseRead(principal_.actor, facts).allowed;
  }

  // Called with mu_ held. False when the sink refused (slow consumer): stop.
  bool SendLocked(const app::PublishedEvent& event) {
    if (event.id <= last_sent_) return true;
    last_sent_ = event.id;
    if (!MayRead(event.facts, event.case_id)) return true;
    // Encoded once by the dispatcher for every subscriber; replayed events
    // are encoded here.
    auto message = event.message ? event.message : std::make_shared<const std::string>(EventMessageJson(event));
    if (!sink_ || !sink_->Send(std::move(message))) {
      stopped_ = true;
      return false;
    }
    return true;
  }

  void OnLive(const std::vector<app::PublishedEvent>& events) {
    std::lock_guard lock(mu_);
    if (stopped_) return;
    if (!replayed_) {
      held_.insert(held_.end(), events.begin(), events.end());
      return;
    }
    for (const auto& e : events)
      if (!SendLocked(e)) return;
  }

  // Reads the events after the client's cursor, with each case's current
  // facts (team and municipality), and sends those the user may see.
  void Replay() {
    std::vector<app::PublishedEvent> missed;
    bool truncated = false;
    std::int64_t cursor;
    {
      std::lock_guard lock(mu_);
      cursor = last_sent_;
    }
    auto read = replay_.After(cursor, replay_limit_);
    Status st = read.status();
    if (read.ok()) {
      missed = std::move(read->events);
      truncated = read->truncated;
      cursor = read->last_examined;
    }
    {
      std::lock_guard lock(mu_);
      if (stopped_) return;
      if (!st.ok()) {
        if (sink_) sink_->Close();
        return;
      }
      if (truncated && sink_) {
        sink_->Send(std::make_shared<const std::string>(R"({"type":"replay.truncated"})"));
      }
    }
    // Send the missed events, then whatever arrived live meanwhile, pacing
    // by the connection's queue so that a long replay does not look like a
    // slow consumer. The lock is never held while waiting: the bus calls
    // OnLive from the dispatcher's thread.
    if (!SendPaced(missed)) return;
    for (;;) {
      std::vector<app::PublishedEvent> held;
      {
        std::lock_guard lock(mu_);
        if (stopped_) return;
        if (held_.empty()) {
          if (truncated) last_sent_ = std::max(last_sent_, cursor);
          replayed_ = true;
          return;
        }
        held.swap(held_);
      }
      if (!SendPaced(held)) return;
    }
  }

  // False when the subscription ended (stopped, or the client is gone).
  bool SendPaced(const std::vector<app::PublishedEvent>& events) {
    using namespace std::chrono_literals;
    for (const auto& e : events) {
      // Wait (bounded) until the queue is at most half full.
      for (int waited_ms = 0;; waited_ms += 2) {
        std::shared_ptr<EventSink> sink;
        {
          std::lock_guard lock(mu_);
          if (stopped_ || !sink_) return false;
          sink = sink_;
        }
        if (sink->Backlog() * 2 < sink->Capacity() || waited_ms >= kMaxReplayWaitMs) break;
        std::this_thread::sleep_for(2ms);
      }
      std::lock_guard lock(mu_);
      if (stopped_ || !SendLocked(e)) return false;
    }
    return true;
  }

  // A client that does not read for this long during its replay is cut off.
  static constexpr int kMaxReplayWaitMs = 30000;

  app::Principal principal_;
  std::mutex mu_;
  std::int64_t last_sent_;
  bool replayed_ = false;
  bool live_only_ = false;
  bool stopped_ = false;
  std::vector<app::PublishedEvent> held_;
  std::shared_ptr<EventSink> sink_;
  std::uint64_t subscription_id_ = 0;
  std::map<std::string, TimePoint> grant_expiry_;
  app::EventBus& bus_;
  app::EventReplay& replay_;
  const Clock& clock_;
  int replay_limit_;
};

}  // namespace

std::string EventMessageJson(const app::PublishedEvent& event) {
  boost::json::object msg{{"id", std::to_string(event.id)},
                          {"type", event.type},
                          {"case_id", event.case_id},
                          {"at", FormatRfc3339(event.at)}};
  boost::system::error_code ec;
  boost::json::value data = boost::json::parse(event.payload_json, ec);
  msg["data"] = ec ? boost::json::value(boost::json::object{}) : data;
  return boost::json::serialize(msg);
}

LiveEventStream::LiveEventStream(app::AuthService& auth, app::EventBus& bus, app::EventReplay& replay, const Clock& clock,
                                 int replay_limit)
    : auth_(auth), bus_(bus), replay_(replay), clock_(clock), replay_limit_(replay_limit) {}

EventStreamHandler::Acceptance LiveEventStream::Accept(const HttpRequest& request) {
  // Same authentication as every other API call (Bearer token or session
  // cookie; an upgrade is a GET, so no CSRF header is needed).
  auto refuse = [](HttpResponse r) {
    r.route = "GET /api/v1/events";
    return Acceptance{std::move(r), nullptr};
  };
  auto ctx = handlers::Authenticate(auth_, request);
  if (!ctx.ok()) return refuse(handlers::ProblemResponse(ctx.status()));
  // A page on another site could open this socket with the user's cookie
  // and read the live events (cross-site WebSocket hijacking); SameSite
  // does not cover sites under the same registrable domain.
  if (ctx->via_cookie && !handlers::IsSameOrigin(request))
    return refuse(handlers::ProblemResponse(
        Status(StatusCode::kPermissionDenied, "a cookie-authenticated event stream must come from this server's pages",
               StatusDetail{Refusal::kOriginMismatch, {}, {}, ""})));
  auto after = AfterParameter(request.query);
  if (!after) return refuse(handlers::ProblemResponse(400, "Bad Request", "the only parameter is after=<event id>"));
  return {std::nullopt, std::make_shared<Subscription>(std::move(ctx->principal), *after, bus_, replay_, clock_,
                                                       replay_limit_)};
}

}  // namespace casus::api
