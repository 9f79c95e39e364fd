#include "dondoc/config/config.hpp"

#include "dondoc/domain/text.hpp"

#include <arpa/inet.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>

namespace dondoc::config {

namespace {

// Whether `path` names a regular file. Never throws: a name too long for the file system (found
// by fuzz_config) is simply not a file, and the configuration gets a problem, not a crash.
bool is_file(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

using domain::Date;

// Walks a YAML document, converting known keys and recording every problem with its position.
class Reader {
 public:
  explicit Reader(std::string file) : file_(std::move(file)) {}

  void problem(const YAML::Node& node, const std::string& key, const std::string& message) {
    const auto mark = node.Mark();
    problems_.push_back({file_, mark.line + 1, mark.column + 1, key, message});
  }
  void problem_at(const YAML::Mark& mark, const std::string& key, const std::string& message) {
    problems_.push_back({file_, mark.line + 1, mark.column + 1, key, message});
  }

  // Calls the handler of each key of a mapping; unknown keys are problems naming the allowed ones.
  void section(
      const YAML::Node& node, const std::string& prefix,
      const std::map<std::string, std::function<void(const YAML::Node&, const std::string&)>>&
          handlers) {
    if (!node.IsMap()) {
      problem(node, prefix.empty() ? "(document)" : prefix, "must be a mapping of keys to values");
      return;
    }
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string name = it->first.as<std::string>();
      const std::string key = prefix.empty() ? name : prefix + "." + name;
      auto h = handlers.find(name);
      if (h == handlers.end()) {
        std::string allowed;
        for (const auto& [k, _] : handlers) {
          allowed += (allowed.empty() ? "" : ", ") + k;
        }
        problem_at(it->first.Mark(), key, "unknown key; allowed here: " + allowed);
        continue;
      }
      h->second(it->second, key);
    }
  }

  template <typename Int>
  void integer(const YAML::Node& node, const std::string& key, Int& out, long long min,
               long long max) {
    long long v = 0;
    if (!node.IsScalar() || !YAML::convert<long long>::decode(node, v) ||
        node.Tag() == "!") {  // a quoted scalar is a string
      problem(node, key,
              "must be an integer between " + std::to_string(min) + " and " + std::to_string(max));
      return;
    }
    if (v < min || v > max) {
      problem(node, key,
              std::to_string(v) + " is out of range; allowed " + std::to_string(min) + " to " +
                  std::to_string(max));
      return;
    }
    out = static_cast<Int>(v);
  }

  void boolean(const YAML::Node& node, const std::string& key, bool& out) {
    bool v = false;
    if (!node.IsScalar() || !YAML::convert<bool>::decode(node, v)) {
      problem(node, key, "must be true or false");
      return;
    }
    out = v;
  }

  bool string(const YAML::Node& node, const std::string& key, std::string& out) {
    if (!node.IsScalar() || node.IsNull()) {
      problem(node, key, "must be a string");
      return false;
    }
    out = node.Scalar();
    return true;
  }

  void choice(const YAML::Node& node, const std::string& key,
              const std::vector<std::string>& allowed,
              std::function<void(const std::string&)> apply) {
    std::string v;
    if (!string(node, key, v)) {
      return;
    }
    for (const auto& a : allowed) {
      if (a == v) {
        apply(v);
        return;
      }
    }
    std::string list;
    for (const auto& a : allowed) {
      list += (list.empty() ? "" : ", ") + a;
    }
    problem(node, key, "'" + v + "' is not one of: " + list);
  }

  void dates(const YAML::Node& node, const std::string& key, std::vector<Date>& out) {
    if (!node.IsSequence()) {
      problem(node, key, "must be a list of dates (YYYY-MM-DD)");
      return;
    }
    out.clear();
    for (std::size_t i = 0; i < node.size(); ++i) {
      const auto item = node[i];
      const auto d = item.IsScalar() ? Date::parse(item.Scalar()) : std::nullopt;
      if (!d) {
        problem(item, key + "[" + std::to_string(i) + "]", "must be a real date as YYYY-MM-DD");
      } else if (d->year() < 1990 || d->year() > 2100) {
        problem(item, key + "[" + std::to_string(i) + "]", "must be between 1990 and 2100");
      } else {
        out.push_back(*d);
      }
    }
  }

  // A list of distinct integers within [min, max], e.g. reminder lead days.
  void integers(const YAML::Node& node, const std::string& key, std::vector<int>& out, int min,
                int max) {
    if (!node.IsSequence()) {
      problem(node, key, "must be a list of whole numbers");
      return;
    }
    std::vector<int> read;
    for (std::size_t i = 0; i < node.size(); ++i) {
      int v = 0;
      const std::size_t before = problems_.size();
      integer(node[i], key + "[" + std::to_string(i) + "]", v, min, max);
      if (problems_.size() != before) {
        continue;
      }
      if (std::find(read.begin(), read.end(), v) != read.end()) {
        problem(node[i], key + "[" + std::to_string(i) + "]", std::to_string(v) + " is repeated");
        continue;
      }
      read.push_back(v);
    }
    out = read;
  }

  // A local time of day as HH:MM.
  void time_of_day(const YAML::Node& node, const std::string& key, std::chrono::minutes& out) {
    std::string v;
    if (!string(node, key, v)) {
      return;
    }
    int h = 0;
    int m = 0;
    char colon = 0;
    std::istringstream in(v);
    if (v.size() != 5 || !(in >> h >> colon >> m) || colon != ':' || h < 0 || h > 23 || m < 0 ||
        m > 59) {
      problem(node, key, "'" + v + "' is not a time of day as HH:MM (00:00 to 23:59)");
      return;
    }
    out = std::chrono::minutes(h * 60 + m);
  }

  std::vector<ConfigProblem> take_problems() { return std::move(problems_); }

 private:
  std::string file_;
  std::vector<ConfigProblem> problems_;
};

using Node = const YAML::Node&;
using Key = const std::string&;

// A key holding a whole number within [lo, hi], as each channel's retry settings are.
std::pair<const std::string, std::function<void(Node, Key)>> retry_key(Reader& r, const char* name,
                                                                       int& out, int lo, int hi) {
  return {name, [&r, &out, lo, hi](Node v, Key kk) { r.integer(v, kk, out, lo, hi); }};
}

// `listen`: the address and port dondocd listens on.
void read_listen(Reader& r, Node n, Key k, Config& c) {
  r.section(n, k,
            {
                {"address",
                 [&](Node v, Key kk) {
                   std::string a;
                   if (!r.string(v, kk, a)) {
                     return;
                   }
                   unsigned char buf[16];
                   if (inet_pton(AF_INET, a.c_str(), buf) != 1 &&
                       inet_pton(AF_INET6, a.c_str(), buf) != 1) {
                     r.problem(v, kk, "'" + a + "' is not an IPv4 or IPv6 address");
                     return;
                   }
                   c.listen.address = a;
                 }},
                {"port", [&](Node v, Key kk) { r.integer(v, kk, c.listen.port, 0, 65535); }},
            });
}

// `database`: the storage engine and its file.
void read_database(Reader& r, Node n, Key k, Config& c) {
  r.section(
      n, k,
      {
          {"engine",
           [&](Node v, Key kk) {
             r.choice(v, kk, {"sqlite"},
                      [&](const std::string&) { c.database.engine = DatabaseEngine::sqlite; });
           }},
          {"path",
           [&](Node v, Key kk) {
             std::string p;
             if (r.string(v, kk, p)) {
               if (p.empty()) {
                 r.problem(v, kk, "must not be empty");
               } else {
                 c.database.path = p;
               }
             }
           }},
          {"durability",
           [&](Node v, Key kk) {
             r.choice(v, kk, {"full", "normal"}, [&](const std::string& s) {
               c.database.durability = s == "full" ? Durability::full : Durability::normal;
             });
           }},
          {"busy_timeout_ms",
           [&](Node v, Key kk) {
             r.integer(v, kk, c.database.busy_timeout_ms, 0, kMaxBusyTimeoutMs);
           }},
          {"min_free_bytes",
           [&](Node v, Key kk) {
             r.integer(v, kk, c.database.min_free_bytes, std::int64_t{0}, std::int64_t{1} << 50);
           }},
      });
}

// `time_zone`: the province's IANA time zone.
void read_time_zone(Reader& r, Node v, Key k, Config& c) {
  std::string tz;
  if (!r.string(v, k, tz)) {
    return;
  }
  if (!is_known_time_zone(tz)) {
    r.problem(
        v, k,
        "'" + tz + "' is not an IANA time zone known to this machine (e.g. Asia/Ho_Chi_Minh)");
    return;
  }
  c.time_zone = tz;
}

// `calendar`: extra days off and worked weekend days, and holiday overrides by year.
void read_calendar(Reader& r, Node n, Key k, Config& c) {
  r.section(
      n, k,
      {
          {"holidays", [&](Node v, Key kk) { r.dates(v, kk, c.calendar.extra_holidays); }},
          {"working_days", [&](Node v, Key kk) { r.dates(v, kk, c.calendar.extra_working_days); }},
          {"compensate_weekend_holidays",
           [&](Node v, Key kk) { r.boolean(v, kk, c.calendar.compensate_weekend_holidays); }},
          {"years",
           [&](Node v, Key kk) {
             if (!v.IsMap()) {
               r.problem(v, kk, "must map a year to its list of public holidays");
               return;
             }
             for (auto it = v.begin(); it != v.end(); ++it) {
               int year = 0;
               const std::string ykey = kk + "." + it->first.Scalar();
               if (!YAML::convert<int>::decode(it->first, year) || year < 1990 || year > 2100) {
                 r.problem_at(it->first.Mark(), ykey, "must be a year between 1990 and 2100");
                 continue;
               }
               std::vector<Date> days;
               r.dates(it->second, ykey, days);
               for (std::size_t i = 0; i < days.size(); ++i) {
                 if (days[i].year() != year) {
                   r.problem(it->second[i], ykey + "[" + std::to_string(i) + "]",
                             "is not in " + std::to_string(year));
                 }
               }
               c.calendar.holidays_by_year[year] = days;
             }
           }},
      });
}

// `log`: the log's level and format.
void read_log(Reader& r, Node n, Key k, Config& c) {
  r.section(n, k,
            {
                {"level",
                 [&](Node v, Key kk) {
                   r.choice(v, kk, {"trace", "debug", "info", "warn", "error", "critical", "off"},
                            [&](const std::string& s) { c.log.level = s; });
                 }},
                {"format",
                 [&](Node v, Key kk) {
                   r.choice(v, kk, {"text", "json"}, [&](const std::string& s) {
                     c.log.format = s == "json" ? LogFormat::json : LogFormat::text;
                   });
                 }},
            });
}

// `http`: the limits and timeouts of the HTTP edge, and page sizes.
void read_http(Reader& r, Node n, Key k, Config& c) {
  r.section(
      n, k,
      {
          {"max_body_bytes",
           [&](Node v, Key kk) {
             r.integer(v, kk, c.http.max_body_bytes, kMinBodyBytes, kMaxBodyBytes);
           }},
          {"max_header_bytes",
           [&](Node v, Key kk) {
             r.integer(v, kk, c.http.max_header_bytes, kMinHeaderBytes, kMaxHeaderBytes);
           }},
          {"read_timeout_s",
           [&](Node v, Key kk) { r.integer(v, kk, c.http.read_timeout_s, 1, kMaxTimeoutS); }},
          {"idle_timeout_s",
           [&](Node v, Key kk) { r.integer(v, kk, c.http.idle_timeout_s, 1, kMaxTimeoutS); }},
          {"write_timeout_s",
           [&](Node v, Key kk) { r.integer(v, kk, c.http.write_timeout_s, 1, kMaxTimeoutS); }},
          {"default_page_size",
           [&](Node v, Key kk) { r.integer(v, kk, c.http.default_page_size, 1, kMaxMaxPageSize); }},
          {"max_page_size",
           [&](Node v, Key kk) { r.integer(v, kk, c.http.max_page_size, 1, kMaxMaxPageSize); }},
          {"io_threads",
           [&](Node v, Key kk) { r.integer(v, kk, c.http.io_threads, 1, kMaxIoThreads); }},
          {"shutdown_timeout_s",
           [&](Node v, Key kk) {
             r.integer(v, kk, c.http.shutdown_timeout_s, 1, kMaxShutdownTimeoutS);
           }},
          {"max_connections",
           [&](Node v, Key kk) {
             r.integer(v, kk, c.http.max_connections, 1, kMaxMaxConnections);
           }},
      });
  if (c.http.default_page_size > c.http.max_page_size) {
    r.problem(n, k + ".default_page_size",
              "must not exceed http.max_page_size (" + std::to_string(c.http.max_page_size) + ")");
  }
}

// `reminders`: when reminders and digests go out, and the operator's templates.
void read_reminders(Reader& r, Node n, Key k, Config& c) {
  r.section(
      n, k,
      {
          {"due_soon_working_days",
           [&](Node v, Key kk) {
             r.integer(v, kk, c.reminders.due_soon_working_days, 0, kMaxDueSoonWorkingDays);
           }},
          {"before_working_days",
           [&](Node v, Key kk) {
             r.integers(v, kk, c.reminders.policy.before_working_days, 1, kMaxReminderWorkingDays);
           }},
          {"on_due_day", [&](Node v, Key kk) { r.boolean(v, kk, c.reminders.policy.on_due_day); }},
          {"overdue_every_working_days",
           [&](Node v, Key kk) {
             r.integer(v, kk, c.reminders.policy.overdue_every_working_days, 0,
                       kMaxReminderWorkingDays);
           }},
          {"escalate_after_working_days",
           [&](Node v, Key kk) {
             r.integer(v, kk, c.reminders.policy.escalate_after_working_days, 0,
                       kMaxReminderWorkingDays);
           }},
          {"working_hours",
           [&](Node v, Key kk) {
             r.section(
                 v, kk,
                 {
                     {"start",
                      [&](Node t, Key tk) {
                        r.time_of_day(t, tk, c.reminders.policy.hours.start);
                      }},
                     {"end",
                      [&](Node t, Key tk) { r.time_of_day(t, tk, c.reminders.policy.hours.end); }},
                 });
             if (c.reminders.policy.hours.end <= c.reminders.policy.hours.start) {
               r.problem(v, kk + ".end", "must be later than the start");
             }
           }},
          {"urgent_bypasses_hours",
           [&](Node v, Key kk) { r.boolean(v, kk, c.reminders.policy.urgent_bypasses_hours); }},
          {"daily_digest", [&](Node v, Key kk) { r.boolean(v, kk, c.reminders.daily_digest); }},
          {"weekly_digest", [&](Node v, Key kk) { r.boolean(v, kk, c.reminders.weekly_digest); }},
          {"chairman", [&](Node v, Key kk) { r.string(v, kk, c.reminders.chairman); }},
          {"batch_size",
           [&](Node v, Key kk) {
             r.integer(v, kk, c.reminders.batch_size, 1, kMaxReminderBatchSize);
           }},
          {"batch_budget_ms",
           [&](Node v, Key kk) {
             r.integer(v, kk, c.reminders.batch_budget_ms, 1, kMaxReminderBatchBudgetMs);
           }},
          {"templates",
           [&](Node v, Key kk) {
             if (!v.IsMap()) {
               r.problem(v, kk, "must map events to template files");
               return;
             }
             for (const auto& entry : v) {
               if (!entry.first.IsScalar()) {
                 r.problem(entry.first, kk, "an event name must be a plain word");
                 continue;
               }
               const std::string event = entry.first.as<std::string>();
               const std::string ek = kk + "." + event;
               std::string path;
               if (std::find(kMessageEvents.begin(), kMessageEvents.end(), event) ==
                   kMessageEvents.end()) {
                 r.problem(entry.first, ek, "'" + event + "' is not an event");
               } else if (r.string(entry.second, ek, path)) {
                 if (!is_file(path)) {
                   r.problem(entry.second, ek, "'" + path + "' is not a readable file");
                 }
                 c.reminders.templates[event] = path;
               }
             }
           }},
      });
}

// `extensions`: the rules of extension requests.
void read_extensions(Reader& r, Node n, Key k, Config& c) {
  r.section(n, k,
            {
                {"on_time_within_extension",
                 [&](Node v, Key kk) { r.boolean(v, kk, c.extensions.on_time_within_extension); }},
                {"min_lead_working_days",
                 [&](Node v, Key kk) {
                   r.integer(v, kk, c.extensions.min_lead_working_days, 0,
                             kMaxExtensionMinLeadWorkingDays);
                 }},
                {"max_per_task",
                 [&](Node v, Key kk) {
                   r.integer(v, kk, c.extensions.max_per_task, 1, kMaxExtensionMaxPerTask);
                 }},
                {"late_requests",
                 [&](Node v, Key kk) {
                   r.choice(v, kk, {"flag", "refuse"}, [&](const std::string& s) {
                     c.extensions.late_requests = s == "flag" ? domain::LateRequestPolicy::flag
                                                              : domain::LateRequestPolicy::refuse;
                   });
                 }},
            });
}

void read_periodic(Reader& r, Node n, Key k, Config& c) {
  r.section(n, k,
            {
                {"horizon_days",
                 [&](Node v, Key kk) {
                   r.integer(v, kk, c.periodic.horizon_days, 0, kMaxSeriesHorizonDays);
                 }},
            });
}

// `smtp`: the mail server and its retries.
void read_smtp(Reader& r, Node n, Key k, Config& c) {
  auto text = [&](std::string& out) {
    return [&r, &out](Node v, Key kk) { r.string(v, kk, out); };
  };
  r.section(
      n, k,
      {
          {"host", text(c.smtp.host)},
          {"port", [&](Node v, Key kk) { r.integer(v, kk, c.smtp.port, 1, 65535); }},
          {"security",
           [&](Node v, Key kk) {
             r.choice(v, kk, {"none", "starttls", "tls"},
                      [&](const std::string& s) { c.smtp.security = s; });
           }},
          {"username", text(c.smtp.username)},
          {"password", text(c.smtp.password)},
          {"from_address",
           [&](Node v, Key kk) {
             // A dotted domain is not required here: dondoc@localhost is a fine
             // sender for a server's own mail relay.
             if (r.string(v, kk, c.smtp.from_address) &&
                 !domain::plausible_email(c.smtp.from_address) &&
                 !domain::plausible_email(c.smtp.from_address + ".localdomain")) {
               r.problem(v, kk, "'" + c.smtp.from_address + "' is not an email address");
             }
           }},
          {"from_name", text(c.smtp.from_name)},
          {"timeout_s",
           [&](Node v, Key kk) { r.integer(v, kk, c.smtp.timeout_s, 1, kMaxTimeoutS); }},
          {"ca_file",
           [&](Node v, Key kk) {
             if (r.string(v, kk, c.smtp.ca_file) && !c.smtp.ca_file.empty() &&
                 !is_file(c.smtp.ca_file)) {
               r.problem(v, kk, "'" + c.smtp.ca_file + "' is not a readable file");
             }
           }},
          {"connections",
           [&](Node v, Key kk) { r.integer(v, kk, c.smtp.connections, 1, kMaxConnections); }},
          retry_key(r, "retry_initial_s", c.smtp.retry.initial_s, 1, kMaxTimeoutS),
          retry_key(r, "retry_max_s", c.smtp.retry.max_s, 1, kMaxRetryWaitS),
          retry_key(r, "give_up_after_hours", c.smtp.retry.give_up_after_hours, 1, kMaxGiveUpHours),
      });
}

// `webhooks`: webhook endpoints, timeouts and retries.
void read_webhooks(Reader& r, Node n, Key k, Config& c) {
  r.section(
      n, k,
      {
          {"timeout_s",
           [&](Node v, Key kk) { r.integer(v, kk, c.webhooks.timeout_s, 1, kMaxTimeoutS); }},
          {"connections",
           [&](Node v, Key kk) { r.integer(v, kk, c.webhooks.connections, 1, kMaxConnections); }},
          retry_key(r, "retry_initial_s", c.webhooks.retry.initial_s, 1, kMaxTimeoutS),
          retry_key(r, "retry_max_s", c.webhooks.retry.max_s, 1, kMaxRetryWaitS),
          retry_key(r, "give_up_after_hours", c.webhooks.retry.give_up_after_hours, 1,
                    kMaxGiveUpHours),
          {"endpoints",
           [&](Node v, Key kk) {
             if (!v.IsSequence()) {
               r.problem(v, kk, "must be a list of endpoints");
               return;
             }
             for (std::size_t i = 0; i < v.size(); ++i) {
               const std::string ek = kk + "[" + std::to_string(i) + "]";
               WebhookEndpointConfig e;
               r.section(v[i], ek,
                         {
                             {"name", [&](Node x, Key xk) { r.string(x, xk, e.name); }},
                             {"url",
                              [&](Node x, Key xk) {
                                if (r.string(x, xk, e.url) && e.url.rfind("http://", 0) != 0 &&
                                    e.url.rfind("https://", 0) != 0) {
                                  r.problem(x, xk, "must start with http:// or https://");
                                }
                              }},
                             {"secret",
                              [&](Node x, Key xk) {
                                if (r.string(x, xk, e.secret) && e.secret.size() < 24) {
                                  r.problem(x, xk, "must be at least 24 bytes long");
                                }
                              }},
                             {"events",
                              [&](Node x, Key xk) {
                                if (!x.IsSequence()) {
                                  r.problem(x, xk, "must be a list of event names");
                                  return;
                                }
                                for (std::size_t j = 0; j < x.size(); ++j) {
                                  std::string ev;
                                  const std::string jk = xk + "[" + std::to_string(j) + "]";
                                  if (!r.string(x[j], jk, ev)) {
                                    continue;
                                  }
                                  if (std::find(kMessageEvents.begin(), kMessageEvents.end(), ev) ==
                                      kMessageEvents.end()) {
                                    r.problem(x[j], jk, "'" + ev + "' is not an event");
                                  }
                                  e.events.push_back(ev);
                                }
                              }},
                             {"format",
                              [&](Node x, Key xk) {
                                r.choice(x, xk, {"standard", "chat"},
                                         [&](const std::string& f) { e.format = f; });
                              }},
                         });
               if (v[i].IsMap() && (e.name.empty() || e.url.empty())) {
                 r.problem(v[i], ek, "needs a name and a url");
               }
               if (v[i].IsMap() && e.format == "standard" && e.secret.empty()) {
                 r.problem(v[i], ek, "needs a secret to sign with (or format: chat)");
               }
               for (const auto& other : c.webhooks.endpoints) {
                 if (other.name == e.name && !e.name.empty()) {
                   r.problem(v[i], ek + ".name", "'" + e.name + "' is used twice");
                 }
               }
               c.webhooks.endpoints.push_back(std::move(e));
             }
           }},
      });
}

// `web`: the address people open dondoc at.
void read_attachments(Reader& r, Node n, Key k, Config& c) {
  std::optional<YAML::Node> task_limit;
  r.section(n, k,
            {
                {"directory", [&](Node v, Key kk) { r.string(v, kk, c.attachments.directory); }},
                {"max_file_mib",
                 [&](Node v, Key kk) {
                   r.integer(v, kk, c.attachments.max_file_mib, 1, kMaxAttachmentMib);
                 }},
                {"max_task_mib",
                 [&](Node v, Key kk) {
                   task_limit = v;
                   r.integer(v, kk, c.attachments.max_task_mib, 1, kMaxAttachmentMib);
                 }},
            });
  if (c.attachments.max_task_mib < c.attachments.max_file_mib) {
    r.problem(task_limit.value_or(n), k + ".max_task_mib",
              std::to_string(c.attachments.max_task_mib) + " is below max_file_mib (" +
                  std::to_string(c.attachments.max_file_mib) +
                  "): a task must have room for at least one file");
  }
}

void read_web(Reader& r, Node n, Key k, Config& c) {
  r.section(n, k,
            {
                {"base_url",
                 [&](Node v, Key kk) {
                   if (r.string(v, kk, c.web.base_url) && c.web.base_url.rfind("http://", 0) != 0 &&
                       c.web.base_url.rfind("https://", 0) != 0) {
                     r.problem(v, kk, "must start with http:// or https://");
                   }
                 }},
                {"session_idle_minutes",
                 [&](Node v, Key kk) { r.integer(v, kk, c.web.session_idle_minutes, 1, 1440); }},
                {"session_lifetime_hours",
                 [&](Node v, Key kk) { r.integer(v, kk, c.web.session_lifetime_hours, 1, 720); }},
            });
}

// `auth`: limits on requests per caller and on failed authentications.
void read_auth(Reader& r, Node n, Key k, Config& c) {
  r.section(n, k,
            {
                {"rate_limit_per_minute",
                 [&](Node v, Key kk) {
                   r.integer(v, kk, c.auth.rate_limit_per_minute, 0, kMaxRateLimitPerMinute);
                 }},
                {"rate_limit_burst",
                 [&](Node v, Key kk) {
                   r.integer(v, kk, c.auth.rate_limit_burst, 1, kMaxRateLimitPerMinute);
                 }},
                {"failures_per_minute",
                 [&](Node v, Key kk) {
                   r.integer(v, kk, c.auth.failures_per_minute, 1, kMaxRateLimitPerMinute);
                 }},
                {"failure_burst",
                 [&](Node v, Key kk) {
                   r.integer(v, kk, c.auth.failure_burst, 1, kMaxRateLimitPerMinute);
                 }},
                {"sign_in_failures_per_minute",
                 [&](Node v, Key kk) {
                   r.integer(v, kk, c.auth.sign_in_failures_per_minute, 1, kMaxRateLimitPerMinute);
                 }},
                {"sign_in_failure_burst",
                 [&](Node v, Key kk) {
                   r.integer(v, kk, c.auth.sign_in_failure_burst, 1, kMaxRateLimitPerMinute);
                 }},
            });
}

// `report`: the letterhead and signature block of the printed report.
void read_report(Reader& r, Node n, Key k, Config& c) {
  auto text = [&](std::string& out, std::size_t max) {
    return [&r, &out, max](Node v, Key kk) {
      std::string value;
      if (r.string(v, kk, value)) {
        if (value.size() > max) {
          r.problem(v, kk, "is longer than " + std::to_string(max) + " bytes");
        } else {
          out = value;
        }
      }
    };
  };
  r.section(n, k,
            {
                {"governing_body", text(c.report.governing_body, 200)},
                {"issuing_body", text(c.report.issuing_body, 200)},
                {"symbol", text(c.report.symbol, 40)},
                {"place", text(c.report.place, 100)},
                {"signer_title", text(c.report.signer_title, 200)},
                {"recipients",
                 [&](Node v, Key kk) {
                   if (!v.IsSequence()) {
                     r.problem(v, kk, "must be a list of recipients");
                     return;
                   }
                   std::vector<std::string> list;
                   for (std::size_t i = 0; i < v.size(); ++i) {
                     std::string one;
                     if (r.string(v[i], kk + "[" + std::to_string(i) + "]", one)) {
                       list.push_back(one);
                     }
                   }
                   c.report.recipients = list;
                 }},
            });
}

// The whole file: one reader per top-level section.
void read_document(Reader& r, const YAML::Node& root, Config& c) {
  r.section(root, "",
            {
                {"listen", [&](Node n, Key k) { read_listen(r, n, k, c); }},
                {"database", [&](Node n, Key k) { read_database(r, n, k, c); }},
                {"time_zone", [&](Node n, Key k) { read_time_zone(r, n, k, c); }},
                {"calendar", [&](Node n, Key k) { read_calendar(r, n, k, c); }},
                {"log", [&](Node n, Key k) { read_log(r, n, k, c); }},
                {"http", [&](Node n, Key k) { read_http(r, n, k, c); }},
                {"reminders", [&](Node n, Key k) { read_reminders(r, n, k, c); }},
                {"extensions", [&](Node n, Key k) { read_extensions(r, n, k, c); }},
                {"periodic", [&](Node n, Key k) { read_periodic(r, n, k, c); }},
                {"attachments", [&](Node n, Key k) { read_attachments(r, n, k, c); }},
                {"smtp", [&](Node n, Key k) { read_smtp(r, n, k, c); }},
                {"webhooks", [&](Node n, Key k) { read_webhooks(r, n, k, c); }},
                {"web", [&](Node n, Key k) { read_web(r, n, k, c); }},
                {"auth", [&](Node n, Key k) { read_auth(r, n, k, c); }},
                {"report", [&](Node n, Key k) { read_report(r, n, k, c); }},
            });
}

}  // namespace

std::string_view to_string(DatabaseEngine) {
  return "sqlite";
}

std::string attachments_directory(const Config& config) {
  if (!config.attachments.directory.empty()) {
    return config.attachments.directory;
  }
  return (std::filesystem::path(config.database.path).parent_path() / "attachments").string();
}

std::string_view to_string(Durability d) {
  return d == Durability::full ? "full" : "normal";
}

std::string ConfigProblem::to_string() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + key + ": " +
         message;
}

bool is_known_time_zone(const std::string& name) {
  if (name.empty() || name.front() == '/' || name.find("..") != std::string::npos) {
    return false;
  }
  for (char ch : name) {
    const bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                    (ch >= '0' && ch <= '9') || ch == '/' || ch == '_' || ch == '-' || ch == '+';
    if (!ok) {
      return false;
    }
  }
  const char* dir = std::getenv("TZDIR");
  const std::filesystem::path file =
      std::filesystem::path(dir ? dir : "/usr/share/zoneinfo") / name;
  std::error_code ec;
  return std::filesystem::is_regular_file(file, ec);
}

LoadResult load_config_text(const std::string& yaml, const std::string& display_name) {
  LoadResult result;
  Reader reader(display_name);
  try {
    const YAML::Node root = YAML::Load(yaml);
    if (!root.IsNull()) {  // an empty file means "all defaults"
      read_document(reader, root, result.config);
    }
  } catch (const YAML::ParserException& e) {
    reader.problem_at(e.mark, "(syntax)", e.msg);
  } catch (const YAML::Exception& e) {
    reader.problem_at(e.mark, "(document)", e.msg);
  }
  result.problems = reader.take_problems();
  return result;
}

LoadResult load_config_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LoadResult result;
    result.problems.push_back({path, 0, 0, "(file)", "cannot be read"});
    return result;
  }
  std::ostringstream text;
  text << in.rdbuf();
  return load_config_text(text.str(), path);
}

}  // namespace dondoc::config
