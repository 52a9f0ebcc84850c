#include "domains/identity/identity.hpp"

namespace omc::identity {

Identity::Identity(db::Database& database, const Clock& clock, IdGenerator& ids,
                   const config::Config& config, const auth::TokenCodec& tokens,
                   IdentityOptions options)
    : database_(database), clock_(clock), ids_(ids) {
    hasher_ = std::make_unique<auth::PasswordHasher>(options.password_params,
                                                     config.password_hash_concurrency);
    auth_ = std::make_unique<AuthService>(database, clock, ids, config, tokens, *hasher_);
    api_keys_ = std::make_unique<ApiKeys>(database, clock, ids);
    bearer_ = std::make_unique<auth::BearerAuthenticator>(tokens);
    authenticator_ = std::make_unique<IdentityAuthenticator>(*bearer_, *api_keys_);
}

http::Principal PrincipalFor(const User& user) {
    http::Principal principal;
    principal.tenant = user.tenant;
    principal.subject = user.id.ToString();
    principal.role = std::string(RoleName(user.role));
    principal.scopes = TokenScopes(user);
    return principal;
}

Result<Uuid> CallerUserId(const http::RequestContext& ctx) {
    const auto& principal = ctx.principal();
    if (!principal || principal->is_api_key) {
        return Error(ErrorCode::kPermissionDenied, "only a signed-in user can do this");
    }
    auto id = Uuid::Parse(principal->subject);
    if (!id) return Error(ErrorCode::kUnauthenticated, "invalid token");
    return *id;
}

RequestMeta MetaOf(const http::RequestContext& ctx) {
    return RequestMeta{ctx.request_id(), ctx.request().client_address};
}

http::Handler Bind(Identity& identity, IdentityHandler fn) {
    Identity* id = &identity;
    return [id, fn](http::RequestContext& ctx) { return fn(*id, ctx); };
}

}  // namespace omc::identity
