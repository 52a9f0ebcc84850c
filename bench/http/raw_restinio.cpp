// The "raw RESTinio" reference for bench/http/run.sh: plain RESTinio 0.6 on the same number of
// I/O threads as omc serve, answering straight from the I/O thread with no router, no worker
// hand-off, no authentication, no envelope, no metrics and no logging:
//   GET /health/live        a small JSON body
//   GET /api/v1/events      the same indexed read omc's events route does (one SELECT on
//                           outbox_events by tenant and cursor), on a per-thread connection to
//                           the same database (--sqlite PATH or --pg URL)
// What omc adds on top of this is the cost of its pipeline.
//
//   raw_restinio [--port 18081] [--threads 2] [--sqlite PATH | --pg URL] [--tenant UUID]
#include <cstdlib>
#include <iostream>
#include <string>

#include <libpq-fe.h>
#include <sqlite3.h>

#include <restinio/all.hpp>

namespace {

struct Traits : public restinio::traits_t<restinio::asio_timer_manager_t, restinio::null_logger_t> {
    static constexpr bool use_connection_count_limiter = true;
};

constexpr const char* kSqliteQuery =
    "SELECT cursor, id, type, payload FROM outbox_events "
    "WHERE tenant_id = $1 AND cursor IS NOT NULL AND cursor > $2 ORDER BY cursor LIMIT $3";
constexpr const char* kPgQuery =
    "SELECT cursor, id, type, payload FROM outbox_events "
    "WHERE tenant_id = $1 AND cursor IS NOT NULL AND cursor > $2 ORDER BY cursor LIMIT $3";

struct Options {
    std::string sqlite_path;
    std::string pg_url;
    std::string tenant = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
};

// One connection and prepared statement per I/O thread, opened on first use.
std::string ReadSqlite(const Options& o) {
    thread_local sqlite3* db = nullptr;
    thread_local sqlite3_stmt* stmt = nullptr;
    if (db == nullptr) {
        sqlite3_open_v2(o.sqlite_path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
                        nullptr);
        sqlite3_busy_timeout(db, 5000);
        sqlite3_prepare_v3(db, kSqliteQuery, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
    }
    sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    sqlite3_bind_text(stmt, 1, o.tenant.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_int64(stmt, 2, 0);
    sqlite3_bind_int64(stmt, 3, 1);
    std::string body = R"({"data":[)";
    while (sqlite3_step(stmt) == SQLITE_ROW) {
        body += R"({"cursor":)" + std::to_string(sqlite3_column_int64(stmt, 0)) + R"(,"id":")" +
                reinterpret_cast<const char*>(sqlite3_column_text(stmt, 1)) + R"("})";
    }
    sqlite3_reset(stmt);
    sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    return body + "]}";
}

std::string ReadPostgres(const Options& o) {
    thread_local PGconn* conn = nullptr;
    if (conn == nullptr) {
        conn = PQconnectdb(o.pg_url.c_str());
        PQclear(PQprepare(conn, "list", kPgQuery, 3, nullptr));
    }
    // The same transaction shape as omc: BEGIN, set the tenant for row-level security, read.
    PQclear(PQexec(conn, "BEGIN READ ONLY"));
    const char* tenant_param[1] = {o.tenant.c_str()};
    PQclear(PQexecParams(conn, "SELECT set_config('app.tenant_id', $1, true)", 1, nullptr,
                         tenant_param, nullptr, nullptr, 0));
    const char* params[3] = {o.tenant.c_str(), "0", "1"};
    PGresult* r = PQexecPrepared(conn, "list", 3, params, nullptr, nullptr, 0);
    std::string body = R"({"data":[)";
    for (int i = 0; i < PQntuples(r); ++i) {
        body += R"({"cursor":)" + std::string(PQgetvalue(r, i, 0)) + R"(,"id":")" +
                PQgetvalue(r, i, 1) + R"("})";
    }
    PQclear(r);
    PQclear(PQexec(conn, "COMMIT"));
    return body + "]}";
}

}  // namespace

int main(int argc, char** argv) {
    uint16_t port = 18081;
    std::size_t threads = 2;
    Options options;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--port") port = static_cast<uint16_t>(std::atoi(argv[i + 1]));
        if (flag == "--threads") threads = static_cast<std::size_t>(std::atoi(argv[i + 1]));
        if (flag == "--sqlite") options.sqlite_path = argv[i + 1];
        if (flag == "--pg") options.pg_url = argv[i + 1];
        if (flag == "--tenant") options.tenant = argv[i + 1];
    }
    try {
        restinio::run(restinio::on_thread_pool<Traits>(threads)
                          .address("127.0.0.1")
                          .port(port)
                          .max_parallel_connections(1024)
                          .socket_options_setter([](auto& socket_options) {
                              socket_options.set_option(asio::ip::tcp::no_delay{true});
                          })
                          .request_handler([&options](restinio::request_handle_t req) {
                              if (req->header().method() != restinio::http_method_get()) {
                                  return req->create_response(restinio::status_not_found()).done();
                              }
                              std::string body;
                              const auto path = req->header().path();
                              if (path == "/health/live") {
                                  body = R"({"success":true,"data":{"status":"live"}})";
                              } else if (path == "/api/v1/events" && !options.pg_url.empty()) {
                                  body = ReadPostgres(options);
                              } else if (path == "/api/v1/events" && !options.sqlite_path.empty()) {
                                  body = ReadSqlite(options);
                              } else {
                                  return req->create_response(restinio::status_not_found()).done();
                              }
                              return req->create_response()
                                  .append_header(restinio::http_field::content_type,
                                                 "application/json")
                                  .set_body(std::move(body))
                                  .done();
                          }));
    } catch (const std::exception& e) {
        std::cerr << "raw_restinio: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
