// The identity module assembled: password hashing, sign-in and sessions, and the authenticator
// the router uses (access tokens and API keys). The App builds one before its router, and the
// module's routes use it.
#pragma once

#include <memory>
#include <optional>

#include "domains/identity/api_keys.hpp"
#include "domains/identity/auth_service.hpp"
#include "platform/auth/authenticator.hpp"
#include "platform/auth/password.hpp"
#include "platform/http/params.hpp"
#include "platform/http/router.hpp"

namespace omc::identity {

struct IdentityOptions {
    // Argon2id cost; tests lower it. Production keeps the OWASP default.
    auth::PasswordParams password_params;
};

class Identity {
  public:
    Identity(db::Database& database, const Clock& clock, IdGenerator& ids,
             const config::Config& config, const auth::TokenCodec& tokens,
             IdentityOptions options = {});

    AuthService& auth() { return *auth_; }
    auth::PasswordHasher& hasher() { return *hasher_; }
    ApiKeys& api_keys() { return *api_keys_; }
    // Bearer access tokens, or API keys ("omck_..." as a bearer token or in X-API-Key).
    http::Authenticator& authenticator() { return *authenticator_; }
    db::Database& database() { return database_; }
    const Clock& clock() const { return clock_; }
    IdGenerator& ids() { return ids_; }

  private:
    db::Database& database_;
    const Clock& clock_;
    IdGenerator& ids_;
    std::unique_ptr<auth::PasswordHasher> hasher_;
    std::unique_ptr<AuthService> auth_;
    std::unique_ptr<ApiKeys> api_keys_;
    std::unique_ptr<auth::BearerAuthenticator> bearer_;
    std::unique_ptr<http::Authenticator> authenticator_;
};

// Every route of the module: sign-in and self-service (auth_routes.cpp), users and security
// settings (user_routes.cpp), API keys (api_keys.cpp) and tenants (tenants.cpp).
void RegisterAuthRoutes(http::Router& router, Identity& identity);
void RegisterUserRoutes(http::Router& router, Identity& identity);
void RegisterApiKeyRoutes(http::Router& router, Identity& identity);
void RegisterTenantRoutes(http::Router& router, Identity& identity);

// A principal for `user`, as a verified access token would give.
http::Principal PrincipalFor(const User& user);
// The caller's user id (the token subject); kUnauthenticated for API keys, which have no
// account to act on.
Result<Uuid> CallerUserId(const http::RequestContext& ctx);
RequestMeta MetaOf(const http::RequestContext& ctx);

// A route handler bound to the module.
using IdentityHandler = Result<http::Reply> (*)(Identity&, http::RequestContext&);
http::Handler Bind(Identity& identity, IdentityHandler fn);
// Path ids and page positions: platform/http/params.hpp.
using http::PageAfter;

}  // namespace omc::identity
