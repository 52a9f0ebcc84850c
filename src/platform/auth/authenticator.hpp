// The bearer-token authenticator the router uses, and where signing keys come from.
#pragma once

#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "platform/auth/token.hpp"
#include "platform/config/config.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace omc::auth {

// Accepts `Authorization: Bearer <jwt>`; the tenant and role come only from the verified token.
class BearerAuthenticator final : public http::Authenticator {
  public:
    explicit BearerAuthenticator(const TokenCodec& codec) : codec_(codec) {}
    Result<std::optional<http::Principal>> Authenticate(const http::Request& request) override;
    // A token is verified in memory (signature, times, a cache of known tokens).
    bool MayBlock(const http::Request& /*request*/) const override { return false; }

  private:
    // The principal of each token already verified, so that a request with a known token only
    // checks the token's times and copies its principal (a client sends the same token for 15
    // minutes). Bounded: cleared when full.
    struct Known {
        http::Principal principal;
        TokenClaims times;  // only not_before_us and expires_at_us are kept
    };
    static constexpr size_t kMaxKnownTokens = 10'000;

    const TokenCodec& codec_;
    std::mutex known_mu_;
    std::unordered_map<std::string, Known, VerifiedTokenHash, std::equal_to<>>
        known_;  // GUARDED_BY(known_mu_)
};

// The configured keys, or, when none are configured, one generated key kept in the database's
// platform_settings so that every process sharing the database verifies the same tokens.
Result<TokenKeys> LoadSigningKeys(const config::Config& config, db::Database& database,
                                  const Clock& clock);

}  // namespace omc::auth
