// Standard Webhooks signing (https://www.standardwebhooks.com, spec/standard-webhooks.md):
// symmetric secrets "whsec_<base64 of 24..64 random bytes>", the signed content
// "<webhook-id>.<webhook-timestamp>.<body>", and the `webhook-signature` header: one
// "v1,<base64 of HMAC-SHA256>" per active secret, separated by single spaces.
//
// VerifySignature is the receiving side, public for customers and used by the test receiver
// (tests/support/webhook_receiver.cpp): it checks the timestamp against a tolerance (replay
// protection) and accepts when any v1 signature in the header matches any given secret, compared
// in constant time. docs/webhooks.md shows customers the same steps.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "platform/base/result.hpp"

namespace omc::webhooks {

inline constexpr std::string_view kSecretPrefix = "whsec_";
// The spec: a symmetric secret is at least 24 random bytes; 64 bytes is the most we accept.
inline constexpr size_t kSecretMinBytes = 24;
inline constexpr size_t kSecretMaxBytes = 64;
inline constexpr size_t kSecretBytes = 32;  // what GenerateSecret makes
static_assert(kSecretMinBytes <= kSecretBytes && kSecretBytes <= kSecretMaxBytes);
// The spec's recommended tolerance on webhook-timestamp, either side of the receiver's clock.
inline constexpr std::chrono::seconds kDefaultTolerance{5 * 60};
// A header longer than this is refused before any work (a signature is 47 characters).
inline constexpr size_t kMaxSignatureHeaderBytes = 4096;

// A new secret: "whsec_" + base64 (standard alphabet, padded) of kSecretBytes bytes from
// libsodium's CSPRNG.
std::string GenerateSecret();

// The key bytes of a "whsec_..." secret. The prefix is optional (some customers store only the
// base64 part), as in the reference libraries. kInvalidArgument naming "secret" when the base64
// is malformed or the key is not kSecretMinBytes..kSecretMaxBytes long.
Result<std::string> DecodeSecret(std::string_view secret);

// "v1,<base64 HMAC-SHA256(key, id + "." + timestamp + "." + body)>".
std::string SignWithKey(std::string_view key, std::string_view webhook_id, int64_t timestamp_s,
                        std::string_view body);

// The webhook-signature header value for `secrets` (whsec_ form, primary first): one v1
// signature per secret, space-separated. kInvalidArgument for a malformed secret; at least one
// secret is required.
Result<std::string> SignatureHeader(const std::vector<std::string>& secrets,
                                    std::string_view webhook_id, int64_t timestamp_s,
                                    std::string_view body);

// The three headers as received.
struct WebhookHeaders {
    std::string id;         // webhook-id
    std::string timestamp;  // webhook-timestamp: integer unix seconds, as text
    std::string signature;  // webhook-signature
};

// Verifies a received webhook. Ok when webhook-timestamp is an integer within `tolerance` of
// `now_s` (either side) and some "v1,..." entry of the signature header equals the signature of
// (id, timestamp, body) under one of `secrets` (whsec_ form). Otherwise kUnauthenticated with a
// field naming the header at fault: "webhook-id" or "webhook-timestamp" (missing, malformed,
// too old or too new) or "webhook-signature" (missing, or no match). Entries with other version
// tags (v1a, ...) are ignored. kInvalidArgument naming "secret" for a malformed secret.
Result<void> VerifySignature(const std::vector<std::string>& secrets, const WebhookHeaders& headers,
                             std::string_view body, int64_t now_s,
                             std::chrono::seconds tolerance = kDefaultTolerance);

}  // namespace omc::webhooks
