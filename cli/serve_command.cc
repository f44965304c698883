#include "cli/serve_command.h"

#include <spdlog/spdlog.h>

#include <csignal>
#include <iostream>

#include "api/events/live_events.h"
#include "api/handlers/api_handler.h"
#include "api/server/https_fetcher.h"
#include "api/server/https_server.h"
#include "api/server/logging.h"
#include "api/server/metrics.h"
#include "api/server/server_config.h"
#include "api/server/static_files.h"
#include "api/server/tls.h"
#include "app/event_bus.h"
#include "app/event_dispatcher.h"
#include "app/periodic_task.h"
#include "app/services.h"
#include "app/shared_event_feed.h"
#include "app/workflow_catalog.h"
#include "cli/store_access.h"
#include "tz/tzdb_civil_time.h"

namespace casus::cli {
namespace {

// Blocks SIGINT and SIGTERM in this thread before any other thread starts,
// so every thread inherits the mask and only sigwait() below sees them.
sigset_t BlockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

}  // namespace

int Serve(const CommonOptions& options, const std::optional<std::string>& listen) {
  sigset_t stop_signals = BlockStopSignals();
  api::server::ConfigureLogging();
  auto config = LoadConfigOrReport(options);
  if (!config) return 2;
  // Every term is kept in Amsterdam time, read from the system tz database.
  if (auto zone = tz::LoadAmsterdam(); !zone.ok()) {
    std::cerr << "refusing to start: " << zone.status().message() << "\n";
    return 2;
  }
  auto transport = api::server::ParseServerConfig(config->server_settings);
  if (!transport.ok()) {
    std::cerr << "configuration: " << transport.status().message() << "\n";
    return 2;
  }
  api::server::ServerConfig& server_config = *transport;
  if (listen) server_config.listen = *listen;

  auto store = OpenStoreOrReport(*config, /*create=*/true);
  if (!store) return 2;
  auto registry = app::SyncWorkflows(*store, config->workflows_dir);
  if (!registry.ok()) {
    std::cerr << "refusing to start: invalid workflow definitions\n" << registry.status().message() << "\n";
    return 1;
  }

  std::filesystem::path cert = server_config.tls_cert, key = server_config.tls_key;
  if (cert.empty() != key.empty()) {
    spdlog::error("configuration: server.tls_cert and server.tls_key go together");
    return 2;
  }
  if (cert.empty()) {
    Status made = api::server::EnsureSelfSignedCertificate(config->data_dir, &cert, &key);
    if (!made.ok()) {
      spdlog::error("tls: {}", made.message());
      return 2;
    }
  }
  auto ssl = api::server::MakeServerContext(cert, key);
  if (!ssl.ok()) {
    spdlog::error("tls: {}", ssl.status().message());
    return 2;
  }

  SystemClock clock;
  RandomIdGenerator ids;
  app::EventBus bus;
  // Committed events leave the writer thread at once; this thread encodes
  // each once and fans it out in commit order.
  app::EventDispatcher dispatcher(bus, api::EventMessageJson);
  if (Status st = app::CheckRetentionConfig(config->retention, *registry); !st.ok()) {
    std::cerr << "refusing to start: configuration: " << st.message() << "\n";
    return 2;
  }
  app::AuthOptions auth_options;
  auth_options.idle_timeout = std::chrono::minutes(config->limits.session_idle_minutes);
  auth_options.absolute_timeout = std::chrono::hours(config->limits.session_absolute_hours);
  // The one place services are built; from here on nothing but main sees the store.
  // OpenID providers are reached over verified TLS (discovery, keys, codes).
  api::server::BeastHttpsFetcher https;
  app::Services services(app::ServiceParts{*store, *registry, *config, clock, ids, auth_options, &https});
  // One node: its writer hands committed events to the dispatcher. Several
  // nodes on one database: every node's events come from the database, in
  // the one commit order (app/shared_event_feed.h).
  std::unique_ptr<app::SharedEventFeed> shared_events;
  if (store->Shared()) {
    auto feed = app::SharedEventFeed::Start(*store, services.replay, dispatcher);
    if (!feed.ok()) {
      spdlog::error("live events: {}", feed.status().message());
      return 2;
    }
    shared_events = std::move(feed).value();
  } else {
    services.cases.SetEventPublisher(&dispatcher);
  }
  // Deadlines that fell due while the server was down fire now, once,
  // before anyone is served; then the timer thread keeps them on time.
  app::DeadlineService& deadlines = services.deadlines;
  if (auto ticked = deadlines.Tick(); ticked.ok() && ticked->led_elsewhere) {
    spdlog::info("deadlines: another node leads the background jobs");
  } else if (ticked.ok()) {
    spdlog::info("deadlines: {} firings on {} cases at start", ticked->firings, ticked->cases);
  } else {
    spdlog::error("deadlines at start: {}", ticked.status().message());
  }
  // Retention: once right after start, then every interval (daily by
  // default). On its own thread: over a million cases its scan takes
  // seconds, and nobody needs to wait for it before being served.
  storage::Store& shared_store = *store;
  auto run_retention = [&retention = services.retention, &shared_store] {
    // With several nodes on one database, the one that leads runs it.
    if (!shared_store.TryLead()) return;
    auto done = retention.Run(/*dry_run=*/false);
    if (done.ok())
      spdlog::info("retention: {} cases, {} reports, {} persons erased; {} audit entries' content erased",
                   done->cases, done->reports, done->persons, done->audit_entries);
    else
      spdlog::error("retention: {}", done.status().message());
  };
  app::PeriodicTask retention_task;

  api::server::Metrics metrics;
  storage::Store* raw_store = store.get();
  metrics.SetGaugeCallback("casus_writer_queue_depth", "Writes waiting for the database writer thread",
                           [raw_store] { return static_cast<double>(raw_store->WriteQueueDepth()); });
  api::handlers::ApiHandler handler(api::handlers::ApiDeps{
      services,
      [&metrics](const std::string& type, const std::string& result) { metrics.CountTransition(type, result); }});
  api::LiveEventStream events(services.auth, bus, services.replay, clock);

  const std::filesystem::path web_root = app::ResolveBesideSource(server_config.web_root);
  const std::filesystem::path vendor_dir = app::ResolveBesideSource(server_config.vendor_dir);
  if (std::error_code ec; !std::filesystem::exists(web_root / "index.html", ec))
    spdlog::warn("web application not found in {}: only the API is served", web_root.string());
  if (std::error_code ec; !std::filesystem::is_directory(vendor_dir, ec))
    spdlog::warn("{} not found (run scripts/install-web.sh): charts will not load", vendor_dir.string());
  api::server::StaticFiles static_files(web_root, vendor_dir);
  api::server::WebAppHandler web_and_api(static_files, handler);

  api::server::HttpsServer server(server_config, *ssl, web_and_api, events, metrics, [] { return true; });
  Status started = server.Start();
  if (!started.ok()) {
    spdlog::error("listen {}: {}", server_config.listen, started.message());
    return 2;
  }
  std::string host = server_config.listen.substr(0, server_config.listen.rfind(':'));
  spdlog::info("casus serving https://{}:{} (data {}, {} workflows)", host, server.port(), config->data_dir.string(),
               registry->LatestOfEach().size());
  std::cout << "Casus listens on https://" << (host == "127.0.0.1" ? "localhost" : host) << ":" << server.port()
            << "/ (stop with Ctrl-C)" << std::endl;

  deadlines.Start(std::chrono::seconds(config->deadlines.tick_seconds),
                  [](const Status& st) { spdlog::error("deadlines: {}", st.message()); });

  retention_task.Start(std::chrono::seconds(0), std::chrono::hours(config->retention.interval_hours), run_retention);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  spdlog::info("signal {} received: stopping", signal_number);
  deadlines.Stop();  // before the store flushes: no write job may follow the flush
  retention_task.Stop();
  server.Stop();
  store->Flush();
  spdlog::info("stopped cleanly");
  return 0;
}

}  // namespace casus::cli
