#include "domains/payments/breaker.hpp"

#include <algorithm>

#include "platform/base/assert.hpp"

namespace omc::payments {

std::string_view BreakerStateName(BreakerState state) {
    switch (state) {
        case BreakerState::kClosed:
            return "closed";
        case BreakerState::kOpen:
            return "open";
        case BreakerState::kHalfOpen:
            return "half_open";
    }
    return "closed";
}

bool Breakers::Allow(const std::string& key, TimestampUs now_us, int64_t cooldown_ms) {
    std::lock_guard lock(mu_);
    State& s = states_[key];
    switch (s.state) {
        case BreakerState::kClosed:
            return true;
        case BreakerState::kOpen:
            if (now_us < s.open_until_us) return false;
            s.state = BreakerState::kHalfOpen;
            s.probe_out = true;
            return true;
        case BreakerState::kHalfOpen:
            // A probe that never reported (its caller died) is given up after a cool-down.
            if (s.probe_out && now_us < s.open_until_us + cooldown_ms * 1000) return false;
            s.probe_out = true;
            return true;
    }
    return true;
}

void Breakers::OnSuccess(const std::string& key) {
    std::lock_guard lock(mu_);
    State& s = states_[key];
    s.state = BreakerState::kClosed;
    s.failures = 0;
    s.probe_out = false;
}

void Breakers::OnFailure(const std::string& key, TimestampUs now_us, int64_t threshold,
                         int64_t cooldown_ms) {
    ERP_ASSERT(threshold > 0 && cooldown_ms > 0, "breaker settings are positive");
    std::lock_guard lock(mu_);
    State& s = states_[key];
    ++s.failures;
    if (s.state == BreakerState::kHalfOpen || s.failures >= threshold) {
        if (s.state != BreakerState::kOpen) ++s.opened_total;
        s.state = BreakerState::kOpen;
        s.open_until_us = now_us + cooldown_ms * 1000;
        s.probe_out = false;
    }
}

BreakerSnapshot Breakers::Snapshot(const std::string& key) const {
    std::lock_guard lock(mu_);
    BreakerSnapshot out;
    out.key = key;
    const auto it = states_.find(key);
    if (it == states_.end()) return out;
    out.state = it->second.state;
    out.consecutive_failures = it->second.failures;
    out.open_until_us = it->second.open_until_us;
    out.opened_total = it->second.opened_total;
    return out;
}

std::vector<BreakerSnapshot> Breakers::All() const {
    std::vector<BreakerSnapshot> out;
    std::vector<std::string> keys;
    {
        std::lock_guard lock(mu_);
        for (const auto& [key, state] : states_) keys.push_back(key);
    }
    for (const std::string& key : keys) out.push_back(Snapshot(key));
    return out;
}

int64_t Breakers::OpenCount() const {
    std::lock_guard lock(mu_);
    int64_t n = 0;
    for (const auto& [key, s] : states_) n += s.state == BreakerState::kClosed ? 0 : 1;
    return n;
}

int64_t BackoffMs(int64_t attempt, int64_t base_ms, int64_t cap_ms, double random01) {
    ERP_ASSERT(base_ms > 0 && cap_ms >= base_ms, "backoff bounds");
    const int64_t shift = std::clamp<int64_t>(attempt, 0, 30);
    const int64_t full = std::min(cap_ms, base_ms << std::min<int64_t>(shift, 20));
    const double r = std::clamp(random01, 0.0, 0.999999);
    return full / 2 + static_cast<int64_t>(static_cast<double>(full - full / 2) * r);
}

}  // namespace omc::payments
