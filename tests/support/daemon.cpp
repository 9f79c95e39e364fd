#include "daemon.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace dondoc::testing {

Daemon::Daemon(std::string dir, std::string extra_yaml)
    : dir_(std::move(dir)), extra_yaml_(std::move(extra_yaml)) {}

Daemon::~Daemon() {
  if (pid_ > 0) {
    kill9();
  }
}

void Daemon::write_config() const {
  std::filesystem::create_directories(dir_);
  std::ofstream cfg(config_path());
  cfg << "listen:\n  address: 127.0.0.1\n  port: 0\n"
      << "database:\n  path: " << database_path() << "\n"
      << extra_yaml_;
}

void Daemon::start(const std::string& serve_args) {
  write_config();
  int out[2];
  if (::pipe(out) != 0) {
    throw std::runtime_error("pipe failed");
  }
  const std::string log_path = dir_ + "/stderr.log";
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    const int err = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
    ::dup2(err, STDERR_FILENO);
    ::close(out[0]);
    if (open_files_soft_ > 0) {
      const rlimit limit{static_cast<rlim_t>(open_files_soft_),
                         static_cast<rlim_t>(open_files_hard_)};
      ::setrlimit(RLIMIT_NOFILE, &limit);
    }
    const std::string cfg = config_path();
    std::vector<std::string> args = {DONDOCD_BINARY, "serve", "--config", cfg};
    std::istringstream extra(serve_args);
    for (std::string a; extra >> a;) {
      args.push_back(a);
    }
    std::vector<char*> argv;
    for (auto& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    ::execv(DONDOCD_BINARY, argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (line.find('\n') == std::string::npos) {
    pollfd p{out[0], POLLIN, 0};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                          deadline - std::chrono::steady_clock::now())
                          .count();
    if (left <= 0 || ::poll(&p, 1, static_cast<int>(left)) <= 0) {
      ::close(out[0]);
      kill9();
      throw std::runtime_error("dondocd did not start within 10 s; log:\n" + log());
    }
    char buf[256];
    const auto n = ::read(out[0], buf, sizeof buf);
    if (n <= 0) {
      ::close(out[0]);
      int status = 0;
      ::waitpid(pid_, &status, 0);
      pid_ = -1;
      throw std::runtime_error("dondocd exited at start; log:\n" + log());
    }
    line.append(buf, static_cast<std::size_t>(n));
  }
  ::close(out[0]);  // later stdout writes would get EPIPE; the daemon writes only this line
  const auto colon = line.rfind(':');
  port_ = std::stoi(line.substr(colon + 1));
}

int Daemon::stop(std::chrono::milliseconds patience) {
  if (pid_ <= 0) {
    return -1;
  }
  ::kill(pid_, SIGTERM);
  const auto deadline = std::chrono::steady_clock::now() + patience;
  int status = 0;
  while (std::chrono::steady_clock::now() < deadline) {
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(
        std::chrono::milliseconds(5));  // polling a child, not waiting on time
  }
  kill9();
  return -1;
}

void Daemon::kill9() {
  if (pid_ <= 0) {
    return;
  }
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
}

std::string Daemon::log() const {
  std::ifstream in(dir_ + "/stderr.log");
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

long Daemon::peak_rss_kib() const {
  std::ifstream in("/proc/" + std::to_string(pid_) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) {
      return std::stol(line.substr(6));
    }
  }
  return -1;
}

std::string token_in(const std::string& output) {
  static const std::regex kToken("ddt_[0-9]+_[A-Za-z0-9_-]{43}");
  std::smatch m;
  return std::regex_search(output, m, kToken) ? m.str() : "";
}

std::string Daemon::token_for(const std::string& login, const std::string& role,
                              const std::string& unit) {
  write_config();
  std::string out;
  std::string add = "user add -c " + config_path() + " --login " + login + " --name 'Người dùng " +
                    login + "' --role " + role;
  if (!unit.empty()) {
    add += " --unit " + unit;
  }
  run_dondocd(add, out);  // fails harmlessly when the user exists already
  if (run_dondocd("token issue " + login + " -c " + config_path(), out) != 0) {
    throw std::runtime_error("dondocd token issue " + login + " failed:\n" + out);
  }
  return token_in(out);
}

std::string Daemon::admin_token() {
  if (admin_token_.empty()) {
    admin_token_ = token_for("admin", "admin");
  }
  return admin_token_;
}

std::string Daemon::office_token() {
  if (office_token_.empty()) {
    office_token_ = token_for("office", "office");
  }
  return office_token_;
}

int run_dondocd(const std::string& args, std::string& output) {
  const std::string cmd = std::string(DONDOCD_BINARY) + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) {
    return -1;
  }
  std::array<char, 4096> buf{};
  output.clear();
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) {
    output.append(buf.data(), n);
  }
  const int status = ::pclose(p);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace dondoc::testing
