#include "testing/omc_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <thread>

namespace omc::testing {
namespace {

sockaddr_in Loopback(int port) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    return addr;
}

// Closes the socket however the call ends.
struct Socket {
    int fd = -1;
    ~Socket() {
        if (fd >= 0) close(fd);
    }
};

bool WriteAll(int fd, std::string_view data) {
    while (!data.empty()) {
        const ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
        if (n <= 0) return false;
        data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
}

// Status and body of a whole HTTP/1.1 answer; status -1 when it is cut short.
HttpAnswer ParseAnswer(const std::string& raw) {
    HttpAnswer answer;
    const size_t head_end = raw.find("\r\n\r\n");
    if (raw.rfind("HTTP/1.", 0) != 0 || raw.size() < 12 || head_end == std::string::npos) {
        return answer;
    }
    std::string body = raw.substr(head_end + 4);
    std::string head = raw.substr(0, head_end);
    for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const size_t length_at = head.find("\r\ncontent-length:");
    if (length_at != std::string::npos) {
        const size_t length = std::strtoull(head.c_str() + length_at + 17, nullptr, 10);
        if (body.size() < length) return answer;
        body.resize(length);
    }
    answer.status = std::atoi(raw.substr(9, 3).c_str());
    answer.body = std::move(body);
    return answer;
}

}  // namespace

std::string OmcBinary() {
    const char* b = std::getenv("OMC_BINARY");
    return b ? b : "";
}

CommandResult RunCommand(const std::string& dir, const std::string& command) {
    CommandResult result;
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

int FreeLoopbackPort() {
    Socket s{socket(AF_INET, SOCK_STREAM, 0)};
    sockaddr_in addr = Loopback(0);
    if (bind(s.fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0) return -1;
    socklen_t len = sizeof(addr);
    if (getsockname(s.fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) return -1;
    return ntohs(addr.sin_port);
}

HttpAnswer HttpCall(int port, std::string_view method, std::string_view path,
                    std::string_view token, std::string_view body,
                    std::chrono::milliseconds timeout) {
    Socket s{socket(AF_INET, SOCK_STREAM, 0)};
    if (s.fd < 0) return {};
    timeval tv{};
    tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
    tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
    setsockopt(s.fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(s.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    const sockaddr_in addr = Loopback(port);
    if (connect(s.fd, reinterpret_cast<const sockaddr*>(&addr), sizeof(addr)) != 0) return {};
    std::string request = std::string(method) + " " + std::string(path) +
                          " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
    if (!token.empty()) request += "Authorization: Bearer " + std::string(token) + "\r\n";
    if (!body.empty()) {
        request +=
            "Content-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
            "\r\n";
    }
    request += "\r\n";
    request += body;
    if (!WriteAll(s.fd, request)) return {};
    std::string raw;
    char buffer[8192];
    for (;;) {
        const ssize_t n = recv(s.fd, buffer, sizeof(buffer), 0);
        if (n < 0) return {};  // reset or timed out: no answer
        if (n == 0) break;
        raw.append(buffer, static_cast<size_t>(n));
    }
    return ParseAnswer(raw);
}

OmcServer::OmcServer(std::string dir, std::vector<std::pair<std::string, std::string>> env,
                     std::string config_path)
    : dir_(std::move(dir)), env_(std::move(env)), config_path_(std::move(config_path)) {}

OmcServer::~OmcServer() {
    if (running()) Stop(SIGKILL);
}

bool OmcServer::Start(std::chrono::milliseconds ready_within) {
    if (running() || OmcBinary().empty()) return false;
    port_ = FreeLoopbackPort();
    ++starts_;
    // Everything the child needs is built here: after fork it may only make async-signal-safe
    // calls until exec (the test process has other threads, one of which may hold malloc's lock).
    const auto overridden = [&](std::string_view entry) {
        const std::string_view name = entry.substr(0, entry.find('='));
        if (name == "OMC_TEST_ENGINE" || name == "OMC_TEST_PG_URL" || name == "OMC_LISTEN") {
            return true;
        }
        return std::any_of(env_.begin(), env_.end(),
                           [&](const auto& e) { return e.first == name; });
    };
    std::vector<std::string> env;
    for (char** e = environ; *e != nullptr; ++e) {
        if (!overridden(*e)) env.emplace_back(*e);
    }
    for (const auto& [name, value] : env_) env.push_back(name + "=" + value);
    env.push_back("OMC_LISTEN=127.0.0.1:" + std::to_string(port_));
    std::vector<std::string> args = {OmcBinary()};
    if (!config_path_.empty()) args.insert(args.end(), {"-c", config_path_});
    args.emplace_back("serve");
    std::vector<char*> envp;
    for (std::string& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    std::vector<char*> argv;
    for (std::string& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const std::string log = dir_ + "/serve-" + std::to_string(starts_) + ".log";
    const int log_fd = open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd < 0) return false;
    const pid_t pid = fork();
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGKILL);  // dies with the test
        if (chdir(dir_.c_str()) != 0) _exit(127);
        dup2(log_fd, STDOUT_FILENO);
        dup2(log_fd, STDERR_FILENO);
        execve(argv[0], argv.data(), envp.data());
        _exit(127);
    }
    close(log_fd);
    if (pid < 0) return false;
    pid_ = pid;
    const auto deadline = std::chrono::steady_clock::now() + ready_within;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return false;  // exited before it was ready
        }
        if (HttpCall(port_, "GET", "/health/ready", "", "", std::chrono::seconds(2)).status ==
            200) {
            return true;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    Stop(SIGKILL);
    return false;
}

int OmcServer::Stop(int signal) {
    if (!running()) return -1;
    kill(pid_, signal);
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    return status;
}

std::string OmcServer::Log() const {
    std::ifstream in(dir_ + "/serve-" + std::to_string(starts_) + ".log");
    return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

}  // namespace omc::testing
