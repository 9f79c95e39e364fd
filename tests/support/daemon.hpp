// Starts the real dondocd binary on an ephemeral loopback port with its own database, and stops
// or kills it by its PID.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>

namespace dondoc::testing {

class Daemon {
 public:
  // `dir` holds the config, the database and the daemon's stderr log. `extra_yaml` is appended
  // to the generated config (top-level sections other than listen and database).
  Daemon(std::string dir, std::string extra_yaml = "");
  ~Daemon();

  // Starts the daemon with these soft and hard limits on open files (as systemd's LimitNOFILE).
  void set_open_files_limit(long soft, long hard) {
    open_files_soft_ = soft;
    open_files_hard_ = hard;
  }
  // Starts and waits for the "listening" line; throws if the daemon does not come up in 10 s.
  // `serve_args` are added to `dondocd serve --config FILE` (e.g. the simulated clock).
  void start(const std::string& serve_args = "");
  // SIGTERM and wait; returns the exit status (-1 if it had to be killed after `patience`).
  int stop(std::chrono::milliseconds patience = std::chrono::milliseconds(5000));
  void kill9();
  bool running() const { return pid_ > 0; }
  pid_t pid() const { return pid_; }

  std::string base_url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  std::string database_path() const { return dir_ + "/dondoc.db"; }
  std::string config_path() const { return dir_ + "/dondoc.yaml"; }
  std::string log() const;  // what the daemon wrote to stderr
  // Creates a user through `dondocd user add` (unless it exists) and returns a new token for it
  // from `dondocd token issue`, as an operator would. Works whether or not the daemon runs.
  std::string token_for(const std::string& login, const std::string& role,
                        const std::string& unit = "");
  // The tokens of an `admin` and an `office` user, created on first use.
  std::string admin_token();
  std::string office_token();
  // Peak resident set size reported by the kernel, in KiB (while running).
  long peak_rss_kib() const;

 private:
  std::string dir_;
  std::string extra_yaml_;
  void write_config() const;

  std::string admin_token_;
  std::string office_token_;
  pid_t pid_ = -1;
  int port_ = 0;
  long open_files_soft_ = 0;
  long open_files_hard_ = 0;
};

// Runs dondocd with arguments and returns its exit status; stdout+stderr go to `output`.
int run_dondocd(const std::string& args, std::string& output);

// The API token in a command's output (its last line), or "" if there is none.
std::string token_in(const std::string& output);

}  // namespace dondoc::testing
