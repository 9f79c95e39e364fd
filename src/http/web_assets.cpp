#include "web_assets.hpp"

#include <array>
#include <cstdint>

namespace dondoc::http {

namespace {

// Only this origin's scripts, styles, images and requests; no inline script or style (a task
// titled <script> is text however it gets in); no framing, no plugins, no <base> games.
constexpr const char* kContentSecurityPolicy =
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'";

std::string type_of(std::string_view path) {
  auto ends = [&](std::string_view ext) {
    return path.size() >= ext.size() && path.substr(path.size() - ext.size()) == ext;
  };
  if (ends(".html"))
    return "text/html; charset=utf-8";
  if (ends(".css"))
    return "text/css; charset=utf-8";
  if (ends(".js"))
    return "text/javascript; charset=utf-8";
  if (ends(".svg"))
    return "image/svg+xml";
  return "application/octet-stream";
}

// FNV-1a, 64 bits: a version tag for If-None-Match, not a security measure.
std::string etag_of(std::string_view content) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : content) {
    h = (h ^ c) * 1099511628211ull;
  }
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out = "\"";
  for (int shift = 60; shift >= 0; shift -= 4) {
    out += kDigits[(h >> shift) & 0xF];
  }
  return out + "\"";
}

}  // namespace

void add_page_security_headers(Response& r) {
  r.set_header("Content-Security-Policy", kContentSecurityPolicy);
  r.set_header("Cross-Origin-Opener-Policy", "same-origin");
}

WebAssets::WebAssets() {
  std::string all;
  for (const auto& f : embedded_web_files()) {
    all.append(f.path).append(f.content);
  }
  const std::string digest = etag_of(all);
  version_ = "v-" + digest.substr(1, 12);
  for (const auto& f : embedded_web_files()) {
    if (f.path == "/index.html") {
      shell_ = std::string(f.content);
      const std::string from = "\"/static/";
      const std::string to = "\"/static/" + version_ + "/";
      for (auto at = shell_.find(from); at != std::string::npos;
           at = shell_.find(from, at + to.size())) {
        shell_.replace(at, from.size(), to);
      }
      files_.push_back({f.path, Served{shell_, type_of(f.path), etag_of(shell_)}});
    } else {
      files_.push_back({f.path, Served{f.content, type_of(f.path), etag_of(f.content)}});
    }
  }
}

bool WebAssets::is_web_path(std::string_view path) {
  return path != "/healthz" && path != "/readyz" && path.rfind("/api/", 0) != 0 && path != "/api";
}

std::optional<WebAssets::Served> WebAssets::find(std::string_view name) const {
  for (const auto& [path, served] : files_) {
    if (path == name) {
      return served;
    }
  }
  return std::nullopt;
}

Response WebAssets::serve(std::string_view path,
                          const std::optional<std::string>& if_none_match) const {
  std::optional<Served> file;
  const bool asset = path.rfind("/static/", 0) == 0;
  bool current_version = false;
  if (asset) {
    std::string_view name = path.substr(std::string_view("/static").size());
    if (name.rfind("/v-", 0) == 0 && name.find('/', 1) != std::string_view::npos) {
      // Any version names today's file (a page left open across an upgrade still loads), but
      // only the current one may be kept for good.
      current_version = name.substr(1, name.find('/', 1) - 1) == version_;
      name = name.substr(name.find('/', 1));
    }
    // An exact name from the embedded list: "/static/../x" or "/static/%2e%2e" names nothing.
    file = find(name);
  } else {
    file = find("/index.html");  // every page starts from the shell; the script draws the page
  }
  Response r;
  add_page_security_headers(r);
  if (!file) {
    r.status = 404;
    r.set_header("Content-Type", "text/plain; charset=utf-8");
    r.body = "Không tìm thấy tệp này.\n";
    return r;
  }
  r.set_header("ETag", file->etag);
  // The shell and unversioned names are revalidated on each visit (a 304 costs a few bytes), so
  // that a new dondocd is seen at once; a versioned name never changes.
  r.set_header("Cache-Control",
               current_version ? "public, max-age=31536000, immutable" : "no-cache");
  if (if_none_match && *if_none_match == file->etag) {
    r.status = 304;
    return r;
  }
  r.set_header("Content-Type", file->type);
  r.body = std::string(file->content);
  return r;
}

}  // namespace dondoc::http
