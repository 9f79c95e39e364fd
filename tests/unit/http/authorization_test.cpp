// Who may do what (issue 3): every route × every role × the caller's relation to the task, walked
// through Api::handle with real tokens and a real SQLite file. The expectations below are written
// out from the issue, independently of the table the service layer consults, so that a wrong
// entry there fails here.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "dondoc/http/api.hpp"
#include "dondoc/service/accounts.hpp"
#include "dondoc/service/attachments.hpp"
#include "dondoc/service/extensions.hpp"
#include "dondoc/service/series.hpp"
#include "dondoc/storage/sqlite_store.hpp"
#include "fake_clock.hpp"
#include "temp_dir.hpp"
#include "test_store.hpp"

using namespace dondoc;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {

// The caller's relation to the task (or the request's task) a route acts on: its unit leads
// it, coordinates it, or has nothing to do with it.
enum Relation { kLead = 0, kCoordinates = 1, kUnrelated = 2 };

// A: the role may (any answer but 401/403/404), F: 403, H: 404 (it does not exist for them).
// One letter per relation: lead, coordinates, unrelated.
struct Expect {
  std::string admin, office, leader, unit;
};

// clang-format off
const std::map<std::string, Expect> kTable = {
    {"GET /healthz",                              {"AAA", "AAA", "AAA", "AAA"}},
    {"GET /readyz",                               {"AAA", "AAA", "AAA", "AAA"}},
    {"GET /api/v1/me",                            {"AAA", "AAA", "AAA", "AAA"}},
    {"GET /api/v1/units",                         {"AAA", "AAA", "AAA", "AAA"}},
    {"POST /api/v1/units",                        {"AAA", "FFF", "FFF", "FFF"}},
    {"GET /api/v1/units/{id}",                    {"AAA", "AAA", "AAA", "AAA"}},
    {"PATCH /api/v1/units/{id}",                  {"AAA", "FFF", "FFF", "FFF"}},
    {"POST /api/v1/units/merge",                  {"AAA", "AAA", "FFF", "FFF"}},
    {"GET /api/v1/units/{id}/history",            {"AAA", "AAA", "AAA", "AAA"}},
    {"GET /api/v1/units/{id}/deadlines.ics",      {"FFF", "AAA", "AAA", "AAA"}},
    {"GET /api/v1/tasks",                         {"FFF", "AAA", "AAA", "AAA"}},
    {"POST /api/v1/tasks",                        {"FFF", "AAA", "AAA", "FFF"}},
    {"POST /api/v1/tasks/import",                 {"FFF", "AAA", "AAA", "FFF"}},
    {"GET /api/v1/tasks/{id}",                    {"FFF", "AAA", "AAA", "AAH"}},
    {"PATCH /api/v1/tasks/{id}",                  {"FFF", "AAA", "FFF", "FFF"}},
    {"GET /api/v1/tasks/{id}/history",            {"FFF", "AAA", "AAA", "AAH"}},
    {"POST /api/v1/tasks/{id}/report",            {"FFF", "FFF", "FFF", "AFH"}},
    {"POST /api/v1/tasks/{id}/confirm",           {"FFF", "AAA", "FFF", "FFF"}},
    {"POST /api/v1/tasks/{id}/reopen",            {"FFF", "AAA", "FFF", "FFF"}},
    {"POST /api/v1/tasks/{id}/suspend",           {"FFF", "AAA", "FFF", "FFF"}},
    {"POST /api/v1/tasks/{id}/resume",            {"FFF", "AAA", "FFF", "FFF"}},
    {"POST /api/v1/tasks/{id}/cancel",            {"FFF", "AAA", "FFF", "FFF"}},
    {"POST /api/v1/tasks/{id}/notes",             {"FFF", "AAA", "FFF", "AAH"}},
    {"POST /api/v1/tasks/{id}/mark-key",          {"FFF", "AAA", "AAA", "FFF"}},
    {"POST /api/v1/tasks/{id}/unmark-key",        {"FFF", "AAA", "AAA", "FFF"}},
    {"POST /api/v1/tasks/{id}/extensions",        {"FFF", "AAA", "FFF", "AFH"}},
    {"GET /api/v1/tasks/{id}/extensions",         {"FFF", "AAA", "AAA", "AAH"}},
    {"GET /api/v1/tasks/{id}/contributions",      {"FFF", "AAA", "AAA", "AAH"}},
    {"GET /api/v1/units/{id}/contributions",      {"FFF", "AAA", "AAA", "AAA"}},
    {"POST /api/v1/tasks/{id}/contributions/{id}/deadline", {"FFF", "AAA", "FFF", "FFF"}},
    // A unit records its own input only: on the task it leads, the coordinating unit is another.
    {"POST /api/v1/tasks/{id}/contributions/{id}/sent",     {"FFF", "AAA", "FFF", "FAH"}},
    {"GET /api/v1/series",                        {"FFF", "AAA", "AAA", "AAA"}},
    {"POST /api/v1/series",                       {"FFF", "AAA", "FFF", "FFF"}},
    {"GET /api/v1/series/{id}",                   {"FFF", "AAA", "AAA", "AAH"}},
    {"PATCH /api/v1/series/{id}",                 {"FFF", "AAA", "FFF", "FFF"}},
    {"POST /api/v1/series/{id}/stop",             {"FFF", "AAA", "FFF", "FFF"}},
    {"GET /api/v1/extensions",                    {"FFF", "AAA", "AAA", "AAA"}},
    {"GET /api/v1/extensions/{id}",               {"FFF", "AAA", "AAA", "AAH"}},
    {"POST /api/v1/extensions/{id}/approve",      {"FFF", "FFF", "AAA", "FFF"}},
    {"POST /api/v1/extensions/{id}/reject",       {"FFF", "FFF", "AAA", "FFF"}},
    {"POST /api/v1/extensions/{id}/withdraw",     {"FFF", "AAA", "FFF", "AFH"}},
    {"GET /api/v1/leaders",                       {"AAA", "AAA", "AAA", "AAA"}},
    {"GET /api/v1/users",                         {"AAA", "FFF", "FFF", "FFF"}},
    {"POST /api/v1/users",                        {"AAA", "FFF", "FFF", "FFF"}},
    {"GET /api/v1/users/{id}",                    {"AAA", "FFF", "FFF", "FFF"}},
    {"PATCH /api/v1/users/{id}",                  {"AAA", "FFF", "FFF", "FFF"}},
    {"POST /api/v1/users/{id}/tokens",            {"AAA", "FFF", "FFF", "FFF"}},
    {"GET /api/v1/users/{id}/tokens",             {"AAA", "FFF", "FFF", "FFF"}},
    {"POST /api/v1/tokens/{id}/revoke",           {"AAA", "FFF", "FFF", "FFF"}},
    {"GET /api/v1/audit",                         {"AAA", "FFF", "AAA", "FFF"}},
    {"GET /api/v1/outbox",                        {"AAA", "FFF", "FFF", "FFF"}},
    {"GET /api/v1/outbox/stats",                  {"AAA", "FFF", "FFF", "FFF"}},
    {"POST /api/v1/outbox/{id}/retry",            {"AAA", "FFF", "FFF", "FFF"}},
    {"GET /api/v1/reports/summary",               {"FFF", "AAA", "AAA", "AAA"}},
    {"GET /api/v1/reports/overdue",               {"FFF", "AAA", "AAA", "AAA"}},
    {"GET /api/v1/reports/scorecard",             {"FFF", "AAA", "AAA", "AAA"}},
    // With a token: there is no session to show (404) or end (400); one's own password can be
    // changed (400 here: the body is not the current one).
    {"POST /api/v1/sessions",                     {"AAA", "AAA", "AAA", "AAA"}},
    {"GET /api/v1/session",                       {"HHH", "HHH", "HHH", "HHH"}},
    {"DELETE /api/v1/session",                    {"AAA", "AAA", "AAA", "AAA"}},
    {"POST /api/v1/session/password",             {"AAA", "AAA", "AAA", "AAA"}},
    {"POST /api/v1/users/{id}/password-reset",    {"AAA", "FFF", "FFF", "FFF"}},
    {"GET /api/v1/tasks/{id}/attachments",        {"FFF", "AAA", "AAA", "AAH"}},
    {"POST /api/v1/tasks/{id}/attachments",       {"FFF", "AAA", "AAA", "AAH"}},
    // A file is not there for whoever may not see its task: 404, whatever the role.
    {"GET /api/v1/attachments/{id}",              {"HHH", "AAA", "AAA", "AAH"}},
};
// clang-format on

// A province in miniature: Sở Xây dựng (the unit user's unit), Sở Tài chính and Sở Nội vụ; three
// tasks, one per relation, each with a pending extension request and a coordinating unit; three
// periodic series, one per relation; one user per role and a spare one.
class World {
 public:
  explicit World(int rate_limit_per_minute = 0, int burst = 1) {
    store_ = dondoc::testing::open_test_store(dir_);
    ctx_ = std::make_unique<service::ServiceContext>(service::ServiceContext{
        *store_, clock_, zone_, calendar_, domain::ClassifyPolicy{}, 50, 200});
    files_ = storage::open_file_store((dir_.path() / "attachments").string(), clock_.now());
    ctx_->files = files_.get();
    api_ = std::make_unique<http::Api>(
        *ctx_, http::ApiInfo{"test", "Asia/Ho_Chi_Minh", rate_limit_per_minute, burst});
  }

  void populate() {
    const auto system = service::Actor::system();
    service::UnitService units(*ctx_);
    sxd_ = units.create(system, {"SXD", "Sở Xây dựng", domain::UnitKind::department, {}}).id;
    stc_ = units.create(system, {"STC", "Sở Tài chính", domain::UnitKind::department, {}}).id;
    snv_ = units.create(system, {"SNV", "Sở Nội vụ", domain::UnitKind::department, {}}).id;
    service::AccountService accounts(*ctx_);
    auto add = [&](const std::string& login, domain::Role role, std::optional<domain::UnitId> u) {
      auto user = accounts.create_user(system, {login, "Cán bộ " + login, "", role, u});
      users_[login] = user.id;
      tokens_[login] = accounts.issue_token(system, user.id, {}).secret;
    };
    add("admin", domain::Role::admin, std::nullopt);
    add("office", domain::Role::office, std::nullopt);
    add("leader", domain::Role::leader, std::nullopt);
    add("unit", domain::Role::unit, sxd_);
    add("spare", domain::Role::office, std::nullopt);
    spare_token_ = accounts.issue_token(system, users_["spare"], {}).token.id;

    service::TaskService tasks(*ctx_);
    service::ExtensionService extensions(*ctx_);
    auto task = [&](domain::UnitId lead, std::vector<domain::UnitId> coordinating) {
      service::NewTask t;
      t.title = "Báo cáo tiến độ giải ngân vốn đầu tư công";
      t.source_ref = "45/TB-UBND";
      t.lead_unit_id = lead;
      t.coordinating_unit_ids = std::move(coordinating);
      t.deadline = domain::DeadlineSpec::on(*domain::Date::parse("2025-04-30"));
      const auto id = tasks.create(system, t).task.id;
      const auto ext = extensions.request(
          system, id, {domain::Date::parse("2025-05-30"), "Chờ ý kiến của Bộ Tài chính", ""});
      return std::pair{id, ext.request.id};
    };
    std::tie(task_[kLead], extension_[kLead]) = task(sxd_, {stc_});
    std::tie(task_[kCoordinates], extension_[kCoordinates]) = task(stc_, {sxd_});
    std::tie(task_[kUnrelated], extension_[kUnrelated]) = task(stc_, {snv_});
    service::AttachmentService attachments(*ctx_);
    for (Relation rel : {kLead, kCoordinates, kUnrelated}) {
      attachment_[rel] =
          attachments
              .attach(system, {task_[rel], domain::AttachedTo::task, 0, "Công văn.pdf", {}},
                      "%PDF-1.4 task " + std::to_string(rel))
              .id;
    }
    service::SeriesService series(*ctx_);
    auto monthly = [&](domain::UnitId lead, std::vector<domain::UnitId> coordinating) {
      service::NewSeries n;
      n.pattern.title = "Báo cáo tình hình giải ngân vốn đầu tư công hằng tháng";
      n.pattern.lead_unit_id = lead;
      n.pattern.coordinating_unit_ids = std::move(coordinating);
      n.rule.day = 20;
      n.starts_on =
          domain::Date::parse("2030-01-01");  // no task yet: the task lists stay as they are
      return series.create(system, n).series.id;
    };
    series_[kLead] = monthly(sxd_, {});
    series_[kCoordinates] = monthly(stc_, {sxd_});
    series_[kUnrelated] = monthly(stc_, {});
    store_->write([&](storage::WriteTx& tx) {
      domain::OutboxMessage m;
      m.dedupe_key = "test/1";
      m.recipient = "vanthu.sxd@example.vn";
      m.event = "due_soon";
      m.message_id = "<test.1@example.vn>";
      m.next_attempt_at = m.created_at = clock_.now();
      tx.enqueue(m);
    });
  }

  http::Response call(const std::string& who, const std::string& method, const std::string& target,
                      const std::string& body = "",
                      std::map<std::string, std::string> headers = {}) {
    http::Request r;
    r.method = method;
    r.target = target;
    r.body = body;
    if (!body.empty()) {
      headers.emplace("content-type", "application/json");
    }
    if (!who.empty()) {
      headers.emplace("authorization", "Bearer " + tokens_.at(who));
    }
    r.headers = std::move(headers);
    return api_->handle(r);
  }

  // A valid request for `route` (so that only authorization can refuse it), on the task or
  // extension request of `relation`.
  http::Request request_for(const std::string& route, Relation relation) {
    const auto space = route.find(' ');
    http::Request r;
    r.method = route.substr(0, space);
    std::string path = route.substr(space + 1);
    std::string id;
    if (path.find("/tasks/{id}") != std::string::npos) {
      id = std::to_string(task_[relation]);
    } else if (path.find("/series/{id}") != std::string::npos) {
      id = std::to_string(series_[relation]);
    } else if (path.find("/extensions/{id}") != std::string::npos) {
      id = std::to_string(extension_[relation]);
    } else if (path.find("/attachments/{id}") != std::string::npos) {
      id = std::to_string(attachment_[relation]);
    } else if (path.find("/units/{id}") != std::string::npos) {
      id = std::to_string(sxd_);
    } else if (path.find("/users/{id}") != std::string::npos) {
      id = std::to_string(users_.at("spare"));
    } else if (path.find("/tokens/{id}") != std::string::npos) {
      id = std::to_string(spare_token_);
    } else if (path.find("/outbox/{id}") != std::string::npos) {
      id = "1";  // the message populate() queued
    }
    if (auto at = path.find("{id}"); at != std::string::npos) {
      path.replace(at, 4, id);
    }
    // The coordinating unit of a contribution: each task's own (populate()).
    if (auto at = path.find("{id}"); at != std::string::npos) {
      const domain::UnitId coordinating[] = {stc_, sxd_, snv_};
      path.replace(at, 4, std::to_string(coordinating[relation]));
    }
    if (route == "GET /api/v1/reports/summary") {
      path += "?from=2020-01-01&to=2020-12-31";
    }
    if (route == "GET /api/v1/reports/scorecard") {
      path += "?year=2020";
    }
    r.target = path;
    static const std::map<std::string, std::string> kBodies = {
        {"POST /api/v1/units", R"({"code":"BQLDA","name":"Ban Quản lý dự án","kind":"agency"})"},
        {"PATCH /api/v1/units/{id}", R"({"name":"Sở Xây dựng tỉnh"})"},
        {"POST /api/v1/units/merge",
         R"({"unit_ids":[2],"new_unit":{"code":"STCKH","name":"Sở Tài chính - Kế hoạch",)"
         R"("kind":"department"}})"},
        {"POST /api/v1/tasks", R"({"title":"Rà soát quy hoạch","lead_unit_id":1})"},
        {"PATCH /api/v1/tasks/{id}", R"({"title":"Báo cáo tiến độ, bản sửa"})"},
        {"POST /api/v1/tasks/{id}/report", R"({"completion_ref":"215/BC-SXD"})"},
        {"POST /api/v1/tasks/{id}/cancel", R"({"reason":"Không còn phù hợp"})"},
        {"POST /api/v1/tasks/{id}/notes", R"({"note":"Đã họp với các đơn vị"})"},
        {"POST /api/v1/tasks/{id}/extensions",
         R"({"proposed_due_on":"2025-06-30","reason":"Chờ số liệu quyết toán"})"},
        {"POST /api/v1/extensions/{id}/reject", R"({"note":"Không đủ căn cứ"})"},
        {"POST /api/v1/series",
         R"({"title":"Báo cáo quý","lead_unit_id":1,"rule":{"frequency":"quarterly","day":15}})"},
        {"PATCH /api/v1/series/{id}", R"({"note":"Đổi tên","title":"Báo cáo tháng"})"},
        {"POST /api/v1/series/{id}/stop", R"({"note":"Đã thay bằng báo cáo quý"})"},
        {"POST /api/v1/tasks/{id}/contributions/{id}/deadline", R"({"due_on":"2025-04-10"})"},
        {"POST /api/v1/tasks/{id}/contributions/{id}/sent", R"({"document_ref":"88/STC-NS"})"},
        {"POST /api/v1/users", R"({"login":"vanthu","display_name":"Văn thư","role":"office"})"},
        {"PATCH /api/v1/users/{id}", R"({"display_name":"Chuyên viên theo dõi"})"},
    };
    if (route == "PATCH /api/v1/tasks/{id}" || route == "PATCH /api/v1/series/{id}") {
      r.headers.emplace("if-match", "*");
    }
    if (route == "POST /api/v1/tasks/{id}/attachments") {
      r.target += "?name=B%C3%A1o%20c%C3%A1o.pdf";
      r.body = "%PDF-1.4 a report";
      r.headers.emplace("content-type", "application/pdf");
    }
    if (route == "POST /api/v1/tasks/import") {
      r.body = "Nội dung nhiệm vụ,Đơn vị chủ trì\nRà soát quy hoạch,SXD\n";
      r.headers.emplace("content-type", "text/csv");
    }
    if (auto b = kBodies.find(route); b != kBodies.end()) {
      r.body = b->second;
      r.headers.emplace("content-type", "application/json");
    }
    return r;
  }

  http::Response send(const std::string& who, http::Request r) {
    r.headers.emplace("authorization", "Bearer " + tokens_.at(who));
    return api_->handle(r);
  }

  dondoc::testing::TempDir dir_;
  dondoc::testing::FakeClock clock_{dondoc::testing::at("2025-03-10T09:00:00+07:00")};
  domain::FixedOffsetZone zone_{"Asia/Ho_Chi_Minh", 7h};
  domain::WorkingCalendar calendar_;
  std::unique_ptr<storage::Store> store_;
  std::unique_ptr<service::ServiceContext> ctx_;
  std::unique_ptr<http::Api> api_;
  domain::UnitId sxd_ = 0;
  domain::UnitId stc_ = 0;
  domain::UnitId snv_ = 0;
  std::map<std::string, domain::UserId> users_;
  std::map<std::string, std::string> tokens_;
  domain::TokenId spare_token_ = 0;
  domain::TaskId task_[3] = {};
  domain::ExtensionId extension_[3] = {};
  domain::SeriesId series_[3] = {};
  domain::AttachmentId attachment_[3] = {};
  std::unique_ptr<storage::FileStore> files_;
};

char outcome_of(int status) {
  switch (status) {
    case 403:
      return 'F';
    case 404:
      return 'H';
    default:
      return 'A';
  }
}

}  // namespace

TEST(Authorization, EveryRouteEveryRoleEveryRelation) {
  std::set<std::string> routes;
  {
    World w;
    for (const auto& r : w.api_->routes()) {
      routes.insert(r.method + " " + r.pattern);
    }
  }
  std::set<std::string> tabled;
  for (const auto& [route, expect] : kTable) {
    tabled.insert(route);
  }
  ASSERT_EQ(routes, tabled) << "every route needs a row in the table, and every row a route";

  int checked = 0;
  for (const auto& [route, expect] : kTable) {
    const bool per_task = route.find("/tasks/{id}") != std::string::npos ||
                          route.find("/extensions/{id}") != std::string::npos ||
                          route.find("/attachments/{id}") != std::string::npos;
    for (const auto& [role, letters] : std::map<std::string, std::string>{{"admin", expect.admin},
                                                                          {"office", expect.office},
                                                                          {"leader", expect.leader},
                                                                          {"unit", expect.unit}}) {
      for (Relation rel : {kLead, kCoordinates, kUnrelated}) {
        if (!per_task && rel != kLead) {
          continue;
        }
        // A fresh world each time, so that one request's effect (a cancel, a decision) cannot
        // change what the next one is judged on.
        World w;
        w.populate();
        const auto reply = w.send(role, w.request_for(route, rel));
        ASSERT_NE(reply.status, 401) << route << " as " << role << ": " << reply.body;
        EXPECT_EQ(outcome_of(reply.status), letters[rel])
            << route << " as " << role << " on the task its unit "
            << (rel == kLead          ? "leads"
                : rel == kCoordinates ? "coordinates"
                                      : "has nothing to do with")
            << ": " << reply.status << " " << reply.body;
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 200);
}

TEST(Authorization, UnitUsersListOnlyTheirUnitsTasksAndRequests) {
  World w;
  w.populate();
  auto ids = [](const http::Response& r, const char* field) {
    std::set<std::int64_t> out;
    const json body = json::parse(r.body);
    for (const auto& item : body.at("items")) {
      out.insert(item.at(field).get<std::int64_t>());
    }
    return out;
  };
  const std::set<std::int64_t> visible = {w.task_[kLead], w.task_[kCoordinates]};
  EXPECT_EQ(ids(w.call("unit", "GET", "/api/v1/tasks"), "id"), visible);
  EXPECT_EQ(json::parse(w.call("unit", "GET", "/api/v1/tasks").body).at("total"), 2);
  EXPECT_EQ(ids(w.call("unit", "GET", "/api/v1/extensions"), "task_id"), visible);
  // Naming the other unit in a filter narrows the view; it never widens it.
  EXPECT_EQ(
      ids(w.call("unit", "GET", "/api/v1/tasks?lead_unit_id=" + std::to_string(w.stc_)), "id"),
      (std::set<std::int64_t>{w.task_[kCoordinates]}));
  EXPECT_EQ(ids(w.call("office", "GET", "/api/v1/tasks"), "id").size(), 3u);
  // The same for periodic series.
  EXPECT_EQ(ids(w.call("unit", "GET", "/api/v1/series"), "id"),
            (std::set<std::int64_t>{w.series_[kLead], w.series_[kCoordinates]}));
  EXPECT_EQ(ids(w.call("unit", "GET", "/api/v1/series?unit_id=" + std::to_string(w.stc_)), "id"),
            (std::set<std::int64_t>{w.series_[kCoordinates]}));
  EXPECT_EQ(ids(w.call("office", "GET", "/api/v1/series"), "id").size(), 3u);
}

TEST(Authorization, FieldsARoleMayNotSetAreRefusedNotIgnored) {
  World w;
  w.populate();
  auto field_of = [](const http::Response& r) {
    EXPECT_EQ(r.status, 400) << r.body;
    return json::parse(r.body).at("errors")[0].at("field").get<std::string>();
  };
  const auto lead = std::to_string(w.task_[kLead]);
  EXPECT_EQ(field_of(w.call("unit", "POST", "/api/v1/tasks/" + lead + "/extensions",
                            R"({"proposed_due_on":"2025-06-30","reason":"x","unit_id":2})")),
            "unit_id");
  EXPECT_EQ(field_of(w.call("office", "PATCH", "/api/v1/tasks/" + lead, R"({"state":"done"})",
                            {{"if-match", "*"}})),
            "state");
  EXPECT_EQ(field_of(w.call("office", "PATCH", "/api/v1/tasks/" + lead, R"({"extension_count":0})",
                            {{"if-match", "*"}})),
            "extension_count");
  EXPECT_EQ(field_of(w.call("admin", "POST", "/api/v1/users",
                            R"({"id":9,"login":"a","display_name":"A","role":"office"})")),
            "id");
  EXPECT_EQ(
      field_of(w.call("admin", "PATCH", "/api/v1/users/" + std::to_string(w.users_.at("unit")),
                      R"({"login":"someone.else"})")),
      "login");
  // A unit user belongs to exactly one unit; other roles to none.
  EXPECT_EQ(field_of(w.call("admin", "POST", "/api/v1/users",
                            R"({"login":"b","display_name":"B","role":"unit"})")),
            "unit_id");
  EXPECT_EQ(field_of(w.call("admin", "POST", "/api/v1/users",
                            R"({"login":"c","display_name":"C","role":"leader","unit_id":1})")),
            "unit_id");
}

TEST(Authentication, WithoutUsersEverythingButHealthzSaysHowToCreateTheFirstAdmin) {
  World w;
  http::Request r;
  r.method = "GET";
  r.target = "/api/v1/units";
  const auto refused = w.api_->handle(r);
  EXPECT_EQ(refused.status, 401);
  EXPECT_NE(refused.body.find("dondocd user add"), std::string::npos) << refused.body;
  r.target = "/healthz";
  EXPECT_EQ(w.api_->handle(r).status, 200);
}

TEST(Authentication, BadTokensGetTheSame401AndTheAuditLogSaysWhy) {
  World w;
  w.populate();
  service::AccountService accounts(*w.ctx_);
  const auto system = service::Actor::system();
  const auto expiring = accounts.issue_token(system, w.users_.at("office"), {"ngắn hạn", 1});
  const auto revoked = accounts.issue_token(system, w.users_.at("office"), {"thu hồi", {}});
  w.tokens_["expiring"] = expiring.secret;
  w.tokens_["revoked"] = revoked.secret;
  // The last character changed (to one it is not: a random secret may end in 'A' already).
  w.tokens_["forged"] = expiring.secret.substr(0, expiring.secret.size() - 1) +
                        (expiring.secret.back() == 'A' ? "B" : "A");
  w.tokens_["garbage"] = "not-a-token";
  EXPECT_EQ(w.call("expiring", "GET", "/api/v1/me").status, 200);
  EXPECT_EQ(w.call("revoked", "GET", "/api/v1/me").status, 200);

  accounts.revoke_token(system, revoked.token.id);
  w.clock_.advance(24h + 1s);
  std::set<std::string> details;
  for (const auto* who : {"expiring", "revoked", "forged", "garbage", ""}) {
    const auto r = w.call(who, "GET", "/api/v1/tasks");
    EXPECT_EQ(r.status, 401) << who;
    details.insert(json::parse(r.body).at("detail").get<std::string>());
    bool challenged = false;
    for (const auto& [name, value] : r.headers) {
      challenged = challenged || (name == "WWW-Authenticate" && value.rfind("Bearer", 0) == 0);
    }
    EXPECT_TRUE(challenged) << who;
  }
  EXPECT_EQ(details.size(), 1u) << "the answer must not hint at what was wrong";

  // Deactivating a user stops its tokens on the next request.
  EXPECT_EQ(w.call("unit", "GET", "/api/v1/me").status, 200);
  service::UserPatch off;
  off.active = false;
  accounts.update_user(system, w.users_.at("unit"), off);
  EXPECT_EQ(w.call("unit", "GET", "/api/v1/me").status, 401);

  const auto audit =
      json::parse(w.call("leader", "GET", "/api/v1/audit?outcome=unauthorized&limit=200").body);
  std::string reasons;
  for (const auto& a : audit.at("items")) {
    EXPECT_EQ(a.at("actor"), "anonymous");
    reasons += a.at("detail").get<std::string>() + "\n";
  }
  for (const auto* why : {"expired token", "revoked token", "unknown token", "malformed token",
                          "no token", "deactivated user"}) {
    EXPECT_NE(reasons.find(why), std::string::npos) << why << " missing from:\n" << reasons;
  }
  EXPECT_EQ(reasons.find(expiring.secret.substr(6)), std::string::npos) << "a secret was logged";
}

TEST(Authorization, RefusedAttemptsAreAudited) {
  World w;
  w.populate();
  const auto r =
      w.call("unit", "POST", "/api/v1/tasks/" + std::to_string(w.task_[kLead]) + "/confirm");
  ASSERT_EQ(r.status, 403);
  const auto audit = json::parse(w.call("admin", "GET", "/api/v1/audit?outcome=forbidden").body);
  ASSERT_EQ(audit.at("total"), 1);
  EXPECT_EQ(audit.at("items")[0].at("actor"), "unit");
  EXPECT_EQ(audit.at("items")[0].at("action"), "task.confirm");
  EXPECT_EQ(audit.at("items")[0].at("target"),
            "/api/v1/tasks/" + std::to_string(w.task_[kLead]) + "/confirm");
}

TEST(RateLimit, ATokenPastItsBurstWaitsForRetryAfter) {
  World w(60, 2);  // one a second, two at once
  w.populate();
  EXPECT_EQ(w.call("office", "GET", "/api/v1/me").status, 200);
  EXPECT_EQ(w.call("office", "GET", "/api/v1/me").status, 200);
  const auto limited = w.call("office", "GET", "/api/v1/me");
  ASSERT_EQ(limited.status, 429) << limited.body;
  std::string retry_after;
  for (const auto& [name, value] : limited.headers) {
    if (name == "Retry-After") {
      retry_after = value;
    }
  }
  EXPECT_EQ(retry_after, "1");
  // Another token has its own bucket.
  EXPECT_EQ(w.call("leader", "GET", "/api/v1/me").status, 200);
  w.clock_.advance(1s);
  EXPECT_EQ(w.call("office", "GET", "/api/v1/me").status, 200);
  EXPECT_EQ(w.call("office", "GET", "/api/v1/me").status, 429);
}
