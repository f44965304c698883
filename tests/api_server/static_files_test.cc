// Static serving of the web application: what is served, with which
// headers, and every way of reaching outside the roots refused.
#include "api/server/static_files.h"

#include <gtest/gtest.h>

#include <fstream>

#include "tests/support/temp_dir.h"

namespace casus::api::server {
namespace {

namespace fs = std::filesystem;

void Write(const fs::path& file, const std::string& text) {
  fs::create_directories(file.parent_path());
  std::ofstream(file, std::ios::binary) << text;
}

const std::string* HeaderOf(const HttpResponse& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return &v;
  return nullptr;
}

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Write(web() / "index.html", "<!doctype html><title>Casus</title>");
    Write(web() / "app" / "app.js", "export const x = 1;");
    Write(web() / "app" / "style.css", "body{}");
    Write(web() / "app" / "pages" / "zaak.js", "export function render() {}");
    Write(web() / "app" / ".hidden.js", "secret");
    Write(web() / "app" / "notes.bin", "binary");
    Write(web() / "CONTRACT.md", "not for the public");
    Write(root_.path() / "secret.txt", "outside the web root");
    Write(vendor() / "chart.js" / "dist" / "chart.umd.js", "/* chart */");
    Write(vendor() / "chart.js" / "package.json", "{}");
    Write(vendor() / "other" / "evil.js", "evil");
  }
  fs::path web() const { return root_.path() / "web"; }
  fs::path vendor() const { return root_.path() / "node_modules"; }

  std::optional<HttpResponse> Get(const std::string& path, const std::string& method = "GET",
                                  std::vector<std::pair<std::string, std::string>> headers = {}) const {
    HttpRequest r;
    r.method = method;
    r.path = path;
    r.target = path;
    r.headers = std::move(headers);
    return files_.Serve(r);
  }

  testing::TempDir root_;
  StaticFiles files_{root_.path() / "web", root_.path() / "node_modules"};
};

TEST_F(StaticFilesTest, RootServesIndexHtmlWithCspAndRevalidation) {
  for (const std::string path : {"/", "/index.html"}) {
    auto r = Get(path, "GET", {{"host", "localhost:8443"}});
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "<!doctype html><title>Casus</title>");
    EXPECT_EQ(r->content_type, "text/html; charset=utf-8");
    ASSERT_TRUE(HeaderOf(*r, "Cache-Control"));
    EXPECT_EQ(*HeaderOf(*r, "Cache-Control"), "no-cache");
    ASSERT_TRUE(HeaderOf(*r, "ETag"));
    const std::string* csp = HeaderOf(*r, "Content-Security-Policy");
    ASSERT_TRUE(csp);
    EXPECT_NE(csp->find("default-src 'self'"), std::string::npos);
    EXPECT_NE(csp->find("script-src 'self';"), std::string::npos);
    EXPECT_NE(csp->find("connect-src 'self' wss://localhost:8443;"), std::string::npos);
    EXPECT_EQ(csp->find("unsafe-inline"), std::string::npos);
    EXPECT_EQ(csp->find("unsafe-eval"), std::string::npos);
  }
}

TEST_F(StaticFilesTest, AppFilesGetTheirContentTypes) {
  auto js = Get("/app/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  auto css = Get("/app/style.css");
  ASSERT_TRUE(css);
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");
  auto nested = Get("/app/pages/zaak.js");
  ASSERT_TRUE(nested);
  EXPECT_EQ(nested->status, 200);
  EXPECT_EQ(nested->body, "export function render() {}");
}

TEST_F(StaticFilesTest, MatchingEtagAnswers304WithoutBody) {
  auto first = Get("/app/app.js");
  ASSERT_TRUE(first);
  const std::string etag = *HeaderOf(*first, "ETag");
  auto again = Get("/app/app.js", "GET", {{"if-none-match", etag}});
  ASSERT_TRUE(again);
  EXPECT_EQ(again->status, 304);
  EXPECT_TRUE(again->body.empty());
  auto weak = Get("/app/app.js", "GET", {{"if-none-match", "\"x\", W/" + etag}});
  EXPECT_EQ(weak->status, 304);
  auto other = Get("/app/app.js", "GET", {{"if-none-match", "\"stale\""}});
  EXPECT_EQ(other->status, 200);
}

TEST_F(StaticFilesTest, PathsOutsideTheStaticAreasAreLeftToTheApi) {
  for (const std::string path : {"/api/v1/me", "/healthz", "/CONTRACT.md", "/app", "/favicon.ico", "/web/index.html"})
    EXPECT_FALSE(Get(path)) << path;
}

TEST_F(StaticFilesTest, TraversalAttemptsAreRefused) {
  const std::vector<std::string> attempts = {
      "/app/../index.html",          "/app/../../secret.txt",        "/app/%2e%2e/CONTRACT.md",
      "/app/%2E%2E/%2E%2E/secret.txt", "/app/..%2f..%2fsecret.txt",   "/app/pages/..%2F..%2F..%2Fsecret.txt",
      "/app/%252e%252e/secret.txt",  "/app/..\\..\\secret.txt",      "/app/%5c..%5csecret.txt",
      "/app/app.js%00.css",          "/app//etc/passwd",             "/app/./app.js",
      "/app/.hidden.js",             "/app/pages/",                  "/app/",
      "/app/%",                      "/app/%2",                      "/app/%zz.js",
      "/app/" + std::string(600, 'a') + ".js",
  };
  for (const auto& path : attempts) {
    auto r = Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 404) << path;
    EXPECT_EQ(r->body.find("outside the web root"), std::string::npos) << path;
  }
}

TEST_F(StaticFilesTest, SymlinkOutOfTheRootIsRefused) {
  fs::create_symlink(root_.path() / "secret.txt", web() / "app" / "link.txt");
  fs::create_directory_symlink(root_.path(), web() / "app" / "up");
  EXPECT_EQ(Get("/app/link.txt")->status, 404);
  EXPECT_EQ(Get("/app/up/secret.txt")->status, 404);
}

TEST_F(StaticFilesTest, UnknownFileTypesAreNotServed) {
  EXPECT_EQ(Get("/app/notes.bin")->status, 404);
  EXPECT_EQ(Get("/app/missing.js")->status, 404);
}

TEST_F(StaticFilesTest, VendorServesOnlyTheAllowlist) {
  auto chart = Get("/vendor/chart.js/chart.umd.js");
  ASSERT_TRUE(chart);
  EXPECT_EQ(chart->status, 200);
  EXPECT_EQ(chart->body, "/* chart */");
  EXPECT_EQ(chart->content_type, "text/javascript; charset=utf-8");
  for (const std::string path : {"/vendor/chart.js/package.json", "/vendor/other/evil.js", "/vendor/chart.js/dist/chart.umd.js",
                                 "/vendor/chart.js/../other/evil.js", "/vendor/chart.js%2Fchart.umd.js",
                                 "/vendor/", "/vendor/chart.js/chart.umd.min.js"}) {
    auto r = Get(path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 404) << path;  // chart.umd.min.js is allowlisted but absent here
  }
}

TEST_F(StaticFilesTest, OnlyGetIsAllowed) {
  for (const std::string method : {"POST", "PUT", "DELETE", "HEAD"}) {
    auto r = Get("/app/app.js", method);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 405) << method;
    ASSERT_TRUE(HeaderOf(*r, "Allow"));
  }
}

TEST_F(StaticFilesTest, MissingRootsAnswer404) {
  StaticFiles none(root_.path() / "nope", root_.path() / "nothing");
  HttpRequest r;
  r.method = "GET";
  r.path = "/";
  EXPECT_EQ(none.Serve(r)->status, 404);
  r.path = "/vendor/chart.js/chart.umd.js";
  EXPECT_EQ(none.Serve(r)->status, 404);
}

TEST(ContentSecurityPolicy, HostThatCouldInjectIsLeftOut) {
  const std::string evil = "x; script-src *";
  const std::string csp = StaticFiles::ContentSecurityPolicy(&evil);
  EXPECT_EQ(csp.find("script-src *"), std::string::npos);
  EXPECT_NE(csp.find("connect-src 'self';"), std::string::npos);
  EXPECT_NE(StaticFiles::ContentSecurityPolicy(nullptr).find("connect-src 'self';"), std::string::npos);
  const std::string v6 = "[::1]:8443";
  EXPECT_NE(StaticFiles::ContentSecurityPolicy(&v6).find("wss://[::1]:8443"), std::string::npos);
}

class PassThroughApi : public HttpHandler {
 public:
  HttpResponse Handle(const HttpRequest&) override {
    ++calls;
    HttpResponse r;
    r.status = 418;
    return r;
  }
  int calls = 0;
};

TEST_F(StaticFilesTest, WebAppHandlerPassesApiPathsThrough) {
  PassThroughApi api;
  WebAppHandler handler(files_, api);
  HttpRequest r;
  r.method = "GET";
  r.path = "/api/v1/me";
  EXPECT_EQ(handler.Handle(r).status, 418);
  r.path = "/app/app.js";
  EXPECT_EQ(handler.Handle(r).status, 200);
  EXPECT_EQ(api.calls, 1);
}

}  // namespace
}  // namespace casus::api::server
