// `omc demo` then `omc simulate` against a real `omc serve`, on the engine under test: the
// simulated sales and dips are stored, and the demo refuses to duplicate its history.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "testing/omc_server.hpp"
#include "testing/test_database.hpp"

namespace omc {
namespace {

namespace fs = std::filesystem;

constexpr db::Query kCounts{"test.simulate_counts", R"sql(
    SELECT (SELECT COUNT(*) FROM sales), (SELECT COUNT(*) FROM dips),
           (SELECT COUNT(*) FROM stations))sql"};

std::array<int64_t, 3> Counts(db::Database& database) {
    auto rows = db::InTransaction(database, {.system = true},
                                  [&](db::Transaction& tx) { return tx.Query(kCounts, {}); });
    EXPECT_TRUE(rows.ok()) << rows.error().message();
    if (!rows.ok()) return {};
    return {(*rows)[0].Int(0), (*rows)[0].Int(1), (*rows)[0].Int(2)};
}

TEST(SimulateCliTest, DemoThenLiveSalesAndDipsOverHttp) {
    const std::string binary = testing::OmcBinary();
    ASSERT_FALSE(binary.empty()) << "OMC_BINARY must name the omc binary (ctest sets it)";
    auto tdb = testing::OpenFreshDatabase();
    ASSERT_NE(tdb, nullptr);
    const fs::path dir = fs::temp_directory_path() / fmt::format("omc-simulate-{}", getpid());
    fs::create_directories(dir);
    const std::string env = fmt::format("OMC_DATABASE_URL='{}' OMC_LOG_LEVEL=error", tdb->url());

    testing::CommandResult demo = testing::RunCommand(
        dir.string(), env + " '" + binary + "' demo --stations 3 --days 5 > demo-users.txt");
    ASSERT_EQ(demo.exit_code, 0) << demo.output;
    const std::array<int64_t, 3> before = Counts(*tdb);
    EXPECT_EQ(before[2], 3);
    EXPECT_GT(before[0], 1'000);

    testing::OmcServer server(dir.string(),
                              {{"OMC_DATABASE_URL", tdb->url()}, {"OMC_LOG_LEVEL", "warn"}});
    ASSERT_TRUE(server.Start()) << server.Log();
    testing::CommandResult run = testing::RunCommand(
        dir.string(), fmt::format("'{}' simulate --url http://127.0.0.1:{} --rate 20 --duration 3 "
                                  "--dip-every 1 --users-file demo-users.txt",
                                  binary, server.port()));
    server.Stop(SIGTERM);
    EXPECT_EQ(run.exit_code, 0) << run.output;
    EXPECT_NE(run.output.find("sent 60, ok 60, errors 0"), std::string::npos) << run.output;

    const std::array<int64_t, 3> after = Counts(*tdb);
    EXPECT_EQ(after[0], before[0] + 60);
    EXPECT_GE(after[1], before[1] + 2);

    // Again on the same database: the history is kept, not duplicated; new passwords.
    testing::CommandResult again =
        testing::RunCommand(dir.string(), env + " '" + binary + "' demo --stations 3 --days 5");
    EXPECT_EQ(again.exit_code, 0) << again.output;
    EXPECT_NE(again.output.find("already exists with 3 stations"), std::string::npos)
        << again.output;
    EXPECT_EQ(Counts(*tdb), after);
    fs::remove_all(dir);
}

}  // namespace
}  // namespace omc
