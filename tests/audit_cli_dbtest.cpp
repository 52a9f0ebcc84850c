// `omc admin audit verify` against a real database (SQLite or PostgreSQL, OMC_TEST_ENGINE): exit 0
// and "intact" for a sound chain, exit 1 naming the first broken record after an edit made behind
// the application's back.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "platform/audit/audit.hpp"
#include "testing/fake_clock.hpp"
#include "testing/fake_ids.hpp"
#include "testing/test_database.hpp"

namespace omc {
namespace {

namespace fs = std::filesystem;

const TenantId kTenant = *TenantId::Parse("0190a4c2-cccc-7000-8000-00000000000c");

constexpr db::Query kEditSummary{"test.cli_edit_summary",
                                 "UPDATE audit_log SET summary = '{}' "
                                 "WHERE tenant_id = $1 AND seq = $2"};

struct RunResult {
    int exit_code = -1;
    std::string output;
};

// Runs the omc binary with `args` in a scratch folder, on `database_url`, stdout and stderr
// together.
RunResult RunOmc(const std::string& database_url, const std::string& args) {
    RunResult result;
    const char* binary = std::getenv("OMC_BINARY");
    if (binary == nullptr) {
        ADD_FAILURE() << "OMC_BINARY must name the omc binary (ctest sets it)";
        return result;
    }
    const fs::path dir = fs::temp_directory_path() / fmt::format("omc-audit-cli-{}", getpid());
    fs::create_directories(dir);
    const std::string command =
        fmt::format("cd '{}' && OMC_DATABASE_URL='{}' OMC_LOG_LEVEL=error '{}' {} 2>&1",
                    dir.string(), database_url, fs::absolute(binary).string(), args);
    FILE* pipe = popen(command.c_str(), "r");
    if (pipe == nullptr) return result;
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, n);
    const int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    fs::remove_all(dir);
    return result;
}

TEST(AuditCliTest, VerifyReportsAnIntactChainThenTheFirstBrokenRecord) {
    auto tdb = testing::OpenFreshDatabase();
    ASSERT_NE(tdb, nullptr);
    testing::FakeClock clock;
    testing::FakeIds ids(clock);
    std::vector<audit::StoredAudit> records;
    for (int i = 1; i <= 3; ++i) {
        auto r = db::InTransaction(*tdb, {.tenant = kTenant}, [&](db::Transaction& tx) {
            return audit::AppendAudit(
                tx, kTenant, ids, clock,
                {.actor_type = "system", .action = "test.cli", .summary = {{"n", i}}});
        });
        ASSERT_TRUE(r.ok()) << r.error().detail();
        records.push_back(*r);
    }
    const std::string verify = "admin audit verify --tenant " + kTenant.ToString();

    RunResult intact = RunOmc(tdb->url(), verify);
    EXPECT_EQ(intact.exit_code, 0) << intact.output;
    EXPECT_NE(intact.output.find(
                  fmt::format("audit chain of tenant {}: 3 records, intact", kTenant.ToString())),
              std::string::npos)
        << intact.output;

    const bool postgres = tdb->engine() == db::Engine::kPostgres;
    auto edited =
        db::InTransaction(*tdb, {.tenant = kTenant}, [&](db::Transaction& tx) -> Result<void> {
            OMC_TRY(tx.ExecScript(postgres ? "ALTER TABLE audit_log DISABLE TRIGGER USER"
                                           : "DROP TRIGGER audit_log_no_update"));
            OMC_TRY(tx.Execute(kEditSummary, {kTenant, int64_t{2}}));
            if (postgres) OMC_TRY(tx.ExecScript("ALTER TABLE audit_log ENABLE TRIGGER USER"));
            return Ok();
        });
    ASSERT_TRUE(edited.ok()) << edited.error().detail();

    RunResult broken = RunOmc(tdb->url(), verify);
    EXPECT_EQ(broken.exit_code, 1) << broken.output;
    EXPECT_NE(broken.output.find(
                  fmt::format("BROKEN at seq 2 (id {}): hash mismatch", records[1].id.ToString())),
              std::string::npos)
        << broken.output;

    RunResult bad = RunOmc(tdb->url(), "admin audit verify --tenant not-a-uuid");
    EXPECT_EQ(bad.exit_code, 2) << bad.output;
    EXPECT_EQ(RunOmc(tdb->url(), "admin audit verify").exit_code, 106);  // CLI11: required option
}

}  // namespace
}  // namespace omc
