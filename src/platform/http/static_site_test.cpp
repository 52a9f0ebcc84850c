#include "platform/http/static_site.hpp"

#include <unistd.h>
#include <zlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "platform/http/router.hpp"
#include "platform/log/metrics.hpp"
#include "testing/fake_clock.hpp"
#include "testing/fake_ids.hpp"

namespace omc::http {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr std::string_view kCsp =
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

// A throwaway directory, removed with everything in it.
class TempDir {
  public:
    TempDir() {
        std::string pattern = (fs::temp_directory_path() / "omc-static-XXXXXX").string();
        EXPECT_NE(mkdtemp(pattern.data()), nullptr);
        path_ = pattern;
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    const fs::path& path() const { return path_; }
    void Write(const std::string& relative, const std::string& content) const {
        const fs::path file = path_ / relative;
        fs::create_directories(file.parent_path());
        std::ofstream(file, std::ios::binary) << content;
    }

  private:
    fs::path path_;
};

std::string Gunzip(const std::string& data) {
    z_stream stream{};
    EXPECT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
    std::string out(1 << 20, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    EXPECT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
    out.resize(stream.total_out);
    inflateEnd(&stream);
    return out;
}

std::optional<std::string> HeaderOf(const Response& r, std::string_view name) {
    for (const auto& [k, v] : r.headers) {
        if (k == name) return v;
    }
    return std::nullopt;
}

Request Make(Method method, std::string path,
             std::vector<std::pair<std::string, std::string>> headers = {}) {
    Request r;
    r.method = method;
    r.path = std::move(path);
    r.headers = std::move(headers);
    r.client_address = "10.0.0.1";
    return r;
}

// A built console like Vite's: index.html, a content-hashed script under assets/, a favicon.
std::string IndexHtml() {
    std::string html = "<!doctype html><html><head><title>OMC</title>";
    for (int i = 0; i < 40; ++i) html += "<link rel=\"modulepreload\" href=\"/assets/x.js\">";
    return html + "</head><body><div id=\"root\"></div></body></html>";
}
std::string AppJs() {
    std::string js;
    for (int i = 0; i < 200; ++i) js += "export const value" + std::to_string(i) + " = 1;\n";
    return js;
}
const std::string kFavicon = std::string("\x00\x00\x01\x00", 4) + "icon";  // smaller than gzip

class StaticSiteTest : public ::testing::Test {
  protected:
    StaticSiteTest() {
        dir_.Write("index.html", IndexHtml());
        dir_.Write("assets/app-abc123.js", AppJs());
        dir_.Write("favicon.ico", kFavicon);
        dir_.Write("robots.txt", "User-agent: *\n");
    }

    // The router every console request goes through, with one API route beside the console.
    Router& Build(const std::string& root) {
        if (!root.empty()) {
            auto loaded = StaticSite::Load(root);
            EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().message());
            if (loaded.ok()) site_ = std::move(loaded).value();
        }
        router_ = std::make_unique<Router>(RouterDeps{
            .clock = &clock_, .ids = &ids_, .metrics = &metrics_, .static_site = site_.get()});
        router_->Add({.method = Method::kGet,
                      .pattern = "/api/v1/things",
                      .name = "things.list",
                      .auth = Auth::kPublic,
                      .handler = [](RequestContext&) -> Result<Reply> {
                          return Reply{.data = json::array()};
                      }});
        return *router_;
    }
    Router& Build() { return Build(dir_.path().string()); }

    static void ExpectSecurityHeaders(const Response& r) {
        EXPECT_EQ(HeaderOf(r, "X-Content-Type-Options"), "nosniff");
        EXPECT_EQ(HeaderOf(r, "X-Frame-Options"), "DENY");
        EXPECT_EQ(HeaderOf(r, "Referrer-Policy"), "same-origin");
        EXPECT_EQ(HeaderOf(r, "Content-Security-Policy"), std::string(kCsp));
    }

    TempDir dir_;
    testing::FakeClock clock_;
    testing::FakeIds ids_{clock_};
    metrics::Registry metrics_;
    std::unique_ptr<StaticSite> site_;
    std::unique_ptr<Router> router_;
};

TEST_F(StaticSiteTest, ExactFilesWithTheirTypes) {
    Router& router = Build();
    EXPECT_EQ(site_->file_count(), 4u);
    EXPECT_EQ(site_->total_bytes(), IndexHtml().size() + AppJs().size() + kFavicon.size() + 14);

    Response root = router.Dispatch(Make(Method::kGet, "/"));
    ASSERT_EQ(root.status, 200);
    EXPECT_EQ(root.content_type, "text/html; charset=utf-8");
    EXPECT_EQ(root.body, IndexHtml());
    EXPECT_EQ(HeaderOf(root, "Content-Encoding"), std::nullopt);
    ExpectSecurityHeaders(root);

    Response index = router.Dispatch(Make(Method::kGet, "/index.html"));
    EXPECT_EQ(index.status, 200);
    EXPECT_EQ(index.body, IndexHtml());

    Response js = router.Dispatch(Make(Method::kGet, "/assets/app-abc123.js"));
    ASSERT_EQ(js.status, 200);
    EXPECT_EQ(js.content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(js.body, AppJs());
    ExpectSecurityHeaders(js);

    Response icon = router.Dispatch(Make(Method::kGet, "/favicon.ico"));
    ASSERT_EQ(icon.status, 200);
    EXPECT_EQ(icon.content_type, "image/x-icon");
    EXPECT_EQ(icon.body, kFavicon);

    Response text = router.Dispatch(Make(Method::kGet, "/robots.txt"));
    EXPECT_EQ(text.content_type, "text/plain; charset=utf-8");
}

TEST_F(StaticSiteTest, ContentTypesByExtension) {
    EXPECT_EQ(ContentTypeFor("a.html"), "text/html; charset=utf-8");
    EXPECT_EQ(ContentTypeFor("a.mjs"), "text/javascript; charset=utf-8");
    EXPECT_EQ(ContentTypeFor("a.css"), "text/css; charset=utf-8");
    EXPECT_EQ(ContentTypeFor("a.json"), "application/json");
    EXPECT_EQ(ContentTypeFor("a.js.map"), "application/json");
    EXPECT_EQ(ContentTypeFor("a.svg"), "image/svg+xml");
    EXPECT_EQ(ContentTypeFor("a.PNG"), "image/png");
    EXPECT_EQ(ContentTypeFor("a.jpg"), "image/jpeg");
    EXPECT_EQ(ContentTypeFor("a.webp"), "image/webp");
    EXPECT_EQ(ContentTypeFor("a.woff2"), "font/woff2");
    EXPECT_EQ(ContentTypeFor("site.webmanifest"), "application/manifest+json");
    EXPECT_EQ(ContentTypeFor("README"), "application/octet-stream");
    EXPECT_EQ(ContentTypeFor("a.exe"), "application/octet-stream");
}

TEST_F(StaticSiteTest, GzipWhenAcceptedAndSmaller) {
    Router& router = Build();
    Response gz = router.Dispatch(
        Make(Method::kGet, "/assets/app-abc123.js", {{"accept-encoding", "br, gzip;q=0.8"}}));
    ASSERT_EQ(gz.status, 200);
    EXPECT_EQ(HeaderOf(gz, "Content-Encoding"), "gzip");
    EXPECT_EQ(HeaderOf(gz, "Vary"), "Accept-Encoding");
    EXPECT_LT(gz.body.size(), AppJs().size());
    EXPECT_EQ(Gunzip(gz.body), AppJs());

    // The same file to a client that refuses gzip, or says nothing: the original bytes.
    for (const char* refusal : {"gzip;q=0", "br", "identity"}) {
        Response plain = router.Dispatch(
            Make(Method::kGet, "/assets/app-abc123.js", {{"Accept-Encoding", refusal}}));
        EXPECT_EQ(HeaderOf(plain, "Content-Encoding"), std::nullopt) << refusal;
        EXPECT_EQ(HeaderOf(plain, "Vary"), "Accept-Encoding") << refusal;
        EXPECT_EQ(plain.body, AppJs()) << refusal;
    }
    // The two representations have different strong validators.
    Response plain = router.Dispatch(Make(Method::kGet, "/assets/app-abc123.js"));
    EXPECT_NE(HeaderOf(plain, "ETag"), HeaderOf(gz, "ETag"));

    // The favicon's gzip copy would be larger: none is kept, none is sent.
    Response icon =
        router.Dispatch(Make(Method::kGet, "/favicon.ico", {{"Accept-Encoding", "gzip"}}));
    EXPECT_EQ(HeaderOf(icon, "Content-Encoding"), std::nullopt);
    EXPECT_EQ(HeaderOf(icon, "Vary"), std::nullopt);
    EXPECT_EQ(icon.body, kFavicon);
}

TEST_F(StaticSiteTest, HashedAssetsAreImmutableTheRestRevalidates) {
    Router& router = Build();
    Response js = router.Dispatch(Make(Method::kGet, "/assets/app-abc123.js"));
    EXPECT_EQ(HeaderOf(js, "Cache-Control"), "public, max-age=31536000, immutable");
    for (const char* path : {"/", "/index.html", "/favicon.ico", "/stations/abc"}) {
        Response r = router.Dispatch(Make(Method::kGet, path));
        EXPECT_EQ(r.status, 200) << path;
        EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache") << path;
        EXPECT_TRUE(HeaderOf(r, "ETag").has_value()) << path;
    }
}

TEST_F(StaticSiteTest, EtagRevalidationAnswers304WithoutBody) {
    Router& router = Build();
    Response first = router.Dispatch(Make(Method::kGet, "/"));
    const std::optional<std::string> etag = HeaderOf(first, "ETag");
    ASSERT_TRUE(etag.has_value());
    EXPECT_EQ(etag->size(), 34u);  // "<32 hex digits>"
    EXPECT_EQ(etag->front(), '"');

    Response again = router.Dispatch(Make(Method::kGet, "/", {{"If-None-Match", *etag}}));
    EXPECT_EQ(again.status, 304);
    EXPECT_TRUE(again.body.empty());
    EXPECT_EQ(HeaderOf(again, "ETag"), etag);
    EXPECT_EQ(HeaderOf(again, "Cache-Control"), "no-cache");
    ExpectSecurityHeaders(again);

    Response listed = router.Dispatch(
        Make(Method::kGet, "/index.html", {{"If-None-Match", "\"other\", W/" + *etag}}));
    EXPECT_EQ(listed.status, 304);

    Response stale = router.Dispatch(Make(Method::kGet, "/", {{"If-None-Match", "\"old\""}}));
    EXPECT_EQ(stale.status, 200);
    EXPECT_EQ(stale.body, IndexHtml());

    // A changed file has another validator.
    dir_.Write("index.html", IndexHtml() + "<!-- v2 -->");
    auto reloaded = StaticSite::Load(dir_.path().string());
    ASSERT_TRUE(reloaded.ok());
    Response changed = (*reloaded)->Serve(Make(Method::kGet, "/", {{"If-None-Match", *etag}}), "r1",
                                          clock_.NowUs());
    EXPECT_EQ(changed.status, 200);
    EXPECT_NE(HeaderOf(changed, "ETag"), etag);
}

TEST_F(StaticSiteTest, ClientRoutesGetTheApplicationMissingFilesA404) {
    Router& router = Build();
    for (const char* route : {"/stations/abc", "/finance/trial-balance", "/login", "/stations/"}) {
        Response r = router.Dispatch(Make(Method::kGet, route));
        EXPECT_EQ(r.status, 200) << route;
        EXPECT_EQ(r.content_type, "text/html; charset=utf-8") << route;
        EXPECT_EQ(r.body, IndexHtml()) << route;
        EXPECT_EQ(HeaderOf(r, "Cache-Control"), "no-cache") << route;
    }
    for (const char* missing : {"/assets/x.js", "/assets/new-route", "/logo.png", "/a/b.css"}) {
        Response r = router.Dispatch(Make(Method::kGet, missing));
        EXPECT_EQ(r.status, 404) << missing;
        EXPECT_EQ(r.content_type, "application/json") << missing;
        json body = json::parse(r.body);
        EXPECT_EQ(body["success"], false);
        EXPECT_EQ(body["error"]["code"], "not_found");
        EXPECT_EQ(body["error"]["message"], "file not found");
        ExpectSecurityHeaders(r);
    }
}

TEST_F(StaticSiteTest, ApiHealthAndMetricsPathsStayWithTheApi) {
    Router& router = Build();
    Response api = router.Dispatch(Make(Method::kGet, "/api/v1/nope"));
    EXPECT_EQ(api.status, 404);
    json body = json::parse(api.body);
    EXPECT_EQ(body["error"]["code"], "not_found");
    EXPECT_EQ(body["error"]["message"], "route not found");
    EXPECT_EQ(HeaderOf(api, "Content-Security-Policy"), std::nullopt);
    for (const char* path : {"/api", "/health/nope", "/metrics/x"}) {
        EXPECT_EQ(json::parse(router.Dispatch(Make(Method::kGet, path)).body)["error"]["message"],
                  "route not found")
            << path;
    }
    EXPECT_EQ(router.Dispatch(Make(Method::kGet, "/api/v1/things")).status, 200);
    // A path that only starts like one of them is the console's.
    EXPECT_EQ(router.Dispatch(Make(Method::kGet, "/apiary")).body, IndexHtml());
    EXPECT_TRUE(StaticSite::IsConsolePath("/healthy"));
    EXPECT_FALSE(StaticSite::IsConsolePath("/health"));
}

TEST_F(StaticSiteTest, OtherMethodsAre405) {
    Router& router = Build();
    for (Method method : {Method::kPost, Method::kPut, Method::kDelete, Method::kPatch}) {
        Response r = router.Dispatch(Make(method, "/"));
        EXPECT_EQ(r.status, 405) << MethodName(method);
        EXPECT_EQ(HeaderOf(r, "Allow"), "GET, HEAD");
        EXPECT_EQ(json::parse(r.body)["error"]["code"], "method_not_allowed");
    }
    EXPECT_EQ(router.Dispatch(Make(Method::kPost, "/stations/abc")).status, 405);
}

TEST_F(StaticSiteTest, HeadHasTheHeadersWithoutTheBody) {
    Router& router = Build();
    Response head = router.Dispatch(
        Make(Method::kHead, "/assets/app-abc123.js", {{"Accept-Encoding", "gzip"}}));
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
    EXPECT_EQ(head.content_type, "text/javascript; charset=utf-8");
    EXPECT_EQ(HeaderOf(head, "Content-Encoding"), "gzip");
    EXPECT_EQ(HeaderOf(head, "Cache-Control"), "public, max-age=31536000, immutable");
    Response missing = router.Dispatch(Make(Method::kHead, "/assets/x.js"));
    EXPECT_EQ(missing.status, 404);
    EXPECT_TRUE(missing.body.empty());
}

TEST_F(StaticSiteTest, CountedInMetricsAsTheConsole) {
    Router& router = Build();
    router.Dispatch(Make(Method::kGet, "/"));
    router.Dispatch(Make(Method::kGet, "/api/v1/nope"));
    const std::string text = metrics_.RenderPrometheus();
    EXPECT_NE(text.find("route=\"console\""), std::string::npos) << text;
    EXPECT_NE(text.find("route=\"unmatched\""), std::string::npos) << text;
}

TEST_F(StaticSiteTest, NoSiteMeansTheApiAloneAsBefore) {
    Router& router = Build("");  // web.root = "": disabled
    Response root = router.Dispatch(Make(Method::kGet, "/"));
    EXPECT_EQ(root.status, 404);
    EXPECT_EQ(json::parse(root.body)["error"]["message"], "route not found");
    EXPECT_EQ(HeaderOf(root, "Content-Security-Policy"), std::nullopt);
    EXPECT_EQ(router.Dispatch(Make(Method::kPost, "/")).status, 404);
}

TEST_F(StaticSiteTest, AMissingBuildSaysHowToBuildIt) {
    for (const std::string& root :
         {(dir_.path() / "nowhere").string(), (dir_.path() / "assets").string()}) {
        auto site = StaticSite::Load(root);  // no such folder; a folder without index.html
        ASSERT_TRUE(site.ok()) << root;
        EXPECT_FALSE((*site)->built());
        Response r = (*site)->Serve(Make(Method::kGet, "/"), "r1", clock_.NowUs());
        EXPECT_EQ(r.status, 404);
        json body = json::parse(r.body);
        EXPECT_EQ(body["error"]["code"], "not_found");
        EXPECT_NE(body["error"]["message"].get<std::string>().find("npm ci && npm run build"),
                  std::string::npos)
            << r.body;
        EXPECT_EQ(
            json::parse((*site)->Serve(Make(Method::kGet, "/x"), "r2", 0).body)["error"]["message"],
            body["error"]["message"]);
    }
}

TEST_F(StaticSiteTest, SymlinksLeavingTheRootAndHiddenFilesAreNotServed) {
    TempDir outside;
    outside.Write("secret.txt", "do not serve");
    fs::create_symlink(outside.path() / "secret.txt", dir_.path() / "leak.txt");
    fs::create_directory_symlink(outside.path(), dir_.path() / "elsewhere");
    fs::create_symlink(dir_.path() / "robots.txt", dir_.path() / "robots-link.txt");
    dir_.Write(".env", "SECRET=1");
    dir_.Write(".git/config", "[core]");
    Router& router = Build();
    EXPECT_EQ(router.Dispatch(Make(Method::kGet, "/leak.txt")).status, 404);
    EXPECT_EQ(router.Dispatch(Make(Method::kGet, "/elsewhere/secret.txt")).status, 404);
    EXPECT_EQ(router.Dispatch(Make(Method::kGet, "/.env")).status, 404);
    EXPECT_EQ(router.Dispatch(Make(Method::kGet, "/.git/config")).status, 404);
    // A link that stays inside the root is an ordinary file.
    Response inside = router.Dispatch(Make(Method::kGet, "/robots-link.txt"));
    EXPECT_EQ(inside.status, 200);
    EXPECT_EQ(inside.body, "User-agent: *\n");
}

TEST_F(StaticSiteTest, TooLargeARootIsRefusedWithTheKeyNamed) {
    auto site = StaticSite::Load(dir_.path().string(), {.max_total_bytes = 1000});
    ASSERT_FALSE(site.ok());
    EXPECT_EQ(site.error().code(), ErrorCode::kInvalidArgument);
    ASSERT_EQ(site.error().fields().size(), 1u);
    EXPECT_EQ(site.error().fields()[0].field, "web.root");
    EXPECT_NE(site.error().fields()[0].message.find("exceed"), std::string::npos);
    EXPECT_TRUE(StaticSite::Load(dir_.path().string(), {.max_total_bytes = 1 << 20}).ok());
}

}  // namespace
}  // namespace omc::http
