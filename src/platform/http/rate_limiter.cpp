#include "platform/http/rate_limiter.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <mutex>
#include <unordered_map>

#include "platform/base/assert.hpp"

namespace omc::http {
namespace {

using SteadyTime = std::chrono::steady_clock::time_point;

struct Bucket {
    double tokens = 0;
    SteadyTime updated;
    const RateLimit* limit = nullptr;  // points into RateLimiter::limits_, which never changes
};

double Seconds(std::chrono::steady_clock::duration d) {
    return std::chrono::duration<double>(d).count();
}

double Capacity(const RateLimit& limit) { return std::max(limit.burst, 1.0); }

// Adds the tokens earned since the bucket was last touched, up to its capacity.
void Refill(Bucket& bucket, const RateLimit& limit, SteadyTime now) {
    if (now > bucket.updated) {
        bucket.tokens = std::min(Capacity(limit),
                                 bucket.tokens + Seconds(now - bucket.updated) * limit.per_second);
        bucket.updated = now;
    }
}

// Makes room in a shard that reached its cap: drops every bucket that has refilled completely
// (forgetting it changes nothing), or, when all are busy, the one touched longest ago.
void Evict(std::unordered_map<std::string, Bucket>& buckets, SteadyTime now) {
    const size_t before = buckets.size();
    for (auto it = buckets.begin(); it != buckets.end();) {
        Bucket& bucket = it->second;
        Refill(bucket, *bucket.limit, now);
        it = bucket.tokens >= Capacity(*bucket.limit) ? buckets.erase(it) : std::next(it);
    }
    if (buckets.size() < before || buckets.empty()) return;
    auto oldest = std::min_element(
        buckets.begin(), buckets.end(),
        [](const auto& a, const auto& b) { return a.second.updated < b.second.updated; });
    buckets.erase(oldest);
}

}  // namespace

struct RateLimiter::Shard {
    std::mutex mu;
    // Key: "<class>|<client key>". GUARDED_BY(mu)
    std::unordered_map<std::string, Bucket> buckets;
};

RateLimiter::RateLimiter(RateLimits limits, const Clock& clock)
    : RateLimiter(std::move(limits), clock, Options{}) {}

RateLimiter::RateLimiter(RateLimits limits, const Clock& clock, Options options)
    : limits_(std::move(limits)),
      clock_(clock),
      options_(options),
      shard_cap_(std::max<size_t>(1, options.max_keys / std::max<size_t>(1, options.shards))),
      shards_(std::make_unique<Shard[]>(std::max<size_t>(1, options.shards))) {
    options_.shards = std::max<size_t>(1, options_.shards);
    for (const auto& [name, limit] : limits_) {
        ERP_INVARIANT(limit.per_second >= 0 && limit.burst >= 0,
                      "rate limits must not be negative");
    }
}

RateLimiter::~RateLimiter() = default;

const RateLimit* RateLimiter::LimitFor(RateClass rate_class) const {
    if (rate_class == RateClass::kNone) return nullptr;
    auto it = limits_.find(RateClassName(rate_class));
    if (it == limits_.end()) it = limits_.find(RateClassName(RateClass::kDefault));
    if (it == limits_.end() || it->second.per_second <= 0) return nullptr;
    return &it->second;
}

RateDecision RateLimiter::Allow(RateClass rate_class, std::string_view key) {
    const RateLimit* limit = LimitFor(rate_class);
    if (limit == nullptr) return {};

    std::string bucket_key;
    bucket_key.reserve(key.size() + 8);
    bucket_key.append(RateClassName(rate_class)).push_back('|');
    bucket_key.append(key);
    Shard& shard = shards_[std::hash<std::string>{}(bucket_key) % options_.shards];
    const SteadyTime now = clock_.Steady();

    std::lock_guard lock(shard.mu);
    auto it = shard.buckets.find(bucket_key);
    if (it == shard.buckets.end()) {
        if (shard.buckets.size() >= shard_cap_) {
            Evict(shard.buckets, now);
        }
        it = shard.buckets.emplace(std::move(bucket_key), Bucket{Capacity(*limit), now, limit})
                 .first;
    }
    Bucket& bucket = it->second;
    Refill(bucket, *limit, now);
    if (bucket.tokens >= 1.0) {
        bucket.tokens -= 1.0;
        return {};
    }
    const double wait_s = (1.0 - bucket.tokens) / limit->per_second;
    const auto wait_ms = static_cast<int64_t>(std::ceil(wait_s * 1000.0));
    return {false, std::chrono::milliseconds(std::max<int64_t>(1, wait_ms))};
}

size_t RateLimiter::TEST_KeyCount() const {
    size_t n = 0;
    for (size_t i = 0; i < options_.shards; ++i) {
        std::lock_guard lock(shards_[i].mu);
        n += shards_[i].buckets.size();
    }
    return n;
}

}  // namespace omc::http
