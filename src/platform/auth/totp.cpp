#include "platform/auth/totp.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>

#include "platform/base/assert.hpp"
#include "platform/base/id.hpp"

namespace omc::auth {
namespace {

constexpr char kBase32Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr int kMinHotpDigits = 6;
constexpr int kMaxHotpDigits = 8;
constexpr std::array<uint32_t, kMaxHotpDigits + 1> kPowersOfTen = {
    1, 10, 100, 1'000, 10'000, 100'000, 1'000'000, 10'000'000, 100'000'000};

int Base32Value(char c) {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a';
    if (c >= '2' && c <= '7') return c - '2' + 26;
    return -1;
}

bool IsUnreserved(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '.' || c == '_' || c == '~';
}

std::string PercentEncode(std::string_view text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(text.size());
    for (char c : text) {
        if (IsUnreserved(c)) {
            out += c;
        } else {
            const auto byte = static_cast<uint8_t>(c);
            out += '%';
            out += kHex[byte >> 4];
            out += kHex[byte & 0xF];
        }
    }
    return out;
}

}  // namespace

std::string Base32Encode(std::string_view data) {
    std::string out;
    out.reserve((data.size() * 8 + 4) / 5);
    uint32_t buffer = 0;
    int bits = 0;
    for (char c : data) {
        buffer = buffer << 8 | static_cast<uint8_t>(c);
        bits += 8;
        while (bits >= 5) {
            bits -= 5;
            out += kBase32Alphabet[buffer >> bits & 0x1F];
        }
    }
    if (bits > 0) out += kBase32Alphabet[buffer << (5 - bits) & 0x1F];
    return out;
}

std::optional<std::string> Base32Decode(std::string_view text) {
    std::string out;
    out.reserve(text.size() * 5 / 8);
    uint32_t buffer = 0;
    int bits = 0;
    for (char c : text) {
        if (c == ' ' || c == '=') continue;
        const int v = Base32Value(c);
        if (v < 0) return std::nullopt;
        buffer = buffer << 5 | static_cast<uint32_t>(v);
        bits += 5;
        if (bits >= 8) {
            bits -= 8;
            out += static_cast<char>(buffer >> bits & 0xFF);
        }
    }
    return out;
}

std::string GenerateTotpSecret() {
    std::string secret(kTotpSecretBytes, '\0');
    RandomBytes(reinterpret_cast<uint8_t*>(secret.data()), secret.size());
    return secret;
}

int64_t TotpStep(TimestampUs now) {
    const int64_t step_us = kTotpStepSeconds * kUsPerSecond;
    // Floor, not truncation, so a time before 1970 is not folded into step 0.
    int64_t step = now / step_us;
    if (now % step_us < 0) --step;
    return step;
}

std::string HotpCode(std::string_view secret, uint64_t counter, int digits) {
    // Always checked: `digits` indexes kPowersOfTen.
    ERP_INVARIANT(digits >= kMinHotpDigits && digits <= kMaxHotpDigits, "HOTP digits out of range");
    std::array<unsigned char, 8> message{};
    for (int i = 7; i >= 0; --i) {
        message[static_cast<size_t>(i)] = static_cast<unsigned char>(counter & 0xFF);
        counter >>= 8;
    }
    unsigned char mac[EVP_MAX_MD_SIZE];
    unsigned int mac_len = 0;
    // An empty string_view may have a null data(); OpenSSL wants a pointer either way.
    const char* key = secret.empty() ? "" : secret.data();
    HMAC(EVP_sha1(), key, static_cast<int>(secret.size()), message.data(), message.size(), mac,
         &mac_len);
    ERP_INVARIANT(mac_len == 20, "HMAC-SHA1 did not produce 20 bytes");
    // RFC 4226 section 5.3, dynamic truncation: the low nibble of the last byte picks 4 bytes,
    // whose top bit is cleared so the number is the same signed or unsigned.
    const unsigned offset = mac[mac_len - 1] & 0x0F;
    const uint32_t number = (static_cast<uint32_t>(mac[offset]) & 0x7F) << 24 |
                            static_cast<uint32_t>(mac[offset + 1]) << 16 |
                            static_cast<uint32_t>(mac[offset + 2]) << 8 |
                            static_cast<uint32_t>(mac[offset + 3]);
    const auto width = static_cast<size_t>(digits);
    std::string code = std::to_string(number % kPowersOfTen[width]);
    return std::string(width - code.size(), '0') + code;
}

std::string TotpCode(std::string_view secret, int64_t step) {
    return HotpCode(secret, static_cast<uint64_t>(step), kTotpDigits);
}

std::optional<int64_t> VerifyTotp(std::string_view secret, std::string_view code, TimestampUs now,
                                  int64_t last_used_step) {
    if (secret.empty() || code.size() != static_cast<size_t>(kTotpDigits)) return std::nullopt;
    for (char c : code) {
        if (c < '0' || c > '9') return std::nullopt;
    }
    const int64_t current = TotpStep(now);
    std::optional<int64_t> matched;
    // Every candidate is computed and compared, so the time taken does not say which one matched.
    // Should two steps' codes coincide, the latest wins: it burns more of the window for replay.
    for (int64_t step = current - kTotpWindowSteps; step <= current + kTotpWindowSteps; ++step) {
        const std::string expected = TotpCode(secret, step);
        const bool equal = CRYPTO_memcmp(expected.data(), code.data(), expected.size()) == 0;
        if (equal && step > last_used_step) matched = step;
    }
    return matched;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account, std::string_view secret) {
    const std::string encoded_issuer = PercentEncode(issuer);
    return "otpauth://totp/" + encoded_issuer + ":" + PercentEncode(account) +
           "?secret=" + Base32Encode(secret) + "&issuer=" + encoded_issuer +
           "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
           "&period=" + std::to_string(kTotpStepSeconds);
}

}  // namespace omc::auth
