// The reports (the period summary and the overdue appendix, as JSON, CSV, XLSX or a printable
// page) and a unit's deadlines as a calendar feed.
#include "api_impl.hpp"
#include "dondoc/http/ics.hpp"
#include "dondoc/http/report_formats.hpp"

namespace dondoc::http {

namespace {

std::optional<service::GroupBy> group_by(QueryParams& q, domain::FieldErrors& errors) {
  const auto g = q.string("group_by");
  if (!g || *g == "historic") {
    return service::GroupBy::historic;
  }
  if (*g == "current") {
    return service::GroupBy::current;
  }
  errors.add("group_by", "must be historic or current");
  return std::nullopt;
}

// `basis`: effective (things as they were on as_of, as known now; the default) or recorded (the
// register as it stood that day).
std::optional<domain::AsOfBasis> basis(QueryParams& q, domain::FieldErrors& errors) {
  const auto b = q.string("basis");
  if (!b) {
    return domain::AsOfBasis::effective;
  }
  if (auto parsed = domain::parse_as_of_basis(*b)) {
    return parsed;
  }
  errors.add("basis",
             "must be effective (as things were, as known now) or recorded (as the "
             "register stood that day)");
  return std::nullopt;
}

ReportFormat format(QueryParams& q, domain::FieldErrors& errors) {
  const auto f = q.string("format");
  if (!f) {
    return ReportFormat::json;
  }
  if (auto parsed = parse_report_format(*f)) {
    return *parsed;
  }
  errors.add("format", "must be json, csv, xlsx or html");
  return ReportFormat::json;
}

// "dondoc.example.vn" of "https://dondoc.example.vn:8443/x": where the feed's event UIDs live.
std::string host_of(const std::string& url) {
  std::string rest = url.substr(url.find("://") == std::string::npos ? 0 : url.find("://") + 3);
  return rest.substr(0, rest.find_first_of(":/"));
}

Response file_response(std::string body, ReportFormat format, const std::string& file_name) {
  Response r;
  r.set_header("Content-Type", content_type(format));
  if (format != ReportFormat::json) {
    r.set_header("Content-Disposition", "inline; filename=\"" + file_name + "\"");
  }
  r.body = std::move(body);
  return r;
}

}  // namespace

void Api::Impl::add_report_routes() {
  add("GET", "/api/v1/reports/summary",
      [this](const Request&, const Target& t, const Params&, const Actor& actor) -> Outcome {
        service::require(actor, service::Operation::report_read);  // before judging the query
        domain::FieldErrors errors;
        QueryParams q(t.query, {"from", "to", "as_of", "group_by", "format", "leader_id", "basis"},
                      errors);
        const auto from = q.date("from");
        const auto to = q.date("to");
        const auto as_of = q.date("as_of");
        if (!from && !t.query.count("from")) {
          errors.add("from", "is required: the first day of the period, YYYY-MM-DD");
        }
        if (!to && !t.query.count("to")) {
          errors.add("to", "is required: the last day of the period, YYYY-MM-DD");
        }
        const auto by = group_by(q, errors);
        const auto f = format(q, errors);
        const auto leader = q.integer("leader_id", 1, kMaxId);
        const auto kind = basis(q, errors);
        errors.throw_if_any();
        const service::SummaryRequest request{*from, *to, as_of, *by, leader, *kind};
        return on_worker(t.path, [this, actor, request, f]() -> Response {
          const auto report = reports_.summary(actor, request);
          if (f == ReportFormat::xlsx || f == ReportFormat::html) {  // with the overdue appendix
            const auto appendix =
                reports_.overdue(actor, report.summary.period.as_of, request.group_by,
                                 request.leader_id, request.basis);
            return file_response(render_summary(report, f, info_.letterhead, &appendix), f,
                                 summary_file_name(report, f));
          }
          return file_response(render_summary(report, f, info_.letterhead), f,
                               summary_file_name(report, f));
        });
      });
  add("GET", "/api/v1/reports/overdue",
      [this](const Request&, const Target& t, const Params&, const Actor& actor) -> Outcome {
        service::require(actor, service::Operation::report_read);
        domain::FieldErrors errors;
        QueryParams q(t.query, {"as_of", "group_by", "format", "limit", "leader_id", "basis"},
                      errors);
        const auto leader = q.integer("leader_id", 1, kMaxId);
        const auto as_of = q.date("as_of");
        const auto by = group_by(q, errors);
        const auto f = format(q, errors);
        const auto kind = basis(q, errors);
        // A dashboard shows the longest overdue; the whole list is for the files.
        const auto limit = q.integer("limit", 1, 100000);
        if (limit && f != ReportFormat::json) {
          errors.add("limit", "applies to the JSON list only; the files hold every line");
        }
        errors.throw_if_any();
        std::optional<std::size_t> json_limit;
        if (limit) {
          json_limit = static_cast<std::size_t>(*limit);
        }
        return on_worker(
            t.path,
            [this, actor, as_of, by = *by, f, json_limit, leader, kind = *kind]() -> Response {
              const auto report = reports_.overdue(actor, as_of, by, leader, kind);
              return file_response(render_overdue(report, f, info_.letterhead, json_limit), f,
                                   overdue_file_name(report, f));
            });
      });
  add("GET", "/api/v1/reports/scorecard",
      [this](const Request&, const Target& t, const Params&, const Actor& actor) -> Outcome {
        service::require(actor, service::Operation::report_read);
        domain::FieldErrors errors;
        QueryParams q(t.query, {"year", "as_of", "group_by", "format", "basis"}, errors);
        const auto year = q.integer("year", 2000, 2100);
        if (!year && !t.query.count("year")) {
          errors.add("year", "is required: the year to score, e.g. 2025");
        }
        const auto as_of = q.date("as_of");
        const auto by = group_by(q, errors);
        const auto f = format(q, errors);
        const auto kind = basis(q, errors);
        errors.throw_if_any();
        return on_worker(t.path,
                         [this, actor, year = static_cast<int>(*year), as_of, by = *by, f,
                          kind = *kind]() -> Response {
                           const auto card = reports_.scorecard(actor, year, as_of, by, kind);
                           return file_response(render_scorecard(card, f, info_.letterhead), f,
                                                scorecard_file_name(card, f));
                         });
      });
}

void Api::Impl::add_feed_routes() {
  add(
      "GET", "/api/v1/units/{id}/deadlines.ics",
      [this](const Request&, const Target& t, const Params& p, const Actor& actor) -> Outcome {
        domain::FieldErrors errors;
        QueryParams q(t.query, {"token"}, errors);
        errors.throw_if_any();
        const auto feed = reports_.deadlines(actor, p[0]);
        Response r;
        r.set_header("Content-Type", "text/calendar; charset=utf-8");
        r.set_header("Cache-Control", "private, no-store");  // the URL may carry a token
        r.body = deadlines_calendar(feed, ctx_.messages.base_url, host_of(ctx_.messages.base_url),
                                    ctx_.clock.now());
        return r;
      },
      "application/json", Surface::feed);
}

}  // namespace dondoc::http
