// How the web interface's files are served: the shell for every page path, each file by its
// exact name, versioned names kept by the browser for good, nothing else.
#include "web_assets.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace dondoc::http {
namespace {

std::string header(const Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers) {
    if (k == name) {
      return v;
    }
  }
  return "";
}

TEST(WebAssets, TheShellLinksItsFilesUnderTheCurrentVersion) {
  const WebAssets web;
  const Response shell = web.serve("/tasks/42", std::nullopt);
  ASSERT_EQ(shell.status, 200);
  EXPECT_EQ(header(shell, "Cache-Control"), "no-cache");
  const std::string versioned = "\"/static/" + web.version() + "/app.js\"";
  EXPECT_NE(shell.body.find(versioned), std::string::npos) << shell.body;
  EXPECT_EQ(shell.body.find("\"/static/app.js\""), std::string::npos) << "every link is versioned";
  EXPECT_EQ(web.version().size(), 14u);
}

TEST(WebAssets, AVersionedFileIsKeptForGoodAndAnUnversionedOneRevalidated) {
  const WebAssets web;
  const Response kept = web.serve("/static/" + web.version() + "/core.js", std::nullopt);
  ASSERT_EQ(kept.status, 200);
  EXPECT_EQ(header(kept, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(header(kept, "Content-Type"), "text/javascript; charset=utf-8");
  const Response plain = web.serve("/static/core.js", std::nullopt);
  EXPECT_EQ(plain.body, kept.body);
  EXPECT_EQ(header(plain, "Cache-Control"), "no-cache");
  // A page opened before an upgrade gets today's file, not to be kept.
  const Response old = web.serve("/static/v-000000000000/core.js", std::nullopt);
  EXPECT_EQ(old.status, 200);
  EXPECT_EQ(old.body, kept.body);
  EXPECT_EQ(header(old, "Cache-Control"), "no-cache");
  const Response same = web.serve("/static/core.js", header(plain, "ETag"));
  EXPECT_EQ(same.status, 304);
  EXPECT_TRUE(same.body.empty());
}

TEST(WebAssets, NamesOutsideTheEmbeddedListNameNothing) {
  const WebAssets web;
  for (const std::string& path : std::vector<std::string>{
           "/static/../index.html", "/static/" + web.version() + "/../../etc/passwd",
           "/static/%2e%2e/app.js", "/static/v-x", "/static/nothing.js", "/static/"}) {
    EXPECT_EQ(web.serve(path, std::nullopt).status, 404) << path;
  }
}

}  // namespace
}  // namespace dondoc::http
