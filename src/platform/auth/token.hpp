// Access tokens: JWT (RFC 7519) signed with HMAC-SHA256 only. The algorithm is pinned: the header
// must say {"alg":"HS256","typ":"JWT","kid":...} and is checked BEFORE any signature work, so
// "none" and every other algorithm are refused outright. `kid` picks the key, so keys rotate by
// adding a new kid, making it active, and removing the old one after the token lifetime.
// iss, aud, exp and nbf are always checked (exp and nbf with a small clock-skew leeway).
#pragma once

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "platform/base/clock.hpp"
#include "platform/base/result.hpp"

namespace omc::auth {

struct TokenClaims {
    std::string subject;              // sub: user id or API key id
    std::string tenant_id;            // tid
    std::string role;                 // role
    std::string token_id;             // jti
    std::vector<std::string> scopes;  // scp: "region:<uuid>", "station:<uuid>", "dealer:<uuid>"
    // rst: what the holder must do before anything else ("mfa_enrollment", "password_change");
    // empty when unrestricted.
    std::string restriction;
    TimestampUs issued_at_us = 0;
    TimestampUs not_before_us = 0;
    TimestampUs expires_at_us = 0;
};

// A token names at most this many scopes; a user with more is granted a wider scope instead.
inline constexpr size_t kMaxScopes = 64;

struct TokenKeys {
    std::map<std::string, std::string> secrets;  // kid -> secret bytes
    std::string active_kid;                      // signs new tokens
};

struct TokenOptions {
    std::string issuer = "omc-erp";
    std::string audience = "omc-api";
    std::chrono::seconds lifetime{15 * 60};
    std::chrono::seconds leeway{30};
};

// The hash of a cache of verified tokens: looked up by string_view, so the token is not copied
// into a key to find it, and hashed by its last 32 characters only: they lie in the HMAC
// signature, which differs for every token, and only verified tokens are stored. A hit still
// compares the whole token.
struct VerifiedTokenHash {
    using is_transparent = void;
    size_t operator()(std::string_view token) const {
        constexpr size_t kHashedTail = 32;
        const size_t n = std::min(token.size(), kHashedTail);
        return std::hash<std::string_view>{}(token.substr(token.size() - n));
    }
};

class TokenCodec {
  public:
    TokenCodec(TokenKeys keys, TokenOptions options, const Clock& clock);

    // Signs claims with the active key; iat/nbf/exp come from the clock and lifetime when zero.
    Result<std::string> Sign(TokenClaims claims) const;
    // Verifies and decodes. kUnauthenticated with a generic message on any defect; the reason
    // goes into the error's detail for the log.
    Result<TokenClaims> Verify(std::string_view token) const;

    // Whether claims verified earlier are still within their not-before and expiry times
    // (with the leeway) now.
    bool CheckTimes(const TokenClaims& claims) const;

  private:
    Result<TokenClaims> VerifyUncached(std::string_view token) const;

    TokenKeys keys_;
    TokenOptions options_;
    const Clock& clock_;
    // Tokens whose signature and claims this codec already verified: a client sends the same
    // token on every request for 15 minutes, and verifying (HMAC, two base64 decodes, two JSON
    // parses) was the largest cost of a small authenticated read. Times are still checked on
    // every use. Bounded: cleared when full. Per codec, so another key set never trusts it.
    static constexpr size_t kMaxCachedTokens = 10'000;
    mutable std::mutex cache_mu_;
    mutable std::unordered_map<std::string, TokenClaims, VerifiedTokenHash, std::equal_to<>>
        cache_;  // GUARDED_BY(cache_mu_)
};

std::string Base64UrlEncode(std::string_view data);
std::optional<std::string> Base64UrlDecode(std::string_view text);
// HMAC-SHA256 (OpenSSL) of `data` with `key`, raw 32 bytes.
std::string HmacSha256(std::string_view key, std::string_view data);
// Hex SHA-256.
std::string Sha256Hex(std::string_view data);

}  // namespace omc::auth
