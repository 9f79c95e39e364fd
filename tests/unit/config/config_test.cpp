#include "dondoc/config/config.hpp"

#include <gtest/gtest.h>

using namespace dondoc::config;

namespace {
std::vector<std::string> problems_of(const std::string& yaml) {
  std::vector<std::string> out;
  for (const auto& p : load_config_text(yaml, "test.yaml").problems) {
    out.push_back(p.to_string());
  }
  return out;
}
}  // namespace

TEST(Config, EmptyFileMeansDefaults) {
  auto r = load_config_text("", "empty.yaml");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.config.listen.address, "127.0.0.1");
  EXPECT_EQ(r.config.listen.port, 8080);
  EXPECT_EQ(r.config.database.path, "./var/dondoc.db");
  EXPECT_EQ(r.config.database.durability, Durability::full);
  EXPECT_EQ(r.config.time_zone, "Asia/Ho_Chi_Minh");
}

// The shipped file documents every option with its default: loading it must give exactly the
// built-in configuration.
TEST(Config, ShippedFileEqualsBuiltInDefaults) {
  auto r = load_config_file(DONDOC_SOURCE_DIR "/config/dondoc.yaml");
  ASSERT_TRUE(r.ok()) << (r.problems.empty() ? "" : r.problems[0].to_string());
  const Config d;
  const Config& c = r.config;
  EXPECT_EQ(c.listen.address, d.listen.address);
  EXPECT_EQ(c.listen.port, d.listen.port);
  EXPECT_EQ(c.database.path, d.database.path);
  EXPECT_EQ(c.database.durability, d.database.durability);
  EXPECT_EQ(c.database.busy_timeout_ms, d.database.busy_timeout_ms);
  EXPECT_EQ(c.time_zone, d.time_zone);
  EXPECT_EQ(c.calendar.extra_holidays, d.calendar.extra_holidays);
  EXPECT_EQ(c.calendar.compensate_weekend_holidays, d.calendar.compensate_weekend_holidays);
  EXPECT_EQ(c.calendar.official_years.size(), d.calendar.official_years.size());
  EXPECT_EQ(c.report.governing_body, d.report.governing_body);
  EXPECT_EQ(c.report.issuing_body, d.report.issuing_body);
  EXPECT_EQ(c.report.symbol, d.report.symbol);
  EXPECT_EQ(c.report.place, d.report.place);
  EXPECT_EQ(c.report.signer_title, d.report.signer_title);
  EXPECT_EQ(c.report.recipients, d.report.recipients);
  EXPECT_EQ(c.log.level, d.log.level);
  EXPECT_EQ(c.log.format, d.log.format);
  EXPECT_EQ(c.http.max_body_bytes, d.http.max_body_bytes);
  EXPECT_EQ(c.http.max_header_bytes, d.http.max_header_bytes);
  EXPECT_EQ(c.http.read_timeout_s, d.http.read_timeout_s);
  EXPECT_EQ(c.http.idle_timeout_s, d.http.idle_timeout_s);
  EXPECT_EQ(c.http.write_timeout_s, d.http.write_timeout_s);
  EXPECT_EQ(c.http.default_page_size, d.http.default_page_size);
  EXPECT_EQ(c.http.max_page_size, d.http.max_page_size);
  EXPECT_EQ(c.http.io_threads, d.http.io_threads);
  EXPECT_EQ(c.http.shutdown_timeout_s, d.http.shutdown_timeout_s);
  EXPECT_EQ(c.reminders.due_soon_working_days, d.reminders.due_soon_working_days);
  EXPECT_EQ(c.extensions.on_time_within_extension, d.extensions.on_time_within_extension);
  EXPECT_EQ(c.extensions.min_lead_working_days, d.extensions.min_lead_working_days);
  EXPECT_EQ(c.extensions.max_per_task, d.extensions.max_per_task);
  EXPECT_EQ(c.extensions.late_requests, d.extensions.late_requests);
  EXPECT_EQ(c.periodic.horizon_days, d.periodic.horizon_days);
  EXPECT_EQ(c.attachments.directory, d.attachments.directory);
  EXPECT_EQ(c.attachments.max_file_mib, d.attachments.max_file_mib);
  EXPECT_EQ(c.attachments.max_task_mib, d.attachments.max_task_mib);
  EXPECT_EQ(c.auth.rate_limit_per_minute, d.auth.rate_limit_per_minute);
  EXPECT_EQ(c.auth.rate_limit_burst, d.auth.rate_limit_burst);
  EXPECT_EQ(c.reminders.policy.before_working_days, d.reminders.policy.before_working_days);
  EXPECT_EQ(c.reminders.policy.on_due_day, d.reminders.policy.on_due_day);
  EXPECT_EQ(c.reminders.policy.overdue_every_working_days,
            d.reminders.policy.overdue_every_working_days);
  EXPECT_EQ(c.reminders.policy.escalate_after_working_days,
            d.reminders.policy.escalate_after_working_days);
  EXPECT_EQ(c.reminders.policy.hours.start, d.reminders.policy.hours.start);
  EXPECT_EQ(c.reminders.policy.hours.end, d.reminders.policy.hours.end);
  EXPECT_EQ(c.reminders.policy.urgent_bypasses_hours, d.reminders.policy.urgent_bypasses_hours);
  EXPECT_EQ(c.reminders.daily_digest, d.reminders.daily_digest);
  EXPECT_EQ(c.reminders.weekly_digest, d.reminders.weekly_digest);
  EXPECT_EQ(c.reminders.batch_size, d.reminders.batch_size);
  EXPECT_EQ(c.reminders.batch_budget_ms, d.reminders.batch_budget_ms);
  EXPECT_EQ(c.smtp.host, d.smtp.host);
  EXPECT_EQ(c.smtp.port, d.smtp.port);
  EXPECT_EQ(c.smtp.security, d.smtp.security);
  EXPECT_EQ(c.smtp.username, d.smtp.username);
  EXPECT_EQ(c.smtp.password, d.smtp.password);
  EXPECT_EQ(c.smtp.from_address, d.smtp.from_address);
  EXPECT_EQ(c.smtp.from_name, d.smtp.from_name);
  EXPECT_EQ(c.smtp.timeout_s, d.smtp.timeout_s);
  EXPECT_EQ(c.smtp.ca_file, d.smtp.ca_file);
  EXPECT_EQ(c.smtp.connections, d.smtp.connections);
  EXPECT_EQ(c.smtp.retry.initial_s, d.smtp.retry.initial_s);
  EXPECT_EQ(c.smtp.retry.max_s, d.smtp.retry.max_s);
  EXPECT_EQ(c.smtp.retry.give_up_after_hours, d.smtp.retry.give_up_after_hours);
  EXPECT_EQ(c.webhooks.connections, d.webhooks.connections);
  EXPECT_EQ(c.webhooks.retry.initial_s, d.webhooks.retry.initial_s);
  EXPECT_EQ(c.webhooks.retry.max_s, d.webhooks.retry.max_s);
  EXPECT_EQ(c.webhooks.retry.give_up_after_hours, d.webhooks.retry.give_up_after_hours);
  EXPECT_EQ(c.web.base_url, d.web.base_url);
  EXPECT_EQ(c.webhooks.timeout_s, d.webhooks.timeout_s);
  EXPECT_TRUE(c.webhooks.endpoints.empty());
}

TEST(Config, ReadsValuesAndCalendar) {
  auto r = load_config_text(R"(
listen: {address: "::1", port: 0}
database: {durability: normal}
calendar:
  holidays: [2025-05-02]
  working_days: [2025-04-26]
  years:
    2026: [2026-01-01, 2026-02-16]
)",
                            "t.yaml");
  ASSERT_TRUE(r.ok()) << r.problems[0].to_string();
  EXPECT_EQ(r.config.listen.address, "::1");
  EXPECT_EQ(r.config.listen.port, 0);
  EXPECT_EQ(r.config.database.durability, Durability::normal);
  ASSERT_EQ(r.config.calendar.extra_holidays.size(), 1u);
  EXPECT_EQ(r.config.calendar.holidays_by_year.at(2026).size(), 2u);
}

TEST(Config, EveryProblemNamesFileLineColumnAndKey) {
  auto problems = problems_of(
      "listen:\n"
      "  port: 70000\n"
      "  adress: 127.0.0.1\n"
      "database:\n"
      "  durability: fast\n"
      "time_zone: Asia/Hanoi_City\n"
      "http:\n"
      "  io_threads: many\n"
      "calendar:\n"
      "  holidays: [2025-02-30]\n");
  ASSERT_EQ(problems.size(), 6u);
  EXPECT_EQ(problems[0], "test.yaml:2:9: listen.port: 70000 is out of range; allowed 0 to 65535");
  EXPECT_EQ(problems[1].rfind(
                "test.yaml:3:3: listen.adress: unknown key; allowed here: address, port", 0),
            0u)
      << problems[1];
  EXPECT_EQ(problems[2], "test.yaml:5:15: database.durability: 'fast' is not one of: full, normal");
  EXPECT_EQ(problems[3].rfind("test.yaml:6:12: time_zone: 'Asia/Hanoi_City' is not an IANA", 0), 0u)
      << problems[3];
  EXPECT_EQ(problems[4].rfind("test.yaml:8:15: http.io_threads: must be an integer", 0), 0u)
      << problems[4];
  EXPECT_EQ(problems[5],
            "test.yaml:10:14: calendar.holidays[0]: must be a real date as YYYY-MM-DD");
}

TEST(Config, SyntaxErrorsAndWrongShapesAreReported) {
  EXPECT_EQ(problems_of("listen: [1, 2\n").size(), 1u);
  auto p = problems_of("listen: 8080\n");
  ASSERT_EQ(p.size(), 1u);
  EXPECT_EQ(p[0], "test.yaml:1:9: listen: must be a mapping of keys to values");
  EXPECT_EQ(problems_of("listen:\n  port: \"8080\"\n").size(), 1u);
  EXPECT_EQ(problems_of("http: {default_page_size: 300}\n").size(), 1u);
}

TEST(Config, MissingFileIsAProblemNotACrash) {
  auto r = load_config_file("/nonexistent/dondoc.yaml");
  ASSERT_EQ(r.problems.size(), 1u);
  EXPECT_EQ(r.problems[0].to_string(), "/nonexistent/dondoc.yaml:0:0: (file): cannot be read");
}

TEST(Config, AuthAndExtensionRulesAreCheckedToo) {
  auto problems = problems_of(
      "auth:\n"
      "  rate_limit_per_minute: -5\n"
      "extensions:\n"
      "  late_requests: sometimes\n"
      "  max_per_task: 0\n");
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0],
            "test.yaml:2:26: auth.rate_limit_per_minute: -5 is out of range; allowed 0 to 1000000");
  EXPECT_EQ(problems[1],
            "test.yaml:4:18: extensions.late_requests: 'sometimes' is not one of: flag, refuse");
  EXPECT_EQ(problems[2],
            "test.yaml:5:17: extensions.max_per_task: 0 is out of range; allowed 1 to 100");
  auto ok = load_config_text(
      "auth: {rate_limit_per_minute: 0}\n"
      "extensions: {late_requests: refuse, min_lead_working_days: 5}\n",
      "test.yaml");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.config.auth.rate_limit_per_minute, 0);
  EXPECT_EQ(ok.config.extensions.late_requests, dondoc::domain::LateRequestPolicy::refuse);
  EXPECT_EQ(ok.config.extensions.min_lead_working_days, 5);
}

TEST(Config, ReminderPolicyIsReadAndChecked) {
  auto ok = load_config_text(
      "reminders:\n"
      "  before_working_days: [5, 2]\n"
      "  working_hours: {start: \"08:00\", end: \"16:30\"}\n",
      "test.yaml");
  ASSERT_TRUE(ok.ok()) << ok.problems[0].to_string();
  EXPECT_EQ(ok.config.reminders.policy.before_working_days, (std::vector<int>{5, 2}));
  EXPECT_EQ(ok.config.reminders.policy.hours.start, std::chrono::minutes(8 * 60));
  EXPECT_EQ(ok.config.reminders.policy.hours.end, std::chrono::minutes(16 * 60 + 30));
  auto problems = problems_of(
      "reminders:\n"
      "  before_working_days: [3, 3, 0]\n"
      "  working_hours: {start: \"7h30\", end: \"06:00\"}\n");
  ASSERT_EQ(problems.size(), 4u);
  EXPECT_EQ(problems[0], "test.yaml:2:28: reminders.before_working_days[1]: 3 is repeated");
  EXPECT_EQ(problems[1],
            "test.yaml:2:31: reminders.before_working_days[2]: 0 is out of range; allowed 1 to 60");
  EXPECT_EQ(problems[2],
            "test.yaml:3:26: reminders.working_hours.start: '7h30' is not a time of day as HH:MM "
            "(00:00 to 23:59)");
  EXPECT_EQ(problems[3],
            "test.yaml:3:18: reminders.working_hours.end: must be later than the start");
}

// Found by fuzz_config: a file name longer than the file system allows made the check throw
// std::filesystem::filesystem_error out of the configuration (a crash of check-config and serve).
TEST(Config, AFileNameTooLongIsAProblemNotACrash) {
  const std::string name(5000, 'a');
  auto r = load_config_text("smtp:\n  ca_file: /tmp/" + name +
                                "\nreminders:\n  templates:\n    overdue: /tmp/" + name + "\n",
                            "long.yaml");
  ASSERT_EQ(r.problems.size(), 2u);
  EXPECT_NE(r.problems[0].to_string().find("is not a readable file"), std::string::npos);
}

TEST(Config, AttachmentLimitsAreCheckedTogether) {
  auto problems = problems_of("attachments:\n  max_task_mib: 10\n  max_file_mib: 30\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0],
            "test.yaml:2:17: attachments.max_task_mib: 10 is below max_file_mib (30): a task must "
            "have room for at least one file");
  EXPECT_EQ(problems_of("attachments: {max_file_mib: 0}\n").size(), 1u);
  auto ok = load_config_text("attachments: {max_file_mib: 5, max_task_mib: 5}\n", "test.yaml");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.config.attachments.max_file_mib, 5);
  Config beside;
  beside.database.path = "/srv/dondoc/dondoc.db";
  EXPECT_EQ(attachments_directory(beside), "/srv/dondoc/attachments");
  beside.attachments.directory = "/data/files";
  EXPECT_EQ(attachments_directory(beside), "/data/files");
}

TEST(Config, ThePeriodicHorizonIsReadAndBounded) {
  auto problems = problems_of("periodic:\n  horizon_days: 400\n");
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_EQ(problems[0],
            "test.yaml:2:17: periodic.horizon_days: 400 is out of range; allowed 0 to 366");
  auto ok = load_config_text("periodic: {horizon_days: 7}\n", "test.yaml");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.config.periodic.horizon_days, 7);
}

TEST(Config, TheReportSectionIsCheckedLikeTheRest) {
  const auto r = load_config_text(
      "report:\n  place: Hà Tĩnh\n  symbol: [BC]\n  recipients: Lưu\n  signer: x\n", "d.yaml");
  std::vector<std::string> found;
  for (const auto& p : r.problems) {
    found.push_back(p.to_string());
  }
  EXPECT_EQ(found, (std::vector<std::string>{
                       "d.yaml:3:11: report.symbol: must be a string",
                       "d.yaml:4:15: report.recipients: must be a list of recipients",
                       "d.yaml:5:3: report.signer: unknown key; allowed here: governing_body, "
                       "issuing_body, place, recipients, signer_title, symbol"}));
  EXPECT_EQ(r.config.report.place, "Hà Tĩnh");
}
