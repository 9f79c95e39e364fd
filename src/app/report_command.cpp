#include "report_command.hpp"

#include <fstream>

#include "dondoc/http/report_formats.hpp"
#include "dondoc/service/reports.hpp"
#include "offline.hpp"

namespace dondoc::app {

namespace {

// The options every report takes, checked: each problem named by its option.
struct Checked {
  std::optional<domain::Date> as_of;
  service::GroupBy group_by = service::GroupBy::historic;
  domain::AsOfBasis basis = domain::AsOfBasis::effective;
  http::ReportFormat format = http::ReportFormat::json;
};

std::optional<domain::Date> date_option(const std::string& name, const std::string& value,
                                        domain::FieldErrors& errors) {
  if (value.empty()) {
    return std::nullopt;
  }
  auto d = domain::Date::parse(value);
  if (!d) {
    errors.add(name, "'" + value + "' is not a date (YYYY-MM-DD)");
  }
  return d;
}

Checked check(const ReportOptions& o, domain::FieldErrors& errors) {
  Checked c;
  c.as_of = date_option("--as-of", o.as_of, errors);
  if (o.group_by == "current") {
    c.group_by = service::GroupBy::current;
  } else if (o.group_by != "historic") {
    errors.add("--group-by", "must be historic or current");
  }
  if (auto b = domain::parse_as_of_basis(o.basis)) {
    c.basis = *b;
  } else {
    errors.add("--basis", "must be effective or recorded");
  }
  if (auto f = http::parse_report_format(o.format)) {
    c.format = *f;
  } else {
    errors.add("--format", "must be json, csv, xlsx or html");
  }
  return c;
}

int write(const std::string& output, const std::string& body) {
  if (output.empty()) {
    std::cout << body;
    return 0;
  }
  std::ofstream out(output, std::ios::binary | std::ios::trunc);
  out << body;
  out.close();
  if (!out) {
    std::cerr << "dondocd: cannot write " << output << "\n";
    return kExitOfflineRuntime;
  }
  std::cerr << "dondocd: wrote " << output << "\n";
  return 0;
}

}  // namespace

int report_summary(const std::string& config_path, const ReportOptions& o) {
  return with_offline(config_path, [&](Offline& off) {
    domain::FieldErrors errors;
    const Checked c = check(o, errors);
    const auto from = date_option("--from", o.from, errors);
    const auto to = date_option("--to", o.to, errors);
    errors.throw_if_any();
    service::ReportService reports(off.ctx);
    const auto report = reports.summary(service::Actor::system(),
                                        {*from, *to, c.as_of, c.group_by, std::nullopt, c.basis});
    const http::Letterhead head = letterhead(off.runtime->config);
    if (c.format == http::ReportFormat::xlsx || c.format == http::ReportFormat::html) {
      const auto appendix = reports.overdue(service::Actor::system(), report.summary.period.as_of,
                                            c.group_by, std::nullopt, c.basis);
      return write(o.output, http::render_summary(report, c.format, head, &appendix));
    }
    return write(o.output, http::render_summary(report, c.format, head));
  });
}

int report_overdue(const std::string& config_path, const ReportOptions& o) {
  return with_offline(config_path, [&](Offline& off) {
    domain::FieldErrors errors;
    const Checked c = check(o, errors);
    errors.throw_if_any();
    const auto report = service::ReportService(off.ctx).overdue(service::Actor::system(), c.as_of,
                                                                c.group_by, std::nullopt, c.basis);
    return write(o.output, http::render_overdue(report, c.format, letterhead(off.runtime->config)));
  });
}

}  // namespace dondoc::app

namespace dondoc::app {

int report_scorecard(const std::string& config_path, const ReportOptions& o) {
  return with_offline(config_path, [&](Offline& off) {
    domain::FieldErrors errors;
    const Checked c = check(o, errors);
    errors.throw_if_any();
    const auto card = service::ReportService(off.ctx).scorecard(service::Actor::system(), o.year,
                                                                c.as_of, c.group_by, c.basis);
    return write(o.output, http::render_scorecard(card, c.format, letterhead(off.runtime->config)));
  });
}

}  // namespace dondoc::app
