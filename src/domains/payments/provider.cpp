#include "domains/payments/provider.hpp"

#include <algorithm>
#include <array>
#include <utility>

#include <nlohmann/json.hpp>

#include "platform/base/assert.hpp"

namespace omc::payments {
namespace {

using nlohmann::json;

// A token is refreshed this long before the provider says it expires.
constexpr TimestampUs kTokenMarginUs = 60'000'000;
constexpr size_t kMaxErrorTextBytes = 200;

std::string Clip(std::string text) {
    if (text.size() > kMaxErrorTextBytes) text.resize(kMaxErrorTextBytes);
    return text;
}

// The provider's {code, message} (assumed shape [U]) or the raw body.
std::string ProviderErrorText(const http::ClientResponse& response) {
    const json body = json::parse(response.body, nullptr, false);
    if (body.is_object()) {
        std::string code = body.value("code", std::string());
        std::string message = body.value("message", std::string());
        if (!code.empty() || !message.empty()) return Clip(code + ": " + message);
    }
    return Clip(response.body);
}

// Maps a provider's non-success status to our error set (see the header).
Error FromStatus(const http::ClientResponse& response, std::string_view what) {
    const std::string text = ProviderErrorText(response);
    const std::string message = "provider " + std::string(what) + " answered " +
                                std::to_string(response.status) + " " + text;
    switch (response.status) {
        case 400:
            return Error(ErrorCode::kInvalidArgument, message);
        case 401:
        case 403:
            return Error(ErrorCode::kUnauthenticated, message);
        case 404:
            return Error(ErrorCode::kNotFound, message);
        case 409:
            return Error(ErrorCode::kConflict, message);
        default:
            break;
    }
    if (response.status >= 500) return Error(ErrorCode::kUnavailable, message);
    return Error(ErrorCode::kUnprocessable, message);
}

constexpr std::string_view kBase64Chars =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::string_view ProviderName(ProviderKind kind) {
    switch (kind) {
        case ProviderKind::kMtn:
            return "mtn";
        case ProviderKind::kTelecel:
            return "telecel";
        case ProviderKind::kAt:
            return "at";
    }
    return "mtn";
}

std::optional<ProviderKind> ParseProvider(std::string_view name) {
    for (ProviderKind k : {ProviderKind::kMtn, ProviderKind::kTelecel, ProviderKind::kAt}) {
        if (ProviderName(k) == name) return k;
    }
    return std::nullopt;
}

ProviderSettings DefaultSettings(ProviderKind kind) {
    ProviderSettings s;
    s.kind = kind;
    return s;
}

std::string_view PayStatusName(PayStatus status) {
    switch (status) {
        case PayStatus::kPending:
            return "PENDING";
        case PayStatus::kSuccessful:
            return "SUCCESSFUL";
        case PayStatus::kFailed:
            return "FAILED";
    }
    return "PENDING";
}

std::optional<PayStatus> ParsePayStatus(std::string_view name) {
    // CREATED has been seen in the sandbox before PENDING: it is still pending.
    if (name == "PENDING" || name == "CREATED") return PayStatus::kPending;
    if (name == "SUCCESSFUL") return PayStatus::kSuccessful;
    if (name == "FAILED" || name == "REJECTED" || name == "TIMEOUT") return PayStatus::kFailed;
    return std::nullopt;
}

std::string AmountText(int64_t pesewas) {
    ERP_ASSERT(pesewas > 0, "a request to pay is for a positive amount");
    std::string text = std::to_string(pesewas / 100);
    const int64_t cents = pesewas % 100;
    if (cents != 0) {
        text += '.';
        text += static_cast<char>('0' + cents / 10);
        text += static_cast<char>('0' + cents % 10);
    }
    return text;
}

std::optional<int64_t> ParseAmount(std::string_view text) {
    if (text.empty() || text.size() > 18) return std::nullopt;
    int64_t units = 0;
    int64_t cents = 0;
    int decimals = -1;
    for (char c : text) {
        if (c == '.') {
            if (decimals >= 0) return std::nullopt;
            decimals = 0;
            continue;
        }
        if (c < '0' || c > '9') return std::nullopt;
        if (decimals < 0) {
            units = units * 10 + (c - '0');
        } else {
            if (++decimals > 2) return std::nullopt;
            cents = cents * 10 + (c - '0');
        }
    }
    if (decimals == 0) return std::nullopt;  // "150."
    if (decimals == 1) cents *= 10;
    return units * 100 + cents;
}

Uuid NewUuidV4() {
    std::array<uint8_t, 16> bytes{};
    RandomBytes(bytes.data(), bytes.size());
    bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0F) | 0x40);
    bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3F) | 0x80);
    return Uuid(bytes);
}

bool IsUuidV4(std::string_view text) {
    const std::optional<Uuid> id = Uuid::Parse(text);
    return id && text.size() == 36 && id->version() == 4 && (id->bytes()[8] & 0xC0) == 0x80;
}

std::string Base64(std::string_view data) {
    std::string out;
    size_t i = 0;
    for (; i + 2 < data.size(); i += 3) {
        const uint32_t n = (static_cast<uint8_t>(data[i]) << 16) |
                           (static_cast<uint8_t>(data[i + 1]) << 8) |
                           static_cast<uint8_t>(data[i + 2]);
        out += kBase64Chars[(n >> 18) & 63];
        out += kBase64Chars[(n >> 12) & 63];
        out += kBase64Chars[(n >> 6) & 63];
        out += kBase64Chars[n & 63];
    }
    if (i + 1 == data.size()) {
        const uint32_t n = static_cast<uint8_t>(data[i]) << 16;
        out += kBase64Chars[(n >> 18) & 63];
        out += kBase64Chars[(n >> 12) & 63];
        out += "==";
    } else if (i + 2 == data.size()) {
        const uint32_t n =
            (static_cast<uint8_t>(data[i]) << 16) | (static_cast<uint8_t>(data[i + 1]) << 8);
        out += kBase64Chars[(n >> 18) & 63];
        out += kBase64Chars[(n >> 12) & 63];
        out += kBase64Chars[(n >> 6) & 63];
        out += '=';
    }
    return out;
}

std::optional<std::string> Base64Decode(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::string out;
    for (size_t i = 0; i < text.size(); i += 4) {
        uint32_t n = 0;
        int pad = 0;
        for (size_t j = 0; j < 4; ++j) {
            const char c = text[i + j];
            uint32_t v = 0;
            if (c == '=' && i + 4 == text.size() && j >= 2) {
                ++pad;
            } else {
                if (pad > 0) return std::nullopt;
                const size_t at = kBase64Chars.find(c);
                if (at == std::string_view::npos) return std::nullopt;
                v = static_cast<uint32_t>(at);
            }
            n = (n << 6) | v;
        }
        out += static_cast<char>((n >> 16) & 0xFF);
        if (pad < 2) out += static_cast<char>((n >> 8) & 0xFF);
        if (pad < 1) out += static_cast<char>(n & 0xFF);
    }
    return out;
}

Result<PaymentStatus> ParseStatusBody(std::string_view body) {
    const json doc = json::parse(body, nullptr, false);
    if (!doc.is_object() || !doc.contains("status") || !doc["status"].is_string()) {
        return InvalidArgument("status", "the provider's answer has no status");
    }
    const std::optional<PayStatus> status = ParsePayStatus(doc["status"].get<std::string>());
    if (!status) return InvalidArgument("status", "unknown status from the provider");
    const auto text = [&](const char* name) {
        const auto it = doc.find(name);
        if (it == doc.end()) return std::string();
        if (it->is_string()) return Clip(it->get<std::string>());
        if (it->is_number()) return it->dump();
        // MTN's reason has been seen both as a string and as {"code","message"}.
        if (it->is_object()) return Clip(it->value("code", std::string()));
        return std::string();
    };
    PaymentStatus out;
    out.status = *status;
    out.reason = text("reason");
    out.financial_transaction_id = text("financialTransactionId");
    out.external_id = text("externalId");
    out.amount = text("amount");
    out.currency = text("currency");
    out.reference = text("referenceId");
    return out;
}

// ---- TokenCache ----

std::optional<std::string> TokenCache::Get(const std::string& key, TimestampUs now_us) {
    std::lock_guard lock(mu_);
    const auto it = tokens_.find(key);
    if (it == tokens_.end() || it->second.second <= now_us) return std::nullopt;
    return it->second.first;
}

void TokenCache::Put(const std::string& key, std::string token, TimestampUs expires_us) {
    std::lock_guard lock(mu_);
    tokens_[key] = {std::move(token), expires_us};
    ++fetched_total_;
}

void TokenCache::Drop(const std::string& key) {
    std::lock_guard lock(mu_);
    tokens_.erase(key);
}

int64_t TokenCache::fetched_total() const {
    std::lock_guard lock(mu_);
    return fetched_total_;
}

// ---- CollectionProvider ----

CollectionProvider::CollectionProvider(ProviderSettings settings, const Clock& clock,
                                       TokenCache& tokens, std::string token_key)
    : settings_(std::move(settings)),
      clock_(clock),
      tokens_(tokens),
      token_key_(std::move(token_key)) {}

std::string CollectionProvider::Url(std::string_view path) const {
    std::string base = settings_.base_url;
    while (!base.empty() && base.back() == '/') base.pop_back();
    return base + std::string(path);
}

Result<http::ClientResponse> CollectionProvider::Send(http::ClientRequest request) {
    request.timeout = std::chrono::milliseconds(settings_.request_timeout_ms);
    request.connect_timeout =
        std::chrono::milliseconds(std::min<int64_t>(settings_.request_timeout_ms, 3'000));
    request.headers.emplace_back(settings_.subscription_header, settings_.subscription_key);
    Result<http::ClientResponse> response = client_.Send(request);
    if (!response.ok()) {
        return Error(ErrorCode::kUnavailable, "the payment provider did not answer")
            .WithDetail(response.error().message() + " " + response.error().detail());
    }
    return response;
}

Result<std::string> CollectionProvider::Token() {
    if (std::optional<std::string> cached = tokens_.Get(token_key_, clock_.NowUs())) {
        return *cached;
    }
    http::ClientRequest request;
    request.method = "POST";
    request.url = Url(settings_.token_path);
    request.headers.emplace_back("Authorization",
                                 "Basic " + Base64(settings_.api_user + ":" + settings_.api_key));
    OMC_ASSIGN_OR_RETURN(const http::ClientResponse response, Send(std::move(request)));
    if (response.status != 200) return FromStatus(response, "token");
    const json body = json::parse(response.body, nullptr, false);
    if (!body.is_object() || !body.contains("access_token") || !body["access_token"].is_string()) {
        return Error(ErrorCode::kUnavailable, "the provider's token answer has no access_token");
    }
    int64_t expires_in_s = 3600;
    if (body.contains("expires_in") && body["expires_in"].is_number_integer()) {
        expires_in_s = body["expires_in"].get<int64_t>();
    }
    const std::string token = body["access_token"].get<std::string>();
    const TimestampUs expires =
        clock_.NowUs() + std::max<int64_t>(0, expires_in_s * 1'000'000 - kTokenMarginUs);
    tokens_.Put(token_key_, token, expires);
    return token;
}

void CollectionProvider::DropToken() { tokens_.Drop(token_key_); }

Result<void> CollectionProvider::RequestToPay(const PayRequest& pay) {
    const json body = {{"amount", AmountText(pay.amount_pesewas)},
                       {"currency", pay.currency},
                       {"externalId", pay.external_id},
                       {"payer", {{"partyIdType", "MSISDN"}, {"partyId", pay.payer_msisdn}}},
                       {"payerMessage", pay.payer_message},
                       {"payeeNote", pay.payee_note}};
    for (int attempt = 0; attempt < 2; ++attempt) {
        OMC_ASSIGN_OR_RETURN(const std::string token, Token());
        http::ClientRequest request;
        request.method = "POST";
        request.url = Url(settings_.request_path);
        request.headers = {{"Authorization", "Bearer " + token},
                           {settings_.reference_header, pay.reference.ToString()},
                           {settings_.environment_header, settings_.target_environment},
                           {"Content-Type", "application/json"}};
        if (!pay.callback_url.empty()) {
            request.headers.emplace_back(settings_.callback_header, pay.callback_url);
        }
        request.body = body.dump();
        OMC_ASSIGN_OR_RETURN(const http::ClientResponse response, Send(std::move(request)));
        if (response.status == 202) return Ok();
        // An expired or revoked token: fetch a new one once.
        if (response.status == 401 && attempt == 0) {
            DropToken();
            continue;
        }
        return FromStatus(response, "request to pay");
    }
    return Error(ErrorCode::kUnauthenticated, "the provider refused our token");
}

Result<PaymentStatus> CollectionProvider::GetStatus(const Uuid& reference) {
    std::string path = settings_.status_path;
    const size_t at = path.find("{referenceId}");
    if (at != std::string::npos) {
        path.replace(at, 13, reference.ToString());
    } else {
        path += "/" + reference.ToString();
    }
    for (int attempt = 0; attempt < 2; ++attempt) {
        OMC_ASSIGN_OR_RETURN(const std::string token, Token());
        http::ClientRequest request;
        request.method = "GET";
        request.url = Url(path);
        request.headers = {{"Authorization", "Bearer " + token},
                           {settings_.environment_header, settings_.target_environment}};
        OMC_ASSIGN_OR_RETURN(const http::ClientResponse response, Send(std::move(request)));
        if (response.status == 200) {
            Result<PaymentStatus> status = ParseStatusBody(response.body);
            if (!status.ok()) {
                return Error(ErrorCode::kUnavailable, "the provider's status answer is garbled")
                    .WithDetail(Clip(response.body));
            }
            return status;
        }
        if (response.status == 401 && attempt == 0) {
            DropToken();
            continue;
        }
        return FromStatus(response, "status");
    }
    return Error(ErrorCode::kUnauthenticated, "the provider refused our token");
}

Result<std::string> CollectionProvider::Statement(std::string_view date) {
    if (settings_.statement_path.empty()) {
        return Error(ErrorCode::kUnprocessable, "cannot fetch the statement",
                     {{"statement", "this provider has no statement_path: upload the CSV"}});
    }
    OMC_ASSIGN_OR_RETURN(const std::string token, Token());
    http::ClientRequest request;
    request.method = "GET";
    request.url = Url(settings_.statement_path) + "?date=" + std::string(date);
    request.headers = {{"Authorization", "Bearer " + token},
                       {settings_.environment_header, settings_.target_environment}};
    OMC_ASSIGN_OR_RETURN(const http::ClientResponse response, Send(std::move(request)));
    if (response.status != 200) return FromStatus(response, "statement");
    return response.body;
}

Result<PaymentStatus> CollectionProvider::ParseCallback(std::string_view body) const {
    return ParseStatusBody(body);
}

}  // namespace omc::payments
