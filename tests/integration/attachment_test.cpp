// Attached documents through the real dondocd: files larger than any request body limit
// streamed to disk (with a length, and chunked), read back byte for byte as downloads with their
// Vietnamese names, refused early when too large, hidden from those who may not see the task,
// and still there after the daemon is killed right after answering.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <random>

#include "daemon.hpp"
#include "http_client.hpp"
#include "raw_socket.hpp"
#include "temp_dir.hpp"

using dondoc::testing::Daemon;
using dondoc::testing::HttpClient;
using dondoc::testing::TempDir;
using nlohmann::json;

namespace {

// A PDF-shaped file of `size` bytes: the signature, then noise (so no two are alike).
std::string pdf_of(std::size_t size, unsigned seed) {
  std::string out = "%PDF-1.5\n";
  std::mt19937 random(seed);
  while (out.size() < size) {
    out += static_cast<char>(random() & 0xFF);
  }
  out.resize(size);
  return out;
}

std::size_t files_under(const std::filesystem::path& dir) {
  std::size_t n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) {
    n += e.is_regular_file() ? 1 : 0;
  }
  return n;
}

class AttachmentsThroughTheDaemon : public ::testing::Test {
 protected:
  AttachmentsThroughTheDaemon()
      : daemon_(dir_.path().string(), "log:\n  level: warn\nattachments:\n  max_file_mib: 4\n") {
    daemon_.admin_token();
    daemon_.office_token();
    daemon_.start();
    HttpClient admin(daemon_.base_url(), daemon_.admin_token());
    for (const auto& [code, name] :
         {std::pair{"SXD", "Sở Xây dựng"}, {"STC", "Sở Tài chính"}, {"SNV", "Sở Nội vụ"}}) {
      EXPECT_EQ(admin
                    .post_json("/api/v1/units",
                               json{{"code", code}, {"name", name}, {"kind", "department"}}.dump())
                    .status,
                201);
    }
    HttpClient office(daemon_.base_url(), daemon_.office_token());
    const auto task = office.post_json(
        "/api/v1/tasks", R"({"title":"Rà soát quy hoạch chung đô thị","source_ref":"45/TB-UBND",)"
                         R"("lead_unit_id":1,"coordinating_unit_ids":[2],"due_on":"2030-06-30"})");
    EXPECT_EQ(task.status, 201) << task.body;
  }

  TempDir dir_;
  Daemon daemon_;
  const std::string kName = "?name=C%C3%B4ng%20v%C4%83n%20125-SXD.pdf";
};

}  // namespace

TEST_F(AttachmentsThroughTheDaemon, AFileLargerThanAnyBodyLimitGoesAndComesBackWhole) {
  HttpClient office(daemon_.base_url(), daemon_.office_token());
  const std::string file = pdf_of(3 * 1024 * 1024 + 17, 1);  // http.max_body_bytes is 1 MiB
  const auto up = office.request("POST", "/api/v1/tasks/1/attachments" + kName, file,
                                 {"Content-Type: application/pdf"});
  ASSERT_EQ(up.status, 201) << up.body;
  const json a = json::parse(up.body);
  EXPECT_EQ(a.at("name"), "Công văn 125-SXD.pdf");
  EXPECT_EQ(a.at("size"), file.size());
  EXPECT_EQ(up.headers.at("location"),
            "/api/v1/attachments/" + std::to_string(a.at("id").get<int>()));

  const std::string unit = daemon_.token_for("cv.stc", "unit", "STC");  // coordinates the task
  const auto down = HttpClient(daemon_.base_url(), unit).get(up.headers.at("location"));
  ASSERT_EQ(down.status, 200);
  EXPECT_TRUE(down.body == file) << "the file came back changed (" << down.body.size() << " bytes)";
  EXPECT_EQ(down.headers.at("content-type"), "application/pdf");
  EXPECT_EQ(down.headers.at("content-disposition"),
            "attachment; filename=\"Cong van 125-SXD.pdf\"; "
            "filename*=UTF-8''C%C3%B4ng%20v%C4%83n%20125-SXD.pdf");
  EXPECT_EQ(down.headers.at("x-content-type-options"), "nosniff");
  EXPECT_EQ(down.headers.at("cache-control"), "private, no-store");

  // Chunked, with no length declared: streamed the same way.
  const std::string second = pdf_of(2 * 1024 * 1024, 2);
  const auto chunked =
      office.request("POST", "/api/v1/tasks/1/attachments?name=B%C3%A1o%20c%C3%A1o", second,
                     {"Transfer-Encoding: chunked"});
  ASSERT_EQ(chunked.status, 201) << chunked.body;
  EXPECT_EQ(json::parse(chunked.body).at("name"), "Báo cáo.pdf");
  EXPECT_EQ(office.get(json::parse(chunked.body).at("url").get<std::string>()).body.size(),
            second.size());

  // Listed, and in the history.
  const json list = json::parse(office.get("/api/v1/tasks/1/attachments").body);
  EXPECT_EQ(list.at("total"), 2);
  const json history = json::parse(office.get("/api/v1/tasks/1/history").body);
  int added = 0;
  for (const auto& e : history.at("items")) {
    added += e.at("kind") == "attachment_added" ? 1 : 0;
  }
  EXPECT_EQ(added, 2);
  EXPECT_EQ(files_under(dir_.path() / "attachments" / "incoming"), 0u);
  EXPECT_EQ(files_under(dir_.path() / "attachments" / "sha256"), 2u);
}

TEST_F(AttachmentsThroughTheDaemon, TooLargeIsRefusedBeforeTheBodyIsSent) {
  // Only the header of a 5 MiB upload is sent: the answer comes without waiting for the body.
  const int fd = dondoc::testing::connect_to(dondoc::testing::port_of(daemon_));
  ASSERT_GE(fd, 0);
  const std::string head = "POST /api/v1/tasks/1/attachments" + kName +
                           " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                           daemon_.office_token() + "\r\nContent-Length: 5242880\r\n\r\n";
  ASSERT_EQ(::send(fd, head.data(), head.size(), 0), static_cast<ssize_t>(head.size()));
  std::string answer(4096, '\0');
  const auto n = ::recv(fd, answer.data(), answer.size(), 0);
  ::close(fd);
  ASSERT_GT(n, 0);
  answer.resize(static_cast<std::size_t>(n));
  EXPECT_EQ(answer.rfind("HTTP/1.1 413", 0), 0u) << answer;
  EXPECT_NE(answer.find("the file is larger than 4 MiB (attachments.max_file_mib)"),
            std::string::npos);

  // A client that sends its whole 5 MiB anyway still reads the answer: the server drops the
  // rest instead of resetting the connection under it.
  // (A plain client, writing all it has before it reads, as a browser's upload does.)
  {
    const int whole = dondoc::testing::connect_to(dondoc::testing::port_of(daemon_));
    const std::string request = "POST /api/v1/tasks/1/attachments" + kName +
                                " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                daemon_.office_token() + "\r\nContent-Length: 5242880\r\n\r\n" +
                                pdf_of(5 * 1024 * 1024, 9);
    std::size_t sent = 0;
    while (sent < request.size()) {
      const auto n = ::send(whole, request.data() + sent, request.size() - sent, MSG_NOSIGNAL);
      ASSERT_GT(n, 0) << "the connection was reset while the body was on its way";
      sent += static_cast<std::size_t>(n);
    }
    std::string reply(4096, '\0');
    const auto got = ::recv(whole, reply.data(), reply.size(), 0);
    ::close(whole);
    ASSERT_GT(got, 0) << "the answer was lost";
    EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u);
  }
  HttpClient office(daemon_.base_url(), daemon_.office_token());

  // Chunked past the limit: refused at the limit, nothing left on disk.
  const auto over = office.request("POST", "/api/v1/tasks/1/attachments" + kName,
                                   pdf_of(4 * 1024 * 1024 + 1, 3), {"Transfer-Encoding: chunked"});
  EXPECT_EQ(over.status, 413) << over.body;
  EXPECT_EQ(files_under(dir_.path() / "attachments"), 0u);
}

TEST_F(AttachmentsThroughTheDaemon, WrongKindsAndWrongPeopleAreTurnedAway) {
  HttpClient office(daemon_.base_url(), daemon_.office_token());
  const auto text = office.request("POST", "/api/v1/tasks/1/attachments" + kName,
                                   "MZ this is a program", {"Content-Type: application/pdf"});
  EXPECT_EQ(text.status, 415) << text.body;
  const auto no_name = office.request("POST", "/api/v1/tasks/1/attachments", pdf_of(100, 4));
  EXPECT_EQ(no_name.status, 400) << no_name.body;
  EXPECT_NE(no_name.body.find("\"field\":\"name\""), std::string::npos) << no_name.body;
  const auto empty = office.request("POST", "/api/v1/tasks/1/attachments" + kName, "");
  EXPECT_EQ(empty.status, 400) << empty.body;
  const auto ok = office.request("POST", "/api/v1/tasks/1/attachments" + kName, pdf_of(100, 5));
  ASSERT_EQ(ok.status, 201);
  const std::string url = json::parse(ok.body).at("url");

  const std::string snv = daemon_.token_for("cv.snv", "unit", "SNV");  // nothing to do with it
  HttpClient stranger(daemon_.base_url(), snv);
  EXPECT_EQ(stranger.get(url).status, 404);
  EXPECT_EQ(stranger.get("/api/v1/tasks/1/attachments").status, 404);
  EXPECT_EQ(stranger.request("POST", "/api/v1/tasks/1/attachments" + kName, pdf_of(100, 6)).status,
            404);
  EXPECT_EQ(HttpClient(daemon_.base_url(), daemon_.admin_token()).get(url).status, 404);
  EXPECT_EQ(HttpClient(daemon_.base_url(), "dd_not_a_token")
                .request("POST", "/api/v1/tasks/1/attachments" + kName, pdf_of(100, 7))
                .status,
            401);
  EXPECT_EQ(files_under(dir_.path() / "attachments"), 1u) << "only the accepted file is kept";
}

TEST_F(AttachmentsThroughTheDaemon, ExpectContinueIsAnsweredBeforeTheFileIsSent) {
  const int fd = dondoc::testing::connect_to(dondoc::testing::port_of(daemon_));
  ASSERT_GE(fd, 0);
  const std::string file = pdf_of(200000, 10);
  const std::string head = "POST /api/v1/tasks/1/attachments" + kName +
                           " HTTP/1.1\r\nHost: x\r\nConnection: close\r\nAuthorization: Bearer " +
                           daemon_.office_token() + "\r\nExpect: 100-continue\r\nContent-Length: " +
                           std::to_string(file.size()) + "\r\n\r\n";
  ASSERT_EQ(::send(fd, head.data(), head.size(), 0), static_cast<ssize_t>(head.size()));
  std::string reply(4096, '\0');
  auto n = ::recv(fd, reply.data(), reply.size(), 0);
  ASSERT_GT(n, 0);
  EXPECT_EQ(reply.substr(0, static_cast<std::size_t>(n)), "HTTP/1.1 100 Continue\r\n\r\n");
  ASSERT_EQ(::send(fd, file.data(), file.size(), MSG_NOSIGNAL), static_cast<ssize_t>(file.size()));
  std::string answer;
  while ((n = ::recv(fd, reply.data(), reply.size(), 0)) > 0) {
    answer.append(reply.data(), static_cast<std::size_t>(n));
  }
  ::close(fd);
  EXPECT_EQ(answer.rfind("HTTP/1.1 201", 0), 0u) << answer;
}

TEST_F(AttachmentsThroughTheDaemon, AnAnsweredUploadSurvivesAKill) {
  HttpClient office(daemon_.base_url(), daemon_.office_token());
  const std::string file = pdf_of(1024 * 1024, 8);
  const auto up = office.request("POST", "/api/v1/tasks/1/attachments" + kName, file);
  ASSERT_EQ(up.status, 201);
  daemon_.kill9();
  daemon_.start();
  const auto down = HttpClient(daemon_.base_url(), daemon_.office_token())
                        .get(json::parse(up.body).at("url").get<std::string>());
  ASSERT_EQ(down.status, 200);
  EXPECT_TRUE(down.body == file);
}
