// The migrator's pure parts: SQLite translation, planning, file names, checksums.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "platform/base/id.hpp"
#include "platform/db/migrator.hpp"

namespace omc::db {
namespace {

TEST(TranslateForSqlite, MapsTypesAndAppendsStrict) {
    const std::string in = R"sql(CREATE TABLE t (
    a BIGINT NOT NULL, b int, c Integer, d SMALLINT, e boolean DEFAULT FALSE,
    f UUID, g JSONB, h TEXT, i VARCHAR(40), j varchar ( 8 ), k BYTEA,
    PRIMARY KEY (a, b),
    CHECK (d IN (1, 2))
);)sql";
    const std::string expected = R"sql(CREATE TABLE t (
    a INTEGER NOT NULL, b INTEGER, c INTEGER, d INTEGER, e INTEGER DEFAULT FALSE,
    f TEXT, g TEXT, h TEXT, i TEXT, j TEXT, k BLOB,
    PRIMARY KEY (a, b),
    CHECK (d IN (1, 2))
) STRICT;)sql";
    EXPECT_EQ(TranslateForSqlite(in), expected);
}

TEST(TranslateForSqlite, LeavesStringsCommentsAndLongerWordsAlone) {
    const std::string in =
        "-- BIGINT UUID in a comment; CREATE TABLE x (\n"
        "CREATE TABLE t (bigint_total BIGINT, my_uuid UUID DEFAULT 'UUID BIGINT (', "
        "note TEXT DEFAULT 'it''s TEXT)' /* BYTEA ) */, \"INT\" INT);\n";
    const std::string expected =
        "-- BIGINT UUID in a comment; CREATE TABLE x (\n"
        "CREATE TABLE t (bigint_total INTEGER, my_uuid TEXT DEFAULT 'UUID BIGINT (', "
        "note TEXT DEFAULT 'it''s TEXT)' /* BYTEA ) */, \"INT\" INTEGER) STRICT;\n";
    EXPECT_EQ(TranslateForSqlite(in), expected);
}

TEST(TranslateForSqlite, StrictOnEveryTableAndOnlyOnTables) {
    const std::string in =
        "CREATE TABLE a (x BIGINT);\n"
        "CREATE INDEX a_x ON a (x);\n"
        "create table if not exists b (y BIGINT)\n;\n"
        "CREATE TABLE c (z BIGINT) STRICT;\n"
        "CREATE TABLE d (k TEXT PRIMARY KEY) WITHOUT ROWID;\n";
    const std::string expected =
        "CREATE TABLE a (x INTEGER) STRICT;\n"
        "CREATE INDEX a_x ON a (x);\n"
        "create table if not exists b (y INTEGER) STRICT\n;\n"
        "CREATE TABLE c (z INTEGER) STRICT;\n"
        "CREATE TABLE d (k TEXT PRIMARY KEY) STRICT, WITHOUT ROWID;\n";
    EXPECT_EQ(TranslateForSqlite(in), expected);
}

TEST(TranslateForSqlite, TheRealMigrationsTranslate) {
    for (const auto& f : EmbeddedMigrationFiles()) {
        if (f.name != "0001_platform.sql") continue;
        const std::string out = TranslateForSqlite(f.content);
        EXPECT_NE(out.find("tenant_id TEXT NOT NULL"), std::string::npos);
        EXPECT_NE(out.find("expires_at_us INTEGER NOT NULL,"), std::string::npos);
        EXPECT_NE(out.find(") STRICT;"), std::string::npos);
        EXPECT_NE(out.find("-- Timestamps are BIGINT"), std::string::npos);  // comment kept
    }
}

std::vector<MigrationFile> SampleFiles() {
    return {
        {"0002_second.sql", "CREATE TABLE s (id BIGINT);"},
        {"0001_first.postgres.sql", "-- pg only"},
        {"0001_first.sql", "CREATE TABLE f (id UUID);"},
        {"0001_first.sqlite.sql", "-- sqlite only"},
        {"0003_pg_only.postgres.sql", "SELECT 1;"},
    };
}

TEST(PlanMigrations, GroupsByVersionPerEngine) {
    auto pg = PlanMigrations(SampleFiles(), Engine::kPostgres);
    ASSERT_TRUE(pg.ok()) << pg.error().message();
    ASSERT_EQ(pg->size(), 3u);
    EXPECT_EQ((*pg)[0].version, 1);
    EXPECT_EQ((*pg)[0].name, "first");
    EXPECT_EQ((*pg)[0].sql, "CREATE TABLE f (id UUID);\n-- pg only");
    EXPECT_EQ((*pg)[1].version, 2);
    EXPECT_EQ((*pg)[2].sql, "SELECT 1;");

    auto lite = PlanMigrations(SampleFiles(), Engine::kSqlite);
    ASSERT_TRUE(lite.ok());
    ASSERT_EQ(lite->size(), 3u);
    EXPECT_EQ((*lite)[0].sql, "CREATE TABLE f (id TEXT) STRICT;\n-- sqlite only");
    EXPECT_EQ((*lite)[2].version, 3);
    EXPECT_EQ((*lite)[2].sql, "");  // a PostgreSQL-only version is empty here but still counts
}

TEST(PlanMigrations, ChecksumIsStableAndEngineIndependent) {
    auto pg = PlanMigrations(SampleFiles(), Engine::kPostgres);
    auto lite = PlanMigrations(SampleFiles(), Engine::kSqlite);
    ASSERT_TRUE(pg.ok() && lite.ok());
    for (size_t i = 0; i < pg->size(); ++i) {
        EXPECT_EQ((*pg)[i].checksum, (*lite)[i].checksum);
        EXPECT_EQ((*pg)[i].checksum.size(), 64u);
    }
    // SHA-256 of the files' contents in file-name order.
    auto one = PlanMigrations({{"0001_a.sql", "abc"}}, Engine::kPostgres);
    ASSERT_TRUE(one.ok());
    EXPECT_EQ((*one)[0].checksum,
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    auto split = PlanMigrations({{"0001_a.sqlite.sql", "c"}, {"0001_a.postgres.sql", "ab"}},
                                Engine::kSqlite);
    ASSERT_TRUE(split.ok());
    EXPECT_EQ((*split)[0].checksum, (*one)[0].checksum);  // "ab" (postgres) then "c" (sqlite)
}

TEST(PlanMigrations, EditingADialectFileChangesTheChecksumForBothEngines) {
    auto files = SampleFiles();
    auto before = PlanMigrations(files, Engine::kSqlite);
    files[1].content += " edited";  // 0001_first.postgres.sql
    auto after = PlanMigrations(files, Engine::kSqlite);
    ASSERT_TRUE(before.ok() && after.ok());
    EXPECT_NE((*before)[0].checksum, (*after)[0].checksum);
    EXPECT_EQ((*before)[1].checksum, (*after)[1].checksum);
}

TEST(PlanMigrations, RefusesBadNames) {
    for (const char* name :
         {"001_short.sql", "0001-dash.sql", "0001_Upper.sql", "0001_.sql", "abcd_name.sql",
          "0001_name.txt", "0001_name.mysql.sql", "0000_zero.sql", "0001_na me.sql"}) {
        auto plan = PlanMigrations({{name, "SELECT 1;"}}, Engine::kPostgres);
        ASSERT_FALSE(plan.ok()) << name;
        EXPECT_EQ(plan.error().code(), ErrorCode::kInvalidArgument) << name;
        ASSERT_FALSE(plan.error().fields().empty());
        EXPECT_NE(plan.error().fields()[0].message.find(name), std::string::npos);
    }
}

TEST(PlanMigrations, RefusesDuplicateVersions) {
    auto two_names = PlanMigrations({{"0001_a.sql", ""}, {"0001_b.sql", ""}}, Engine::kSqlite);
    EXPECT_FALSE(two_names.ok());
    auto dialect_other_name =
        PlanMigrations({{"0001_a.sql", ""}, {"0001_b.postgres.sql", ""}}, Engine::kSqlite);
    EXPECT_FALSE(dialect_other_name.ok());
    auto same_file = PlanMigrations({{"0001_a.sql", ""}, {"0001_a.sql", ""}}, Engine::kSqlite);
    EXPECT_FALSE(same_file.ok());
}

TEST(PlanMigrations, TheEmbeddedMigrationsPlan) {
    for (Engine engine : {Engine::kSqlite, Engine::kPostgres}) {
        auto plan = PlanMigrations(EmbeddedMigrationFiles(), engine);
        ASSERT_TRUE(plan.ok()) << plan.error().fields()[0].message;
        ASSERT_FALSE(plan->empty());
        EXPECT_EQ((*plan)[0].version, 1);
    }
}

TEST(LoadMigrationFiles, ReadsSqlFilesInNameOrder) {
    const auto dir = std::filesystem::temp_directory_path() / ("omc-mig-" + RandomHex(8));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "0002_b.sql") << "two";
    std::ofstream(dir / "0001_a.sql") << "one";
    std::ofstream(dir / "README.md") << "not a migration";
    auto files = LoadMigrationFiles(dir.string());
    std::filesystem::remove_all(dir);
    ASSERT_TRUE(files.ok());
    ASSERT_EQ(files->size(), 2u);
    EXPECT_EQ((*files)[0].name, "0001_a.sql");
    EXPECT_EQ((*files)[0].content, "one");
    EXPECT_EQ((*files)[1].name, "0002_b.sql");
}

TEST(LoadMigrationFiles, MissingDirectoryIsInvalidArgument) {
    auto files = LoadMigrationFiles("/nonexistent/omc/migrations");
    ASSERT_FALSE(files.ok());
    EXPECT_EQ(files.error().code(), ErrorCode::kInvalidArgument);
}

}  // namespace
}  // namespace omc::db
