// The pure rules of webhooks: which URLs an endpoint may have, which event types exist and what a
// subscription matches, the retry schedule with its 3-day cut-off, and sealing secrets at rest.
// No SQL, no HTTP.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/base/clock.hpp"
#include "platform/base/result.hpp"

namespace omc::webhooks {

// Subscribes an endpoint to every event type.
inline constexpr std::string_view kWildcard = "*";
// The type of the event sent by the "send test event" route (never in the outbox).
inline constexpr std::string_view kTestEventType = "webhooks.test";

// An endpoint URL: absolute http:// or https:// (scheme in any case), a host of letters, digits,
// '.', '-' (or a bracketed IPv6 literal), an optional port 1..65535, then any path and query.
// Refused (kInvalidArgument naming `field`): other schemes, user info ("user:pw@"), fragments,
// whitespace or control characters, more than kMaxUrlLength characters.
Result<void> ValidateEndpointUrl(std::string_view url, std::string_view field = "url");

// Every event type the outbox carries today, sorted, plus kTestEventType. A domain that adds an
// event type adds it here so endpoints can subscribe to it (README.md, "Event types").
const std::vector<std::string_view>& KnownEventTypes();
bool IsKnownEventType(std::string_view type);

// Whether a subscription (exact names, or kWildcard) takes events of `type`.
bool Subscribes(const std::vector<std::string>& subscription, std::string_view type);

// The retry schedule, after the spec's example: the delay before the attempt that follows
// failure number `failures` (1 = the first attempt failed): 5 s, 5 min, 30 min, 2 h, 5 h, 10 h,
// 14 h, 20 h, then 24 h.
std::chrono::seconds BaseRetryDelay(int failures);

// What happens after a failed attempt at `now_us`.
struct RetryDecision {
    bool dead_letter = false;  // the retry window is over: no further attempt
    TimestampUs next_attempt_at_us = 0;
};
// The next attempt: BaseRetryDelay(failures) randomised by ±20% (`random`: any 64-bit value), but
// never past first_attempt_us + kRetryWindow (the last attempt is made at the cut-off); once
// `now_us` has reached the cut-off, dead-letter.
RetryDecision NextAttempt(TimestampUs first_attempt_us, int failures, TimestampUs now_us,
                          uint64_t random);

// ---- secrets at rest ----
inline constexpr size_t kSealKeyBytes = 32;  // crypto_secretbox_KEYBYTES
// A seal key from its text form: base64 (standard) or hex of exactly kSealKeyBytes bytes.
// nullopt otherwise.
std::optional<std::string> ParseSealKey(std::string_view text);
// base64(nonce || crypto_secretbox_easy(plaintext)), a fresh random nonce each time.
std::string Seal(std::string_view key, std::string_view plaintext);
// The plaintext, or kInternal when the text is not a box made with `key` (a changed key).
Result<std::string> Unseal(std::string_view key, std::string_view sealed);

}  // namespace omc::webhooks
