#include "platform/http/server.hpp"

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include <restinio/all.hpp>

#include "platform/base/assert.hpp"
#include "platform/base/thread_name.hpp"
#include "platform/log/log.hpp"

namespace omc::http {
namespace {

// RESTinio's own diagnostics into our JSON log. Its "info" is chatty (one line per connection),
// so it goes to debug; trace is dropped.
bool IsClientDisconnect(const std::string& detail) {
    for (const char* ordinary : {"Connection reset by peer", "End of file", "Bad file descriptor",
                                 "Broken pipe", "Operation canceled"}) {
        if (detail.find(ordinary) != std::string::npos) return true;
    }
    return false;
}

class LogAdapter {
  public:
    template <typename Builder>
    void trace(Builder&&) {}
    template <typename Builder>
    void info(Builder&& msg) {
        Write(log::Level::kDebug, std::forward<Builder>(msg));
    }
    template <typename Builder>
    void warn(Builder&& msg) {
        Write(log::Level::kWarn, std::forward<Builder>(msg));
    }
    template <typename Builder>
    void error(Builder&& msg) {
        Write(log::Level::kError, std::forward<Builder>(msg));
    }

  private:
    template <typename Builder>
    static void Write(log::Level level, Builder&& msg) {
        try {
            if (!log::Enabled(level)) return;  // msg() formats; skip it when the line is dropped
            std::string detail = msg();
            // A client closing its connection is ordinary traffic (every load balancer health
            // check, every browser tab closed), not an error worth waking an operator for.
            if (level == log::Level::kError && IsClientDisconnect(detail)) {
                level = log::Level::kDebug;
                if (!log::Enabled(level)) return;
            }
            log::Write(level, "restinio", {{"detail", std::move(detail)}});
        } catch (...) {
            // A logger must never take the server down.
        }
    }
};

struct Traits : public restinio::traits_t<restinio::asio_timer_manager_t, LogAdapter> {
    static constexpr bool use_connection_count_limiter = true;
};

using HttpServer = restinio::http_server_t<Traits>;
using RequestHandle = restinio::request_handle_t;

// A fixed set of threads taking tasks from a bounded queue.
class WorkerPool {
  public:
    WorkerPool(int threads, size_t queue_max) : queue_max_(queue_max) {
        for (int i = 0; i < threads; ++i) {
            threads_.emplace_back([this] {
                NameThisThread("omc-http-work");
                Run();
            });
        }
    }
    ~WorkerPool() { Shutdown(); }

    // False when the queue is full or the pool is shutting down.
    bool TryPost(std::function<void()> task) {
        {
            std::lock_guard lock(mu_);
            if (stopping_ || queue_.size() >= queue_max_) return false;
            queue_.push_back(std::move(task));
        }
        cv_.notify_one();
        return true;
    }

    // Runs what is queued, then joins the threads.
    void Shutdown() {
        {
            std::lock_guard lock(mu_);
            stopping_ = true;
        }
        cv_.notify_all();
        for (auto& t : threads_) {
            if (t.joinable()) t.join();
        }
        threads_.clear();
    }

  private:
    void Run() {
        while (true) {
            std::function<void()> task;
            {
                std::unique_lock lock(mu_);
                cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
                if (queue_.empty()) return;  // stopping and drained
                task = std::move(queue_.front());
                queue_.pop_front();
            }
            task();
        }
    }

    const size_t queue_max_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::function<void()>> queue_;  // GUARDED_BY(mu_)
    bool stopping_ = false;                    // GUARDED_BY(mu_)
    std::vector<std::thread> threads_;
};

int HexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Percent-decodes a URL path ('+' stays '+'). nullopt for a broken escape or an encoded NUL.
std::optional<std::string> DecodePath(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '%') {
            out.push_back(raw[i]);
            continue;
        }
        if (i + 2 >= raw.size()) return std::nullopt;
        const int hi = HexDigit(raw[i + 1]);
        const int lo = HexDigit(raw[i + 2]);
        if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) return std::nullopt;
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
    }
    return out;
}

// Copies what the router needs out of RESTinio's request. An error for what our Request cannot
// express (an unsupported method, a broken path escape).
// Takes the client address from the right-most X-Forwarded-For entry (see ServerOptions).
void ApplyForwardedFor(Request& request) {
    auto header = request.Header("X-Forwarded-For");
    if (!header) return;
    std::string_view list = *header;
    const size_t comma = list.rfind(',');
    std::string_view last = comma == std::string_view::npos ? list : list.substr(comma + 1);
    while (!last.empty() && last.front() == ' ') last.remove_prefix(1);
    while (!last.empty() && last.back() == ' ') last.remove_suffix(1);
    // An address is short and plain; anything else is ignored rather than trusted.
    if (last.empty() || last.size() > 45 ||
        last.find_first_not_of("0123456789abcdefABCDEF.:") != std::string_view::npos) {
        return;
    }
    request.client_address = std::string(last);
}

// asio's to_string() goes through inet_ntop and snprintf; IPv4, the common case, is formatted
// by hand because this runs on every request.
std::string AddressText(const asio::ip::address& address) {
    if (address.is_v4()) {
        const auto bytes = address.to_v4().to_bytes();
        std::string out;
        out.reserve(15);
        for (size_t i = 0; i < bytes.size(); ++i) {
            if (i > 0) out.push_back('.');
            const unsigned v = bytes[i];
            if (v >= 100) out.push_back(static_cast<char>('0' + v / 100));
            if (v >= 10) out.push_back(static_cast<char>('0' + v / 10 % 10));
            out.push_back(static_cast<char>('0' + v % 10));
        }
        return out;
    }
    asio::error_code ec;
    std::string text = address.to_string(ec);
    return ec ? "unknown" : text;
}

Result<Request> Convert(const restinio::request_t& req) {
    Request request;
    const auto& header = req.header();
    std::optional<Method> method = ParseMethod(header.method().c_str());
    request.client_address = AddressText(req.remote_endpoint().address());
    request.headers.reserve(header.fields_count());
    header.for_each_field([&request](const restinio::http_header_field_t& field) {
        request.headers.emplace_back(field.name(), field.value());
    });
    request.query = std::string(header.query());
    std::optional<std::string> path = DecodePath(header.path());
    if (!method) return InvalidArgument("method", "unsupported HTTP method");
    if (!path) return InvalidArgument("path", "malformed percent-encoding");
    request.method = *method;
    request.path = std::move(*path);
    request.body = req.body();
    return request;
}

std::string_view ReasonPhrase(int status) {
    switch (status) {
        case 200:
            return "OK";
        case 201:
            return "Created";
        case 202:
            return "Accepted";
        case 204:
            return "No Content";
        case 304:
            return "Not Modified";
        case 400:
            return "Bad Request";
        case 401:
            return "Unauthorized";
        case 403:
            return "Forbidden";
        case 404:
            return "Not Found";
        case 405:
            return "Method Not Allowed";
        case 409:
            return "Conflict";
        case 413:
            return "Payload Too Large";
        case 422:
            return "Unprocessable Entity";
        case 429:
            return "Too Many Requests";
        case 500:
            return "Internal Server Error";
        case 503:
            return "Service Unavailable";
        default:
            return status < 400 ? "OK" : "Error";
    }
}

}  // namespace

struct Server::Impl {
    Impl(Router& r, ServerOptions o) : router(r), options(std::move(o)) {}

    Router& router;
    const ServerOptions options;
    std::unique_ptr<asio::io_context> io;
    std::unique_ptr<HttpServer> server;
    std::unique_ptr<WorkerPool> workers;
    std::vector<std::thread> io_threads;
    std::atomic<uint16_t> bound_port{0};
    // Requests received whose answer is not yet written (or failed to be).
    std::atomic<int64_t> pending{0};
    // The requests whose answer another thread will give (Route::defers_reply), held here rather
    // than by that thread: a RESTinio request handle must not outlive the server (its connection
    // reports to the server's connection limiter when it goes). Stop releases those still
    // unanswered after the shutdown grace (a database that hung), and their late answers are
    // dropped instead of written through a connection whose I/O context is gone.
    struct Deferred {
        std::mutex mu;
        uint64_t last_id = 0;                                 // GUARDED_BY(mu)
        std::unordered_map<uint64_t, RequestHandle> waiting;  // GUARDED_BY(mu)
    };
    std::shared_ptr<Deferred> deferred = std::make_shared<Deferred>();
    std::mutex state_mu;
    bool running = false;  // GUARDED_BY(state_mu)

    restinio::request_handling_status_t Handle(const RequestHandle& req);
    void Write(const RequestHandle& req, Response response);
    restinio::server_settings_t<Traits> Settings();
    void JoinIo();
};

void Server::Impl::Write(const RequestHandle& req, Response response) {
    try {
        const auto code = static_cast<std::uint16_t>(response.status);
        auto builder = req->create_response(restinio::http_status_line_t{
            restinio::http_status_code_t{code}, std::string(ReasonPhrase(response.status))});
        if (!response.body.empty() || response.status != 204) {
            builder.append_header(restinio::http_field::content_type,
                                  std::move(response.content_type));
        }
        for (auto& [name, value] : response.headers) {
            if (name == "Connection" && value == "close") {
                builder.connection_close();
                continue;
            }
            builder.append_header(std::move(name), std::move(value));
        }
        builder.set_body(std::move(response.body));
        builder.done([this](const asio::error_code&) { pending.fetch_sub(1); });
    } catch (const std::exception& e) {
        pending.fetch_sub(1);
        log::Warn("http: could not write a response", {{"detail", e.what()}});
    }
}

restinio::request_handling_status_t Server::Impl::Handle(const RequestHandle& req) {
    pending.fetch_add(1);
    Result<Request> converted = Convert(*req);
    if (!converted.ok()) {
        Request minimal;
        minimal.method = Method::kGet;
        minimal.path = std::string(req->header().path());
        Write(req, router.Refuse(minimal, converted.error()));
        return restinio::request_accepted();
    }
    if (options.trust_forwarded_for) ApplyForwardedFor(*converted);
    // Matched once here: the route decides the thread, and Dispatch reuses the match. What no
    // route matched (a 404, a 405, a web console file from memory) never touches the database
    // and is answered here too.
    RouteMatch match = router.Match(*converted);
    if (match.route == nullptr || match.route->runs_inline) {
        Write(req, router.Dispatch(*converted, match));
        return restinio::request_accepted();
    }
    // A route that hands its work on (a sale to its group committer) is answered by the thread
    // that finishes it: no worker waits per request, and no hop to a worker and back.
    if (router.AnswersWithoutBlocking(*converted, match)) {
        uint64_t id = 0;
        {
            std::lock_guard lock(deferred->mu);
            id = ++deferred->last_id;
            deferred->waiting.emplace(id, req);
        }
        router.DispatchAsync(std::move(converted).value(), std::move(match),
                             [this, id, held = deferred](Response response) {
                                 // Written under the lock, so Stop cannot tear the I/O context
                                 // down meanwhile (writing only queues the answer on its strand).
                                 std::lock_guard lock(held->mu);
                                 auto it = held->waiting.find(id);
                                 if (it == held->waiting.end()) {
                                     log::Warn("http server: an answer came after shutdown",
                                               {{"status", response.status}});
                                     return;
                                 }
                                 const RequestHandle handle = std::move(it->second);
                                 held->waiting.erase(it);
                                 Write(handle, std::move(response));
                             });
        return restinio::request_accepted();
    }
    struct Matched {
        Request request;
        RouteMatch match;
    };
    auto matched =
        std::make_shared<Matched>(Matched{std::move(converted).value(), std::move(match)});
    const bool queued = workers->TryPost([this, req, matched] {
        Response response;
        try {
            response = router.Dispatch(matched->request, matched->match);
        } catch (const std::exception& e) {  // Dispatch does not throw; belt and braces
            response = router.Refuse(matched->request, Internal(e.what()));
        }
        Write(req, std::move(response));
    });
    if (!queued) {
        Response busy =
            router.Refuse(matched->request, Error(ErrorCode::kUnavailable, "server busy"));
        busy.headers.emplace_back("Retry-After", "1");
        Write(req, std::move(busy));
    }
    return restinio::request_accepted();
}

restinio::server_settings_t<Traits> Server::Impl::Settings() {
    restinio::server_settings_t<Traits> settings;
    // Bodies a little over the limit still reach the router, which answers a proper 413; far
    // larger ones are cut off while being read (RESTinio closes the connection).
    const uint64_t body_cutoff = static_cast<uint64_t>(options.max_body_bytes) * 2 + 4096;
    settings.address(options.address)
        .port(options.port)
        .concurrent_accepts_count(static_cast<std::size_t>(std::max(1, options.io_threads)))
        .max_parallel_connections(options.max_connections)
        .read_next_http_message_timelimit(options.read_timeout)
        .handle_request_timeout(options.handle_timeout)
        .write_http_response_timelimit(options.write_timeout)
        .incoming_http_msg_limits(restinio::incoming_http_msg_limits_t{}
                                      .max_url_size(8 * 1024)
                                      .max_field_name_size(256)
                                      .max_field_value_size(16 * 1024)
                                      .max_field_count(100)
                                      .max_body_size(body_cutoff))
        .socket_options_setter(
            [](auto& socket_options) { socket_options.set_option(asio::ip::tcp::no_delay{true}); })
        .acceptor_post_bind_hook([this](asio::ip::tcp::acceptor& acceptor) {
            bound_port.store(acceptor.local_endpoint().port());
        })
        .request_handler([this](RequestHandle req) { return Handle(req); });
    return settings;
}

void Server::Impl::JoinIo() {
    for (auto& t : io_threads) {
        if (t.joinable()) t.join();
    }
    io_threads.clear();
}

Server::Server(Router& router, ServerOptions options)
    : impl_(std::make_unique<Impl>(router, std::move(options))) {}

Server::~Server() { Stop(); }

uint16_t Server::port() const { return impl_->bound_port.load(); }

Result<void> Server::Start() {
    Impl& s = *impl_;
    std::lock_guard lock(s.state_mu);
    ERP_INVARIANT(!s.running && s.io == nullptr, "Server::Start() is called once");
    if (s.options.io_threads < 1 || s.options.worker_threads < 1 ||
        s.options.worker_queue_max < 1 || s.options.max_connections < 1) {
        return Error(ErrorCode::kInvalidArgument,
                     "server threads, queue and connections must be positive");
    }
    s.io = std::make_unique<asio::io_context>();
    try {
        s.server = std::make_unique<HttpServer>(restinio::external_io_context(*s.io), s.Settings());
    } catch (const std::exception& e) {
        return Error(ErrorCode::kInvalidArgument, "invalid server settings").WithDetail(e.what());
    }
    s.workers = std::make_unique<WorkerPool>(s.options.worker_threads, s.options.worker_queue_max);
    // Keeps run() from returning before the listener is open.
    auto guard = asio::make_work_guard(*s.io);
    for (int i = 0; i < s.options.io_threads; ++i) {
        s.io_threads.emplace_back([&io = *s.io] {
            NameThisThread("omc-http-io");
            io.run();
        });
    }
    std::promise<std::string> opened;  // empty: ok; otherwise the reason
    s.server->open_async([&opened] { opened.set_value({}); },
                         [&opened](std::exception_ptr ex) {
                             try {
                                 std::rethrow_exception(ex);
                             } catch (const std::exception& e) {
                                 opened.set_value(e.what());
                             } catch (...) {
                                 opened.set_value("unknown error");
                             }
                         });
    const std::string failure = opened.get_future().get();
    guard.reset();
    if (!failure.empty()) {
        s.io->stop();
        s.JoinIo();
        s.workers->Shutdown();
        return Error(ErrorCode::kUnavailable,
                     "cannot listen on " + s.options.address + ":" + std::to_string(s.options.port))
            .WithDetail(failure);
    }
    s.running = true;
    log::Info("http server listening", {{"address", s.options.address}, {"port", port()}});
    return Ok();
}

void Server::Stop() {
    Impl& s = *impl_;
    std::lock_guard lock(s.state_mu);
    if (!s.running) return;
    s.running = false;
    s.router.SetDraining(true);
    const auto deadline = std::chrono::steady_clock::now() + s.options.shutdown_grace;
    while ((s.pending.load() > 0 || s.router.InFlight() > 0) &&
           std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (s.pending.load() > 0) {
        log::Warn("http server: shutdown grace over with requests unanswered",
                  {{"pending", s.pending.load()}});
    }
    {
        std::lock_guard deferred_lock(s.deferred->mu);
        s.deferred->waiting.clear();
    }
    std::promise<void> closed;
    s.server->close_async([&closed] { closed.set_value(); },
                          [&closed](std::exception_ptr) { closed.set_value(); });
    closed.get_future().wait_for(std::chrono::seconds(5));
    s.workers->Shutdown();
    s.io->stop();
    s.JoinIo();
    s.server.reset();
    s.io.reset();
    log::Info("http server stopped");
}

}  // namespace omc::http
