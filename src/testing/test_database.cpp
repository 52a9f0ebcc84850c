#include "testing/test_database.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <fmt/format.h>

#include "platform/base/id.hpp"
#include "platform/db/migrator.hpp"

namespace omc::testing {
namespace {

// Reports a setup failure on the running test and aborts it (GoogleTest records the exception
// as a failure too), so a missing database can never pass for a skipped one.
[[noreturn]] void FailSetup(const std::string& message) {
    ADD_FAILURE() << message;
    throw std::runtime_error(message);
}

std::string Env(const char* name) {
    const char* value = std::getenv(name);
    return value ? value : "";
}

// postgresql://user@host:port/omc?x=y -> postgresql://user@host:port/<name>?x=y
std::string WithDatabaseName(const std::string& url, const std::string& name) {
    const size_t scheme = url.find("://");
    if (scheme == std::string::npos) FailSetup("OMC_TEST_PG_URL is not a postgresql:// URL");
    const size_t query = url.find('?', scheme + 3);
    const std::string head = url.substr(0, query);
    const std::string tail = query == std::string::npos ? "" : url.substr(query);
    const size_t slash = head.find('/', scheme + 3);
    const std::string authority = slash == std::string::npos ? head : head.substr(0, slash);
    return authority + "/" + name + tail;
}

// Runs one statement on a fresh admin connection to OMC_TEST_PG_URL; returns the error text.
std::string RunAdminStatement(const std::string& base_url, const std::string& sql) {
    PGconn* conn = PQconnectdb(base_url.c_str());
    std::string error;
    if (PQstatus(conn) != CONNECTION_OK) {
        error = PQerrorMessage(conn);
    } else {
        PGresult* res = PQexec(conn, sql.c_str());
        if (PQresultStatus(res) != PGRES_COMMAND_OK) error = PQresultErrorMessage(res);
        PQclear(res);
    }
    PQfinish(conn);
    return error;
}

void Migrate(db::Database& database) {
    SystemClock clock;
    auto status = db::ApplyMigrations(database, db::EmbeddedMigrationFiles(), clock);
    if (!status.ok()) {
        FailSetup(fmt::format("migrating the test database failed: {} ({})",
                              status.error().message(), status.error().detail()));
    }
}

std::unique_ptr<db::Database> OpenOrFail(db::DatabaseOptions options) {
    auto opened = db::Open(options);
    if (!opened.ok()) {
        FailSetup(fmt::format("cannot open test database {}: {} ({})", options.url,
                              opened.error().message(), opened.error().detail()));
    }
    return std::move(opened).value();
}

std::unique_ptr<TestDatabase> OpenSqlite(db::DatabaseOptions options) {
    const auto path =
        std::filesystem::temp_directory_path() / fmt::format("omc-test-{}.db", RandomHex(8));
    options.url = "sqlite:" + path.string();
    auto database = OpenOrFail(options);
    auto cleanup = [path] {
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm"}) {
            std::filesystem::remove(path.string() + suffix, ec);
        }
    };
    return std::make_unique<TestDatabase>(std::move(database), options.url, cleanup);
}

std::unique_ptr<TestDatabase> OpenPostgres(db::DatabaseOptions options) {
    const std::string base_url = TestPostgresUrl();
    const std::string name = "omc_t_" + RandomHex(8);
    const std::string error = RunAdminStatement(base_url, "CREATE DATABASE " + name);
    if (!error.empty()) {
        FailSetup(fmt::format("cannot create test database {} through OMC_TEST_PG_URL={}: {}", name,
                              base_url, error));
    }
    options.url = WithDatabaseName(base_url, name);
    auto cleanup = [base_url, name] {
        // FORCE terminates any backend still connected (a leaked pool) before dropping.
        (void)RunAdminStatement(base_url, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    };
    auto opened = db::Open(options);
    if (!opened.ok()) {
        cleanup();
        FailSetup(fmt::format("cannot open test database {}: {} ({})", options.url,
                              opened.error().message(), opened.error().detail()));
    }
    return std::make_unique<TestDatabase>(std::move(opened).value(), options.url, cleanup);
}

}  // namespace

db::Engine TestEngine() {
    const std::string engine = Env("OMC_TEST_ENGINE");
    if (engine.empty() || engine == "sqlite") return db::Engine::kSqlite;
    if (engine == "postgres") return db::Engine::kPostgres;
    FailSetup("OMC_TEST_ENGINE must be 'sqlite' or 'postgres', not '" + engine + "'");
}

std::string TestPostgresUrl() {
    const std::string url = Env("OMC_TEST_PG_URL");
    if (url.empty()) {
        FailSetup(
            "OMC_TEST_ENGINE=postgres needs OMC_TEST_PG_URL (a postgresql:// URL of a "
            "non-superuser role with CREATEDB). Start a throwaway cluster with: "
            "eval $(bash scripts/pg-cluster.sh start /tmp/omc-pg)");
    }
    return url;
}

TestDatabase::TestDatabase(std::unique_ptr<db::Database> db, std::string url,
                           std::function<void()> cleanup)
    : db_(std::move(db)), url_(std::move(url)), cleanup_(std::move(cleanup)) {}

TestDatabase::~TestDatabase() {
    db_.reset();  // close the pool before its storage goes
    if (cleanup_) cleanup_();
}

std::unique_ptr<TestDatabase> OpenFreshDatabase(bool migrate) {
    db::DatabaseOptions options;
    options.pool_size = 4;
    return OpenFreshDatabase(migrate, options);
}

std::unique_ptr<TestDatabase> OpenFreshDatabase(bool migrate, db::DatabaseOptions options) {
    auto database =
        TestEngine() == db::Engine::kPostgres ? OpenPostgres(options) : OpenSqlite(options);
    if (migrate) Migrate(*database);
    return database;
}

}  // namespace omc::testing
