// The real `omc` binary as an operator meets it: exit codes and messages for bad configuration,
// migrate refusing an edited migration, and serve answering /health/ready then draining on SIGTERM.
#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "testing/omc_server.hpp"

namespace {

namespace fs = std::filesystem;

using omc::testing::OmcBinary;
using omc::testing::RunCommand;

class OmcBinaryTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_FALSE(OmcBinary().empty()) << "OMC_BINARY must name the omc binary (ctest sets it)";
        char tmpl[] = "/tmp/omc-binary-test-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string dir_;
};

TEST_F(OmcBinaryTest, VersionAndHelp) {
    EXPECT_EQ(RunCommand(dir_, OmcBinary() + " version").output.rfind("omc ", 0), 0u);
    auto help = RunCommand(dir_, OmcBinary() + " --help");
    EXPECT_EQ(help.exit_code, 0);
    for (const char* sub : {"serve", "migrate", "config", "admin", "demo", "simulate", "version"}) {
        EXPECT_NE(help.output.find(sub), std::string::npos) << sub;
    }
    EXPECT_EQ(RunCommand(dir_, OmcBinary() + " serve --help").exit_code, 0);
    auto demo = RunCommand(dir_, OmcBinary() + " demo --help");
    EXPECT_EQ(demo.exit_code, 0);
    for (const char* option : {"--stations", "--days", "--seed", "--sales-per-day"}) {
        EXPECT_NE(demo.output.find(option), std::string::npos) << option << demo.output;
    }
    auto simulate = RunCommand(dir_, OmcBinary() + " simulate --help");
    EXPECT_EQ(simulate.exit_code, 0);
    for (const char* option : {"--rate", "--duration", "--url", "--login", "--password"}) {
        EXPECT_NE(simulate.output.find(option), std::string::npos) << option << simulate.output;
    }
    // A client without its password file says what to do instead of guessing.
    auto no_password = RunCommand(dir_, OmcBinary() + " simulate --users-file missing.txt");
    EXPECT_EQ(no_password.exit_code, 2);
    EXPECT_NE(no_password.output.find("omc demo"), std::string::npos) << no_password.output;
}

TEST_F(OmcBinaryTest, BadConfigurationIsRefusedWithTheKeyNamed) {
    std::ofstream(dir_ + "/omc.toml")
        << "[server]\nlisten = \"127.0.0.1:8080\"\nworker_thread = 4\n";
    auto r = RunCommand(dir_, OmcBinary() + " --config omc.toml config check");
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.output.find("server.worker_thread"), std::string::npos) << r.output;
    auto env = RunCommand(dir_, "OMC_DATABASE_POOL_SIZE=0 " + OmcBinary() + " config check");
    EXPECT_EQ(env.exit_code, 3);
    EXPECT_NE(env.output.find("OMC_DATABASE_POOL_SIZE"), std::string::npos) << env.output;
}

TEST_F(OmcBinaryTest, NoConfigurationUsesSqliteInTheWorkingDirectory) {
    auto r = RunCommand(dir_, OmcBinary() + " migrate");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(fs::exists(dir_ + "/omc.db"));
    auto check = RunCommand(dir_, OmcBinary() + " migrate --check");
    EXPECT_EQ(check.exit_code, 0) << check.output;
    EXPECT_NE(check.output.find("0 pending"), std::string::npos) << check.output;
}

TEST_F(OmcBinaryTest, AdminCommandsAndDemoCreateAccounts) {
    const std::string omc = OmcBinary();
    auto tenant = RunCommand(dir_, omc +
                                       " admin create-tenant --code acme --name 'Acme Oil' "
                                       "--admin-username acme-admin --admin-email a@acme.example");
    ASSERT_EQ(tenant.exit_code, 0) << tenant.output;
    EXPECT_NE(tenant.output.find("CompanyAdmin acme-admin password"), std::string::npos);
    auto again = RunCommand(dir_, omc + " admin create-tenant --code acme --name 'Acme Oil'");
    EXPECT_EQ(again.exit_code, 1);
    EXPECT_NE(again.output.find("code"), std::string::npos) << again.output;

    auto user = RunCommand(dir_, omc +
                                     " admin create-user --tenant acme --username kofi "
                                     "--email kofi@acme.example --role Auditor");
    EXPECT_EQ(user.exit_code, 0) << user.output;
    auto scopeless = RunCommand(dir_, omc +
                                          " admin create-user --tenant acme --username yaw "
                                          "--email yaw@acme.example --role Operator");
    EXPECT_EQ(scopeless.exit_code, 2);
    EXPECT_NE(scopeless.output.find("scope_ids"), std::string::npos) << scopeless.output;
    auto weak = RunCommand(dir_, "echo short | " + omc +
                                     " admin create-user --tenant platform --username root1 "
                                     "--email root@ops.example --role SuperAdmin --password-stdin");
    EXPECT_EQ(weak.exit_code, 2);
    EXPECT_NE(weak.output.find("new_password"), std::string::npos) << weak.output;

    auto demo = RunCommand(dir_, omc + " demo --stations 2 --days 2");
    ASSERT_EQ(demo.exit_code, 0) << demo.output;
    for (const char* name : {"demo-superadmin", "demo-admin", "demo-regional", "demo-manager",
                             "demo-operator", "demo-dealer", "demo-auditor"}) {
        EXPECT_NE(demo.output.find(name), std::string::npos) << name;
    }
    EXPECT_NE(demo.output.find("2 stations in 2 regions"), std::string::npos) << demo.output;
    // The sweep ran over the history: at least the licence planted within its warning period.
    const auto alerts_at = demo.output.find(" alerts raised");
    ASSERT_NE(alerts_at, std::string::npos) << demo.output;
    const auto count_at = demo.output.rfind(' ', alerts_at - 1) + 1;
    EXPECT_GE(std::stoi(demo.output.substr(count_at, alerts_at - count_at)), 1) << demo.output;
    // The tenant, its network and its six users (the SuperAdmin is the platform's) are in its
    // audit chain.
    const auto at = demo.output.find("demo tenant ");
    ASSERT_NE(at, std::string::npos) << demo.output;
    const std::string demo_tenant = demo.output.substr(at + 12, 36);
    auto verify = RunCommand(dir_, omc + " admin audit verify --tenant " + demo_tenant);
    EXPECT_EQ(verify.exit_code, 0) << verify.output;
    EXPECT_NE(verify.output.find("8 records, intact"), std::string::npos) << verify.output;

    auto rerun = RunCommand(dir_, omc + " demo");
    EXPECT_EQ(rerun.exit_code, 0) << rerun.output;
    EXPECT_NE(rerun.output.find("new passwords"), std::string::npos) << rerun.output;

    auto matrix = RunCommand(dir_, omc + " admin permissions");
    EXPECT_NE(matrix.output.find("| `audit.read` |"), std::string::npos) << matrix.output;
}

TEST_F(OmcBinaryTest, AnEditedMigrationStopsTheStart) {
    const std::string source = std::getenv("OMC_SOURCE_DIR") ? std::getenv("OMC_SOURCE_DIR") : "";
    ASSERT_FALSE(source.empty());
    fs::copy(source + "/migrations", dir_ + "/migrations");
    ASSERT_EQ(RunCommand(dir_, OmcBinary() + " migrate --dir migrations").exit_code, 0);
    std::ofstream(dir_ + "/migrations/0001_platform.sql", std::ios::app) << "\n-- edited\n";
    auto r = RunCommand(dir_, OmcBinary() + " migrate --dir migrations");
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.output.find("0001_platform"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("edited"), std::string::npos) << r.output;
}

TEST_F(OmcBinaryTest, ServeAnswersReadyThenStopsCleanlyOnSigterm) {
    omc::testing::OmcServer server(dir_, {});
    ASSERT_TRUE(server.Start(std::chrono::seconds(20))) << server.Log();  // a loaded CI machine
    const int status = server.Stop(SIGTERM);
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
    const std::string text = server.Log();
    EXPECT_NE(text.find("\"msg\":\"serving\""), std::string::npos) << text;
    EXPECT_NE(text.find("\"msg\":\"stopped\""), std::string::npos) << text;
    // No web/dist in the working directory: one warning saying how to build the console.
    const size_t warning = text.find("web console not built");
    EXPECT_NE(warning, std::string::npos) << text;
    EXPECT_EQ(text.find("web console not built", warning + 1), std::string::npos) << text;
}

}  // namespace
