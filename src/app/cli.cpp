#include "dondoc/app/cli.hpp"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <csignal>
#include <iostream>

#include "account_commands.hpp"
#include "calendar_command.hpp"
#include "delivery_loop.hpp"
#include "demo_command.hpp"
#include "dondoc/config/config.hpp"
#include "dondoc/delivery/dispatcher.hpp"
#include "dondoc/domain/errors.hpp"
#include "dondoc/http/api.hpp"
#include "dondoc/http/server.hpp"
#include "dondoc/scheduler/scanner.hpp"
#include "dondoc/service/series.hpp"
#include "dondoc/service/services.hpp"
#include "dondoc/storage/open_store.hpp"
#include "dondoc/storage/sqlite_store.hpp"
#include "import_command.hpp"
#include "logging.hpp"
#include "message_templates.hpp"
#include "process_limits.hpp"
#include "reminder_loop.hpp"
#include "report_command.hpp"
#include "runtime.hpp"
#include "system_time.hpp"

namespace dondoc::app {

// Loads the file if given, else the built-in defaults; prints every problem and returns nullopt
// when the configuration is invalid.
std::optional<config::Config> load_or_report(const std::string& path) {
  if (path.empty()) {
    return config::Config{};
  }
  auto result = config::load_config_file(path);
  for (const auto& p : result.problems) {
    std::cerr << p.to_string() << "\n";
  }
  if (!result.ok()) {
    std::cerr << "dondocd: " << result.problems.size() << " problem(s) in " << path << "\n";
    return std::nullopt;
  }
  return result.config;
}

namespace {

namespace net = boost::asio;

constexpr const char* kVersion = DONDOC_VERSION;
constexpr int kExitConfig = 2;
constexpr int kExitRuntime = 1;

// Writes run on the store's writer thread inside its batch transaction and are answered once
// that batch has committed: many writes per fsync, no thread parked per write.
http::WriteDispatcher write_dispatcher(storage::Store& store) {
  return [&store](std::function<void()> write, std::function<void(bool)> done, bool alone) {
    try {
      store.submit(std::move(write), done, alone);
    } catch (const domain::StorageError&) {
      done(false);  // closing: the write was not taken
    }
  };
}

struct ClockOptions {
  std::string start;  // RFC 3339; empty: the system clock
  double rate = 1;
};

int serve(const std::string& config_path, const ClockOptions& clock_options) {
  auto cfg = load_or_report(config_path);
  if (!cfg) {
    return kExitConfig;
  }
  configure_logging(cfg->log);
  auto log = spdlog::get("app");
  log->info("event=starting version={} config=\"{}\" pid={}", kVersion,
            config_path.empty() ? "(built-in defaults)" : config_path, ::getpid());

  std::unique_ptr<domain::Clock> clock_holder;
  double rate = 1;
  if (clock_options.start.empty()) {
    clock_holder = std::make_unique<SystemClock>();
  } else {
    const auto start = domain::parse_rfc3339(clock_options.start);
    if (!start) {
      std::cerr << "dondocd: --clock-start: '" << clock_options.start
                << "' is not an RFC 3339 instant such as 2025-02-10T07:00:00+07:00\n";
      return kExitConfig;
    }
    rate = clock_options.rate;
    clock_holder = std::make_unique<SimulatedClock>(*start, rate);
    log->warn(
        "event=simulated_clock start={} rate={} note=\"NOT FOR PRODUCTION: time runs {}x from "
        "{}; deadlines, reminders and timestamps follow it\"",
        clock_options.start, rate, rate, clock_options.start);
  }
  auto templates = load_templates(*cfg, std::cerr);
  if (!templates) {
    std::cerr << "dondocd: the message templates in " << config_path << " cannot be used\n";
    return kExitConfig;
  }
  // The lock is taken before the database is opened: a second daemon must not migrate it.
  std::unique_ptr<DatabaseLock> database_lock;
  std::unique_ptr<Runtime> runtime;
  try {
    database_lock = std::make_unique<DatabaseLock>(cfg->database.path);
    runtime = std::make_unique<Runtime>(*cfg, *clock_holder, std::move(*templates));
    if (const auto readiness = runtime->store->write_readiness(); !readiness.ready) {
      if (readiness.read_only) {
        throw domain::StorageError(readiness.reason +
                                   "; dondocd serve must write it (reminders, the audit log)");
      }
      log->warn("event=not_ready reason=\"{}\"", readiness.reason);
    }
  } catch (const std::exception& e) {
    log->critical("event=database_refused error=\"{}\"", e.what());
    std::cerr << "dondocd: " << e.what() << "\n";
    return kExitRuntime;
  }
  storage::Store& store = *runtime->store;
  // From 1 October, once a day: next year has no official calendar yet, and its deadlines would
  // follow the computed rules (config/calendar/README.md says how to add it).
  std::optional<domain::Date> calendar_checked_on;
  auto check_next_year_calendar = [&] {
    const domain::Date today = runtime->zone.today(runtime->clock);
    if (calendar_checked_on == today) {
      return;
    }
    calendar_checked_on = today;
    if (const auto year = runtime->calendar.next_year_without_list(today)) {
      log->warn(
          "event=calendar_year_missing year={} note=\"no official list of days off for {}: its "
          "deadlines follow the computed rules until config/calendar/{}.yaml or calendar.years "
          "gives the Government's days\"",
          *year, *year, *year);
    }
  };
  check_next_year_calendar();  // before "listening": a test reads the log then
  // Every connection is a descriptor: take all the system allows, and keep the cap on
  // connections below it, with room for the database, mail and webhooks.
  constexpr long kReservedDescriptors = 64;
  const long file_limit = raise_file_limit();
  http::ServerOptions server_options = runtime->server;
  server_options.max_connections = static_cast<int>(
      std::max(1L, std::min<long>(cfg->http.max_connections, file_limit - kReservedDescriptors)));
  if (server_options.max_connections < cfg->http.max_connections) {
    log->warn("event=max_connections_lowered configured={} effective={} open_files_limit={}",
              cfg->http.max_connections, server_options.max_connections, file_limit);
  }
  http::Api api(runtime->services, runtime->api);
  net::io_context ioc(1);  // signals, the drain timer and the reminder timer
  scheduler::Scanner scanner(store, runtime->clock, runtime->zone, runtime->calendar,
                             runtime->scanner);
  delivery::Dispatcher dispatcher(store, runtime->clock, runtime->zone, runtime->delivery);
  DeliveryLoop delivery(dispatcher, runtime->clock, rate);
  if (cfg->smtp.host.empty()) {
    log->warn(
        "event=smtp_disabled note=\"smtp.host is empty: mail is queued in the outbox and sent "
        "once a mail server is configured\"");
  }
  store.set_message_listener([&delivery] { delivery.wake(); });
  delivery.start();
  service::SeriesService series(runtime->services);
  ReminderLoop reminders(
      ioc, scanner, runtime->clock, rate, [&delivery] { delivery.wake(); },
      [&series, &runtime]() -> std::optional<domain::Instant> {
        const auto next_day = series.make_due_tasks().next_day;
        if (!next_day) {
          return std::nullopt;
        }
        return runtime->zone.start_of(*next_day);
      });
  store.set_reminder_listener([&reminders](domain::Instant at) { reminders.wake_at(at); });
  http::Server server(
      runtime->clock, server_options, [&api](const http::Request& r) { return api.route(r); },
      write_dispatcher(store), [&api](const http::Request& head) { return api.screen(head); },
      [&api](const http::Request& head) { return api.stream(head); });
  std::uint16_t port = 0;
  try {
    port = server.start();
  } catch (const std::exception& e) {
    log->critical("event=listen_failed address={} port={} error=\"{}\"", cfg->listen.address,
                  cfg->listen.port, e.what());
    std::cerr << "dondocd: cannot listen on " << cfg->listen.address << ":" << cfg->listen.port
              << ": " << e.what() << "\n";
    return kExitRuntime;
  }
  log->info(
      "event=listening address={} port={} io_threads={} max_connections={} database={} "
      "durability={}",
      cfg->listen.address, port, cfg->http.io_threads, server_options.max_connections,
      cfg->database.path, store.durability());
  // Tests and scripts read the bound port from this line (listen.port may be 0).
  std::cout << "dondocd listening on http://" << cfg->listen.address << ":" << port << std::endl;

  // Signal handlers do no work themselves (docs/design.md, "Conventions"): asio runs this on a
  // normal thread. SIGUSR1 and SIGUSR2 would end the process by default: caught and logged instead.
  net::signal_set signals(ioc, SIGINT, SIGTERM, SIGHUP);
  signals.add(SIGUSR1);
  signals.add(SIGUSR2);
  // Failed authentications held in counts are written at least once a minute.
  net::steady_timer failures_timer(ioc);
  std::function<void()> flush_failures = [&] {
    failures_timer.expires_after(std::chrono::seconds(60));
    failures_timer.async_wait([&](const boost::system::error_code& ec) {
      if (!ec) {
        api.flush_held_failures(false);
        check_next_year_calendar();
        flush_failures();
      }
    });
  };
  flush_failures();
  net::steady_timer drain_timer(ioc);
  std::chrono::steady_clock::time_point drain_deadline;
  std::function<void()> wait_for_drain = [&] {
    if (server.in_flight() == 0 || runtime->clock.monotonic() >= drain_deadline) {
      log->info("event=drained in_flight={}", server.in_flight());
      ioc.stop();
      return;
    }
    drain_timer.expires_after(std::chrono::milliseconds(10));
    drain_timer.async_wait([&](const boost::system::error_code&) { wait_for_drain(); });
  };
  std::function<void(const boost::system::error_code&, int)> on_signal =
      [&](const boost::system::error_code& ec, int signo) {
        if (ec) {
          return;
        }
        if (signo == SIGUSR1 || signo == SIGUSR2) {
          log->warn("event=signal_ignored signal={}", signo);
          signals.async_wait(on_signal);
          return;
        }
        if (signo == SIGHUP) {
          log->warn(
              "event=sighup_ignored reason=\"configuration reload is not supported yet; restart to "
              "apply changes\"");
          signals.async_wait(on_signal);
          return;
        }
        log->info("event=shutdown_requested signal={} in_flight={}", signo, server.in_flight());
        reminders.stop();
        failures_timer.cancel();
        api.set_draining(true);
        server.stop_accepting();
        drain_deadline =
            runtime->clock.monotonic() + std::chrono::seconds(cfg->http.shutdown_timeout_s);
        wait_for_drain();
      };
  signals.async_wait(on_signal);
  reminders.start();

  // A handler that throws (signals, timers, the reminder pass) ends its own turn, not the
  // daemon: Asio lets run() go on after an exception leaves it.
  for (;;) {
    try {
      ioc.run();
      break;
    } catch (const std::exception& e) {
      log->error("event=main_loop_failed error=\"{}\"", e.what());
    } catch (...) {
      log->error("event=main_loop_failed error=\"not a std::exception\"");
    }
  }
  server.stop();  // no new requests reach the handlers
  api.flush_held_failures(true);
  delivery.stop();         // the batch being sent finishes first
  runtime->store.reset();  // the writer answers what it accepted, then the database closes
  log->info("event=stopped");
  return 0;
}

int check_config(const std::string& path) {
  auto result = config::load_config_file(path);
  for (const auto& p : result.problems) {
    std::cout << p.to_string() << "\n";
  }
  if (!result.ok() || !load_templates(result.config, std::cout)) {
    return kExitConfig;
  }
  std::cout << path << ": ok\n";
  return 0;
}

int migrate(const std::string& config_path) {
  auto cfg = load_or_report(config_path);
  if (!cfg) {
    return kExitConfig;
  }
  try {
    const int before = storage::migrate_database(cfg->database);
    std::cout << cfg->database.path << ": schema version " << before << " -> "
              << storage::latest_schema_version() << "\n";
    return 0;
  } catch (const domain::StorageError& e) {
    std::cerr << "dondocd: " << e.what() << "\n";
    return kExitRuntime;
  }
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"dondocd: deadline tracking for a provincial People's Committee"};
  app.require_subcommand(1);

  std::string serve_config;
  ClockOptions clock_options;
  auto* serve_cmd =
      app.add_subcommand("serve", "Run the daemon (built-in defaults without --config)");
  serve_cmd->add_option("-c,--config", serve_config, "YAML configuration file")
      ->check(CLI::ExistingFile);
  serve_cmd->add_option("--clock-start", clock_options.start,
                        "Tests and demos only: run on a simulated clock from this RFC 3339 "
                        "instant");
  serve_cmd
      ->add_option("--clock-rate", clock_options.rate,
                   "Simulated seconds per real second (with --clock-start)")
      ->check(CLI::Range(0.001, 1e7));

  std::string check_file;
  auto* check_cmd = app.add_subcommand(
      "check-config", "Validate a configuration file exactly as serve does; print every problem");
  check_cmd->add_option("file", check_file, "YAML configuration file")->required();

  std::string migrate_config;
  auto* migrate_cmd =
      app.add_subcommand("migrate", "Create or upgrade the database schema, then exit");
  migrate_cmd->add_option("-c,--config", migrate_config, "YAML configuration file")
      ->check(CLI::ExistingFile);

  auto* version_cmd = app.add_subcommand("version", "Print the version and schema version");

  std::string accounts_config;
  auto* user_cmd = app.add_subcommand("user", "Manage user accounts on this server");
  user_cmd->require_subcommand(1);
  user_cmd->add_option("-c,--config", accounts_config, "YAML configuration file")
      ->check(CLI::ExistingFile);
  UserAddOptions user_add_options;
  auto* user_add_cmd = user_cmd->add_subcommand("add", "Create a user (the first admin, say)");
  user_add_cmd->add_option("--login", user_add_options.login, "Login: a-z, 0-9, '.', '_', '-'")
      ->required();
  user_add_cmd->add_option("--name", user_add_options.display_name, "Display name")->required();
  user_add_cmd->add_option("--email", user_add_options.email, "Email address");
  user_add_cmd->add_option("--role", user_add_options.role, "admin, office, leader or unit")
      ->required();
  user_add_cmd->add_option("--unit", user_add_options.unit, "Unit code or id (role unit)");
  auto* user_list_cmd = user_cmd->add_subcommand("list", "List users");
  std::string deactivate_login;
  auto* user_deactivate_cmd =
      user_cmd->add_subcommand("deactivate", "Deactivate a user; its tokens stop working");
  user_deactivate_cmd->add_option("login", deactivate_login, "Login")->required();
  std::string passwd_login;
  auto* user_passwd_cmd = user_cmd->add_subcommand(
      "passwd", "Set a user's password, read from standard input (one line)");
  user_passwd_cmd->add_option("login", passwd_login, "Login")->required();

  auto* token_cmd = app.add_subcommand("token", "Issue and revoke API tokens on this server");
  token_cmd->require_subcommand(1);
  token_cmd->add_option("-c,--config", accounts_config, "YAML configuration file")
      ->check(CLI::ExistingFile);
  std::string token_login;
  std::string token_label;
  std::optional<int> token_days;
  auto* token_issue_cmd = token_cmd->add_subcommand(
      "issue", "Issue a token for a user; the token is printed alone on the last line");
  token_issue_cmd->add_option("login", token_login, "Login of the user")->required();
  token_issue_cmd->add_option("--label", token_label, "What the token is for");
  token_issue_cmd->add_option("--expires-in-days", token_days, "Expiry, 1-3650 days")
      ->check(CLI::Range(1, 3650));
  long long revoke_id = 0;
  auto* token_revoke_cmd = token_cmd->add_subcommand("revoke", "Revoke a token by its id");
  token_revoke_cmd->add_option("id", revoke_id, "Token id")->required()->check(CLI::PositiveNumber);

  std::string demo_config;
  auto* demo_cmd = app.add_subcommand(
      "demo", "Load a realistic province (two years of tasks) into an empty database");
  demo_cmd->add_option("-c,--config", demo_config, "YAML configuration file")
      ->check(CLI::ExistingFile);
  std::string demo_until;
  demo_cmd->add_option("--until", demo_until, "The last day played, YYYY-MM-DD (default today)");

  std::string import_config;
  std::string import_file;
  bool import_dry_run = false;
  auto* import_cmd = app.add_subcommand(
      "import", "Register the tasks of a CSV register: every row, or none if any row is wrong");
  import_cmd->add_option("file", import_file, "The CSV file (UTF-8; see docs/import.md)")
      ->required()
      ->check(CLI::ExistingFile);
  import_cmd->add_option("-c,--config", import_config, "YAML configuration file")
      ->check(CLI::ExistingFile);
  import_cmd->add_flag("--dry-run", import_dry_run, "Check the file and register nothing");
  ImportReportOptions import_report;
  import_cmd->add_option("--report-from", import_report.from,
                         "With --dry-run: also print this period's report as it would read after "
                         "the import (first day, YYYY-MM-DD)");
  import_cmd->add_option("--report-to", import_report.to, "... its last day");
  import_cmd->add_option("--report-as-of", import_report.as_of,
                         "... as of this day (default today)");

  std::string calendar_config;
  int calendar_year_number = 0;
  auto* calendar_cmd = app.add_subcommand(
      "calendar", "Print a year's days off and weekend days worked, and where each comes from");
  calendar_cmd->add_option("year", calendar_year_number, "The year, 1990-2100")
      ->required()
      ->check(CLI::Range(1990, 2100));
  calendar_cmd->add_option("-c,--config", calendar_config, "YAML configuration file")
      ->check(CLI::ExistingFile);

  std::string report_config;
  ReportOptions report_options;
  auto* report_cmd = app.add_subcommand(
      "report", "Write a report from the database, as the API gives it (json, csv, xlsx or html)");
  report_cmd->require_subcommand(1);
  report_cmd->add_option("-c,--config", report_config, "YAML configuration file")
      ->check(CLI::ExistingFile);
  auto* report_summary_cmd =
      report_cmd->add_subcommand("summary", "The period report: carried over and new tasks");
  report_summary_cmd->add_option("--from", report_options.from, "First day, YYYY-MM-DD")
      ->required();
  report_summary_cmd->add_option("--to", report_options.to, "Last day, YYYY-MM-DD")->required();
  auto* report_overdue_cmd = report_cmd->add_subcommand("overdue", "The appendix of overdue tasks");
  auto* report_scorecard_cmd = report_cmd->add_subcommand(
      "scorecard", "The units' yearly scorecard: due, on time, late, overdue, rank");
  report_scorecard_cmd->add_option("--year", report_options.year, "The year, e.g. 2025")
      ->required()
      ->check(CLI::Range(2000, 2100));
  for (auto* leaf : {report_summary_cmd, report_overdue_cmd, report_scorecard_cmd}) {
    leaf->add_option("--as-of", report_options.as_of, "As of the end of this day (default today)");
    leaf->add_option("--group-by", report_options.group_by, "historic (default) or current");
    leaf->add_option("--basis", report_options.basis,
                     "effective (default: as things were, as known now) or recorded (as the "
                     "register stood that day)");
    leaf->add_option("--format", report_options.format, "json (default), csv, xlsx or html");
    leaf->add_option("-o,--output", report_options.output, "Write to this file (default stdout)");
  }

  // `--config` may come after the leaf command too: `dondocd token issue admin -c FILE`.
  for (auto* leaf :
       {user_add_cmd, user_list_cmd, user_deactivate_cmd, user_passwd_cmd, token_issue_cmd,
        token_revoke_cmd, report_summary_cmd, report_overdue_cmd, report_scorecard_cmd}) {
    leaf->fallthrough();
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  try {
    if (*serve_cmd) {
      return serve(serve_config, clock_options);
    }
    if (*check_cmd) {
      return check_config(check_file);
    }
    if (*migrate_cmd) {
      return migrate(migrate_config);
    }
    if (*user_add_cmd) {
      return user_add(accounts_config, user_add_options);
    }
    if (*user_list_cmd) {
      return user_list(accounts_config);
    }
    if (*user_deactivate_cmd) {
      return user_deactivate(accounts_config, deactivate_login);
    }
    if (*user_passwd_cmd) {
      return user_passwd(accounts_config, passwd_login);
    }
    if (*token_issue_cmd) {
      return token_issue(accounts_config, token_login, token_label, token_days);
    }
    if (*token_revoke_cmd) {
      return token_revoke(accounts_config, revoke_id);
    }
    if (*demo_cmd) {
      return demo(demo_config, demo_until);
    }
    if (*import_cmd) {
      return import_tasks(import_config, import_file, import_dry_run, import_report);
    }
    if (*calendar_cmd) {
      return calendar_year(calendar_config, calendar_year_number);
    }
    if (*report_summary_cmd) {
      return report_summary(report_config, report_options);
    }
    if (*report_overdue_cmd) {
      return report_overdue(report_config, report_options);
    }
    if (*report_scorecard_cmd) {
      return report_scorecard(report_config, report_options);
    }
    if (*version_cmd) {
      std::cout << "dondocd " << kVersion << " (database schema "
                << storage::latest_schema_version() << ")\n";
      return 0;
    }
  } catch (const std::exception& e) {
    std::cerr << "dondocd: " << e.what() << "\n";
    return kExitRuntime;
  }
  return kExitRuntime;
}

}  // namespace dondoc::app
