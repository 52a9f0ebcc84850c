#include "platform/auth/authenticator.hpp"

#include "platform/base/id.hpp"

namespace omc::auth {
namespace {

constexpr db::Query kSelectSetting{"auth.select_setting",
                                   "SELECT value FROM platform_settings WHERE key = $1"};
constexpr db::Query kInsertSetting{"auth.insert_setting", R"sql(
    INSERT INTO platform_settings (key, value, updated_at_us) VALUES ($1, $2, $3)
    ON CONFLICT (key) DO NOTHING)sql"};
constexpr std::string_view kGeneratedKeySetting = "auth.jwt_key.generated";
constexpr std::string_view kGeneratedKid = "generated-1";

}  // namespace

Result<std::optional<http::Principal>> BearerAuthenticator::Authenticate(
    const http::Request& request) {
    auto header = request.Header("Authorization");
    if (!header) return std::optional<http::Principal>();
    constexpr std::string_view kBearer = "Bearer ";
    if (header->size() <= kBearer.size() || header->substr(0, kBearer.size()) != kBearer) {
        return Error(ErrorCode::kUnauthenticated, "invalid or expired token")
            .WithDetail("not a bearer token");
    }
    const std::string_view token = header->substr(kBearer.size());
    {
        std::lock_guard lock(known_mu_);
        auto hit = known_.find(token);
        if (hit != known_.end()) {
            if (codec_.CheckTimes(hit->second.times)) {
                return std::optional<http::Principal>(hit->second.principal);
            }
            known_.erase(hit);  // expired: verify in full for the reason
        }
    }
    OMC_ASSIGN_OR_RETURN(TokenClaims claims, codec_.Verify(token));
    auto tenant = TenantId::Parse(claims.tenant_id);
    if (!tenant)
        return Error(ErrorCode::kUnauthenticated, "invalid or expired token").WithDetail("bad tid");
    http::Principal principal;
    principal.tenant = *tenant;
    principal.subject = std::move(claims.subject);
    principal.role = std::move(claims.role);
    principal.scopes = std::move(claims.scopes);
    principal.restriction = std::move(claims.restriction);
    TokenClaims times;
    times.not_before_us = claims.not_before_us;
    times.expires_at_us = claims.expires_at_us;
    std::lock_guard lock(known_mu_);
    if (known_.size() >= kMaxKnownTokens) known_.clear();
    known_.insert_or_assign(std::string(token), Known{principal, std::move(times)});
    return std::optional<http::Principal>(std::move(principal));
}

Result<TokenKeys> LoadSigningKeys(const config::Config& config, db::Database& database,
                                  const Clock& clock) {
    TokenKeys keys;
    if (!config.jwt_keys.empty()) {
        keys.secrets = config.jwt_keys;
        keys.active_kid =
            config.jwt_active_kid.empty() ? config.jwt_keys.rbegin()->first : config.jwt_active_kid;
        return keys;
    }
    const std::string candidate = RandomHex(32);
    OMC_ASSIGN_OR_RETURN(
        std::string secret,
        db::InTransaction(
            database, {.system = true}, [&](db::Transaction& tx) -> Result<std::string> {
                OMC_TRY(
                    tx.Execute(kInsertSetting, {kGeneratedKeySetting, candidate, clock.NowUs()}));
                OMC_ASSIGN_OR_RETURN(db::Rows rows,
                                     tx.Query(kSelectSetting, {kGeneratedKeySetting}));
                if (rows.empty()) return Internal("generated signing key vanished");
                return rows[0].Text(0);
            }));
    keys.secrets[std::string(kGeneratedKid)] = secret;
    keys.active_kid = std::string(kGeneratedKid);
    return keys;
}

}  // namespace omc::auth
