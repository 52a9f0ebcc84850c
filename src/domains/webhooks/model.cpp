#include "domains/webhooks/model.hpp"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <optional>

#include "domains/webhooks/limits.hpp"
#include "platform/base/assert.hpp"

namespace omc::webhooks {
namespace {

bool StartsWithNoCase(std::string_view text, std::string_view prefix) {
    if (text.size() < prefix.size()) return false;
    for (size_t i = 0; i < prefix.size(); ++i) {
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
    }
    return true;
}

bool IsHostChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '-';
}

Result<void> ValidateAuthority(std::string_view authority, std::string_view field) {
    const std::string f(field);
    if (authority.find('@') != std::string_view::npos) {
        return InvalidArgument(f, "must not carry user info (user:password@)");
    }
    std::string_view host = authority;
    std::string_view port;
    if (!host.empty() && host.front() == '[') {
        const size_t close = host.find(']');
        if (close == std::string_view::npos) return InvalidArgument(f, "has a malformed IPv6 host");
        for (char c : host.substr(1, close - 1)) {
            if (std::isxdigit(static_cast<unsigned char>(c)) == 0 && c != ':' && c != '.') {
                return InvalidArgument(f, "has a malformed IPv6 host");
            }
        }
        std::string_view after = host.substr(close + 1);
        host = host.substr(0, close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return InvalidArgument(f, "has a malformed host");
            port = after.substr(1);
            if (port.empty()) return InvalidArgument(f, "has an empty port");
        }
    } else {
        const size_t colon = host.find(':');
        if (colon != std::string_view::npos) {
            port = host.substr(colon + 1);
            host = host.substr(0, colon);
            if (port.empty()) return InvalidArgument(f, "has an empty port");
        }
        if (host.empty()) return InvalidArgument(f, "must name a host");
        if (!std::all_of(host.begin(), host.end(), IsHostChar) || host.front() == '.' ||
            host.front() == '-') {
            return InvalidArgument(f, "has a malformed host");
        }
    }
    if (host.size() <= 2 && host.front() == '[') return InvalidArgument(f, "must name a host");
    if (!port.empty()) {
        int value = 0;
        const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
        if (ec != std::errc() || end != port.data() + port.size() || value < 1 || value > 65535) {
            return InvalidArgument(f, "has a port that is not 1..65535");
        }
    }
    return Ok();
}

constexpr std::array<std::chrono::seconds, 9> kSchedule = {
    std::chrono::seconds(5), std::chrono::minutes(5), std::chrono::minutes(30),
    std::chrono::hours(2),   std::chrono::hours(5),   std::chrono::hours(10),
    std::chrono::hours(14),  std::chrono::hours(20),  std::chrono::hours(24)};

}  // namespace

Result<void> ValidateEndpointUrl(std::string_view url, std::string_view field) {
    const std::string f(field);
    if (url.size() > kMaxUrlLength) return InvalidArgument(f, "is longer than 2048 characters");
    for (char c : url) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7f) {
            return InvalidArgument(f, "must not contain spaces or control characters");
        }
    }
    size_t rest_at = 0;
    if (StartsWithNoCase(url, "https://")) {
        rest_at = 8;
    } else if (StartsWithNoCase(url, "http://")) {
        rest_at = 7;
    } else {
        return InvalidArgument(f, "must be an http:// or https:// URL");
    }
    if (url.find('#') != std::string_view::npos) {
        return InvalidArgument(f, "must not have a fragment (#...)");
    }
    const std::string_view rest = url.substr(rest_at);
    const size_t authority_end = rest.find_first_of("/?");
    return ValidateAuthority(rest.substr(0, authority_end), field);
}

const std::vector<std::string_view>& KnownEventTypes() {
    static const std::vector<std::string_view> kTypes = [] {
        std::vector<std::string_view> types = {
            // arap (receivables and payables)
            "arap.customer_created", "arap.customer_payment_received", "arap.customer_updated",
            "arap.driver_created", "arap.invoice_issued", "arap.purchase_order_created",
            "arap.settings_updated", "arap.supplier_created", "arap.supplier_invoice_recorded",
            "arap.supplier_payment_made", "arap.vehicle_created", "arap.vehicle_updated",
            // forecourt (src/domains/forecourt)
            "forecourt.alert_acknowledged", "forecourt.alert_raised", "forecourt.alert_resolved",
            "forecourt.delivery_recorded", "forecourt.dip_recorded", "forecourt.nozzle_created",
            "forecourt.nozzle_updated", "forecourt.price_set", "forecourt.product_created",
            "forecourt.product_updated", "forecourt.pump_created", "forecourt.sale_recorded",
            "forecourt.sale_refunded", "forecourt.sale_voided", "forecourt.settings_updated",
            "forecourt.shift_adjusted", "forecourt.shift_closed", "forecourt.shift_opened",
            "forecourt.stock_adjusted", "forecourt.tank_chart_created", "forecourt.tank_created",
            "forecourt.tank_updated", "forecourt.transit_loss_claim",
            // ledger
            "ledger.account_opened", "ledger.chart_line_added", "ledger.chart_line_changed",
            "ledger.entry_posted", "ledger.entry_reversed", "ledger.period_closed",
            "ledger.period_reopened", "ledger.transfers_created",
            // org (src/domains/identity)
            "org.dealer_created", "org.dealer_updated", "org.region_created", "org.region_updated",
            "org.station_created", "org.station_updated",
            // payments
            "payments.momo_expired", "payments.momo_failed", "payments.momo_refused",
            "payments.momo_requested", "payments.momo_sale_refused", "payments.momo_succeeded",
            "payments.provider_configured", "payments.reconciliation_completed",
            // pricing
            "pricing.build_up_imported", "pricing.component_changed", "pricing.floor_set",
            "pricing.holiday_added", "pricing.holiday_removed", "pricing.prices_in_force",
            "pricing.prices_scheduled", "pricing.proposal_approved", "pricing.proposal_created",
            "pricing.proposal_rejected", "pricing.proposal_withdrawn",
            "pricing.submission_recorded", "pricing.zone_created", "pricing.zone_updated",
            // tax
            "tax.rate_created",
            // uppf
            "uppf.claim_created", "uppf.claim_line_added", "uppf.claim_line_removed",
            "uppf.claim_settled", "uppf.claim_submitted", "uppf.rate_set", "uppf.route_created",
            "uppf.route_updated", "uppf.settlement_recorded",
            // webhooks (this module)
            "webhooks.endpoint_created", "webhooks.endpoint_deleted", "webhooks.endpoint_disabled",
            "webhooks.endpoint_updated", "webhooks.secret_rotated", kTestEventType};
        std::sort(types.begin(), types.end());
        return types;
    }();
    return kTypes;
}

bool IsKnownEventType(std::string_view type) {
    const auto& types = KnownEventTypes();
    return std::binary_search(types.begin(), types.end(), type);
}

bool Subscribes(const std::vector<std::string>& subscription, std::string_view type) {
    return std::any_of(subscription.begin(), subscription.end(),
                       [&](const std::string& s) { return s == kWildcard || s == type; });
}

std::chrono::seconds BaseRetryDelay(int failures) {
    ERP_ASSERT(failures >= 1, "a delay follows a failure");
    const size_t i = std::min(static_cast<size_t>(failures - 1), kSchedule.size() - 1);
    return kSchedule[i];
}

RetryDecision NextAttempt(TimestampUs first_attempt_us, int failures, TimestampUs now_us,
                          uint64_t random) {
    const TimestampUs cutoff_us =
        first_attempt_us +
        std::chrono::duration_cast<std::chrono::microseconds>(kRetryWindow).count();
    if (now_us >= cutoff_us) return RetryDecision{.dead_letter = true};
    const int64_t base_us =
        std::chrono::duration_cast<std::chrono::microseconds>(BaseRetryDelay(failures)).count();
    // ±20%: a factor of 800..1200 per mille, uniform.
    const int64_t permille = 800 + static_cast<int64_t>(random % 401);
    const int64_t delay_us = base_us / 1000 * permille;
    const TimestampUs next = std::min(now_us + delay_us, cutoff_us);
    ERP_ASSERT(next > now_us, "the next attempt is later");
    return RetryDecision{.dead_letter = false, .next_attempt_at_us = next};
}

std::optional<std::string> ParseSealKey(std::string_view text) {
    std::string key(kSealKeyBytes + 1, '\0');
    size_t length = 0;
    const char* end = nullptr;
    if (text.size() == 2 * kSealKeyBytes &&
        sodium_hex2bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), text.data(),
                       text.size(), nullptr, &length, &end) == 0 &&
        end == text.data() + text.size() && length == kSealKeyBytes) {
        key.resize(length);
        return key;
    }
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(key.data()), key.size(), text.data(),
                          text.size(), nullptr, &length, &end,
                          sodium_base64_VARIANT_ORIGINAL) == 0 &&
        end == text.data() + text.size() && length == kSealKeyBytes) {
        key.resize(length);
        return key;
    }
    return std::nullopt;
}

std::string Seal(std::string_view key, std::string_view plaintext) {
    ERP_INVARIANT(key.size() == crypto_secretbox_KEYBYTES, "a 32-byte seal key");
    ERP_INVARIANT(sodium_init() >= 0, "libsodium initialises");
    std::string box(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(),
                    '\0');
    auto* out = reinterpret_cast<unsigned char*>(box.data());
    randombytes_buf(out, crypto_secretbox_NONCEBYTES);
    crypto_secretbox_easy(
        out + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plaintext.data()),
        plaintext.size(), out, reinterpret_cast<const unsigned char*>(key.data()));
    std::string text(sodium_base64_ENCODED_LEN(box.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
    sodium_bin2base64(text.data(), text.size(), out, box.size(), sodium_base64_VARIANT_ORIGINAL);
    text.resize(text.size() - 1);
    return text;
}

Result<std::string> Unseal(std::string_view key, std::string_view sealed) {
    ERP_INVARIANT(key.size() == crypto_secretbox_KEYBYTES, "a 32-byte seal key");
    std::string box(sealed.size(), '\0');
    size_t length = 0;
    if (sodium_base642bin(reinterpret_cast<unsigned char*>(box.data()), box.size(), sealed.data(),
                          sealed.size(), nullptr, &length, nullptr,
                          sodium_base64_VARIANT_ORIGINAL) != 0 ||
        length < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
        return Internal("sealed webhook secret is malformed");
    }
    const auto* in = reinterpret_cast<const unsigned char*>(box.data());
    std::string plain(length - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES, '\0');
    if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plain.data()),
                                   in + crypto_secretbox_NONCEBYTES,
                                   length - crypto_secretbox_NONCEBYTES, in,
                                   reinterpret_cast<const unsigned char*>(key.data())) != 0) {
        return Internal("webhook secret does not open with the seal key (was it changed?)");
    }
    return plain;
}

}  // namespace omc::webhooks
