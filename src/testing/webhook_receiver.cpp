#include "testing/webhook_receiver.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "testing/omc_server.hpp"

namespace omc::testing {
namespace {

std::string ReceiverBinary() {
    if (const char* b = std::getenv("OMC_WEBHOOK_RECEIVER")) return b;
    const std::string omc = OmcBinary();
    if (omc.empty()) return "";
    return (std::filesystem::path(omc).parent_path() / "omc_webhook_receiver").string();
}

}  // namespace

WebhookReceiver::WebhookReceiver() {
    char pattern[] = "/tmp/omc-webhook-receiver-XXXXXX";
    if (mkdtemp(pattern) != nullptr) dir_ = pattern;
}

WebhookReceiver::~WebhookReceiver() {
    if (pid_ > 0) {
        kill(pid_, SIGKILL);
        waitpid(pid_, nullptr, 0);
    }
    std::error_code ignored;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
}

bool WebhookReceiver::Start(const std::vector<std::string>& secrets) {
    const std::string binary = ReceiverBinary();
    if (binary.empty() || dir_.empty() || pid_ > 0) return false;
    port_ = FreeLoopbackPort();
    // Built before fork: the child may only make async-signal-safe calls until exec.
    std::vector<std::string> args = {binary, "--port", std::to_string(port_), "--record",
                                     dir_ + "/received.jsonl"};
    for (const std::string& s : secrets) args.insert(args.end(), {"--secret", s});
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string log = dir_ + "/receiver.log";
    const int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd < 0) return false;
    const pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);
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
        if (waitpid(pid_, nullptr, WNOHANG) == pid_) {
            pid_ = -1;
            return false;
        }
        if (HttpCall(port_, "GET", "/_health", "", "", std::chrono::seconds(2)).status == 200) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
}

bool WebhookReceiver::Tell(const nlohmann::json& control) {
    return HttpCall(port_, "POST", "/_control", "", control.dump()).status == 200;
}

std::vector<nlohmann::json> WebhookReceiver::Received() const {
    std::vector<nlohmann::json> out;
    std::ifstream in(dir_ + "/received.jsonl");
    std::string line;
    while (std::getline(in, line)) {
        if (!line.empty()) out.push_back(nlohmann::json::parse(line));
    }
    return out;
}

std::string WebhookReceiver::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::string WebhookReceiver::Log() const {
    std::ifstream in(dir_ + "/receiver.log");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace omc::testing
