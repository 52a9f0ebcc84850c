#include "testing/omc_process.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>

namespace omc::testing {

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

pid_t StartServe(const std::string& dir, int port,
                 const std::vector<std::pair<std::string, std::string>>& env) {
    const std::string binary = OmcBinary();
    const pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        if (chdir(dir.c_str()) != 0) _exit(127);
        setenv("OMC_LISTEN", ("127.0.0.1:" + std::to_string(port)).c_str(), 1);
        unsetenv("OMC_TEST_ENGINE");
        for (const auto& [name, value] : env) setenv(name.c_str(), value.c_str(), 1);
        if (freopen("serve.log", "w", stderr) == nullptr) _exit(127);
        execl(binary.c_str(), "omc", "serve", static_cast<char*>(nullptr));
        _exit(127);
    }
    for (int i = 0; i < 200; ++i) {  // up to 20 s on a loaded CI machine
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        if (HttpGetStatus(port, "/health/ready") == 200) return pid;
    }
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return -1;
}

}  // namespace omc::testing
