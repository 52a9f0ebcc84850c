// Token-bucket rate limiting per (rate class, client key), in process. Each class has a rate
// (tokens per second) and a burst (bucket size); a request takes one token. The client key is
// chosen by the router: "key:<api key id>", "user:<subject>" or "ip:<address>".
//
// Memory is bounded: buckets live in sharded maps, and when a shard exceeds its share of
// `max_keys` the full (idle) buckets are dropped first, which loses nothing since a full bucket
// is what a new client gets anyway; if every bucket is busy, the least recently used goes.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "platform/base/clock.hpp"
#include "platform/http/router.hpp"

namespace omc::http {

struct RateLimit {
    double per_second = 0;  // 0: the class is unlimited
    double burst = 0;       // bucket size; at least one token is always allowed
};

// Keyed by RateClassName(): "default", "auth", "write", "read". A class missing from the map
// uses "default"'s limit; without "default" it is unlimited. RateClass::kNone is never limited.
using RateLimits = std::map<std::string, RateLimit, std::less<>>;

struct RateDecision {
    bool allowed = true;
    std::chrono::milliseconds retry_after{0};  // when refused: until one token is back
};

class RateLimiter {
  public:
    struct Options {
        size_t max_keys = 100'000;  // buckets kept in total, across shards
        size_t shards = 16;
    };

    // `clock` must outlive the limiter; only its Steady() is read.
    RateLimiter(RateLimits limits, const Clock& clock);
    RateLimiter(RateLimits limits, const Clock& clock, Options options);
    ~RateLimiter();
    RateLimiter(const RateLimiter&) = delete;
    RateLimiter& operator=(const RateLimiter&) = delete;

    // Takes one token from the bucket of (rate_class, key). Thread-safe.
    RateDecision Allow(RateClass rate_class, std::string_view key);

    // Buckets held right now, across shards.
    size_t TEST_KeyCount() const;

  private:
    struct Shard;
    const RateLimit* LimitFor(RateClass rate_class) const;

    RateLimits limits_;
    const Clock& clock_;
    Options options_;
    size_t shard_cap_;
    std::unique_ptr<Shard[]> shards_;
};

}  // namespace omc::http
