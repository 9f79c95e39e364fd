// `dondocd demo`: loads a realistic province into an empty database, so that a new user sees real
// lists and reports at once (issue 5): a few dozen units, about a thousand tasks over the last two
// years played day by day through the real services (so history, extensions and reports are
// what they would be), and the 2025 merge of the Department of Transport into Construction.
#pragma once

#include <string>

namespace dondoc::app {

// `until`: the last day played (YYYY-MM-DD); empty: today.
int demo(const std::string& config_path, const std::string& until);

}  // namespace dondoc::app
