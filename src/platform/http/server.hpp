// The HTTP server: RESTinio 0.6 on a pool of I/O threads, handing every request to a bounded pool
// of worker threads that run Router::Dispatch. RESTinio is included only by server.cpp.
//
// Limits: at most max_connections open connections; a request line, headers and body bounded
// (bodies up to max_body_bytes reach the router, which answers 413 above it; bodies beyond twice
// that are cut off while still being read and the connection is closed); read, handle and write
// timeouts; a worker queue of worker_queue_max requests, beyond which the answer is 503.
//
// Graceful stop: the router starts draining (new requests get 503 with Connection: close), the
// requests already running finish and their answers are written, for up to shutdown_grace;
// then the listener closes and the threads are joined.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "platform/base/result.hpp"
#include "platform/http/router.hpp"

namespace omc::http {

struct ServerOptions {
    std::string address = "127.0.0.1";
    uint16_t port = 8080;  // 0: any free port; port() reports it after Start()
    int io_threads = 1;
    int worker_threads = 2;
    size_t worker_queue_max = 1024;
    size_t max_body_bytes = 1 << 20;
    size_t max_connections = 1024;
    std::chrono::milliseconds read_timeout{15'000};    // to receive a whole request
    std::chrono::milliseconds handle_timeout{60'000};  // for a handler to produce its answer
    std::chrono::milliseconds write_timeout{15'000};   // to write an answer
    std::chrono::milliseconds shutdown_grace{10'000};
    // Behind a trusted reverse proxy (nginx with proxy_add_x_forwarded_for) the client is the
    // right-most X-Forwarded-For entry, the one the proxy appended; earlier entries come from the
    // client and can be forged. Off by default: a direct client could forge the header.
    bool trust_forwarded_for = false;
};

class Server {
  public:
    // `router` must outlive the server.
    Server(Router& router, ServerOptions options);
    ~Server();  // Stop()s if running
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Binds and starts serving. kUnavailable when the address cannot be bound (the reason in
    // the error's detail); kInvalidArgument for impossible options. Call once.
    Result<void> Start();
    // Graceful stop, as described above. Safe to call twice, and without Start().
    void Stop();
    // The bound port (the real one when options.port was 0). 0 before Start().
    uint16_t port() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace omc::http
