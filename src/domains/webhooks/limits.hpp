// Named limits of the webhooks module, related by static_asserts.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace omc::webhooks {

inline constexpr size_t kMaxUrlLength = 2048;
inline constexpr size_t kMaxDescriptionLength = 500;
inline constexpr size_t kMaxEventTypesPerEndpoint = 100;
inline constexpr size_t kMaxEndpointsPerTenant = 50;
// The first bytes of an answer's body kept in the attempt log.
inline constexpr size_t kResponseBodyLogBytes = 1024;
// An error text kept in the log is cut to this.
inline constexpr size_t kErrorLogBytes = 500;
// The brief's timeout for one send (the spec suggests 15-30 s; 10 s keeps a slow receiver from
// holding a dispatcher thread long).
inline constexpr std::chrono::milliseconds kSendTimeout{10'000};
inline constexpr std::chrono::milliseconds kConnectTimeout{3'000};
// Deliveries are retried until this long after their first attempt, then dead-lettered.
inline constexpr std::chrono::hours kRetryWindow{72};
// Rotation: the old secret stays valid this long by default, at most kMaxRotationOverlap.
inline constexpr std::chrono::hours kDefaultRotationOverlap{24};
inline constexpr std::chrono::hours kMaxRotationOverlap{7 * 24};
// Outbox events fanned out per tenant per step, and deliveries claimed per step.
inline constexpr int kFanOutBatch = 500;
inline constexpr int kSendBatch = 20;
// A claimed delivery is left alone by other dispatchers this long: longer than a send can take.
inline constexpr std::chrono::milliseconds kClaimLease{60'000};
// Redeliveries of failed deliveries queued by one request.
inline constexpr int64_t kMaxBulkRedeliveries = 10'000;

static_assert(kClaimLease > 2 * (kSendTimeout + kConnectTimeout));
static_assert(kDefaultRotationOverlap <= kMaxRotationOverlap);
static_assert(kSendBatch <= kFanOutBatch);

}  // namespace omc::webhooks
