#include "python_server.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <stdexcept>

namespace dondoc::testing {

std::string python_output(const std::string& script, const std::string& args) {
  const std::string cmd =
      "/usr/bin/python3 " + std::string(DONDOC_SUPPORT_DIR) + "/" + script + " " + args;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) {
    throw std::runtime_error("cannot run " + cmd);
  }
  std::string out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;) {
    out.append(buf, n);
  }
  ::pclose(p);
  return out;
}

PythonServer::PythonServer(const std::string& script, const std::vector<std::string>& args) {
  int out[2];
  if (::pipe(out) != 0) {
    throw std::runtime_error("pipe failed");
  }
  const std::string path = std::string(DONDOC_SUPPORT_DIR) + "/" + script;
  std::vector<std::string> argv_text = {"/usr/bin/python3", path};
  argv_text.insert(argv_text.end(), args.begin(), args.end());
  pid_ = ::fork();
  if (pid_ == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    std::vector<char*> argv;
    for (auto& a : argv_text) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  ::close(out[1]);
  std::string line;
  char c = 0;
  while (::read(out[0], &c, 1) == 1 && c != '\n') {
    line += c;
  }
  ::close(out[0]);
  if (line.rfind("listening ", 0) != 0) {
    stop();
    throw std::runtime_error(script + " did not start: '" + line + "'");
  }
  port_ = std::stoi(line.substr(10));
}

PythonServer::~PythonServer() {
  stop();
}

void PythonServer::stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
}

}  // namespace dondoc::testing
