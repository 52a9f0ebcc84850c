// Prometheus metrics kept in process and rendered in the text exposition format at /metrics.
// Thread-safe. Counters and histograms are keyed by a fixed label set chosen at registration.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace omc::metrics {

class Registry {
  public:
    Registry();
    ~Registry();

    // http_requests_total{route,method,status} and http_request_duration_seconds{route} histogram.
    void ObserveRequest(std::string_view route, std::string_view method, int status,
                        double seconds);
    // A counter by name with one optional label pair, e.g. ("outbox_published_total", "", "").
    void Increment(std::string_view name, std::string_view help, double by = 1.0,
                   std::string_view label_name = {}, std::string_view label_value = {});
    // A gauge read when /metrics is scraped (pool use, outbox backlog).
    void AddGauge(std::string name, std::string help, std::function<double()> read);
    std::string RenderPrometheus() const;

  private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace omc::metrics
