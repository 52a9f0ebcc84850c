#include "testing/nats_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <nats/nats.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace omc::testing {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(15);
constexpr auto kStopTimeout = std::chrono::seconds(5);
constexpr auto kPollInterval = std::chrono::milliseconds(20);

bool IsExecutable(const std::string& path) { return access(path.c_str(), X_OK) == 0; }

// $OMC_NATS_SERVER, then the Debian package's path, then PATH. Empty when none is found.
std::string FindBinary() {
    if (const char* env = std::getenv("OMC_NATS_SERVER"); env != nullptr && *env != '\0') {
        return IsExecutable(env) ? std::string(env) : std::string();
    }
    if (IsExecutable("/usr/sbin/nats-server")) return "/usr/sbin/nats-server";
    const char* path = std::getenv("PATH");
    std::stringstream dirs(path != nullptr ? path : "");
    for (std::string dir; std::getline(dirs, dir, ':');) {
        if (!dir.empty() && IsExecutable(dir + "/nats-server")) return dir + "/nats-server";
    }
    return {};
}

// Asks the kernel for a free port. Another process could take it before the server binds; the
// start then fails with the server's log saying so, which is rare enough for tests.
Result<int> FreePort() {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return Error(ErrorCode::kUnavailable, "socket() failed");
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    socklen_t len = sizeof(addr);
    const bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
                    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0;
    close(fd);
    if (!ok) return Error(ErrorCode::kUnavailable, "could not find a free port");
    return static_cast<int>(ntohs(addr.sin_port));
}

bool AcceptsConnections(int port) {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return false;
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = htons(static_cast<uint16_t>(port));
    const bool ok = connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
    close(fd);
    return ok;
}

}  // namespace

NatsServer::~NatsServer() {
    Stop();
    if (!work_dir_.empty()) {
        std::error_code ignored;
        std::filesystem::remove_all(work_dir_, ignored);
    }
}

std::string NatsServer::url() const { return "nats://127.0.0.1:" + std::to_string(port_); }

std::string NatsServer::ReadLog() const {
    std::ifstream in(work_dir_ + "/nats-server.log");
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

Result<void> NatsServer::Start() {
    if (running()) return Error(ErrorCode::kConflict, "nats-server already running");
    binary_ = FindBinary();
    if (binary_.empty()) {
        return Error(ErrorCode::kUnavailable,
                     "nats-server not found (looked at $OMC_NATS_SERVER, /usr/sbin/nats-server "
                     "and PATH); install the Debian package nats-server");
    }
    OMC_ASSIGN_OR_RETURN(port_, FreePort());
    std::string pattern = (std::filesystem::temp_directory_path() / "omc-nats-XXXXXX").string();
    if (mkdtemp(pattern.data()) == nullptr) {
        return Error(ErrorCode::kUnavailable, "mkdtemp failed for " + pattern);
    }
    work_dir_ = pattern;
    store_dir_ = work_dir_ + "/store";
    return Launch();
}

Result<void> NatsServer::Restart() {
    if (port_ == 0) return Error(ErrorCode::kConflict, "Restart() before Start()");
    Stop();
    return Launch();
}

Result<void> NatsServer::Launch() {
    const std::string port = std::to_string(port_);
    const std::string log_path = work_dir_ + "/nats-server.log";
    std::vector<std::string> args = {binary_, "-js", "-a",  "127.0.0.1",
                                     "-p",    port,  "-sd", store_dir_};
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const size_t log_offset = ReadLog().size();  // a restart appends to the same log

    const pid_t pid = fork();
    if (pid < 0) return Error(ErrorCode::kUnavailable, "fork failed");
    if (pid == 0) {
        // Child: only async-signal-safe calls until exec. Die with the test process.
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        const int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (log_fd >= 0) {
            dup2(log_fd, STDOUT_FILENO);
            dup2(log_fd, STDERR_FILENO);
        }
        execv(argv[0], argv.data());
        _exit(127);
    }
    pid_ = pid;
    const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
        int status = 0;
        if (waitpid(pid_, &status, WNOHANG) == pid_) {
            pid_ = -1;
            return Error(ErrorCode::kUnavailable, "nats-server exited during start")
                .WithDetail(ReadLog());
        }
        // "Server is ready" is logged once JetStream and the client listener are both up.
        if (ReadLog().find("Server is ready", log_offset) != std::string::npos &&
            AcceptsConnections(port_)) {
            return Ok();
        }
        std::this_thread::sleep_for(kPollInterval);
    }
    Stop();
    return Error(ErrorCode::kUnavailable, "nats-server did not become ready").WithDetail(ReadLog());
}

void NatsServer::Stop() {
    if (pid_ <= 0) return;
    kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
    int status = 0;
    while (waitpid(pid_, &status, WNOHANG) == 0) {
        if (std::chrono::steady_clock::now() >= deadline) {
            kill(pid_, SIGKILL);
            waitpid(pid_, &status, 0);
            break;
        }
        std::this_thread::sleep_for(kPollInterval);
    }
    pid_ = -1;
}

namespace {

Error NatsFailure(const std::string& what, natsStatus status) {
    return Error(ErrorCode::kUnavailable, what + ": " + natsStatus_GetText(status));
}

Result<StreamMessage> ToStreamMessage(natsMsg* msg, uint64_t sequence) {
    StreamMessage out;
    out.sequence = sequence;
    out.subject = natsMsg_GetSubject(msg);
    out.data.assign(natsMsg_GetData(msg), static_cast<size_t>(natsMsg_GetDataLength(msg)));
    const char* id = nullptr;
    if (natsMsgHeader_Get(msg, "Nats-Msg-Id", &id) == NATS_OK && id != nullptr) out.msg_id = id;
    return out;
}

Result<std::vector<StreamMessage>> ReadAll(jsCtx* js, const std::string& stream) {
    jsStreamInfo* info = nullptr;
    jsErrCode js_error = static_cast<jsErrCode>(0);
    natsStatus s = js_GetStreamInfo(&info, js, stream.c_str(), nullptr, &js_error);
    if (s == NATS_NOT_FOUND || js_error == JSStreamNotFoundErr) return NotFound("stream " + stream);
    if (s != NATS_OK) return NatsFailure("stream info", s);
    const uint64_t first = info->State.FirstSeq;
    const uint64_t last = info->State.LastSeq;
    const uint64_t count = info->State.Msgs;
    jsStreamInfo_Destroy(info);
    std::vector<StreamMessage> messages;
    for (uint64_t seq = first; count > 0 && seq <= last; ++seq) {
        natsMsg* msg = nullptr;
        s = js_GetMsg(&msg, js, stream.c_str(), seq, nullptr, &js_error);
        if (s == NATS_NOT_FOUND) continue;  // deleted
        if (s != NATS_OK) return NatsFailure("get message " + std::to_string(seq), s);
        auto message = ToStreamMessage(msg, seq);
        natsMsg_Destroy(msg);
        messages.push_back(std::move(*message));
    }
    return messages;
}

}  // namespace

Result<std::vector<StreamMessage>> ReadStream(const std::string& url, const std::string& stream) {
    natsConnection* nc = nullptr;
    natsStatus s = natsConnection_ConnectTo(&nc, url.c_str());
    if (s != NATS_OK) return NatsFailure("connect to " + url, s);
    jsCtx* js = nullptr;
    s = natsConnection_JetStream(&js, nc, nullptr);
    if (s != NATS_OK) {
        natsConnection_Destroy(nc);
        return NatsFailure("JetStream context", s);
    }
    auto messages = ReadAll(js, stream);
    jsCtx_Destroy(js);
    natsConnection_Destroy(nc);
    return messages;
}

}  // namespace omc::testing
