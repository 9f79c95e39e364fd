// Delivery throughput (issue 4): the real dondocd sending a full outbox to a local aiosmtpd
// server and to a local HTTP receiver, beside a baseline measured in the same run: raw libcurl
// sending the same bytes to the same server over the same number of kept-open connections.
// Targets: at least 400 emails/s and 1,000 webhooks/s, the daemon's peak RSS under 64 MiB.
//
//   delivery_bench [--rounds N] [--emails N] [--webhooks N] [--connections N]
#include <curl/curl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <spdlog/spdlog.h>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "baseline_server.hpp"
#include "daemon.hpp"
#include "dondoc/notify/mime.hpp"
#include "dondoc/notify/webhook.hpp"
#include "dondoc/storage/sqlite_store.hpp"
#include "http_client.hpp"
#include "python_server.hpp"
#include "temp_dir.hpp"

using namespace dondoc;
using Clock = std::chrono::steady_clock;
using dondoc::testing::Daemon;
using dondoc::testing::HttpClient;
using dondoc::testing::PythonServer;
using dondoc::testing::TempDir;
using nlohmann::json;

namespace {

const std::string kSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double seconds_since(Clock::time_point t0) {
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

// What a reminder looks like: a Vietnamese subject and a body of about 1 KB.
domain::OutboxMessage reminder(int i, domain::Channel channel, const std::string& recipient) {
  domain::OutboxMessage m;
  m.dedupe_key = "bench/" + std::to_string(i) + "/" + recipient;
  m.channel = channel;
  m.recipient = recipient;
  m.event = "due_soon";
  m.subject = "[Nhắc hạn] Còn 3 ngày làm việc: Báo cáo tình hình thực hiện nhiệm vụ số " +
              std::to_string(i);
  std::string body =
      "Kính gửi Sở Xây dựng,\n\nNhiệm vụ: Báo cáo tình hình thực hiện Kết luận số 45/TB-UBND\n"
      "Văn bản giao: 45/TB-UBND ngày 10/01/2025\nĐơn vị chủ trì: Sở Xây dựng\n"
      "Hạn xử lý: 25/04/2025\nTrạng thái: đang thực hiện\n"
      "Xem chi tiết: https://dondoc.example.vn/tasks/" +
      std::to_string(i) + "\n\n";
  while (body.size() < 1000) {
    body += "Đề nghị đơn vị khẩn trương hoàn thành và báo cáo kết quả đúng hạn.\n";
  }
  if (channel == domain::Channel::webhook) {
    body = json{{"type", "task.due_soon"}, {"data", {{"task_id", i}, {"text", body}}}}.dump();
  }
  m.body_text = body;
  m.message_id = channel == domain::Channel::webhook
                     ? "msg_bench_" + std::to_string(i)
                     : "<bench." + std::to_string(i) + "@ubnd.example.vn>";
  return m;
}

void fill_outbox(const std::string& path, int n, domain::Channel channel,
                 const std::string& recipient) {
  storage::SqliteOptions o;
  o.path = path;
  auto store = storage::open_sqlite_store(o);
  const domain::Instant now =
      std::chrono::time_point_cast<domain::Instant::duration>(std::chrono::system_clock::now());
  store->write([&](storage::WriteTx& tx) {
    for (int i = 0; i < n; ++i) {
      auto m = reminder(i, channel, recipient);
      m.created_at = m.queued_at = m.next_attempt_at = now;
      tx.enqueue(m);
    }
  });
}

// ---- the baseline: libcurl alone, one kept-open connection per thread ----

struct Payload {
  const std::string* data;
  std::size_t offset = 0;
};

std::size_t read_payload(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* p = static_cast<Payload*>(user);
  const std::size_t n = std::min(size * count, p->data->size() - p->offset);
  std::memcpy(buffer, p->data->data() + p->offset, n);
  p->offset += n;
  return n;
}

std::size_t discard(char*, std::size_t size, std::size_t count, void*) {
  return size * count;
}

// Runs `send(handle, i)` for i in [0, n) over `connections` threads; returns messages/s.
template <typename Send>
double raw_rate(int n, int connections, Send send) {
  const auto t0 = Clock::now();
  std::vector<std::thread> threads;
  for (int c = 0; c < connections; ++c) {
    threads.emplace_back([&, c] {
      CURL* h = curl_easy_init();
      for (int i = c; i < n; i += connections) {
        if (!send(h, i)) {
          std::fprintf(stderr, "baseline send %d failed\n", i);
        }
      }
      curl_easy_cleanup(h);
    });
  }
  for (auto& t : threads) {
    t.join();
  }
  return n / seconds_since(t0);
}

bool raw_mail(CURL* h, int port, const std::string& message) {
  curl_easy_reset(h);
  const std::string url = "smtp://127.0.0.1:" + std::to_string(port);
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, "<dondoc@ubnd.example.vn>");
  curl_slist* rcpt = curl_slist_append(nullptr, "<vanthu@soxaydung.example.vn>");
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
  Payload p{&message};
  curl_easy_setopt(h, CURLOPT_READFUNCTION, read_payload);
  curl_easy_setopt(h, CURLOPT_READDATA, &p);
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  const bool ok = curl_easy_perform(h) == CURLE_OK;
  curl_slist_free_all(rcpt);
  return ok;
}

bool raw_post(CURL* h, int port, const std::string& body) {
  curl_easy_reset(h);
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/hooks";
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_setopt(h, CURLOPT_URL, url.c_str());
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
  long status = 0;
  const bool ok = curl_easy_perform(h) == CURLE_OK &&
                  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK &&
                  status == 200;
  curl_slist_free_all(headers);
  return ok;
}

// ---- dondocd ----

struct Run {
  double rate = 0;
  double rss_mib = 0;
};

// Starts dondocd on a database whose outbox holds `n` due messages and times it from launch
// until its outbox says every one was sent.
Run daemon_rate(const std::string& dir, const std::string& yaml, int n, domain::Channel channel,
                const std::string& recipient) {
  Daemon d(dir, yaml);
  d.admin_token();  // creates the database
  fill_outbox(d.database_path(), n, channel, recipient);
  const auto t0 = Clock::now();
  d.start();
  HttpClient admin(d.base_url(), d.admin_token());
  json stats;
  for (;;) {
    stats = json::parse(admin.get("/api/v1/outbox/stats").body);
    if (stats.at("sent").get<int>() + stats.at("dead").get<int>() >= n) {
      break;
    }
    if (seconds_since(t0) > 300) {
      throw std::runtime_error("dondocd did not deliver in 5 minutes: " + stats.dump());
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  Run r;
  r.rate = n / seconds_since(t0);
  r.rss_mib = d.peak_rss_kib() / 1024.0;
  if (stats.at("sent").get<int>() != n) {
    throw std::runtime_error("not every message was sent: " + stats.dump() + "\n" + d.log());
  }
  d.stop();
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 3;
  int emails = 4000;
  int webhooks = 10000;
  int connections = 4;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string a = argv[i];
    const int v = std::stoi(argv[i + 1]);
    if (a == "--rounds") {
      rounds = v;
    } else if (a == "--emails") {
      emails = v;
    } else if (a == "--webhooks") {
      webhooks = v;
    } else if (a == "--connections") {
      connections = v;
    } else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  curl_global_init(CURL_GLOBAL_DEFAULT);
  ::signal(SIGPIPE, SIG_IGN);
  // The outbox is filled through the storage module, whose logger is a clone of the default.
  spdlog::default_logger()->set_level(spdlog::level::warn);
  const std::string conns = std::to_string(connections);

  // The bytes the baseline sends: the MIME dondocd builds for the same reminder.
  notify::Mail mail;
  const auto sample = reminder(1, domain::Channel::email, "vanthu@soxaydung.example.vn");
  mail.from = {"Hệ thống đôn đốc nhiệm vụ", "dondoc@ubnd.example.vn"};
  mail.to = {"", sample.recipient};
  mail.subject = sample.subject;
  mail.text = sample.body_text;
  mail.message_id = sample.message_id;
  const std::string mime = notify::build_mime(mail);
  const std::string hook_body = reminder(1, domain::Channel::webhook, "van-phong").body_text;

  std::vector<double> raw_mail_rates, mail_rates, raw_hook_rates, hook_rates, rss;
  for (int r = 0; r < rounds; ++r) {
    {
      TempDir dir;
      PythonServer sink("smtp_counter.py", {dir.path().string()});
      const int port = sink.port();
      raw_mail_rates.push_back(
          raw_rate(emails, connections, [&](CURL* h, int) { return raw_mail(h, port, mime); }));
      const Run run = daemon_rate(
          dir.path().string(),
          "log:\n  level: warn\nsmtp:\n  host: 127.0.0.1\n  port: " + std::to_string(port) +
              "\n  from_address: dondoc@ubnd.example.vn\n  connections: " + conns + "\n",
          emails, domain::Channel::email, "vanthu@soxaydung.example.vn");
      mail_rates.push_back(run.rate);
      rss.push_back(run.rss_mib);
      sink.stop();
      std::ifstream in(dir.path() / "counts.json");
      const json counts = json::parse(in);
      // The baseline's messages all carry the Message-ID of dondocd's message 1; dondocd's
      // each carry their own: a message sent twice would make the count differ.
      if (counts.at("received").get<int>() != 2 * emails ||
          counts.at("distinct").get<int>() != emails) {
        std::fprintf(stderr, "the sink counted %s, expected %d messages\n", counts.dump().c_str(),
                     2 * emails);
        return 1;
      }
    }
    {
      TempDir dir;
      pid_t pid = 0;
      const int port = start_minimal_server("--sync", pid);
      raw_hook_rates.push_back(raw_rate(
          webhooks, connections, [&](CURL* h, int) { return raw_post(h, port, hook_body); }));
      const Run run =
          daemon_rate(dir.path().string(),
                      "log:\n  level: warn\nwebhooks:\n  connections: " + conns +
                          "\n  endpoints:\n    - name: van-phong\n      url: "
                          "http://127.0.0.1:" +
                          std::to_string(port) + "/hooks\n      secret: " + kSecret + "\n",
                      webhooks, domain::Channel::webhook, "van-phong");
      hook_rates.push_back(run.rate);
      rss.push_back(run.rss_mib);
      ::kill(pid, SIGTERM);
      ::waitpid(pid, nullptr, 0);
    }
    std::printf("round %d: emails %.0f/s (raw libcurl %.0f/s), webhooks %.0f/s (raw %.0f/s)\n",
                r + 1, mail_rates.back(), raw_mail_rates.back(), hook_rates.back(),
                raw_hook_rates.back());
  }
  std::printf(
      "\ndelivery over %d connections, medians of %d rounds:\n"
      "  emails to aiosmtpd:   %6.0f/s  (target >= 400)   raw libcurl %6.0f/s  ratio %.2f\n"
      "  webhooks to Beast:    %6.0f/s  (target >= 1000)  raw libcurl %6.0f/s  ratio %.2f\n"
      "  dondocd peak RSS:     %6.1f MiB (target < 64, the largest of all runs)\n",
      connections, rounds, median(mail_rates), median(raw_mail_rates),
      median(mail_rates) / median(raw_mail_rates), median(hook_rates), median(raw_hook_rates),
      median(hook_rates) / median(raw_hook_rates), *std::max_element(rss.begin(), rss.end()));
  return 0;
}
