// What the SMTP and webhook senders share about libcurl: initializing it once per process, and
// letting a transfer in flight be abandoned when the daemon stops.
#pragma once

#include <curl/curl.h>

#include <atomic>

namespace dondoc::delivery {

// A new easy handle; libcurl's global state is set up on first use.
CURL* new_curl_handle();

// Makes the next transfer on `handle` give up (CURLE_ABORTED_BY_CALLBACK) within about a second
// of `*stop` becoming true. `stop` may be null: never.
void abort_when(CURL* handle, const std::atomic<bool>* stop);

}  // namespace dondoc::delivery
