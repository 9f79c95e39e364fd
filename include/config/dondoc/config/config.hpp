// Configuration: plain structs whose initializers are the built-in defaults (config/dondoc.yaml
// lists them), and the YAML loader that validates a file into them. `dondocd serve` and `dondocd
// check-config` share load_config_file, so what one accepts the other accepts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "dondoc/config/official_calendar.hpp"
#include "dondoc/config/problem.hpp"
#include "dondoc/domain/calendar.hpp"
#include "dondoc/domain/extension.hpp"
#include "dondoc/domain/reminder.hpp"

namespace dondoc::config {

// Defaults and limits, named in one place; config/dondoc.yaml repeats the defaults and a test
// checks that it loads to exactly these values.
inline constexpr std::string_view kDefaultListenAddress = "127.0.0.1";
inline constexpr std::uint16_t kDefaultPort = 8080;
inline constexpr std::string_view kDefaultDatabasePath = "./var/dondoc.db";
inline constexpr int kDefaultBusyTimeoutMs = 5000;
inline constexpr int kMaxBusyTimeoutMs = 600000;
inline constexpr std::string_view kDefaultTimeZone = "Asia/Ho_Chi_Minh";
inline constexpr std::size_t kDefaultMaxBodyBytes = 1024 * 1024;
inline constexpr std::size_t kMinBodyBytes = 1024;
inline constexpr std::size_t kMaxBodyBytes = 64 * 1024 * 1024;
inline constexpr std::size_t kDefaultMaxHeaderBytes = 16 * 1024;
inline constexpr std::size_t kMinHeaderBytes = 1024;
inline constexpr std::size_t kMaxHeaderBytes = 1024 * 1024;
inline constexpr int kDefaultReadTimeoutS = 30;
inline constexpr int kDefaultIdleTimeoutS = 60;
inline constexpr int kDefaultWriteTimeoutS = 30;
inline constexpr int kMaxTimeoutS = 3600;
inline constexpr int kMaxConnections = 32;
inline constexpr int kMaxRetryWaitS = 7 * 24 * 3600;
inline constexpr int kMaxGiveUpHours = 24 * 30;
inline constexpr int kDefaultPageSize = 50;
inline constexpr int kDefaultMaxPageSize = 200;
inline constexpr int kMaxMaxPageSize = 10000;
inline constexpr int kDefaultIoThreads = 2;
inline constexpr int kMaxIoThreads = 64;
inline constexpr int kDefaultShutdownTimeoutS = 4;
inline constexpr int kMaxShutdownTimeoutS = 60;
inline constexpr int kDefaultDueSoonWorkingDays = 3;
inline constexpr int kMaxDueSoonWorkingDays = 30;
inline constexpr int kMaxReminderWorkingDays = 60;
inline constexpr int kDefaultReminderBatchSize = 500;
inline constexpr int kMaxReminderBatchSize = 100000;
inline constexpr int kDefaultReminderBatchBudgetMs = 200;
inline constexpr int kMaxReminderBatchBudgetMs = 60000;
inline constexpr int kDefaultRateLimitPerMinute = 600;
inline constexpr int kMaxRateLimitPerMinute = 1000000;
inline constexpr int kDefaultRateLimitBurst = 120;
// Failed authentications per client address: a person mistyping is never near these.
inline constexpr int kDefaultFailuresPerMinute = 30;
inline constexpr int kDefaultFailureBurst = 10;
// Open connections at most; dondocd also keeps it below its file descriptor limit.
inline constexpr int kDefaultMaxConnections = 10000;
inline constexpr int kMaxMaxConnections = 1000000;
// Free space below which the database is not ready for writes (/readyz).
inline constexpr std::int64_t kDefaultMinFreeBytes = 16 * 1024 * 1024;
inline constexpr int kDefaultExtensionMinLeadWorkingDays = 3;
inline constexpr int kMaxExtensionMinLeadWorkingDays = 60;
inline constexpr int kDefaultExtensionMaxPerTask = 3;
inline constexpr int kMaxExtensionMaxPerTask = 100;

enum class Durability { full, normal };
// The storage engine behind the store contract; a second one is a new value and a new case in
// storage::open_store, nothing else.
enum class DatabaseEngine { sqlite };
enum class LogFormat { text, json };

std::string_view to_string(Durability d);
std::string_view to_string(DatabaseEngine e);

struct ListenConfig {
  std::string address{kDefaultListenAddress};
  std::uint16_t port = kDefaultPort;  // 0 picks a free port (tests)
};

struct DatabaseConfig {
  DatabaseEngine engine = DatabaseEngine::sqlite;
  std::string path{kDefaultDatabasePath};
  Durability durability = Durability::full;
  int busy_timeout_ms = kDefaultBusyTimeoutMs;
  std::int64_t min_free_bytes = kDefaultMinFreeBytes;
};

struct LogConfig {
  std::string level = "info";
  LogFormat format = LogFormat::text;
};

struct HttpConfig {
  std::size_t max_body_bytes = kDefaultMaxBodyBytes;
  std::size_t max_header_bytes = kDefaultMaxHeaderBytes;
  int read_timeout_s = kDefaultReadTimeoutS;
  int idle_timeout_s = kDefaultIdleTimeoutS;
  int write_timeout_s = kDefaultWriteTimeoutS;
  int default_page_size = kDefaultPageSize;
  int max_page_size = kDefaultMaxPageSize;
  int io_threads = kDefaultIoThreads;
  int shutdown_timeout_s = kDefaultShutdownTimeoutS;
  int max_connections = kDefaultMaxConnections;
};

struct RemindersConfig {
  int due_soon_working_days = kDefaultDueSoonWorkingDays;
  domain::ReminderPolicy policy;  // its defaults are common practice: 7, 3, 1 days ahead, …
  // The scheduler's pass works in batches of this many tasks, for at most this long, so that
  // a burst of due reminders never holds the writer for long.
  bool daily_digest = true;   // to each leader, every working day, when there is something to say
  bool weekly_digest = true;  // to the Office, on the first working day of each week
  // The login of the Chairman (Chủ tịch UBND tỉnh): besides the leader in charge of each task,
  // they get its escalations and every task in their daily digest. Empty: each leader hears only
  // of the tasks they are in charge of (and of the tasks nobody is in charge of).
  std::string chairman;
  int batch_size = kDefaultReminderBatchSize;
  int batch_budget_ms = kDefaultReminderBatchBudgetMs;
  // Event ("overdue", "task_assigned", ...) → a file with the operator's words for it.
  std::map<std::string, std::string> templates;
};

struct AuthConfig {
  // Requests each token may make per minute, refilled continuously; 0 turns the limit off.
  int rate_limit_per_minute = kDefaultRateLimitPerMinute;
  // Requests a token may make at once before the per-minute rate applies.
  int rate_limit_burst = kDefaultRateLimitBurst;
  // Failed authentications each client address may make per minute, and at once; past them a
  // failure is answered 429 and counted into one audit entry instead of one entry each.
  int failures_per_minute = kDefaultFailuresPerMinute;
  int failure_burst = kDefaultFailureBurst;
  // Failed sign-ins allowed per login name, from any address: `burst` at once, then this many
  // per minute; past them the password is not checked and the answer is 429.
  int sign_in_failures_per_minute = 2;
  int sign_in_failure_burst = 10;
};

struct ExtensionsConfig {
  bool on_time_within_extension = true;
  int min_lead_working_days = kDefaultExtensionMinLeadWorkingDays;
  int max_per_task = kDefaultExtensionMaxPerTask;
  domain::LateRequestPolicy late_requests = domain::LateRequestPolicy::flag;
};

// Periodic tasks: how far ahead a series makes the task for its next deadline. The task appears
// (in lists, the calendar feed, the unit's queue) this many days before it is assigned.
constexpr int kDefaultSeriesHorizonDays = 30;
constexpr int kMaxSeriesHorizonDays = 366;
struct PeriodicConfig {
  int horizon_days = kDefaultSeriesHorizonDays;
};

// How a channel retries a failed message: after `initial_s`, doubling up to `max_s`, until
// `give_up_after_hours` after it was queued (then it is a dead letter).
struct RetryConfig {
  int initial_s = 30;
  int max_s = 3600;
  int give_up_after_hours = 72;
};

struct SmtpConfig {
  std::string host;  // empty: mail is not sent; messages wait in the outbox
  std::uint16_t port = 25;
  std::string security = "none";  // none, starttls, tls
  std::string username;
  std::string password;
  std::string from_address = "dondoc@localhost";
  std::string from_name = "Hệ thống đôn đốc nhiệm vụ";
  int timeout_s = 30;
  std::string ca_file;  // empty: the system's certificate authorities
  int connections = 4;  // messages sent at once, each over a connection of its own
  RetryConfig retry;
};

struct WebhookEndpointConfig {
  std::string name;
  std::string url;
  std::string secret;               // at least 24 bytes (or "whsec_" and the base64 of at least 24)
  std::vector<std::string> events;  // empty: all
  std::string format = "standard";  // standard (signed JSON) or chat ({"text": ...})
};

struct WebhooksConfig {
  int timeout_s = 10;
  int connections = 4;
  RetryConfig retry;
  std::vector<WebhookEndpointConfig> endpoints;
};

// Every event a message can be about, reminders and notices alike.
inline const std::vector<std::string> kMessageEvents = {"due_soon",
                                                        "due_today",
                                                        "overdue",
                                                        "escalated",
                                                        "task_assigned",
                                                        "extension_requested",
                                                        "extension_approved",
                                                        "extension_rejected",
                                                        "completion_reported",
                                                        "task_confirmed",
                                                        "task_reopened",
                                                        "task_cancelled",
                                                        "extension_closed",
                                                        "contribution_sent",
                                                        "contribution_due_soon",
                                                        "contribution_overdue"};

struct Config;

// Attached documents: where their content is kept and how large they may be. The directory
// holds sha256/<2 hex>/<64 hex> (the content, by its SHA-256) and incoming/ (uploads not yet
// complete, emptied at start): a backup copies it beside the database.
inline constexpr int kDefaultMaxFileMib = 20;
inline constexpr int kDefaultMaxTaskMib = 200;
inline constexpr int kMaxAttachmentMib = 4096;
struct AttachmentsConfig {
  std::string directory;  // empty: "attachments" beside the database file
  int max_file_mib = kDefaultMaxFileMib;
  int max_task_mib = kDefaultMaxTaskMib;  // all the files of one task together
};
// The directory attachments are kept in: AttachmentsConfig::directory, or "attachments" in the
// database file's directory.
std::string attachments_directory(const Config& config);

struct WebConfig {
  std::string base_url = "http://127.0.0.1:8080";  // links in messages; https: cookies Secure
  int session_idle_minutes = 30;                   // a session unused this long ends
  int session_lifetime_hours = 12;  // and every session ends this long after its sign-in
};

// How the printed report is headed and signed (Decree 30/2020/NĐ-CP): `report` in the YAML.
struct ReportConfig {
  std::string governing_body = "ỦY BAN NHÂN DÂN TỈNH";
  std::string issuing_body = "VĂN PHÒNG";
  std::string symbol = "BC-VP";
  std::string place;
  std::string signer_title = "CHÁNH VĂN PHÒNG";
  std::vector<std::string> recipients = {"Chủ tịch, các Phó Chủ tịch UBND tỉnh",
                                         "Các sở, ban, ngành", "Lưu: VT"};
};

struct Config {
  ListenConfig listen;
  DatabaseConfig database;
  std::string time_zone{kDefaultTimeZone};
  // The shipped official years, then what the `calendar` section adds or overrides.
  domain::CalendarRules calendar = shipped_calendar_rules();
  LogConfig log;
  HttpConfig http;
  AuthConfig auth;
  RemindersConfig reminders;
  ExtensionsConfig extensions;
  PeriodicConfig periodic;
  SmtpConfig smtp;
  WebhooksConfig webhooks;
  AttachmentsConfig attachments;
  WebConfig web;
  ReportConfig report;
};

// One problem, printed as `file:line:col: key: message`.

struct LoadResult {
  Config config;
  std::vector<ConfigProblem> problems;  // empty when the file is valid
  bool ok() const { return problems.empty(); }
};

LoadResult load_config_file(const std::string& path);
// `display_name` stands for the file in problem messages.
LoadResult load_config_text(const std::string& yaml, const std::string& display_name);

// True if `name` is an IANA zone known to this machine's tz database.
bool is_known_time_zone(const std::string& name);

}  // namespace dondoc::config
