// A circuit breaker per (tenant, provider) and the poller's backoff. Pure and thread-safe; the
// time is always passed in (the injected clock), so tests drive it without sleeping.
//
//   closed     calls go through; `failure_threshold` consecutive failures open it
//   open       calls are refused (no network) until `cooldown` has passed, then
//   half-open  one probe call goes through: success closes it, failure opens it again
//
// A failure is a call with no answer or a 5xx (kUnavailable); a 4xx is the provider working.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include "platform/base/clock.hpp"

namespace omc::payments {

enum class BreakerState { kClosed, kOpen, kHalfOpen };
std::string_view BreakerStateName(BreakerState state);  // "closed", "open", "half_open"

struct BreakerSnapshot {
    std::string key;
    BreakerState state = BreakerState::kClosed;
    int64_t consecutive_failures = 0;
    TimestampUs open_until_us = 0;
    int64_t opened_total = 0;
};

class Breakers {
  public:
    // Whether a call to `key` may go out now. In the open state after the cool-down, the first
    // caller gets the half-open probe (true) and the others false until it reports.
    bool Allow(const std::string& key, TimestampUs now_us, int64_t cooldown_ms);
    void OnSuccess(const std::string& key);
    void OnFailure(const std::string& key, TimestampUs now_us, int64_t threshold,
                   int64_t cooldown_ms);
    BreakerSnapshot Snapshot(const std::string& key) const;
    std::vector<BreakerSnapshot> All() const;
    int64_t OpenCount() const;  // breakers not closed

  private:
    struct State {
        BreakerState state = BreakerState::kClosed;
        int64_t failures = 0;
        TimestampUs open_until_us = 0;
        bool probe_out = false;
        int64_t opened_total = 0;
    };
    mutable std::mutex mu_;
    std::map<std::string, State> states_;  // GUARDED_BY(mu_)
};

// The delay before poll number `attempt` (0-based) of a pending intent: exponential from
// `base_ms`, capped at `cap_ms`, with "equal jitter" (half fixed, half random) so that intents
// created together do not poll together. `random01` is uniform in [0, 1).
int64_t BackoffMs(int64_t attempt, int64_t base_ms, int64_t cap_ms, double random01);

}  // namespace omc::payments
