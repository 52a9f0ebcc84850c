// The "raw RESTinio" reference for bench/http/run.sh: plain RESTinio 0.6 on the same number of
// I/O threads as omc serve, answering GET /health/live with a small JSON body straight from the
// I/O thread: no router, no worker hand-off, no envelope, no logging. What omc adds on top of
// this is the cost of its pipeline.
//
//   raw_restinio [--port 18081] [--threads 2]
#include <cstdlib>
#include <iostream>
#include <string>

#include <restinio/all.hpp>

namespace {

struct Traits : public restinio::traits_t<restinio::asio_timer_manager_t, restinio::null_logger_t> {
    static constexpr bool use_connection_count_limiter = true;
};

}  // namespace

int main(int argc, char** argv) {
    uint16_t port = 18081;
    std::size_t threads = 2;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--port") port = static_cast<uint16_t>(std::atoi(argv[i + 1]));
        if (flag == "--threads") threads = static_cast<std::size_t>(std::atoi(argv[i + 1]));
    }
    try {
        restinio::run(restinio::on_thread_pool<Traits>(threads)
                          .address("127.0.0.1")
                          .port(port)
                          .max_parallel_connections(1024)
                          .socket_options_setter([](auto& options) {
                              options.set_option(asio::ip::tcp::no_delay{true});
                          })
                          .request_handler([](restinio::request_handle_t req) {
                              if (req->header().method() != restinio::http_method_get() ||
                                  req->header().path() != "/health/live") {
                                  return req->create_response(restinio::status_not_found()).done();
                              }
                              return req->create_response()
                                  .append_header(restinio::http_field::content_type,
                                                 "application/json")
                                  .set_body(R"({"success":true,"data":{"status":"ok"}})")
                                  .done();
                          }));
    } catch (const std::exception& e) {
        std::cerr << "raw_restinio: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
