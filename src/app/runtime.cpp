#include "runtime.hpp"

#include "dondoc/storage/open_store.hpp"
#include "message_templates.hpp"

namespace dondoc::app {

namespace {

// The domain of the Message-IDs: the sender's, so that they are unique to this service.
std::string message_id_domain(const config::Config& c) {
  const auto at = c.smtp.from_address.find('@');
  return at == std::string::npos ? "dondoc.localhost" : c.smtp.from_address.substr(at + 1);
}

std::vector<notify::WebhookEndpoint> webhook_endpoints(const config::Config& c) {
  std::vector<notify::WebhookEndpoint> out;
  for (const auto& e : c.webhooks.endpoints) {
    out.push_back(
        {e.name, e.url, e.secret, e.events,
         e.format == "chat" ? notify::WebhookFormat::chat : notify::WebhookFormat::standard});
  }
  return out;
}

service::ServiceContext service_context(const config::Config& c, storage::Store& store,
                                        const domain::Clock& clock, const domain::TimeZone& zone,
                                        const domain::WorkingCalendar& calendar,
                                        storage::FileStore& files, notify::TemplateSet templates) {
  return service::ServiceContext{
      .store = store,
      .clock = clock,
      .zone = zone,
      .calendar = calendar,
      .classify_policy = domain::ClassifyPolicy{c.reminders.due_soon_working_days,
                                                c.extensions.on_time_within_extension},
      .default_page_size = c.http.default_page_size,
      .max_page_size = c.http.max_page_size,
      .extension_policy =
          domain::ExtensionPolicy{c.extensions.min_lead_working_days, c.extensions.max_per_task,
                                  c.extensions.late_requests},
      .reminder_policy = c.reminders.policy,
      .messages = notify::MessageSettings{.base_url = c.web.base_url,
                                          .message_id_domain = message_id_domain(c),
                                          .webhooks = webhook_endpoints(c),
                                          .templates = std::move(templates),
                                          .chairman = c.reminders.chairman},
      .sessions = domain::SessionPolicy{std::chrono::minutes(c.web.session_idle_minutes),
                                        std::chrono::hours(c.web.session_lifetime_hours)},
      .series_horizon_days = c.periodic.horizon_days,
      .files = &files,
      .max_file_bytes = std::uint64_t(c.attachments.max_file_mib) << 20,
      .max_task_bytes = std::uint64_t(c.attachments.max_task_mib) << 20,
  };
}

scheduler::ScannerOptions scanner_options(const config::Config& c,
                                          const service::ServiceContext& services) {
  scheduler::ScannerOptions o;
  o.policy = services.reminder_policy;
  o.batch_size = c.reminders.batch_size;
  o.budget = std::chrono::milliseconds(c.reminders.batch_budget_ms);
  o.daily_digest = c.reminders.daily_digest;
  o.weekly_digest = c.reminders.weekly_digest;
  o.messages = services.messages;
  return o;
}

delivery::RetryPolicy retry_policy(const config::RetryConfig& r) {
  return delivery::RetryPolicy{std::chrono::seconds(r.initial_s), std::chrono::seconds(r.max_s),
                               std::chrono::hours(r.give_up_after_hours)};
}

delivery::DeliveryOptions delivery_options(const config::Config& c,
                                           const service::ServiceContext& services) {
  delivery::DeliveryOptions o;
  if (!c.smtp.host.empty()) {
    delivery::SmtpOptions smtp;
    smtp.host = c.smtp.host;
    smtp.port = c.smtp.port;
    smtp.security = c.smtp.security == "tls"        ? delivery::SmtpSecurity::tls
                    : c.smtp.security == "starttls" ? delivery::SmtpSecurity::starttls
                                                    : delivery::SmtpSecurity::none;
    smtp.username = c.smtp.username;
    smtp.password = c.smtp.password;
    smtp.from = {c.smtp.from_name, c.smtp.from_address};
    smtp.timeout_s = c.smtp.timeout_s;
    smtp.ca_file = c.smtp.ca_file;
    o.smtp = smtp;
  }
  o.smtp_connections = c.smtp.connections;
  o.mail_retry = retry_policy(c.smtp.retry);
  o.webhook_timeout_s = c.webhooks.timeout_s;
  o.webhook_connections = c.webhooks.connections;
  o.endpoints = services.messages.webhooks;
  o.webhook_retry = retry_policy(c.webhooks.retry);
  return o;
}

}  // namespace

http::Letterhead letterhead(const config::Config& c) {
  const auto& r = c.report;
  return {r.governing_body, r.issuing_body, r.symbol, r.place, r.signer_title, r.recipients};
}

namespace {

http::ApiInfo api_info(const config::Config& c) {
  return {DONDOC_VERSION,
          c.time_zone,
          c.auth.rate_limit_per_minute,
          c.auth.rate_limit_burst,
          c.auth.failures_per_minute,
          c.auth.failure_burst,
          {c.auth.sign_in_failures_per_minute, c.auth.sign_in_failure_burst},
          letterhead(c)};
}

http::ServerOptions server_options(const config::Config& c) {
  http::ServerOptions o;
  o.address = c.listen.address;
  o.port = c.listen.port;
  o.max_body_bytes = c.http.max_body_bytes;
  o.max_header_bytes = c.http.max_header_bytes;
  o.read_timeout_s = c.http.read_timeout_s;
  o.idle_timeout_s = c.http.idle_timeout_s;
  o.write_timeout_s = c.http.write_timeout_s;
  o.io_threads = c.http.io_threads;
  o.max_connections = c.http.max_connections;
  return o;
}

}  // namespace

Runtime::Runtime(const config::Config& cfg, const domain::Clock& clk, notify::TemplateSet templates)
    : config(cfg),
      clock(clk),
      zone(config.time_zone),
      calendar(config.calendar),
      store(storage::open_store(config.database)),
      files(storage::open_file_store(config::attachments_directory(config), clock.now())),
      services(
          service_context(config, *store, clock, zone, calendar, *files, std::move(templates))),
      scanner(scanner_options(config, services)),
      delivery(delivery_options(config, services)),
      api(api_info(config)),
      server(server_options(config)) {}

std::unique_ptr<Runtime> build_runtime(const config::Config& config, const domain::Clock& clock,
                                       std::ostream& problems) {
  auto templates = load_templates(config, problems);
  if (!templates) {
    return nullptr;
  }
  return std::make_unique<Runtime>(config, clock, std::move(*templates));
}

}  // namespace dondoc::app
