#include "platform/log/log.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <mutex>

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include "platform/base/clock.hpp"

namespace omc::log {
namespace {

thread_local std::string t_request_id;
thread_local std::string t_tenant;

std::atomic<int> g_level{static_cast<int>(Level::kInfo)};
std::array<std::atomic<int64_t>, 5> g_lines_written{};

std::mutex g_capture_mu;
std::vector<std::string>* g_capture = nullptr;  // GUARDED_BY(g_capture_mu)
std::atomic<bool> g_capturing{false};

std::string_view LevelName(Level level) {
    switch (level) {
        case Level::kDebug:
            return "debug";
        case Level::kInfo:
            return "info";
        case Level::kWarn:
            return "warn";
        case Level::kError:
            return "error";
        case Level::kOff:
            return "off";
    }
    return "info";
}

spdlog::level::level_enum ToSpdlog(Level level) {
    switch (level) {
        case Level::kDebug:
            return spdlog::level::debug;
        case Level::kInfo:
            return spdlog::level::info;
        case Level::kWarn:
            return spdlog::level::warn;
        case Level::kError:
            return spdlog::level::err;
        case Level::kOff:
            return spdlog::level::off;
    }
    return spdlog::level::info;
}

// The process logger. stderr, unbuffered, one JSON object a line; the "%v" pattern leaves the
// line exactly as built here.
std::shared_ptr<spdlog::logger> MakeLogger() {
    auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    auto logger = std::make_shared<spdlog::logger>("omc", std::move(sink));
    logger->set_pattern("%v");
    logger->set_level(spdlog::level::trace);  // filtering happens before the line is built
    return logger;
}

spdlog::logger& Logger() {
    static const std::shared_ptr<spdlog::logger> logger = MakeLogger();
    return *logger;
}

TimestampUs WallNowUs() { return SystemClock().NowUs(); }

}  // namespace

bool ParseLevel(std::string_view name, Level* out) {
    static constexpr std::array<std::pair<std::string_view, Level>, 6> kNames = {{
        {"debug", Level::kDebug},
        {"info", Level::kInfo},
        {"warn", Level::kWarn},
        {"warning", Level::kWarn},
        {"error", Level::kError},
        {"off", Level::kOff},
    }};
    for (const auto& [text, level] : kNames) {
        if (text == name) {
            *out = level;
            return true;
        }
    }
    return false;
}

void Init(Level level) {
    g_level.store(static_cast<int>(level), std::memory_order_relaxed);
    Logger().set_level(ToSpdlog(level == Level::kOff ? Level::kOff : Level::kDebug));
}

bool Enabled(Level level) {
    return level != Level::kOff &&
           static_cast<int>(level) >= g_level.load(std::memory_order_relaxed);
}

void Write(Level level, std::string_view message, const nlohmann::json& fields) {
    if (level == Level::kOff) return;
    if (static_cast<int>(level) < g_level.load(std::memory_order_relaxed)) return;
    nlohmann::ordered_json line;
    line["ts"] = FormatTimestamp(WallNowUs());
    line["level"] = LevelName(level);
    line["msg"] = message;
    if (!t_request_id.empty()) line["request_id"] = t_request_id;
    if (!t_tenant.empty()) line["tenant"] = t_tenant;
    if (fields.is_object()) {
        for (const auto& [key, value] : fields.items()) line[key] = value;
    } else if (!fields.is_null()) {
        line["fields"] = fields;
    }
    // Invalid UTF-8 from a client (a path, a header) is replaced, never thrown on.
    std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    g_lines_written[static_cast<size_t>(level)].fetch_add(1, std::memory_order_relaxed);
    if (g_capturing.load(std::memory_order_acquire)) {
        std::lock_guard lock(g_capture_mu);
        if (g_capture != nullptr) g_capture->push_back(text);
    }
    Logger().log(ToSpdlog(level), "{}", text);
}

ScopedRequest::ScopedRequest(std::string request_id)
    : previous_(std::move(t_request_id)), previous_tenant_(std::move(t_tenant)) {
    t_request_id = std::move(request_id);
    t_tenant.clear();
}

ScopedRequest::~ScopedRequest() {
    t_request_id = std::move(previous_);
    t_tenant = std::move(previous_tenant_);
}

void ScopedRequest::SetTenant(std::string tenant_id) { t_tenant = std::move(tenant_id); }

const std::string& ScopedRequest::CurrentRequestId() { return t_request_id; }
const std::string& ScopedRequest::CurrentTenant() { return t_tenant; }

int64_t TEST_LinesWritten(Level level) {
    return g_lines_written[static_cast<size_t>(level)].load(std::memory_order_relaxed);
}

void TEST_CaptureLines(std::vector<std::string>* sink) {
    std::lock_guard lock(g_capture_mu);
    g_capture = sink;
    g_capturing.store(sink != nullptr, std::memory_order_release);
}

}  // namespace omc::log
