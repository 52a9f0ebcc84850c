// The migrator against a real database, on whichever engine OMC_TEST_ENGINE names.
#include <gtest/gtest.h>

#include <algorithm>
#include <thread>

#include "platform/db/database.hpp"
#include "platform/db/migrator.hpp"
#include "testing/fake_clock.hpp"
#include "testing/test_database.hpp"

namespace omc::db {
namespace {

using omc::testing::OpenFreshDatabase;

constexpr Query kCountApplied{"test.count_applied", "SELECT count(*) FROM schema_migrations"};
constexpr Query kAppliedAt{"test.applied_at",
                           "SELECT applied_at_us FROM schema_migrations WHERE version = $1"};

std::vector<int> AllVersions(const std::vector<MigrationFile>& files) {
    auto plan = PlanMigrations(files, Engine::kSqlite);
    EXPECT_TRUE(plan.ok());
    std::vector<int> versions;
    for (const auto& m : *plan) versions.push_back(m.version);
    return versions;
}

std::vector<MigrationFile> WithFile(std::vector<MigrationFile> files, MigrationFile extra) {
    files.push_back(std::move(extra));
    return files;
}

int64_t QueryInt(Database& database, const Query& query, const Params& params) {
    auto tx = database.Begin({.system = true});
    EXPECT_TRUE(tx.ok());
    auto rows = (*tx)->Query(query, params);
    EXPECT_TRUE(rows.ok()) << rows.error().detail();
    return (*rows)[0].Int(0);
}

class MigratorTest : public ::testing::Test {
  protected:
    void SetUp() override { tdb_ = OpenFreshDatabase(/*migrate=*/false); }
    Database& db() { return *tdb_; }

    omc::testing::FakeClock clock_;
    std::unique_ptr<omc::testing::TestDatabase> tdb_;
};

TEST_F(MigratorTest, AppliesEverythingOnAFreshDatabaseThenNothing) {
    const auto& files = EmbeddedMigrationFiles();
    const std::vector<int> all = AllVersions(files);
    ASSERT_FALSE(all.empty());
    auto before = CheckMigrations(db(), files);
    ASSERT_TRUE(before.ok()) << before.error().detail();
    EXPECT_EQ(before->pending, all);
    EXPECT_TRUE(before->applied.empty());

    auto first = ApplyMigrations(db(), files, clock_);
    ASSERT_TRUE(first.ok()) << first.error().detail();
    EXPECT_EQ(first->applied, all);
    EXPECT_EQ(QueryInt(db(), kCountApplied, {}), static_cast<int64_t>(all.size()));
    EXPECT_EQ(QueryInt(db(), kAppliedAt, {int64_t{all[0]}}), clock_.NowUs());

    clock_.AdvanceUs(1'000'000);
    auto second = ApplyMigrations(db(), files, clock_);
    ASSERT_TRUE(second.ok()) << second.error().detail();
    EXPECT_TRUE(second->applied.empty());
    auto after = CheckMigrations(db(), files);
    ASSERT_TRUE(after.ok());
    EXPECT_TRUE(after->pending.empty());
    EXPECT_EQ(after->applied, all);
}

TEST_F(MigratorTest, AppliesOnlyWhatIsNew) {
    const auto& files = EmbeddedMigrationFiles();
    ASSERT_TRUE(ApplyMigrations(db(), files, clock_).ok());
    auto more = WithFile(files, {"0900_extra.sql", "CREATE TABLE extra_things (id BIGINT);"});
    auto status = ApplyMigrations(db(), more, clock_);
    ASSERT_TRUE(status.ok()) << status.error().detail();
    EXPECT_EQ(status->applied, std::vector<int>{900});
}

TEST_F(MigratorTest, EditedMigrationIsRefusedNamingTheFile) {
    auto files = EmbeddedMigrationFiles();
    ASSERT_TRUE(ApplyMigrations(db(), files, clock_).ok());
    auto it = std::find_if(files.begin(), files.end(),
                           [](const MigrationFile& f) { return f.name == "0001_platform.sql"; });
    ASSERT_NE(it, files.end());
    it->content += "\n-- a harmless-looking edit\n";
    auto status = ApplyMigrations(db(), files, clock_);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code(), ErrorCode::kConflict);
    EXPECT_NE(status.error().message().find("0001_platform"), std::string::npos);
    EXPECT_NE(status.error().message().find("checksum mismatch"), std::string::npos);
    auto check = CheckMigrations(db(), files);
    ASSERT_FALSE(check.ok());
    EXPECT_EQ(check.error().code(), ErrorCode::kConflict);
}

TEST_F(MigratorTest, RemovedMigrationIsRefusedNamingIt) {
    const auto& files = EmbeddedMigrationFiles();
    auto more = WithFile(files, {"0900_extra.sql", "CREATE TABLE extra_things (id BIGINT);"});
    ASSERT_TRUE(ApplyMigrations(db(), more, clock_).ok());
    auto status = ApplyMigrations(db(), files, clock_);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.error().code(), ErrorCode::kConflict);
    EXPECT_NE(status.error().message().find("0900_extra"), std::string::npos);
}

TEST_F(MigratorTest, FailedMigrationLeavesNothingBehind) {
    const auto& files = EmbeddedMigrationFiles();
    ASSERT_TRUE(ApplyMigrations(db(), files, clock_).ok());
    auto broken = WithFile(files, {"0900_broken.sql",
                                   "CREATE TABLE half_done (id BIGINT);\n"
                                   "INSERT INTO no_such_table VALUES (1);"});
    auto status = ApplyMigrations(db(), broken, clock_);
    ASSERT_FALSE(status.ok());
    EXPECT_NE(status.error().detail().find("0900_broken"), std::string::npos);
    auto check = CheckMigrations(db(), broken);
    ASSERT_TRUE(check.ok());
    EXPECT_EQ(check->pending, std::vector<int>{900});
    // half_done was rolled back with the failed statement, so creating it again works.
    EXPECT_TRUE(db().ExecScript("CREATE TABLE half_done (id BIGINT)").ok());
}

TEST_F(MigratorTest, DialectOnlyVersionCountsOnBothEngines) {
    auto files = WithFile(EmbeddedMigrationFiles(),
                          {"0900_pg_only.postgres.sql", "CREATE TABLE pg_only (id BIGINT);"});
    auto status = ApplyMigrations(db(), files, clock_);
    ASSERT_TRUE(status.ok()) << status.error().detail();
    EXPECT_EQ(status->applied.back(), 900);
    constexpr Query kPgOnly{"test.pg_only_exists", "SELECT count(*) FROM pg_only"};
    auto tx = db().Begin({});
    ASSERT_TRUE(tx.ok());
    EXPECT_EQ((*tx)->Query(kPgOnly, {}).ok(), db().engine() == Engine::kPostgres);
}

TEST_F(MigratorTest, MigratedTablesRefuseTextInIntegerColumns) {
    ASSERT_TRUE(ApplyMigrations(db(), EmbeddedMigrationFiles(), clock_).ok());
    // On SQLite this holds only because the migrator made the table STRICT.
    constexpr Query kInsert{"test.insert_setting", R"sql(
        INSERT INTO platform_settings (key, value, updated_at_us) VALUES ($1, $2, $3))sql"};
    {
        auto tx = db().Begin({.system = true});
        ASSERT_TRUE(tx.ok());
        auto r = (*tx)->Execute(kInsert, {"k", "v", "not a number"});
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    }
    auto tx2 = db().Begin({.system = true});
    ASSERT_TRUE(tx2.ok());
    EXPECT_TRUE((*tx2)->Execute(kInsert, {"k", "v", int64_t{5}}).ok());
}

TEST_F(MigratorTest, ConcurrentMigratorsApplyEachVersionOnce) {
    const auto& files = EmbeddedMigrationFiles();
    DatabaseOptions options;
    options.url = tdb_->url();
    options.pool_size = 1;
    auto other = Open(options);  // a second "process" on the same database
    ASSERT_TRUE(other.ok()) << other.error().detail();
    Result<MigrationStatus> a = Error(ErrorCode::kInternal, "not run");
    Result<MigrationStatus> b = Error(ErrorCode::kInternal, "not run");
    std::thread t1([&] { a = ApplyMigrations(db(), files, clock_); });
    std::thread t2([&] { b = ApplyMigrations(**other, files, clock_); });
    t1.join();
    t2.join();
    ASSERT_TRUE(a.ok()) << a.error().detail();
    ASSERT_TRUE(b.ok()) << b.error().detail();
    EXPECT_EQ(a->applied.size() + b->applied.size(), AllVersions(files).size());
    EXPECT_EQ(QueryInt(db(), kCountApplied, {}), static_cast<int64_t>(AllVersions(files).size()));
}

}  // namespace
}  // namespace omc::db
