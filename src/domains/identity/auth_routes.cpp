// Sign-in and self-service routes: /api/v1/auth/*.
#include "domains/identity/identity.hpp"
#include "platform/http/json_body.hpp"

namespace omc::identity {
namespace {

constexpr size_t kMaxPasswordBytes = auth::kMaxPasswordBytes;
constexpr size_t kMaxTokenLength = 200;
constexpr size_t kMaxCodeLength = 32;

Result<http::Reply> Login(Identity& identity, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"login", "username", "email", "password", "totp_code", "recovery_code"});
    LoginRequest request;
    int given = 0;
    for (const char* field : {"login", "username", "email"}) {
        if (auto value = body.OptionalString(field, kMaxEmailLength)) {
            request.login = *value;
            ++given;
        }
    }
    if (given != 1) body.AddError("login", "give exactly one of login, username or email");
    request.password = body.RequiredString("password", kMaxPasswordBytes);
    request.totp_code = body.OptionalString("totp_code", kMaxCodeLength);
    request.recovery_code = body.OptionalString("recovery_code", kMaxCodeLength);
    OMC_TRY(body.Finish());
    ctx.audit().skip = true;  // the service writes auth.login in its own transaction
    OMC_ASSIGN_OR_RETURN(Session session, identity.auth().Login(request, MetaOf(ctx)));
    return http::Reply{.data = SessionJson(session)};
}

Result<http::Reply> Refresh(Identity& identity, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"refresh_token"});
    const std::string token = body.RequiredString("refresh_token", kMaxTokenLength);
    OMC_TRY(body.Finish());
    ctx.audit().skip = true;  // a routine renewal; reuse is audited by the service
    OMC_ASSIGN_OR_RETURN(Session session, identity.auth().Refresh(token, MetaOf(ctx)));
    return http::Reply{.data = SessionJson(session)};
}

Result<http::Reply> Logout(Identity& identity, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid user, CallerUserId(ctx));
    std::optional<std::string> token;
    bool all = false;
    if (!ctx.request().body.empty()) {
        OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
        body.RejectUnknown({"refresh_token", "all"});
        token = body.OptionalString("refresh_token", kMaxTokenLength);
        all = body.OptionalBool("all").value_or(false);
        OMC_TRY(body.Finish());
    }
    if (!token && !all) return InvalidArgument("refresh_token", "is required unless all is true");
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_TRY(identity.auth().Logout(*tx, ctx.tenant(), user, token, all));
    ctx.audit().entity_type = "user";
    ctx.audit().entity_id = user.ToString();
    ctx.audit().summary = {{"all", all}};
    return http::Reply{.status = 204};
}

Result<http::Reply> Profile(Identity& /*identity*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid user_id, CallerUserId(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(std::optional<User> user, FindUser(*tx, ctx.tenant(), user_id));
    if (!user || !user->active) return NotFound("user");
    OMC_ASSIGN_OR_RETURN(bool mfa_required, MfaRequired(*tx, ctx.tenant(), user->role));
    nlohmann::json data = UserJson(*user);
    data["tenant_id"] = ctx.tenant().ToString();
    data["mfa_required"] = mfa_required;
    const std::string& restriction = ctx.principal()->restriction;
    data["restriction"] =
        restriction.empty() ? nlohmann::json(nullptr) : nlohmann::json(restriction);
    nlohmann::json permissions = nlohmann::json::array();
    for (const Permission& p : AllPermissions()) {
        if (restriction.empty() && RoleHas(user->role, p.name)) permissions.push_back(p.name);
    }
    data["permissions"] = permissions;
    return http::Reply{.data = data};
}

Result<http::Reply> ChangePassword(Identity& identity, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid user, CallerUserId(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"current_password", "new_password"});
    const std::string current = body.RequiredString("current_password", kMaxPasswordBytes);
    const std::string next = body.RequiredString("new_password", kMaxPasswordBytes);
    OMC_TRY(body.Finish());
    ctx.audit().skip = true;  // the service writes auth.password_changed
    OMC_ASSIGN_OR_RETURN(Session session, identity.auth().ChangePassword(
                                              ctx.tenant(), user, current, next, MetaOf(ctx)));
    return http::Reply{.data = SessionJson(session)};
}

Result<http::Reply> SetupTotpRoute(Identity& identity, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid user, CallerUserId(ctx));
    // The password again: a stolen access token must not be able to enrol its own app.
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"password"});
    const std::string password = body.RequiredString("password", kMaxPasswordBytes);
    OMC_TRY(body.Finish());
    OMC_TRY(identity.auth().VerifySelf(ctx.tenant(), user, password, std::nullopt, MetaOf(ctx)));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(TotpSetup setup, identity.auth().BeginTotp(*tx, ctx.tenant(), user));
    ctx.audit().entity_type = "user";
    ctx.audit().entity_id = user.ToString();
    ctx.audit().summary = {{"mfa", "setup started"}};
    return http::Reply{.data = {{"secret", setup.secret_base32},
                                {"otpauth_uri", setup.otpauth_uri},
                                {"qr_svg", setup.qr_svg}}};
}

// {"code"} or, when `password` is given, {"code","password"}.
Result<std::string> RequiredCode(http::RequestContext& ctx, std::string* password) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    const std::string code = body.RequiredString("code", kMaxCodeLength);
    if (password != nullptr) {
        *password = body.RequiredString("password", kMaxPasswordBytes);
        body.RejectUnknown({"code", "password"});
    } else {
        body.RejectUnknown({"code"});
    }
    OMC_TRY(body.Finish());
    return code;
}

Result<http::Reply> TotpConfirm(Identity& identity, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid user, CallerUserId(ctx));
    OMC_ASSIGN_OR_RETURN(const std::string code, RequiredCode(ctx, nullptr));
    OMC_TRY(identity.auth().VerifySelf(ctx.tenant(), user, std::nullopt, code, MetaOf(ctx)));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(std::vector<std::string> codes,
                         identity.auth().ConfirmTotp(*tx, ctx.tenant(), user, code));
    ctx.audit().entity_type = "user";
    ctx.audit().entity_id = user.ToString();
    ctx.audit().summary = {{"mfa", "enabled"}};
    return http::Reply{.data = {{"mfa_enabled", true}, {"recovery_codes", codes}}};
}

Result<http::Reply> TotpDisable(Identity& identity, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid user, CallerUserId(ctx));
    std::string password;
    OMC_ASSIGN_OR_RETURN(const std::string code, RequiredCode(ctx, &password));
    OMC_TRY(identity.auth().VerifySelf(ctx.tenant(), user, password, code, MetaOf(ctx)));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_TRY(identity.auth().DisableTotp(*tx, ctx.tenant(), user, code));
    ctx.audit().entity_type = "user";
    ctx.audit().entity_id = user.ToString();
    ctx.audit().summary = {{"mfa", "disabled"}};
    return http::Reply{.data = {{"mfa_enabled", false}}};
}

Result<http::Reply> NewRecoveryCodes(Identity& identity, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid user, CallerUserId(ctx));
    OMC_ASSIGN_OR_RETURN(const std::string code, RequiredCode(ctx, nullptr));
    OMC_TRY(identity.auth().VerifySelf(ctx.tenant(), user, std::nullopt, code, MetaOf(ctx)));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(std::vector<std::string> codes,
                         identity.auth().RegenerateRecoveryCodes(*tx, ctx.tenant(), user, code));
    ctx.audit().entity_type = "user";
    ctx.audit().entity_id = user.ToString();
    ctx.audit().summary = {{"mfa", "recovery codes replaced"}};
    return http::Reply{.data = {{"recovery_codes", codes}}};
}

}  // namespace

void RegisterAuthRoutes(http::Router& router, Identity& identity) {
    const auto self = std::string(http::kSelfPermission);
    router.Add({.method = http::Method::kPost,
                .pattern = "/api/v1/auth/login",
                .name = "auth.login",
                .auth = http::Auth::kPublic,
                .rate = http::RateClass::kAuth,
                .tenant_owned = false,
                .handler = Bind(identity, Login)});
    router.Add({.method = http::Method::kPost,
                .pattern = "/api/v1/auth/refresh",
                .name = "auth.refresh",
                .auth = http::Auth::kPublic,
                .rate = http::RateClass::kAuth,
                .tenant_owned = false,
                .handler = Bind(identity, Refresh)});
    router.Add({.method = http::Method::kPost,
                .pattern = "/api/v1/auth/logout",
                .name = "auth.logout",
                .rate = http::RateClass::kAuth,
                .permission = self,
                .handler = Bind(identity, Logout)});
    router.Add({.method = http::Method::kGet,
                .pattern = "/api/v1/auth/profile",
                .name = "auth.profile",
                .rate = http::RateClass::kRead,
                .permission = self,
                .handler = Bind(identity, Profile)});
    router.Add({.method = http::Method::kPost,
                .pattern = "/api/v1/auth/password",
                .name = "auth.change_password",
                .rate = http::RateClass::kAuth,
                .permission = self,
                .handler = Bind(identity, ChangePassword)});
    router.Add({.method = http::Method::kPost,
                .pattern = "/api/v1/auth/mfa/totp/setup",
                .name = "auth.totp_setup",
                .rate = http::RateClass::kAuth,
                .permission = self,
                .handler = Bind(identity, SetupTotpRoute)});
    router.Add({.method = http::Method::kPost,
                .pattern = "/api/v1/auth/mfa/totp/confirm",
                .name = "auth.totp_confirm",
                .rate = http::RateClass::kAuth,
                .permission = self,
                .handler = Bind(identity, TotpConfirm)});
    router.Add({.method = http::Method::kPost,
                .pattern = "/api/v1/auth/mfa/totp/disable",
                .name = "auth.totp_disable",
                .rate = http::RateClass::kAuth,
                .permission = self,
                .handler = Bind(identity, TotpDisable)});
    router.Add({.method = http::Method::kPost,
                .pattern = "/api/v1/auth/mfa/recovery-codes",
                .name = "auth.recovery_codes",
                .rate = http::RateClass::kAuth,
                .permission = self,
                .handler = Bind(identity, NewRecoveryCodes)});
}

}  // namespace omc::identity
