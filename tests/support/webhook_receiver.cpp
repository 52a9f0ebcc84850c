// omc_webhook_receiver: a real webhook receiver on loopback for the webhook tests.
//
//   omc_webhook_receiver --port N --record FILE [--secret whsec_...]...
//
// Every POST to a path not starting with /_ is verified with webhooks::VerifySignature (the
// function customers are told to follow) against the secrets it was given, recorded as one JSON
// line in FILE ({"path","webhook_id","timestamp","signature","body","verified","error"}), and
// answered 200 when verified, 401 when not, unless the path was told otherwise. Control:
//   GET  /_health                          200 once listening
//   POST /_control {"path":"/p","answer":500|410|...|"hang","times":n}
//        answer that way for the next n requests to /p (all of them without "times"); "hang"
//        holds the request 30 s without answering
//   POST /_control {"secrets":["whsec_..."]}  the secrets to verify with from now on
//   POST /_control {"now_s":1700000000}       the clock VerifySignature is given (0: real time)
// Plain sockets, a thread per connection, one request per connection (Connection: close).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "domains/webhooks/signature.hpp"

namespace {

using nlohmann::json;

struct Mode {
    std::string answer;  // a status code as text, or "hang"
    int remaining = -1;  // -1: always
};

std::mutex g_mu;
std::vector<std::string> g_secrets;   // GUARDED_BY(g_mu)
std::map<std::string, Mode> g_modes;  // GUARDED_BY(g_mu)
int64_t g_now_s = 0;                  // GUARDED_BY(g_mu)
std::string g_record_path;

struct Request {
    std::string method;
    std::string path;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
};

bool ReadRequest(int fd, Request& out) {
    std::string raw;
    char buffer[8192];
    size_t head_end = std::string::npos;
    while (head_end == std::string::npos) {
        const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
        if (n <= 0) return false;
        raw.append(buffer, static_cast<size_t>(n));
        head_end = raw.find("\r\n\r\n");
        if (raw.size() > (1 << 20)) return false;
    }
    const std::string head = raw.substr(0, head_end);
    const size_t line_end = head.find("\r\n");
    const std::string first = head.substr(0, line_end);
    const size_t sp1 = first.find(' ');
    const size_t sp2 = first.find(' ', sp1 + 1);
    if (sp1 == std::string::npos || sp2 == std::string::npos) return false;
    out.method = first.substr(0, sp1);
    out.path = first.substr(sp1 + 1, sp2 - sp1 - 1);
    size_t at = line_end == std::string::npos ? head.size() : line_end + 2;
    while (at < head.size()) {
        size_t end = head.find("\r\n", at);
        if (end == std::string::npos) end = head.size();
        const std::string line = head.substr(at, end - at);
        const size_t colon = line.find(':');
        if (colon != std::string::npos) {
            std::string name = line.substr(0, colon);
            for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            size_t v = colon + 1;
            while (v < line.size() && line[v] == ' ') ++v;
            out.headers[name] = line.substr(v);
        }
        at = end + 2;
    }
    out.body = raw.substr(head_end + 4);
    const size_t length = out.headers.count("content-length")
                              ? std::strtoull(out.headers["content-length"].c_str(), nullptr, 10)
                              : 0;
    while (out.body.size() < length) {
        const ssize_t n = recv(fd, buffer, sizeof(buffer), 0);
        if (n <= 0) return false;
        out.body.append(buffer, static_cast<size_t>(n));
    }
    return true;
}

void Answer(int fd, int status, const std::string& body) {
    const std::string text =
        "HTTP/1.1 " + std::to_string(status) +
        " X\r\nContent-Type: application/json\r\nContent-Length: " + std::to_string(body.size()) +
        "\r\nConnection: close\r\n\r\n" + body;
    size_t sent = 0;
    while (sent < text.size()) {
        const ssize_t n = send(fd, text.data() + sent, text.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) return;
        sent += static_cast<size_t>(n);
    }
}

void Control(int fd, const Request& request) {
    const json body = json::parse(request.body, nullptr, false);
    if (!body.is_object()) return Answer(fd, 400, R"({"error":"not JSON"})");
    std::lock_guard lock(g_mu);
    if (body.contains("secrets")) g_secrets = body["secrets"].get<std::vector<std::string>>();
    if (body.contains("now_s")) g_now_s = body["now_s"].get<int64_t>();
    if (body.contains("path")) {
        const json& answer = body["answer"];
        Mode mode{.answer = answer.is_string() ? answer.get<std::string>()
                                               : std::to_string(answer.get<int>()),
                  .remaining = body.value("times", -1)};
        g_modes[body["path"].get<std::string>()] = mode;
    }
    Answer(fd, 200, R"({"ok":true})");
}

void Receive(int fd, const Request& request) {
    omc::webhooks::WebhookHeaders headers;
    auto header = [&](const char* name) {
        auto it = request.headers.find(name);
        return it == request.headers.end() ? std::string() : it->second;
    };
    headers.id = header("webhook-id");
    headers.timestamp = header("webhook-timestamp");
    headers.signature = header("webhook-signature");
    std::vector<std::string> secrets;
    int64_t now_s = 0;
    std::string answer;
    {
        std::lock_guard lock(g_mu);
        secrets = g_secrets;
        now_s = g_now_s;
        auto it = g_modes.find(request.path);
        if (it != g_modes.end() && it->second.remaining != 0) {
            answer = it->second.answer;
            if (it->second.remaining > 0) --it->second.remaining;
        }
    }
    if (now_s == 0) {
        now_s = std::chrono::duration_cast<std::chrono::seconds>(
                    std::chrono::system_clock::now().time_since_epoch())
                    .count();
    }
    const auto verified = omc::webhooks::VerifySignature(secrets, headers, request.body, now_s);
    json line{{"path", request.path},
              {"webhook_id", headers.id},
              {"timestamp", headers.timestamp},
              {"signature", headers.signature},
              {"content_type", header("content-type")},
              {"body", request.body},
              {"verified", verified.ok()},
              {"error", verified.ok() ? json(nullptr)
                                      : json(verified.error().fields().empty()
                                                 ? verified.error().message()
                                                 : verified.error().fields()[0].field + " " +
                                                       verified.error().fields()[0].message)}};
    {
        std::lock_guard lock(g_mu);
        std::ofstream out(g_record_path, std::ios::app);
        out << line.dump() << "\n";
    }
    if (answer == "hang") {
        std::this_thread::sleep_for(std::chrono::seconds(30));
        return;
    }
    if (!answer.empty()) return Answer(fd, std::atoi(answer.c_str()), R"({"told":true})");
    if (!verified.ok()) return Answer(fd, 401, R"({"error":"signature refused"})");
    Answer(fd, 200, R"({"received":true})");
}

void Serve(int fd) {
    Request request;
    if (ReadRequest(fd, request)) {
        if (request.path == "/_health") {
            Answer(fd, 200, R"({"ok":true})");
        } else if (request.path == "/_control" && request.method == "POST") {
            Control(fd, request);
        } else if (request.method == "POST") {
            Receive(fd, request);
        } else {
            Answer(fd, 405, R"({"error":"POST only"})");
        }
    }
    close(fd);
}

}  // namespace

int main(int argc, char** argv) {
    int port = 0;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string flag = argv[i];
        if (flag == "--port") {
            port = std::atoi(argv[i + 1]);
        } else if (flag == "--record") {
            g_record_path = argv[i + 1];
        } else if (flag == "--secret") {
            g_secrets.emplace_back(argv[i + 1]);
        } else {
            std::fprintf(stderr, "unknown flag %s\n", flag.c_str());
            return 2;
        }
    }
    if (port <= 0 || g_record_path.empty()) {
        std::fprintf(stderr, "usage: %s --port N --record FILE [--secret S]...\n", argv[0]);
        return 2;
    }
    const int listener = socket(AF_INET, SOCK_STREAM, 0);
    const int one = 1;
    setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(static_cast<uint16_t>(port));
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(listener, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 ||
        listen(listener, 64) != 0) {
        std::perror("bind/listen");
        return 1;
    }
    for (;;) {
        const int fd = accept(listener, nullptr, nullptr);
        if (fd < 0) continue;
        std::thread(Serve, fd).detach();
    }
}
