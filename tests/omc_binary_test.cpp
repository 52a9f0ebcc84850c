// The real `omc` binary as an operator meets it: exit codes and messages for bad configuration,
// migrate refusing an edited migration, and serve answering /health/ready then draining on SIGTERM.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace {

namespace fs = std::filesystem;

std::string Binary() {
    const char* b = std::getenv("OMC_BINARY");
    return b ? b : "";
}

struct RunResult {
    int exit_code = -1;
    std::string output;
};

// Runs a shell command line (stdout and stderr together), in `dir`.
RunResult RunCommand(const std::string& dir, const std::string& command) {
    RunResult result;
    const std::string full = "cd '" + dir + "' && env -u OMC_TEST_ENGINE " + command + " 2>&1";
    FILE* pipe = popen(full.c_str(), "r");
    if (!pipe) return result;
    char buffer[4096];
    size_t n;
    while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) result.output.append(buffer, n);
    const int status = pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

class OmcBinaryTest : public ::testing::Test {
  protected:
    void SetUp() override {
        ASSERT_FALSE(Binary().empty()) << "OMC_BINARY must name the omc binary (ctest sets it)";
        char tmpl[] = "/tmp/omc-binary-test-XXXXXX";
        ASSERT_NE(mkdtemp(tmpl), nullptr);
        dir_ = tmpl;
    }
    void TearDown() override { fs::remove_all(dir_); }
    std::string dir_;
};

int FreePort() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
    socklen_t len = sizeof(addr);
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    close(fd);
    return ntohs(addr.sin_port);
}

// A minimal HTTP GET over loopback; returns the status code or -1.
int HttpGetStatus(int port, const std::string& path) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) {
        close(fd);
        return -1;
    }
    const std::string request =
        "GET " + path + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n";
    if (write(fd, request.data(), request.size()) < 0) {
        close(fd);
        return -1;
    }
    char buffer[512];
    const ssize_t n = read(fd, buffer, sizeof(buffer) - 1);
    close(fd);
    if (n < 12) return -1;
    return std::atoi(std::string(buffer + 9, 3).c_str());
}

TEST_F(OmcBinaryTest, VersionAndHelp) {
    EXPECT_EQ(RunCommand(dir_, Binary() + " version").output.rfind("omc ", 0), 0u);
    auto help = RunCommand(dir_, Binary() + " --help");
    EXPECT_EQ(help.exit_code, 0);
    for (const char* sub : {"serve", "migrate", "config", "admin", "version"}) {
        EXPECT_NE(help.output.find(sub), std::string::npos) << sub;
    }
    EXPECT_EQ(RunCommand(dir_, Binary() + " serve --help").exit_code, 0);
}

TEST_F(OmcBinaryTest, BadConfigurationIsRefusedWithTheKeyNamed) {
    std::ofstream(dir_ + "/omc.toml")
        << "[server]\nlisten = \"127.0.0.1:8080\"\nworker_thread = 4\n";
    auto r = RunCommand(dir_, Binary() + " --config omc.toml config check");
    EXPECT_EQ(r.exit_code, 3);
    EXPECT_NE(r.output.find("server.worker_thread"), std::string::npos) << r.output;
    auto env = RunCommand(dir_, "OMC_DATABASE_POOL_SIZE=0 " + Binary() + " config check");
    EXPECT_EQ(env.exit_code, 3);
    EXPECT_NE(env.output.find("OMC_DATABASE_POOL_SIZE"), std::string::npos) << env.output;
}

TEST_F(OmcBinaryTest, NoConfigurationUsesSqliteInTheWorkingDirectory) {
    auto r = RunCommand(dir_, Binary() + " migrate");
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_TRUE(fs::exists(dir_ + "/omc.db"));
    auto check = RunCommand(dir_, Binary() + " migrate --check");
    EXPECT_EQ(check.exit_code, 0) << check.output;
    EXPECT_NE(check.output.find("0 pending"), std::string::npos) << check.output;
}

TEST_F(OmcBinaryTest, AdminCommandsAndDemoCreateAccounts) {
    const std::string omc = Binary();
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

    auto demo = RunCommand(dir_, omc + " demo");
    ASSERT_EQ(demo.exit_code, 0) << demo.output;
    for (const char* name : {"demo-superadmin", "demo-admin", "demo-regional", "demo-manager",
                             "demo-operator", "demo-dealer", "demo-auditor"}) {
        EXPECT_NE(demo.output.find(name), std::string::npos) << name;
    }
    // The tenant and its six users (the SuperAdmin is the platform's) are in its audit chain.
    const auto at = demo.output.find("demo tenant created: ");
    ASSERT_NE(at, std::string::npos) << demo.output;
    const std::string demo_tenant = demo.output.substr(at + 21, 36);
    auto verify = RunCommand(dir_, omc + " admin audit verify --tenant " + demo_tenant);
    EXPECT_EQ(verify.exit_code, 0) << verify.output;
    EXPECT_NE(verify.output.find("7 records, intact"), std::string::npos) << verify.output;

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
    ASSERT_EQ(RunCommand(dir_, Binary() + " migrate --dir migrations").exit_code, 0);
    std::ofstream(dir_ + "/migrations/0001_platform.sql", std::ios::app) << "\n-- edited\n";
    auto r = RunCommand(dir_, Binary() + " migrate --dir migrations");
    EXPECT_NE(r.exit_code, 0);
    EXPECT_NE(r.output.find("0001_platform"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("edited"), std::string::npos) << r.output;
}

TEST_F(OmcBinaryTest, ServeAnswersReadyThenStopsCleanlyOnSigterm) {
    const int port = FreePort();
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
        if (chdir(dir_.c_str()) != 0) _exit(127);
        setenv("OMC_LISTEN", ("127.0.0.1:" + std::to_string(port)).c_str(), 1);
        unsetenv("OMC_TEST_ENGINE");
        freopen("serve.log", "w", stderr);
        execl(Binary().c_str(), "omc", "serve", static_cast<char*>(nullptr));
        _exit(127);
    }
    int status_code = -1;
    for (int i = 0; i < 200 && status_code != 200; ++i) {  // up to 20 s on a loaded CI machine
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        status_code = HttpGetStatus(port, "/health/ready");
    }
    EXPECT_EQ(status_code, 200);
    ASSERT_EQ(kill(pid, SIGTERM), 0);
    int status = 0;
    waitpid(pid, &status, 0);
    EXPECT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0);
    std::ifstream log(dir_ + "/serve.log");
    const std::string text((std::istreambuf_iterator<char>(log)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("\"msg\":\"serving\""), std::string::npos) << text;
    EXPECT_NE(text.find("\"msg\":\"stopped\""), std::string::npos) << text;
}

}  // namespace
