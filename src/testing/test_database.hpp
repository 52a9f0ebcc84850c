// Fresh databases for tests, on the engine OMC_TEST_ENGINE names (sqlite, the default, or
// postgres). Each TestDatabase is a new, empty database owned by one test: a temporary SQLite file,
// or a uniquely named PostgreSQL database created through OMC_TEST_PG_URL (a non-superuser role
// with CREATEDB, so row-level security applies to it). Both are removed with the object.
//
// On PostgreSQL a missing OMC_TEST_PG_URL or an unreachable server fails the test loudly: the
// suite never skips because a database is absent (docs: "Without PostgreSQL the suite fails").
//
//   auto tdb = omc::testing::OpenFreshDatabase();   // migrated with the embedded migrations
//   db::Database& database = *tdb;
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "platform/db/database.hpp"

namespace omc::testing {

// The engine under test, from OMC_TEST_ENGINE ("sqlite" or "postgres"; default sqlite).
db::Engine TestEngine();

// OMC_TEST_PG_URL; fails the running test when it is unset.
std::string TestPostgresUrl();

// A Database that owns its own throwaway storage. It forwards every call to the real pool, so it
// can be passed wherever a db::Database is expected.
class TestDatabase final : public db::Database {
  public:
    TestDatabase(std::unique_ptr<db::Database> db, std::string url, std::function<void()> cleanup);
    ~TestDatabase() override;
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    db::Database& db() { return *db_; }
    // The URL the pool was opened with, e.g. to open a second pool on the same database.
    const std::string& url() const { return url_; }

    Result<std::unique_ptr<db::Transaction>> Begin(const db::TxOptions& options) override {
        return db_->Begin(options);
    }
    Result<void> ExecScript(std::string_view sql) override { return db_->ExecScript(sql); }
    db::Engine engine() const override { return db_->engine(); }
    db::PoolStats Stats() const override { return db_->Stats(); }
    Result<void> Ping() override { return db_->Ping(); }

  private:
    std::unique_ptr<db::Database> db_;
    std::string url_;
    std::function<void()> cleanup_;
};

// A new empty database on TestEngine(), migrated with EmbeddedMigrationFiles() when `migrate`.
// `options.url` is ignored (the test database decides it); the rest (pool size, timeouts) is used.
std::unique_ptr<TestDatabase> OpenFreshDatabase(bool migrate = true);
std::unique_ptr<TestDatabase> OpenFreshDatabase(bool migrate, db::DatabaseOptions options);

}  // namespace omc::testing
