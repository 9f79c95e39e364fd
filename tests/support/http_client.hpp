// A small blocking HTTP/1.1 client over libcurl for the integration tests; one per thread, and
// it keeps its connection alive between requests like a real client.
#pragma once

#include <curl/curl.h>

#include <map>
#include <string>
#include <vector>

namespace dondoc::testing {

struct Reply {
  long status = 0;                             // 0 when the request failed at the transport level
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  std::string error;
};

class HttpClient {
 public:
  // `token`, if given, goes with every request as `Authorization: Bearer <token>`.
  explicit HttpClient(std::string base_url, std::string token = "");
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  Reply request(const std::string& method, const std::string& path, const std::string& body = "",
                std::vector<std::string> headers = {});
  Reply get(const std::string& path) { return request("GET", path); }
  Reply post_json(const std::string& path, const std::string& json,
                  std::vector<std::string> headers = {}) {
    headers.push_back("Content-Type: application/json");
    return request("POST", path, json, headers);
  }
  void set_timeout_ms(long ms) { timeout_ms_ = ms; }

 private:
  std::string base_;
  std::string token_;
  CURL* curl_;
  long timeout_ms_ = 10000;
};

}  // namespace dondoc::testing
