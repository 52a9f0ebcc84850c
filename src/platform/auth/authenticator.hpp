// The bearer-token authenticator the router uses, and where signing keys come from.
#pragma once

#include <memory>

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

  private:
    const TokenCodec& codec_;
};

// The configured keys, or, when none are configured, one generated key kept in the database's
// platform_settings so that every process sharing the database verifies the same tokens.
Result<TokenKeys> LoadSigningKeys(const config::Config& config, db::Database& database,
                                  const Clock& clock);

}  // namespace omc::auth
