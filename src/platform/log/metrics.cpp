#include "platform/log/metrics.hpp"

#include <array>
#include <cmath>
#include <map>
#include <mutex>
#include <shared_mutex>
#include <unordered_map>

#include <fmt/format.h>

#include "platform/base/assert.hpp"

namespace omc::metrics {
namespace {

// Upper bounds of http_request_duration_seconds; +Inf is implicit.
constexpr std::array<double, 13> kBucketBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                  0.1,    0.25,  0.5,    1,     2.5,  5};
// A runaway route label set (a bug that puts ids in route names) must not eat the heap.
constexpr size_t kMaxRoutes = 2048;
constexpr std::string_view kOverflowRoute = "other";

// Prometheus text format 0.0.4: label values escape backslash, double quote and newline.
std::string EscapeLabel(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        switch (c) {
            case '\\':
                out += "\\\\";
                break;
            case '"':
                out += "\\\"";
                break;
            case '\n':
                out += "\\n";
                break;
            default:
                out.push_back(c);
        }
    }
    return out;
}

// HELP text escapes backslash and newline only.
std::string EscapeHelp(std::string_view value) {
    std::string out;
    out.reserve(value.size());
    for (char c : value) {
        if (c == '\\') {
            out += "\\\\";
        } else if (c == '\n') {
            out += "\\n";
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::string FormatValue(double v) {
    if (std::isnan(v)) return "NaN";
    if (std::isinf(v)) return v > 0 ? "+Inf" : "-Inf";
    return fmt::format("{}", v);
}

void AppendHeader(std::string& out, std::string_view name, std::string_view help,
                  std::string_view type) {
    fmt::format_to(std::back_inserter(out), "# HELP {} {}\n# TYPE {} {}\n", name, EscapeHelp(help),
                   name, type);
}

// One route's request counts and latency histogram, guarded by its own mutex so requests on
// different routes never contend.
struct RouteStats {
    mutable std::mutex mu;
    std::map<std::pair<std::string, int>, uint64_t> by_method_status;  // GUARDED_BY(mu)
    std::array<uint64_t, kBucketBounds.size() + 1> buckets{};          // GUARDED_BY(mu)
    double sum = 0;                                                    // GUARDED_BY(mu)
    uint64_t count = 0;                                                // GUARDED_BY(mu)
};

struct Counter {
    std::string help;
    std::string label_name;
    std::map<std::string, double> by_label_value;
};

struct Gauge {
    std::string name;
    std::string help;
    std::function<double()> read;
};

}  // namespace

struct Registry::Impl {
    mutable std::shared_mutex routes_mu;
    std::unordered_map<std::string, std::unique_ptr<RouteStats>> routes;  // GUARDED_BY(routes_mu)

    mutable std::mutex counters_mu;
    std::map<std::string, Counter, std::less<>> counters;  // GUARDED_BY(counters_mu)
    std::vector<Gauge> gauges;                             // GUARDED_BY(counters_mu)

    RouteStats& StatsFor(std::string_view route);
    void RenderRoutes(std::string& out) const;
    void RenderCounters(std::string& out) const;
    void RenderGauges(std::string& out) const;
};

RouteStats& Registry::Impl::StatsFor(std::string_view route) {
    const std::string key(route);
    {
        std::shared_lock lock(routes_mu);
        auto it = routes.find(key);
        if (it != routes.end()) return *it->second;
    }
    std::unique_lock lock(routes_mu);
    const std::string& name = routes.size() >= kMaxRoutes ? std::string(kOverflowRoute) : key;
    auto& slot = routes[name];
    if (!slot) slot = std::make_unique<RouteStats>();
    return *slot;
}

void Registry::Impl::RenderRoutes(std::string& out) const {
    std::shared_lock lock(routes_mu);
    std::map<std::string, const RouteStats*> sorted;
    for (const auto& [name, stats] : routes) sorted[name] = stats.get();

    AppendHeader(out, "http_requests_total", "HTTP requests handled, by route, method and status.",
                 "counter");
    for (const auto& [name, stats] : sorted) {
        std::lock_guard stats_lock(stats->mu);
        for (const auto& [key, n] : stats->by_method_status) {
            fmt::format_to(std::back_inserter(out),
                           "http_requests_total{{route=\"{}\",method=\"{}\",status=\"{}\"}} {}\n",
                           EscapeLabel(name), EscapeLabel(key.first), key.second, n);
        }
    }
    AppendHeader(out, "http_request_duration_seconds",
                 "HTTP request duration in seconds, by route.", "histogram");
    for (const auto& [name, stats] : sorted) {
        std::lock_guard stats_lock(stats->mu);
        const std::string label = EscapeLabel(name);
        uint64_t cumulative = 0;
        for (size_t i = 0; i <= kBucketBounds.size(); ++i) {
            cumulative += stats->buckets[i];
            const std::string le =
                i < kBucketBounds.size() ? FormatValue(kBucketBounds[i]) : std::string("+Inf");
            fmt::format_to(std::back_inserter(out),
                           "http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                           label, le, cumulative);
        }
        ERP_ASSERT(cumulative == stats->count, "histogram buckets add up to the count");
        fmt::format_to(std::back_inserter(out),
                       "http_request_duration_seconds_sum{{route=\"{}\"}} {}\n"
                       "http_request_duration_seconds_count{{route=\"{}\"}} {}\n",
                       label, FormatValue(stats->sum), label, stats->count);
    }
}

void Registry::Impl::RenderCounters(std::string& out) const {
    std::lock_guard lock(counters_mu);
    for (const auto& [name, counter] : counters) {
        AppendHeader(out, name, counter.help, "counter");
        for (const auto& [value, n] : counter.by_label_value) {
            if (counter.label_name.empty()) {
                fmt::format_to(std::back_inserter(out), "{} {}\n", name, FormatValue(n));
            } else {
                fmt::format_to(std::back_inserter(out), "{}{{{}=\"{}\"}} {}\n", name,
                               counter.label_name, EscapeLabel(value), FormatValue(n));
            }
        }
    }
}

void Registry::Impl::RenderGauges(std::string& out) const {
    std::vector<Gauge> gauges_copy;
    {
        std::lock_guard lock(counters_mu);
        gauges_copy = gauges;
    }
    // Read outside the lock: a gauge callback may take its own locks (the pool's).
    for (const auto& gauge : gauges_copy) {
        AppendHeader(out, gauge.name, gauge.help, "gauge");
        fmt::format_to(std::back_inserter(out), "{} {}\n", gauge.name, FormatValue(gauge.read()));
    }
}

Registry::Registry() : impl_(std::make_unique<Impl>()) {}
Registry::~Registry() = default;

void Registry::ObserveRequest(std::string_view route, std::string_view method, int status,
                              double seconds) {
    if (!(seconds >= 0)) seconds = 0;  // also catches NaN
    RouteStats& stats = impl_->StatsFor(route);
    size_t bucket = 0;
    while (bucket < kBucketBounds.size() && seconds > kBucketBounds[bucket]) ++bucket;
    std::lock_guard lock(stats.mu);
    ++stats.by_method_status[{std::string(method), status}];
    ++stats.buckets[bucket];
    stats.sum += seconds;
    ++stats.count;
}

void Registry::Increment(std::string_view name, std::string_view help, double by,
                         std::string_view label_name, std::string_view label_value) {
    std::lock_guard lock(impl_->counters_mu);
    auto it = impl_->counters.find(name);
    if (it == impl_->counters.end()) {
        it = impl_->counters.emplace(std::string(name), Counter{}).first;
        it->second.help = std::string(help);
        it->second.label_name = std::string(label_name);
    }
    it->second.by_label_value[std::string(label_value)] += by;
}

void Registry::AddGauge(std::string name, std::string help, std::function<double()> read) {
    ERP_INVARIANT(read != nullptr, "a gauge needs a read function");
    std::lock_guard lock(impl_->counters_mu);
    impl_->gauges.push_back({std::move(name), std::move(help), std::move(read)});
}

std::string Registry::RenderPrometheus() const {
    std::string out;
    out.reserve(4096);
    impl_->RenderRoutes(out);
    impl_->RenderCounters(out);
    impl_->RenderGauges(out);
    return out;
}

}  // namespace omc::metrics
