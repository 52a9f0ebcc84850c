// SQLite specifics a file database needs: the WAL is checkpointed into the database file by the
// background checkpointer (SQLite's own checkpoint-on-commit is off on the writer), so the file
// grows with the data and the WAL is reused instead of growing without end.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include <unistd.h>

#include "platform/db/database.hpp"

namespace omc::db {
namespace {

namespace fs = std::filesystem;

constexpr Query kInsert{"sqlite_test.insert", "INSERT INTO t (id, payload) VALUES ($1, $2)"};
constexpr Query kCount{"sqlite_test.count", "SELECT count(*) FROM t"};

TEST(SqliteCheckpoint, TheWalIsCheckpointedIntoTheDatabaseFileWhileItStaysOpen) {
    const fs::path dir =
        fs::temp_directory_path() / ("omc-sqlite-checkpoint-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    const fs::path file = dir / "omc.db";
    {
        auto database = Open({.url = "sqlite:" + file.string(), .pool_size = 3});
        ASSERT_TRUE(database.ok()) << database.error().detail();
        ASSERT_TRUE((*database)
                        ->ExecScript("CREATE TABLE t (id INTEGER PRIMARY KEY, payload TEXT) STRICT")
                        .ok());
        const auto size_before = fs::file_size(file);
        // 200 commits of 100 rows of 1 KiB: 20 MB, about 5,000 pages, 5x the checkpoint
        // threshold (1,000 pages) and past the WAL's bound (4,000 pages).
        const std::string payload(1024, 'x');
        int64_t id = 0;
        for (int commit = 0; commit < 200; ++commit) {
            auto written = InTransaction(**database, {}, [&](Transaction& tx) -> Result<void> {
                for (int i = 0; i < 100; ++i) OMC_TRY(tx.Execute(kInsert, {++id, payload}));
                return Ok();
            });
            ASSERT_TRUE(written.ok()) << written.error().detail();
        }
        // The checkpointer copies the WAL into the file on its own thread: wait for it, bounded.
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (fs::file_size(file) < size_before + 10'000'000 &&
               std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        EXPECT_GE(fs::file_size(file), size_before + 10'000'000)
            << "the database file never received the WAL's pages";
        // The WAL was reused, not grown by every page written.
        EXPECT_LT(fs::file_size(dir / "omc.db-wal"), 18'000'000u);
        auto count = InTransaction(**database, {.read_only = true},
                                   [](Transaction& tx) { return tx.Query(kCount, {}); });
        ASSERT_TRUE(count.ok());
        EXPECT_EQ((*count)[0].Int(0), 20'000);
    }
    fs::remove_all(dir);
}

}  // namespace
}  // namespace omc::db
