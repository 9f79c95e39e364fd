#include "curl_handle.hpp"

namespace dondoc::delivery {

namespace {

int check_stop(void* stop, curl_off_t, curl_off_t, curl_off_t, curl_off_t) {
  return static_cast<const std::atomic<bool>*>(stop)->load() ? 1 : 0;
}

}  // namespace

CURL* new_curl_handle() {
  static const CURLcode init = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)init;
  return curl_easy_init();
}

void abort_when(CURL* handle, const std::atomic<bool>* stop) {
  if (stop == nullptr) {
    return;
  }
  // libcurl calls this about once a second while a transfer waits, more often while it moves.
  curl_easy_setopt(handle, CURLOPT_NOPROGRESS, 0L);
  curl_easy_setopt(handle, CURLOPT_XFERINFOFUNCTION, check_stop);
  curl_easy_setopt(handle, CURLOPT_XFERINFODATA, const_cast<std::atomic<bool>*>(stop));
}

}  // namespace dondoc::delivery
