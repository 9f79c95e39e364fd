// People signing in to the real dondocd: a password set on the command line, a session in a
// cookie that works like a token, a CSRF token for every change, sign-out on the server, a
// reset to a one-time password, and failed sign-ins slowed down.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "daemon.hpp"
#include "http_client.hpp"
#include "temp_dir.hpp"

using dondoc::testing::Daemon;
using dondoc::testing::HttpClient;
using dondoc::testing::Reply;
using dondoc::testing::run_dondocd;
using dondoc::testing::TempDir;
using nlohmann::json;

namespace {

// Sets a user's password through `dondocd user passwd`, the password on standard input.
void set_password(Daemon& d, const std::string& login, const std::string& password) {
  const std::string file = d.config_path() + ".password";
  std::ofstream(file) << password << "\n";
  std::string out;
  ASSERT_EQ(run_dondocd("user passwd " + login + " -c " + d.config_path() + " < " + file, out), 0)
      << out;
  EXPECT_NE(out.find("password of " + login + " set"), std::string::npos) << out;
}

Reply sign_in(HttpClient& c, const std::string& login, const std::string& password) {
  return c.post_json("/api/v1/sessions", json{{"login", login}, {"password", password}}.dump());
}

// The cookie's value, from a Set-Cookie header.
std::string cookie_of(const Reply& r, const std::string& name = "dondoc_session") {
  const auto it = r.headers.find("set-cookie");
  if (it == r.headers.end() || it->second.rfind(name + "=", 0) != 0) {
    return "";
  }
  const auto value = it->second.substr(name.size() + 1);
  return value.substr(0, value.find(';'));
}

}  // namespace

TEST(Sessions, APersonSignsInWorksWithTheCookieAndSignsOut) {
  TempDir dir;
  Daemon d(dir.path().string());
  d.start();
  d.token_for("vanphong", "office");  // creates the user
  set_password(d, "vanphong", "Văn phòng 2025 mật khẩu");
  HttpClient admin(d.base_url(), d.admin_token());
  const auto unit =
      json::parse(admin
                      .post_json("/api/v1/units", R"({"code":"SXD","name":"Sở Xây dựng",)"
                                                  R"("kind":"department"})")
                      .body)
          .at("id")
          .get<int>();

  HttpClient browser(d.base_url());
  const auto signed_in = sign_in(browser, "vanphong", "Văn phòng 2025 mật khẩu");
  ASSERT_EQ(signed_in.status, 201) << signed_in.body;
  const std::string set_cookie = signed_in.headers.at("set-cookie");
  EXPECT_NE(set_cookie.find("; HttpOnly"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("; SameSite=Strict"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("; Path=/"), std::string::npos) << set_cookie;
  EXPECT_NE(set_cookie.find("; Max-Age=43200"), std::string::npos) << set_cookie;
  EXPECT_EQ(set_cookie.find("Secure"), std::string::npos) << "served over http here";
  const std::string cookie = "Cookie: dondoc_session=" + cookie_of(signed_in);
  const std::string csrf = json::parse(signed_in.body).at("csrf_token");
  EXPECT_EQ(json::parse(signed_in.body).at("user").at("login"), "vanphong");

  EXPECT_EQ(browser.request("GET", "/api/v1/tasks", "", {cookie}).status, 200);
  const std::string task = json{
      {"title", "Báo cáo tiến độ giải ngân vốn đầu tư công"},
      {"source_ref", "45/TB-UBND"},
      {"assigned_on", "2025-02-20"},
      {"lead_unit_id", unit},
      {"due_on", "2025-03-31"}}.dump();
  const auto forged = browser.post_json("/api/v1/tasks", task, {cookie});
  EXPECT_EQ(forged.status, 403) << "a change without the CSRF token: " << forged.body;
  const auto wrong =
      browser.post_json("/api/v1/tasks", task, {cookie, "X-CSRF-Token: " + csrf + "x"});
  EXPECT_EQ(wrong.status, 403) << wrong.body;
  const auto made = browser.post_json("/api/v1/tasks", task, {cookie, "X-CSRF-Token: " + csrf});
  EXPECT_EQ(made.status, 201) << made.body;
  const auto history = browser.request(
      "GET",
      "/api/v1/tasks/" + std::to_string(json::parse(made.body).at("id").get<int>()) + "/history",
      "", {cookie});
  EXPECT_NE(history.body.find("\"vanphong\""), std::string::npos) << "done as the person";

  const auto out =
      browser.request("DELETE", "/api/v1/session", "", {cookie, "X-CSRF-Token: " + csrf});
  EXPECT_EQ(out.status, 204) << out.body;
  EXPECT_NE(out.headers.at("set-cookie").find("Max-Age=0"), std::string::npos);
  const auto after = browser.request("GET", "/api/v1/tasks", "", {cookie});
  EXPECT_EQ(after.status, 401) << "the old cookie, sent anyway, is refused by the server";
  EXPECT_NE(after.headers.at("set-cookie").find("Max-Age=0"), std::string::npos);

  const auto audit = json::parse(admin.get("/api/v1/audit?limit=200").body).at("items");
  std::set<std::string> actions;
  for (const auto& e : audit) {
    actions.insert(e.at("action").get<std::string>() + "/" + e.at("outcome").get<std::string>());
  }
  EXPECT_TRUE(actions.count("session.sign_in/ok"));
  EXPECT_TRUE(actions.count("session.sign_out/ok"));
  EXPECT_TRUE(actions.count("auth/forbidden")) << "the forged change is on record";
}

TEST(Sessions, UnderHttpsTheCookieIsSecureAndHostOnly) {
  TempDir dir;
  Daemon d(dir.path().string(), "web:\n  base_url: https://dondoc.example.vn\n");
  d.start();
  d.token_for("lanhdao", "leader");
  set_password(d, "lanhdao", "Chủ tịch UBND tỉnh 2025");
  HttpClient browser(d.base_url());
  const auto r = sign_in(browser, "lanhdao", "Chủ tịch UBND tỉnh 2025");
  ASSERT_EQ(r.status, 201) << r.body;
  const auto set_cookie = r.headers.at("set-cookie");
  EXPECT_EQ(set_cookie.rfind("__Host-dondoc_session=dds_", 0), 0u) << set_cookie;
  EXPECT_NE(set_cookie.find("; Secure"), std::string::npos) << set_cookie;
  const std::string cookie =
      "Cookie: __Host-dondoc_session=" + cookie_of(r, "__Host-dondoc_session");
  EXPECT_EQ(browser.request("GET", "/api/v1/session", "", {cookie}).status, 200);
  EXPECT_EQ(browser
                .request("GET", "/api/v1/session", "",
                         {"Cookie: dondoc_session=" + cookie_of(r, "__Host-dondoc_session")})
                .status,
            401)
      << "only the cookie of its name";
}

TEST(Sessions, TwentyWrongPasswordsSlowFurtherTries) {
  TempDir dir;
  Daemon d(dir.path().string());
  d.start();
  d.token_for("cv.sxd", "office");
  set_password(d, "cv.sxd", "Sở Xây dựng 2025 mật khẩu");
  HttpClient browser(d.base_url());
  int refused = 0;
  int slowed = 0;
  std::string detail;
  for (int i = 0; i < 20; ++i) {
    const auto r =
        sign_in(browser, i % 2 ? "cv.sxd" : "khong.co", "sai mật khẩu " + std::to_string(i));
    if (r.status == 401) {
      ++refused;
      detail = json::parse(r.body).at("detail");
    } else if (r.status == 429) {
      ++slowed;
      EXPECT_GT(std::stoi(r.headers.at("retry-after")), 0);
    } else {
      ADD_FAILURE() << r.status << " " << r.body;
    }
  }
  EXPECT_EQ(detail, "the login name or the password is wrong");
  EXPECT_EQ(refused, 10) << "auth.failure_burst: 10 from one address";
  EXPECT_EQ(slowed, 10);
  const auto right = sign_in(browser, "cv.sxd", "Sở Xây dựng 2025 mật khẩu");
  EXPECT_EQ(right.status, 429) << "even the right password waits its turn";
  HttpClient admin(d.base_url(), d.admin_token());
  const auto audit =
      json::parse(admin.get("/api/v1/audit?outcome=unauthorized&limit=200").body).at("items");
  std::int64_t counted = 0;
  for (const auto& e : audit) {
    if (e.at("detail").get<std::string>().find("sign-in failed") != std::string::npos) {
      counted += e.at("count").get<std::int64_t>();
    }
  }
  EXPECT_GE(counted, 10) << audit.dump();
}

TEST(Sessions, AResetPasswordMustBeReplacedBeforeAnythingElse) {
  TempDir dir;
  Daemon d(dir.path().string());
  d.start();
  d.token_for("cv.stc", "office");
  HttpClient admin(d.base_url(), d.admin_token());
  const auto users = json::parse(admin.get("/api/v1/users").body).at("items");
  std::int64_t id = 0;
  for (const auto& u : users) {
    if (u.at("login") == "cv.stc") {
      id = u.at("id");
      EXPECT_FALSE(u.at("has_password").get<bool>());
    }
  }
  const auto reset = admin.post_json("/api/v1/users/" + std::to_string(id) + "/password-reset", "");
  ASSERT_EQ(reset.status, 200) << reset.body;
  const std::string once = json::parse(reset.body).at("one_time_password");
  HttpClient browser(d.base_url());
  const auto r = sign_in(browser, "cv.stc", once);
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_TRUE(json::parse(r.body).at("must_change_password").get<bool>());
  const std::string cookie = "Cookie: dondoc_session=" + cookie_of(r);
  const std::string csrf =
      "X-CSRF-Token: " + json::parse(r.body).at("csrf_token").get<std::string>();
  EXPECT_EQ(browser.request("GET", "/api/v1/tasks", "", {cookie}).status, 403);
  const auto changed = browser.post_json(
      "/api/v1/session/password",
      json{{"current_password", once}, {"new_password", "Sở Tài chính 2025 mới"}}.dump(),
      {cookie, csrf});
  EXPECT_EQ(changed.status, 204) << changed.body;
  EXPECT_EQ(browser.request("GET", "/api/v1/tasks", "", {cookie}).status, 200);
  EXPECT_EQ(sign_in(browser, "cv.stc", once).status, 401) << "the one-time password is gone";
}
