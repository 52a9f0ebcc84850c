#include "testing/momo_sim.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>

#include "testing/omc_server.hpp"

namespace omc::testing {

MomoSim::~MomoSim() { Stop(); }

bool MomoSim::Start() {
    if (running() || OmcBinary().empty()) return false;
    port_ = FreeLoopbackPort();
    log_path_ =
        "/tmp/omc-momo-sim-" + std::to_string(getpid()) + "-" + std::to_string(port_) + ".log";
    // Built before fork: the child makes only async-signal-safe calls until exec.
    std::vector<std::string> args = {
        OmcBinary(), "momo-sim",    "--listen",   "127.0.0.1:" + std::to_string(port_),
        "--mode",    options_.mode, "--delay-ms", std::to_string(options_.delay_ms)};
    if (options_.drop_callbacks) args.emplace_back("--drop-callbacks");
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int log_fd = open(log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd < 0) return false;
    const pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);  // dies with the test
        dup2(log_fd, STDOUT_FILENO);
        dup2(log_fd, STDERR_FILENO);
        execv(argv[0], argv.data());
        _exit(127);
    }
    close(log_fd);
    if (pid < 0) return false;
    pid_ = pid;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return false;
        }
        if (HttpCall(port_, "GET", "/sim/health", "", "", std::chrono::seconds(2)).status == 200) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    Stop();
    return false;
}

void MomoSim::Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
}

std::string MomoSim::Log() const {
    std::ifstream in(log_path_);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

}  // namespace omc::testing
