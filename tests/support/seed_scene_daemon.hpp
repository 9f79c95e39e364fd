// The real daemon on 20 February 2025, five days after the meeting of seed 004, with the units
// its register names (seed_scene.hpp), for the integration tests that import that register.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "daemon.hpp"
#include "http_client.hpp"
#include "seed_scene.hpp"

namespace dondoc::testing {

inline void start_after_the_meeting(Daemon& d) {
  d.admin_token();
  d.start("--clock-start 2025-02-20T09:00:00+07:00");
  HttpClient admin(d.base_url(), d.admin_token());
  for (const auto& [code, name] : seed_scene_units()) {
    const auto r = admin.post_json(
        "/api/v1/units",
        nlohmann::json{{"code", code}, {"name", name}, {"kind", "department"}}.dump());
    if (r.status != 201) {
      throw std::runtime_error("creating unit " + code + ": " + r.body);
    }
  }
}

}  // namespace dondoc::testing
