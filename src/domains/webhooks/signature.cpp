#include "domains/webhooks/signature.hpp"

#include <sodium.h>

#include <charconv>
#include <optional>

#include "platform/base/assert.hpp"

namespace omc::webhooks {
namespace {

std::string Base64(std::string_view bytes) {
    std::string out(sodium_base64_ENCODED_LEN(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                      bytes.size(), sodium_base64_VARIANT_ORIGINAL);
    out.resize(out.size() - 1);  // the terminating NUL
    return out;
}

std::optional<std::string> FromBase64(std::string_view text) {
    std::string out(text.size(), '\0');
    size_t length = 0;
    const char* end = nullptr;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                          text.size(), nullptr, &length, &end,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        end != text.data() + text.size()) {
        return std::nullopt;
    }
    out.resize(length);
    return out;
}

std::string Hmac(std::string_view key, std::string_view webhook_id, int64_t timestamp_s,
                 std::string_view body) {
    crypto_auth_hmacsha256_state state;
    crypto_auth_hmacsha256_init(&state, reinterpret_cast<const unsigned char*>(key.data()),
                                key.size());
    const std::string head = std::string(webhook_id) + "." + std::to_string(timestamp_s) + ".";
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(head.data()),
                                  head.size());
    crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                  body.size());
    std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
    crypto_auth_hmacsha256_final(&state, reinterpret_cast<unsigned char*>(mac.data()));
    sodium_memzero(&state, sizeof(state));
    return mac;
}

Error Refused(std::string_view header, std::string message) {
    return Error(ErrorCode::kUnauthenticated, "webhook signature refused",
                 {{std::string(header), std::move(message)}});
}

}  // namespace

std::string GenerateSecret() {
    ERP_INVARIANT(sodium_init() >= 0, "libsodium initialises");
    std::string key(kSecretBytes, '\0');
    randombytes_buf(key.data(), key.size());
    std::string secret = std::string(kSecretPrefix) + Base64(key);
    sodium_memzero(key.data(), key.size());
    return secret;
}

Result<std::string> DecodeSecret(std::string_view secret) {
    if (secret.substr(0, kSecretPrefix.size()) == kSecretPrefix) {
        secret.remove_prefix(kSecretPrefix.size());
    }
    std::optional<std::string> key = FromBase64(secret);
    if (!key) return InvalidArgument("secret", "must be whsec_ followed by base64");
    if (key->size() < kSecretMinBytes || key->size() > kSecretMaxBytes) {
        return InvalidArgument("secret", "must hold 24 to 64 bytes");
    }
    return std::move(*key);
}

std::string SignWithKey(std::string_view key, std::string_view webhook_id, int64_t timestamp_s,
                        std::string_view body) {
    return "v1," + Base64(Hmac(key, webhook_id, timestamp_s, body));
}

Result<std::string> SignatureHeader(const std::vector<std::string>& secrets,
                                    std::string_view webhook_id, int64_t timestamp_s,
                                    std::string_view body) {
    if (secrets.empty()) return InvalidArgument("secret", "at least one secret is required");
    std::string header;
    for (const std::string& secret : secrets) {
        OMC_ASSIGN_OR_RETURN(const std::string key, DecodeSecret(secret));
        if (!header.empty()) header += ' ';
        header += SignWithKey(key, webhook_id, timestamp_s, body);
    }
    return header;
}

Result<void> VerifySignature(const std::vector<std::string>& secrets, const WebhookHeaders& headers,
                             std::string_view body, int64_t now_s, std::chrono::seconds tolerance) {
    if (headers.id.empty()) return Refused("webhook-id", "is missing");
    // The spec: the id and timestamp must not contain '.', or one signed content could be read
    // as another.
    if (headers.id.find('.') != std::string::npos) {
        return Refused("webhook-id", "must not contain '.'");
    }
    int64_t timestamp = 0;
    const std::string& ts = headers.timestamp;
    const auto [end, ec] = std::from_chars(ts.data(), ts.data() + ts.size(), timestamp);
    if (ts.empty() || ec != std::errc() || end != ts.data() + ts.size() || timestamp < 0) {
        return Refused("webhook-timestamp", "must be integer unix seconds");
    }
    if (timestamp < now_s - tolerance.count()) return Refused("webhook-timestamp", "is too old");
    if (timestamp > now_s + tolerance.count()) {
        return Refused("webhook-timestamp", "is too far in the future");
    }
    if (headers.signature.empty()) return Refused("webhook-signature", "is missing");
    if (headers.signature.size() > kMaxSignatureHeaderBytes) {
        return Refused("webhook-signature", "is too long");
    }
    std::vector<std::string> keys;
    for (const std::string& secret : secrets) {
        OMC_ASSIGN_OR_RETURN(std::string key, DecodeSecret(secret));
        keys.push_back(std::move(key));
    }
    std::string_view rest = headers.signature;
    while (!rest.empty()) {
        const size_t space = rest.find(' ');
        const std::string_view entry = rest.substr(0, space);
        rest = space == std::string_view::npos ? std::string_view() : rest.substr(space + 1);
        if (entry.substr(0, 3) != "v1,") continue;
        const std::optional<std::string> given = FromBase64(entry.substr(3));
        if (!given || given->size() != crypto_auth_hmacsha256_BYTES) continue;
        for (const std::string& key : keys) {
            const std::string expected = Hmac(key, headers.id, timestamp, body);
            if (sodium_memcmp(expected.data(), given->data(), expected.size()) == 0) return Ok();
        }
    }
    return Refused("webhook-signature", "no signature matches");
}

}  // namespace omc::webhooks
