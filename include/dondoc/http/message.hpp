// Transport-neutral HTTP messages: handlers are pure functions from Request to Response
// (design §4.8), testable without sockets; only server.cpp knows Beast.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace dondoc::http {

struct Request {
  std::string method;                          // "GET"
  std::string target;                          // "/api/v1/tasks?limit=5", as received
  std::map<std::string, std::string> headers;  // names in lower case
  std::string body;

  std::optional<std::string> header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::nullopt : std::optional<std::string>(it->second);
  }
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool close = false;  // close the connection after sending

  void set_header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
  }
};

}  // namespace dondoc::http
