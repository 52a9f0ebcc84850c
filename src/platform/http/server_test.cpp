#include "platform/http/server.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <thread>

#include <gtest/gtest.h>

#include "platform/http/static_site.hpp"

namespace omc::http {
namespace {

using nlohmann::json;

struct HttpReply {
    int status = 0;  // 0: no answer (connection closed or reset)
    std::vector<std::pair<std::string, std::string>> headers;
    std::string body;

    std::optional<std::string> Header(std::string_view name) const {
        for (const auto& [k, v] : headers) {
            if (strcasecmp(k.c_str(), std::string(name).c_str()) == 0) return v;
        }
        return std::nullopt;
    }
};

// A blocking HTTP/1.1 client for one request per connection (Connection: close), reading the
// answer until the server closes. A 5 s socket timeout keeps a broken server from hanging tests.
HttpReply Send(uint16_t port, const std::string& raw) {
    HttpReply reply;
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return reply;
    timeval timeout{5, 0};
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof timeout);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    ::inet_pton(AF_INET, "127.0.0.1", &addr.sin_addr);
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
        ::close(fd);
        return reply;
    }
    size_t sent = 0;
    while (sent < raw.size()) {
        const ssize_t n = ::send(fd, raw.data() + sent, raw.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;  // the server may refuse a body half-way
        sent += static_cast<size_t>(n);
    }
    std::string in;
    char buf[8192];
    while (true) {
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        in.append(buf, static_cast<size_t>(n));
    }
    ::close(fd);
    const size_t head_end = in.find("\r\n\r\n");
    if (in.rfind("HTTP/1.1 ", 0) != 0 || head_end == std::string::npos) return reply;
    reply.status = std::stoi(in.substr(9, 3));
    size_t pos = in.find("\r\n") + 2;
    while (pos < head_end) {
        const size_t eol = in.find("\r\n", pos);
        const std::string line = in.substr(pos, eol - pos);
        const size_t colon = line.find(':');
        if (colon != std::string::npos) {
            std::string value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') value.erase(0, 1);
            reply.headers.emplace_back(line.substr(0, colon), value);
        }
        pos = eol + 2;
    }
    reply.body = in.substr(head_end + 4);
    return reply;
}

std::string GetRequest(const std::string& target) {
    return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
}

std::string PostRequest(const std::string& target, const std::string& body) {
    return "POST " + target +
           " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
           "Content-Type: application/json\r\nContent-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body;
}

class ServerTest : public ::testing::Test {
  protected:
    ServerTest() : router_(RouterDeps{.clock = &clock_, .ids = &ids_, .max_body_bytes = 1024}) {
        router_.Add({.method = Method::kGet,
                     .pattern = "/health/live",
                     .name = "health.live",
                     .auth = Auth::kPublic,
                     .handler = [](RequestContext&) -> Result<Reply> {
                         return Reply{.data = json{{"status", "ok"}}};
                     }});
        router_.Add({.method = Method::kPost,
                     .pattern = "/echo/{name}",
                     .name = "echo",
                     .auth = Auth::kPublic,
                     .handler = [](RequestContext& ctx) -> Result<Reply> {
                         const Request& r = ctx.request();
                         return Reply{.data = json{{"name", *ctx.PathParam("name")},
                                                   {"query", r.query},
                                                   {"body", r.body},
                                                   {"client", r.client_address}}};
                     }});
        router_.Add({.method = Method::kGet,
                     .pattern = "/slow",
                     .name = "slow",
                     .auth = Auth::kPublic,
                     .handler = [this](RequestContext&) -> Result<Reply> {
                         entered_.set_value();
                         release_.get_future().wait();
                         return Reply{.data = "done"};
                     }});
        // Hands its answer to the test, which gives it from its own thread (as the sales group
        // committer does).
        router_.Add({.method = Method::kPost,
                     .pattern = "/later",
                     .name = "later",
                     .auth = Auth::kPublic,
                     .handler = [this](RequestContext&) -> Result<Reply> {
                         return Reply::Later([this](std::function<void(Result<Reply>)> done) {
                             later_.set_value(std::move(done));
                         });
                     },
                     .defers_reply = true});
    }

    Server& Start(ServerOptions options = {}) {
        options.address = "127.0.0.1";
        options.port = 0;
        options.max_body_bytes = 1024;
        options.shutdown_grace = std::chrono::seconds(10);
        server_ = std::make_unique<Server>(router_, options);
        auto started = server_->Start();
        EXPECT_TRUE(started.ok()) << (started.ok() ? "" : started.error().detail());
        EXPECT_NE(server_->port(), 0);
        return *server_;
    }

    SystemClock clock_;
    RandomIdGenerator ids_{clock_};
    Router router_;
    std::unique_ptr<Server> server_;
    std::promise<void> entered_;
    std::promise<void> release_;
    std::promise<std::function<void(Result<Reply>)>> later_;
};

TEST_F(ServerTest, ServesRealRequests) {
    Server& server = Start();
    HttpReply live = Send(server.port(), GetRequest("/health/live"));
    ASSERT_EQ(live.status, 200);
    EXPECT_EQ(live.Header("Content-Type"), "application/json");
    ASSERT_TRUE(live.Header("X-Request-Id").has_value());
    json body = json::parse(live.body);
    EXPECT_EQ(body["data"]["status"], "ok");
    EXPECT_EQ(body["metadata"]["request_id"], *live.Header("X-Request-Id"));

    HttpReply echo = Send(server.port(), PostRequest("/echo/a%20b?x=1&y=%41", R"({"k":"v"})"));
    ASSERT_EQ(echo.status, 200);
    json data = json::parse(echo.body)["data"];
    EXPECT_EQ(data["name"], "a b");
    EXPECT_EQ(data["query"], "x=1&y=%41");
    EXPECT_EQ(data["body"], R"({"k":"v"})");
    EXPECT_EQ(data["client"], "127.0.0.1");

    EXPECT_EQ(Send(server.port(), GetRequest("/nothing")).status, 404);
    HttpReply not_allowed = Send(server.port(), GetRequest("/echo/x"));
    EXPECT_EQ(not_allowed.status, 405);
    EXPECT_EQ(not_allowed.Header("Allow"), "POST");
}

std::string PostWithForwardedFor(const std::string& forwarded_for) {
    const std::string body = "{}";
    return "POST /echo/x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
           "X-Forwarded-For: " +
           forwarded_for +
           "\r\n"
           "Content-Type: application/json\r\nContent-Length: 2\r\n\r\n" +
           body;
}

TEST_F(ServerTest, ForwardedForIsIgnoredUnlessTrusted) {
    Server& server = Start();
    HttpReply r = Send(server.port(), PostWithForwardedFor("203.0.113.9"));
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(json::parse(r.body)["data"]["client"], "127.0.0.1");
}

TEST_F(ServerTest, TrustedForwardedForUsesTheProxysEntry) {
    Server& server = Start(ServerOptions{.trust_forwarded_for = true});
    // The client forged the first entry; the proxy appended the real address last.
    HttpReply r = Send(server.port(), PostWithForwardedFor("10.0.0.1, 198.51.100.7"));
    ASSERT_EQ(r.status, 200);
    EXPECT_EQ(json::parse(r.body)["data"]["client"], "198.51.100.7");
    HttpReply junk = Send(server.port(), PostWithForwardedFor("1.2.3.4, not-an-address"));
    EXPECT_EQ(json::parse(junk.body)["data"]["client"], "127.0.0.1");
}

TEST_F(ServerTest, OversizedBodiesAreRefusedAndServingGoesOn) {
    Server& server = Start();
    HttpReply over = Send(server.port(), PostRequest("/echo/x", std::string(1500, 'x')));
    EXPECT_EQ(over.status, 413);
    EXPECT_EQ(json::parse(over.body)["error"]["code"], "payload_too_large");
    // Far over the limit: cut off while reading, no handler ever sees it.
    HttpReply huge = Send(server.port(), PostRequest("/echo/x", std::string(4 << 20, 'x')));
    EXPECT_NE(huge.status, 200);
    EXPECT_EQ(Send(server.port(), GetRequest("/health/live")).status, 200);
}

TEST_F(ServerTest, GracefulStopFinishesInFlightRequests) {
    Server& server = Start();
    const uint16_t port = server.port();
    auto slow = std::async(std::launch::async, [port] { return Send(port, GetRequest("/slow")); });
    entered_.get_future().wait();

    auto stopped = std::async(std::launch::async, [&server] { server.Stop(); });
    while (!router_.draining()) std::this_thread::yield();
    HttpReply refused = Send(port, GetRequest("/health/live"));
    EXPECT_EQ(refused.status, 503);
    EXPECT_EQ(refused.Header("Connection"), "close");
    EXPECT_EQ(stopped.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);

    release_.set_value();
    stopped.get();
    HttpReply finished = slow.get();
    EXPECT_EQ(finished.status, 200);
    EXPECT_EQ(json::parse(finished.body)["data"], "done");
    EXPECT_EQ(Send(port, GetRequest("/health/live")).status, 0);  // nobody listens any more
}

TEST_F(ServerTest, ADeferredReplyIsWrittenWhenGivenAndStopWaitsForIt) {
    // One worker, kept busy: the deferred request must not need one.
    Server& server = Start(ServerOptions{.worker_threads = 1});
    const uint16_t port = server.port();
    auto slow = std::async(std::launch::async, [port] { return Send(port, GetRequest("/slow")); });
    entered_.get_future().wait();
    auto later =
        std::async(std::launch::async, [port] { return Send(port, PostRequest("/later", "{}")); });
    std::function<void(Result<Reply>)> done = later_.get_future().get();
    EXPECT_EQ(later.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
    auto stopped = std::async(std::launch::async, [&server] { server.Stop(); });
    while (!router_.draining()) std::this_thread::yield();
    EXPECT_EQ(stopped.wait_for(std::chrono::milliseconds(50)), std::future_status::timeout);
    std::thread([&done] { done(Reply{.status = 201, .data = "stored"}); }).join();
    release_.set_value();
    stopped.get();
    HttpReply answered = later.get();
    EXPECT_EQ(answered.status, 201);
    EXPECT_EQ(json::parse(answered.body)["data"], "stored");
    EXPECT_TRUE(answered.Header("X-Request-Id").has_value());
    EXPECT_EQ(slow.get().status, 200);
}

TEST_F(ServerTest, ADeferredAnswerAfterTheShutdownGraceIsDropped) {
    Server server(router_, ServerOptions{.address = "127.0.0.1",
                                         .port = 0,
                                         .shutdown_grace = std::chrono::milliseconds(100)});
    ASSERT_TRUE(server.Start().ok());
    const uint16_t port = server.port();
    auto later =
        std::async(std::launch::async, [port] { return Send(port, PostRequest("/later", "{}")); });
    std::function<void(Result<Reply>)> done = later_.get_future().get();
    server.Stop();  // the answer never came within the grace
    // It comes now, with the I/O context gone: dropped, not written (ASan would catch a write).
    done(Reply{.status = 201, .data = "too late"});
    EXPECT_EQ(later.get().status, 0);  // the connection closed unanswered
}

TEST_F(ServerTest, BusyPortIsUnavailable) {
    Server& first = Start();
    Server second(router_, ServerOptions{.address = "127.0.0.1", .port = first.port()});
    auto started = second.Start();
    ASSERT_FALSE(started.ok());
    EXPECT_EQ(started.error().code(), ErrorCode::kUnavailable);
    EXPECT_EQ(Send(first.port(), GetRequest("/health/live")).status, 200);
}

// The web console through the real server: files, gzip, revalidation, client routes, HEAD,
// and the API's own 404 beside it.
TEST(ServerConsoleTest, ServesTheConsoleBesideTheApi) {
    namespace fs = std::filesystem;
    std::string pattern = (fs::temp_directory_path() / "omc-console-XXXXXX").string();
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    const fs::path root = pattern;
    std::string index = "<!doctype html><title>OMC</title>";
    for (int i = 0; i < 50; ++i) index += "<script type=module src=/assets/app-abc123.js></script>";
    fs::create_directories(root / "assets");
    std::ofstream(root / "index.html") << index;
    std::ofstream(root / "assets" / "app-abc123.js") << "console.log('omc');\n";

    auto site = StaticSite::Load(root.string());
    ASSERT_TRUE(site.ok());
    SystemClock clock;
    RandomIdGenerator ids{clock};
    Router router(RouterDeps{.clock = &clock, .ids = &ids, .static_site = site->get()});
    router.Add({.method = Method::kGet,
                .pattern = "/health/live",
                .name = "health.live",
                .auth = Auth::kPublic,
                .handler = [](RequestContext&) -> Result<Reply> {
                    return Reply{.data = json{{"status", "ok"}}};
                }});
    Server server(router, ServerOptions{.address = "127.0.0.1", .port = 0});
    ASSERT_TRUE(server.Start().ok());
    const uint16_t port = server.port();

    HttpReply gz = Send(port,
                        "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
                        "Accept-Encoding: gzip, deflate\r\n\r\n");
    ASSERT_EQ(gz.status, 200);
    EXPECT_EQ(gz.Header("Content-Type"), "text/html; charset=utf-8");
    EXPECT_EQ(gz.Header("Content-Encoding"), "gzip");
    EXPECT_EQ(gz.Header("Vary"), "Accept-Encoding");
    EXPECT_EQ(gz.Header("Cache-Control"), "no-cache");
    EXPECT_EQ(gz.Header("X-Frame-Options"), "DENY");
    ASSERT_TRUE(gz.Header("X-Request-Id").has_value());
    {
        z_stream stream{};
        ASSERT_EQ(inflateInit2(&stream, 15 + 16), Z_OK);
        std::string out(64 * 1024, '\0');
        stream.next_in = reinterpret_cast<Bytef*>(gz.body.data());
        stream.avail_in = static_cast<uInt>(gz.body.size());
        stream.next_out = reinterpret_cast<Bytef*>(out.data());
        stream.avail_out = static_cast<uInt>(out.size());
        EXPECT_EQ(inflate(&stream, Z_FINISH), Z_STREAM_END);
        out.resize(stream.total_out);
        inflateEnd(&stream);
        EXPECT_EQ(out, index);
    }

    HttpReply js = Send(port, GetRequest("/assets/app-abc123.js"));
    ASSERT_EQ(js.status, 200);
    EXPECT_EQ(js.Header("Content-Type"), "text/javascript; charset=utf-8");
    EXPECT_EQ(js.Header("Cache-Control"), "public, max-age=31536000, immutable");
    EXPECT_EQ(js.body, "console.log('omc');\n");

    HttpReply route = Send(port, GetRequest("/stations/abc"));
    EXPECT_EQ(route.status, 200);
    EXPECT_EQ(route.body, index);
    const std::string etag = route.Header("ETag").value_or("");
    HttpReply cached = Send(port,
                            "GET /stations/abc HTTP/1.1\r\nHost: localhost\r\n"
                            "Connection: close\r\nIf-None-Match: " +
                                etag + "\r\n\r\n");
    EXPECT_EQ(cached.status, 304);
    EXPECT_TRUE(cached.body.empty());

    HttpReply head = Send(port, "HEAD / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(head.status, 200);
    EXPECT_TRUE(head.body.empty());
    EXPECT_EQ(head.Header("ETag"), etag);

    EXPECT_EQ(Send(port, GetRequest("/assets/x.js")).status, 404);
    HttpReply api = Send(port, GetRequest("/api/v1/nope"));
    EXPECT_EQ(api.status, 404);
    EXPECT_EQ(json::parse(api.body)["error"]["message"], "route not found");
    HttpReply post = Send(port, PostRequest("/", "{}"));
    EXPECT_EQ(post.status, 405);
    EXPECT_EQ(post.Header("Allow"), "GET, HEAD");
    EXPECT_EQ(Send(port, GetRequest("/health/live")).status, 200);
    server.Stop();
    fs::remove_all(root);
}

TEST_F(ServerTest, StopWithoutStartIsHarmless) {
    Server server(router_, ServerOptions{});
    server.Stop();
    server.Stop();
}

}  // namespace
}  // namespace omc::http
