#include "platform/log/metrics.hpp"

#include <gtest/gtest.h>

namespace omc::metrics {
namespace {

bool Contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
}

TEST(Metrics, HistogramBucketsAreCumulative) {
    Registry registry;
    registry.ObserveRequest("events.list", "GET", 200, 0.0004);
    registry.ObserveRequest("events.list", "GET", 200, 0.003);
    registry.ObserveRequest("events.list", "GET", 500, 0.2);
    registry.ObserveRequest("events.list", "POST", 201, 7);
    const std::string text = registry.RenderPrometheus();

    EXPECT_TRUE(Contains(text, "# HELP http_requests_total "));
    EXPECT_TRUE(Contains(text, "# TYPE http_requests_total counter\n"));
    EXPECT_TRUE(Contains(
        text, "http_requests_total{route=\"events.list\",method=\"GET\",status=\"200\"} 2\n"));
    EXPECT_TRUE(Contains(
        text, "http_requests_total{route=\"events.list\",method=\"GET\",status=\"500\"} 1\n"));
    EXPECT_TRUE(Contains(text, "# TYPE http_request_duration_seconds histogram\n"));
    const std::string b = "http_request_duration_seconds_bucket{route=\"events.list\",le=";
    EXPECT_TRUE(Contains(text, b + "\"0.0005\"} 1\n"));
    EXPECT_TRUE(Contains(text, b + "\"0.001\"} 1\n"));
    EXPECT_TRUE(Contains(text, b + "\"0.0025\"} 1\n"));
    EXPECT_TRUE(Contains(text, b + "\"0.005\"} 2\n"));
    EXPECT_TRUE(Contains(text, b + "\"0.1\"} 2\n"));
    EXPECT_TRUE(Contains(text, b + "\"0.25\"} 3\n"));
    EXPECT_TRUE(Contains(text, b + "\"5\"} 3\n"));
    EXPECT_TRUE(Contains(text, b + "\"+Inf\"} 4\n"));
    EXPECT_TRUE(Contains(text, "http_request_duration_seconds_count{route=\"events.list\"} 4\n"));
    EXPECT_TRUE(Contains(text, "http_request_duration_seconds_sum{route=\"events.list\"} 7.2034\n"))
        << text;
}

TEST(Metrics, BucketBoundaryIsInclusive) {
    Registry registry;
    registry.ObserveRequest("r", "GET", 200, 0.001);  // le="0.001" means <= 0.001
    EXPECT_TRUE(Contains(registry.RenderPrometheus(),
                         "http_request_duration_seconds_bucket{route=\"r\",le=\"0.001\"} 1\n"));
}

TEST(Metrics, CountersGaugesAndEscaping) {
    Registry registry;
    registry.Increment("outbox_published_total", "Events published.\nSecond line");
    registry.Increment("outbox_published_total", "ignored", 2);
    registry.Increment("webhook_failures_total", "Failed deliveries.", 1, "target", "a\"b\\c\nd");
    registry.AddGauge("db_pool_in_use", "Connections in use.", [] { return 3.0; });
    registry.ObserveRequest("weird\"route", "GET", 200, 0.01);
    const std::string text = registry.RenderPrometheus();
    EXPECT_TRUE(Contains(text, "# HELP outbox_published_total Events published.\\nSecond line\n"));
    EXPECT_TRUE(
        Contains(text, "# TYPE outbox_published_total counter\noutbox_published_total 3\n"));
    EXPECT_TRUE(Contains(text, "webhook_failures_total{target=\"a\\\"b\\\\c\\nd\"} 1\n")) << text;
    EXPECT_TRUE(Contains(text, "# TYPE db_pool_in_use gauge\ndb_pool_in_use 3\n"));
    EXPECT_TRUE(Contains(text, "route=\"weird\\\"route\""));
}

TEST(Metrics, EmptyRegistryRendersHeadersOnly) {
    Registry registry;
    const std::string text = registry.RenderPrometheus();
    EXPECT_TRUE(Contains(text, "# TYPE http_requests_total counter"));
    EXPECT_FALSE(Contains(text, "_bucket"));
}

}  // namespace
}  // namespace omc::metrics
