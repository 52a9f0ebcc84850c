// JSON log lines through spdlog, one object a line:
//   {"ts":"2026-11-21T15:04:05.123Z","level":"info","msg":"...","request_id":"...", ...fields}
// The request id of the request being handled on this thread is added to every line.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace omc::log {

enum class Level { kDebug, kInfo, kWarn, kError, kOff };
bool ParseLevel(std::string_view name, Level* out);

// Configures the process logger (stderr). Safe to call again (tests).
void Init(Level level);

// True when a line at `level` would be written: check it before building costly fields.
bool Enabled(Level level);

void Write(Level level, std::string_view message,
           const nlohmann::json& fields = nlohmann::json::object());
inline void Debug(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) {
    Write(Level::kDebug, m, f);
}
inline void Info(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) {
    Write(Level::kInfo, m, f);
}
inline void Warn(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) {
    Write(Level::kWarn, m, f);
}
inline void Error(std::string_view m, const nlohmann::json& f = nlohmann::json::object()) {
    Write(Level::kError, m, f);
}

// Sets this thread's request id (and tenant, when known) for the lifetime of the scope.
class ScopedRequest {
  public:
    explicit ScopedRequest(std::string request_id);
    ~ScopedRequest();
    ScopedRequest(const ScopedRequest&) = delete;
    ScopedRequest& operator=(const ScopedRequest&) = delete;
    static void SetTenant(std::string tenant_id);

    // The values set on this thread, empty when none (for tests and error reports).
    static const std::string& CurrentRequestId();
    static const std::string& CurrentTenant();

  private:
    std::string previous_;
    std::string previous_tenant_;
};

// Log lines written since Init(), by level; lets tests assert that an error was logged.
int64_t TEST_LinesWritten(Level level);
// Captures every line written while set (tests). Pass nullptr to stop capturing.
void TEST_CaptureLines(std::vector<std::string>* sink);

}  // namespace omc::log
