// Attachments (issue 15, point 5): 16 clients each upload a 20 MiB file at once to the real
// dondocd, against `cp` of the same files on the same disk (alone, and followed by `sync`, since
// dondoc syncs each file before answering). Prints the throughput of each, their ratio, and the
// daemon's peak RSS (target < 64 MiB: uploads stream to disk, never whole in memory). Medians of
// `--rounds` rounds; every round's files are new bytes, so that none is found already kept.
#include <sys/wait.h>

#include <algorithm>
#include <cstring>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "daemon.hpp"
#include "http_client.hpp"
#include "temp_dir.hpp"

using Clock = std::chrono::steady_clock;
using dondoc::testing::Daemon;
using dondoc::testing::HttpClient;
using dondoc::testing::TempDir;
using nlohmann::json;

namespace {

constexpr std::size_t kMiB = 1024 * 1024;

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

std::string pdf_of(std::size_t size, std::uint64_t seed) {
  std::string out = "%PDF-1.5\n";
  out.resize(size);
  std::mt19937_64 random(seed);
  for (std::size_t i = 16; i + 8 <= size; i += 8) {
    const std::uint64_t v = random();
    std::memcpy(out.data() + i, &v, 8);
  }
  return out;
}

double run_shell(const std::string& command) {
  const auto t0 = Clock::now();
  const int rc = std::system(command.c_str());
  if (rc != 0) {
    std::fprintf(stderr, "'%s' failed (%d)\n", command.c_str(), rc);
    std::exit(1);
  }
  return std::chrono::duration<double>(Clock::now() - t0).count();
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = 3;
  int clients = 16;
  std::size_t size_mib = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string flag = argv[i];
    if (flag == "--rounds") rounds = std::stoi(argv[i + 1]);
    if (flag == "--clients") clients = std::stoi(argv[i + 1]);
    if (flag == "--mib") size_mib = static_cast<std::size_t>(std::stoul(argv[i + 1]));
  }
  TempDir dir;
  Daemon daemon(dir.path().string(),
                "log:\n  level: warn\nauth:\n  rate_limit_per_minute: 0\nattachments:\n"
                "  max_file_mib: " +
                    std::to_string(size_mib) + "\n  max_task_mib: 4096\n");
  const std::string office = daemon.office_token();
  const std::string admin = daemon.admin_token();
  daemon.start();
  HttpClient(daemon.base_url(), admin)
      .post_json("/api/v1/units", R"({"code":"SXD","name":"Sở Xây dựng","kind":"department"})");
  std::vector<int> tasks;
  for (int c = 0; c < clients; ++c) {
    const auto r = HttpClient(daemon.base_url(), office)
                       .post_json("/api/v1/tasks",
                                  R"({"title":"Rà soát hồ sơ","lead_unit_id":1,"due_on":"2030-06-30"})");
    tasks.push_back(json::parse(r.body).at("id").get<int>());
  }
  const auto files = dir.path() / "files";
  std::filesystem::create_directories(files);
  std::vector<double> dondoc_rates;
  std::vector<double> cp_rates;
  std::vector<double> cp_sync_rates;
  const double total_mib = static_cast<double>(clients) * static_cast<double>(size_mib);
  for (int round = 0; round < rounds; ++round) {
    std::vector<std::string> bodies;
    std::string names;
    for (int c = 0; c < clients; ++c) {
      bodies.push_back(pdf_of(size_mib * kMiB, static_cast<std::uint64_t>(round * 1000 + c)));
      const auto path = files / ("f" + std::to_string(c) + ".pdf");
      std::ofstream(path, std::ios::binary) << bodies.back();
      names += " " + path.string();
    }
    run_shell("sync");
    // The baselines: the same files copied on the same disk, 16 at once like the clients.
    const auto copies = dir.path() / ("copies" + std::to_string(round));
    std::filesystem::create_directories(copies);
    std::string cp = "for f in" + names + "; do cp $f " + copies.string() + "/ & done; wait";
    cp_rates.push_back(total_mib / run_shell(cp));
    std::filesystem::remove_all(copies);
    std::filesystem::create_directories(copies);
    cp_sync_rates.push_back(total_mib / run_shell(cp + "; sync -f " + copies.string() + "/*"));
    std::filesystem::remove_all(copies);

    std::vector<std::thread> threads;
    std::vector<long> statuses(static_cast<std::size_t>(clients));
    const auto t0 = Clock::now();
    for (int c = 0; c < clients; ++c) {
      threads.emplace_back([&, c] {
        HttpClient client(daemon.base_url(), office);
        client.set_timeout_ms(600000);
        statuses[static_cast<std::size_t>(c)] =
            client
                .request("POST",
                         "/api/v1/tasks/" + std::to_string(tasks[static_cast<std::size_t>(c)]) +
                             "/attachments?name=C%C3%B4ng%20v%C4%83n%20" + std::to_string(c) +
                             ".pdf",
                         bodies[static_cast<std::size_t>(c)], {"Content-Type: application/pdf"})
                .status;
      });
    }
    for (auto& t : threads) {
      t.join();
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    for (const long s : statuses) {
      if (s != 201) {
        std::fprintf(stderr, "an upload answered %ld\n", s);
        return 1;
      }
    }
    dondoc_rates.push_back(total_mib / seconds);
    std::printf("round %d: dondoc %.0f MiB/s, cp %.0f MiB/s, cp+sync %.0f MiB/s\n", round + 1,
                dondoc_rates.back(), cp_rates.back(), cp_sync_rates.back());
  }
  const long rss_kib = daemon.peak_rss_kib();
  std::printf(
      "\n%d clients x %zu MiB uploads, medians of %d rounds:\n"
      "  dondoc (streamed, each file synced before 201): %.0f MiB/s\n"
      "  cp of the same files on the same disk:          %.0f MiB/s  (ratio %.2f)\n"
      "  cp, then sync:                                  %.0f MiB/s  (ratio %.2f)\n"
      "  dondocd peak RSS: %.1f MiB (target < 64 MiB: %s)\n",
      clients, size_mib, rounds, median(dondoc_rates), median(cp_rates),
      median(dondoc_rates) / median(cp_rates), median(cp_sync_rates),
      median(dondoc_rates) / median(cp_sync_rates), static_cast<double>(rss_kib) / 1024.0,
      rss_kib < 64 * 1024 ? "met" : "NOT met");
  return 0;
}
