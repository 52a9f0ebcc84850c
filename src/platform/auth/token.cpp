#include "platform/auth/token.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <nlohmann/json.hpp>

namespace omc::auth {
namespace {

Error Unauthenticated(std::string detail) {
    return Error(ErrorCode::kUnauthenticated, "invalid or expired token")
        .WithDetail(std::move(detail));
}

}  // namespace

std::string Base64UrlEncode(std::string_view data) {
    static constexpr char kAlphabet[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    size_t i = 0;
    for (; i + 2 < data.size(); i += 3) {
        const uint32_t n = static_cast<uint8_t>(data[i]) << 16 |
                           static_cast<uint8_t>(data[i + 1]) << 8 |
                           static_cast<uint8_t>(data[i + 2]);
        out += kAlphabet[n >> 18 & 63];
        out += kAlphabet[n >> 12 & 63];
        out += kAlphabet[n >> 6 & 63];
        out += kAlphabet[n & 63];
    }
    if (i + 1 == data.size()) {
        const uint32_t n = static_cast<uint8_t>(data[i]) << 16;
        out += kAlphabet[n >> 18 & 63];
        out += kAlphabet[n >> 12 & 63];
    } else if (i + 2 == data.size()) {
        const uint32_t n = static_cast<uint8_t>(data[i]) << 16 | static_cast<uint8_t>(data[i + 1])
                                                                     << 8;
        out += kAlphabet[n >> 18 & 63];
        out += kAlphabet[n >> 12 & 63];
        out += kAlphabet[n >> 6 & 63];
    }
    return out;
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
    if (text.size() % 4 == 1) return std::nullopt;
    std::string out;
    out.reserve(text.size() * 3 / 4);
    uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        int v = -1;
        if (c >= 'A' && c <= 'Z')
            v = c - 'A';
        else if (c >= 'a' && c <= 'z')
            v = c - 'a' + 26;
        else if (c >= '0' && c <= '9')
            v = c - '0' + 52;
        else if (c == '-')
            v = 62;
        else if (c == '_')
            v = 63;
        if (v < 0) return std::nullopt;  // padding and standard base64 are not base64url
        buffer = buffer << 6 | static_cast<uint32_t>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>(buffer >> bits & 0xFF);
        }
    }
    // Leftover bits must be zero, so every token has exactly one encoding.
    if (bits > 0 && (buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
    return out;
}

std::string HmacSha256(std::string_view key, std::string_view data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
         reinterpret_cast<const unsigned char*>(data.data()), data.size(), out, &len);
    return std::string(reinterpret_cast<char*>(out), len);
}

std::string Sha256Hex(std::string_view data) {
    unsigned char out[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_Digest(data.data(), data.size(), out, &len, EVP_sha256(), nullptr);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    for (unsigned int i = 0; i < len; ++i) {
        hex += kHex[out[i] >> 4];
        hex += kHex[out[i] & 0xF];
    }
    return hex;
}

TokenCodec::TokenCodec(TokenKeys keys, TokenOptions options, const Clock& clock)
    : keys_(std::move(keys)), options_(std::move(options)), clock_(clock) {}

Result<std::string> TokenCodec::Sign(TokenClaims claims) const {
    auto key = keys_.secrets.find(keys_.active_kid);
    if (key == keys_.secrets.end()) return Internal("no active signing key");
    const TimestampUs now = clock_.NowUs();
    if (claims.issued_at_us == 0) claims.issued_at_us = now;
    if (claims.not_before_us == 0) claims.not_before_us = claims.issued_at_us;
    if (claims.expires_at_us == 0) {
        claims.expires_at_us = claims.issued_at_us + options_.lifetime.count() * kUsPerSecond;
    }
    const nlohmann::json header = {{"alg", "HS256"}, {"typ", "JWT"}, {"kid", keys_.active_kid}};
    nlohmann::json payload = {{"iss", options_.issuer},
                              {"aud", options_.audience},
                              {"sub", claims.subject},
                              {"tid", claims.tenant_id},
                              {"role", claims.role},
                              {"iat", claims.issued_at_us / kUsPerSecond},
                              {"nbf", claims.not_before_us / kUsPerSecond},
                              {"exp", claims.expires_at_us / kUsPerSecond}};
    if (!claims.token_id.empty()) payload["jti"] = claims.token_id;
    if (!claims.scopes.empty()) payload["scp"] = claims.scopes;
    if (!claims.restriction.empty()) payload["rst"] = claims.restriction;
    const std::string signing_input =
        Base64UrlEncode(header.dump()) + "." + Base64UrlEncode(payload.dump());
    return signing_input + "." + Base64UrlEncode(HmacSha256(key->second, signing_input));
}

bool TokenCodec::CheckTimes(const TokenClaims& claims) const {
    const int64_t now_s = clock_.NowUs() / kUsPerSecond;
    const int64_t leeway = options_.leeway.count();
    return now_s < claims.expires_at_us / kUsPerSecond + leeway &&
           now_s + leeway >= claims.not_before_us / kUsPerSecond;
}

Result<TokenClaims> TokenCodec::Verify(std::string_view token) const {
    {
        std::lock_guard lock(cache_mu_);
        auto hit = cache_.find(token);
        if (hit != cache_.end()) {
            if (CheckTimes(hit->second)) return hit->second;
            cache_.erase(hit);  // expired (or not yet valid): verify in full for the reason
        }
    }
    OMC_ASSIGN_OR_RETURN(TokenClaims claims, VerifyUncached(token));
    std::lock_guard lock(cache_mu_);
    if (cache_.size() >= kMaxCachedTokens) cache_.clear();
    cache_.emplace(std::string(token), claims);
    return claims;
}

Result<TokenClaims> TokenCodec::VerifyUncached(std::string_view token) const {
    if (token.size() > 8192) return Unauthenticated("token too long");
    const size_t dot1 = token.find('.');
    const size_t dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
    if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos) {
        return Unauthenticated("not three segments");
    }
    auto header_text = Base64UrlDecode(token.substr(0, dot1));
    if (!header_text) return Unauthenticated("bad header encoding");
    const auto header = nlohmann::json::parse(*header_text, nullptr, false);
    // The algorithm is pinned before anything else is trusted.
    // Each field is checked for type before it is read: a number where a string belongs is a
    // bad token (401), not an exception.
    const auto text = [&](const char* key) -> std::optional<std::string> {
        if (!header.is_object() || !header.contains(key) || !header[key].is_string()) {
            return std::nullopt;
        }
        return header[key].get<std::string>();
    };
    if (!header.is_object() || text("alg") != "HS256") return Unauthenticated("alg not HS256");
    if (header.contains("typ") && text("typ") != "JWT") return Unauthenticated("typ not JWT");
    const std::string kid = text("kid").value_or("");
    auto key = keys_.secrets.find(kid);
    if (key == keys_.secrets.end()) return Unauthenticated("unknown kid");
    auto signature = Base64UrlDecode(token.substr(dot2 + 1));
    const std::string expected = HmacSha256(key->second, token.substr(0, dot2));
    if (!signature || signature->size() != expected.size() ||
        CRYPTO_memcmp(signature->data(), expected.data(), expected.size()) != 0) {
        return Unauthenticated("bad signature");
    }
    auto payload_text = Base64UrlDecode(token.substr(dot1 + 1, dot2 - dot1 - 1));
    if (!payload_text) return Unauthenticated("bad payload encoding");
    const auto p = nlohmann::json::parse(*payload_text, nullptr, false);
    if (!p.is_object()) return Unauthenticated("payload not an object");
    const auto str = [&](const char* k) {
        return p.contains(k) && p[k].is_string() ? p[k].get<std::string>() : "";
    };
    const auto num = [&](const char* k) -> std::optional<int64_t> {
        if (!p.contains(k) || !p[k].is_number_integer()) return std::nullopt;
        return p[k].get<int64_t>();
    };
    if (str("iss") != options_.issuer) return Unauthenticated("wrong iss");
    if (str("aud") != options_.audience) return Unauthenticated("wrong aud");
    const auto exp = num("exp");
    const auto nbf = num("nbf");
    if (!exp) return Unauthenticated("no exp");
    const int64_t now_s = clock_.NowUs() / kUsPerSecond;
    const int64_t leeway = options_.leeway.count();
    if (now_s >= *exp + leeway) return Unauthenticated("expired");
    if (nbf && now_s + leeway < *nbf) return Unauthenticated("not yet valid");
    TokenClaims claims;
    claims.subject = str("sub");
    claims.tenant_id = str("tid");
    claims.role = str("role");
    claims.token_id = str("jti");
    claims.restriction = str("rst");
    if (p.contains("scp")) {
        const auto& scp = p["scp"];
        if (!scp.is_array() || scp.size() > kMaxScopes) return Unauthenticated("bad scp");
        for (const auto& scope : scp) {
            if (!scope.is_string()) return Unauthenticated("bad scp entry");
            claims.scopes.push_back(scope.get<std::string>());
        }
    }
    claims.issued_at_us = num("iat").value_or(0) * kUsPerSecond;
    claims.not_before_us = nbf.value_or(0) * kUsPerSecond;
    claims.expires_at_us = *exp * kUsPerSecond;
    if (claims.subject.empty() || claims.tenant_id.empty())
        return Unauthenticated("missing sub or tid");
    return claims;
}

}  // namespace omc::auth
