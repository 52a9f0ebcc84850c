// Sign-in, sessions, second factor, throttling, users, API keys and tenants through the HTTP
// pipeline, on SQLite and PostgreSQL.
#include <map>

#include <gtest/gtest.h>

#include "platform/auth/totp.hpp"
#include "testing/api_fixture.hpp"

namespace omc::identity {
namespace {

using http::Method;
using nlohmann::json;
using testing::ApiResponse;
using testing::kTestPassword;

class IdentityApiTest : public testing::ApiTest {
  protected:
    std::string TotpNow(const std::string& secret_b32, int64_t offset_steps = 0) {
        auto secret = auth::Base32Decode(secret_b32);
        EXPECT_TRUE(secret.has_value());
        return auth::TotpCode(*secret, auth::TotpStep(clock_.NowUs()) + offset_steps);
    }
};

TEST_F(IdentityApiTest, LoginGivesTokensAndTheProfileNamesUserRoleAndPermissions) {
    ApiResponse login = Login("alpha-admin", kTestPassword);
    ASSERT_EQ(login.status, 200) << login.raw.body;
    EXPECT_EQ(login.data()["token_type"], "Bearer");
    EXPECT_EQ(login.data()["user"]["role"], "CompanyAdmin");
    EXPECT_TRUE(login.data()["restriction"].is_null());
    EXPECT_FALSE(login.data().contains("password_hash"));
    // The email works as the login too, in any case.
    EXPECT_EQ(Login("  ALPHA-admin@Example.com ", kTestPassword).status, 200);

    const std::string token = login.data()["access_token"];
    ApiResponse profile = As(token, Method::kGet, "/api/v1/auth/profile");
    ASSERT_EQ(profile.status, 200) << profile.raw.body;
    EXPECT_EQ(profile.data()["username"], "alpha-admin");
    EXPECT_EQ(profile.data()["tenant_id"], tenant_a_.ToString());
    const auto& permissions = profile.data()["permissions"];
    EXPECT_NE(std::find(permissions.begin(), permissions.end(), "users.write"), permissions.end());
    EXPECT_EQ(std::find(permissions.begin(), permissions.end(), "tenants.write"),
              permissions.end());
}

TEST_F(IdentityApiTest, WrongPasswordAndUnknownUserGetTheSameAnswer) {
    ApiResponse wrong = Login("alpha-admin", "not-the-password-at-all");
    ApiResponse unknown = Login("nobody-here", "not-the-password-at-all");
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(unknown.status, 401);
    EXPECT_EQ(wrong.body["error"], unknown.body["error"]);
    // Malformed requests are 400 with the field named, not 401.
    ApiResponse missing = Call(Method::kPost, "/api/v1/auth/login", json{{"login", "x"}});
    EXPECT_EQ(missing.status, 400);
    EXPECT_EQ(missing.ErrorField(), "password");
    ApiResponse both = Call(Method::kPost, "/api/v1/auth/login",
                            json{{"username", "a"}, {"email", "b@c.d"}, {"password", "x"}});
    EXPECT_EQ(both.status, 400);
    EXPECT_EQ(both.ErrorField(), "login");
}

TEST_F(IdentityApiTest, ExpiredForgedNoneAndEditedTokensAreRefused) {
    const std::string token = TokenFor("alpha-admin");
    ASSERT_EQ(As(token, Method::kGet, "/api/v1/auth/profile").status, 200);

    // alg "none" with the same payload.
    const auto dot1 = token.find('.');
    const auto dot2 = token.find('.', dot1 + 1);
    const std::string payload = token.substr(dot1 + 1, dot2 - dot1 - 1);
    const std::string none =
        auth::Base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." + payload + ".";
    EXPECT_EQ(As(none, Method::kGet, "/api/v1/auth/profile").status, 401);

    // The payload edited to claim another tenant, signature unchanged.
    auto claims = json::parse(*auth::Base64UrlDecode(payload));
    claims["tid"] = tenant_b_.ToString();
    const std::string edited =
        token.substr(0, dot1 + 1) + auth::Base64UrlEncode(claims.dump()) + token.substr(dot2);
    EXPECT_EQ(As(edited, Method::kGet, "/api/v1/auth/profile").status, 401);

    // Signed with another key.
    auth::TokenCodec other(auth::TokenKeys{{{"generated-1", std::string(40, 'k')}}, "generated-1"},
                           {}, clock_);
    auth::TokenClaims forged_claims{
        .subject = claims["sub"], .tenant_id = tenant_a_.ToString(), .role = "CompanyAdmin"};
    EXPECT_EQ(As(*other.Sign(forged_claims), Method::kGet, "/api/v1/auth/profile").status, 401);

    // Expired: 15 minutes and the leeway later.
    clock_.Advance(std::chrono::minutes(16));
    EXPECT_EQ(As(token, Method::kGet, "/api/v1/auth/profile").status, 401);
}

TEST_F(IdentityApiTest, RefreshRotatesAndReuseAfterGraceRevokesTheFamily) {
    ApiResponse login = Login("alpha-admin", kTestPassword);
    const std::string r1 = login.data()["refresh_token"];
    ApiResponse first = Call(Method::kPost, "/api/v1/auth/refresh", json{{"refresh_token", r1}});
    ASSERT_EQ(first.status, 200) << first.raw.body;
    const std::string r2 = first.data()["refresh_token"];
    EXPECT_NE(r1, r2);
    EXPECT_EQ(As(first.data()["access_token"], Method::kGet, "/api/v1/auth/profile").status, 200);

    clock_.Advance(std::chrono::seconds(30));  // past the 10 s double-submit grace
    ApiResponse reused = Call(Method::kPost, "/api/v1/auth/refresh", json{{"refresh_token", r1}});
    EXPECT_EQ(reused.status, 401);
    // The whole family is gone, including the token the thief (or owner) got.
    EXPECT_EQ(Call(Method::kPost, "/api/v1/auth/refresh", json{{"refresh_token", r2}}).status, 401);
    // Other sessions of the same user are untouched.
    const std::string other = Login("alpha-admin", kTestPassword).data()["refresh_token"];
    EXPECT_EQ(Call(Method::kPost, "/api/v1/auth/refresh", json{{"refresh_token", other}}).status,
              200);
}

TEST_F(IdentityApiTest, ADoubleSubmittedRefreshWithinGraceIsNotTheft) {
    const std::string r1 = Login("alpha-admin", kTestPassword).data()["refresh_token"];
    ApiResponse first = Call(Method::kPost, "/api/v1/auth/refresh", json{{"refresh_token", r1}});
    ASSERT_EQ(first.status, 200);
    clock_.Advance(std::chrono::seconds(2));
    ApiResponse again = Call(Method::kPost, "/api/v1/auth/refresh", json{{"refresh_token", r1}});
    ASSERT_EQ(again.status, 200) << again.raw.body;
    // One live token per family: the double submit's answer replaces the first answer's token,
    // so a stolen token cannot branch the family within the grace.
    EXPECT_EQ(Call(Method::kPost, "/api/v1/auth/refresh",
                   json{{"refresh_token", first.data()["refresh_token"]}})
                  .status,
              401);
    EXPECT_EQ(Call(Method::kPost, "/api/v1/auth/refresh",
                   json{{"refresh_token", again.data()["refresh_token"]}})
                  .status,
              200);
    EXPECT_EQ(
        Call(Method::kPost, "/api/v1/auth/refresh", json{{"refresh_token", "garbage"}}).status,
        401);
}

TEST_F(IdentityApiTest, LogoutEndsTheSessionFamily) {
    ApiResponse login = Login("alpha-admin", kTestPassword);
    const std::string token = login.data()["access_token"];
    const std::string refresh = login.data()["refresh_token"];
    EXPECT_EQ(
        As(token, Method::kPost, "/api/v1/auth/logout", json{{"refresh_token", refresh}}).status,
        204);
    EXPECT_EQ(Call(Method::kPost, "/api/v1/auth/refresh", json{{"refresh_token", refresh}}).status,
              401);
    // Another user's refresh token is not the caller's to end.
    AddUser(tenant_a_, "kofi", Role::kAuditor);
    const std::string kofi_refresh = Login("kofi", kTestPassword).data()["refresh_token"];
    EXPECT_EQ(As(token, Method::kPost, "/api/v1/auth/logout", json{{"refresh_token", kofi_refresh}})
                  .status,
              404);
}

TEST_F(IdentityApiTest, RepeatedFailuresLockTheLoginNameWhetherOrNotItExists) {
    for (const std::string login : {"alpha-admin", "ghost-user"}) {
        for (int i = 0; i < config_.lockout_account_failures; ++i) {
            EXPECT_EQ(Login(login, "wrong-password-123").status, 401) << login << " " << i;
        }
        ApiResponse locked = Login(login, "wrong-password-123");
        EXPECT_EQ(locked.status, 429) << login;
        EXPECT_GT(std::stoi(locked.Header("Retry-After")), 0);
    }
    // Locked even with the right password, until the window passes.
    EXPECT_EQ(Login("alpha-admin", kTestPassword).status, 429);
    clock_.Advance(config_.lockout_window + std::chrono::seconds(1));
    EXPECT_EQ(Login("alpha-admin", kTestPassword).status, 200);
}

// The lockout holds against attempts already in flight: the hook locks the account while a
// password is being verified, as parallel failures would.
TEST_F(IdentityApiTest, AttemptsInFlightNeitherClearALockNorSignInThroughIt) {
    bool armed = false;
    app_->identity().hasher().TEST_SetInsideSlotHook([&] {
        if (!armed) return;
        armed = false;
        auto locked = db::InTransaction(*database_, {.system = true}, [&](db::Transaction& tx) {
            return tx.Execute({"test.lock", R"sql(
                INSERT INTO auth_throttle (key, failures, window_start_us, locked_until_us)
                VALUES ('login:alpha-admin', 0, $1, $2)
                ON CONFLICT (key) DO UPDATE SET locked_until_us = $2)sql"},
                              {clock_.NowUs(), clock_.NowUs() + 900 * kUsPerSecond});
        });
        ASSERT_TRUE(locked.ok()) << locked.error().detail();
    });
    armed = true;
    EXPECT_EQ(Login("alpha-admin", "wrong-password-123").status, 401);
    EXPECT_EQ(Login("alpha-admin", kTestPassword).status, 429);  // its failure kept the lock

    ASSERT_TRUE(db::InTransaction(*database_, {.system = true}, [](db::Transaction& tx) {
                    return tx.Execute({"test.unlock", "DELETE FROM auth_throttle"}, {});
                }).ok());
    armed = true;  // locked while the right password is being verified
    EXPECT_EQ(Login("alpha-admin", kTestPassword).status, 429);
    app_->identity().hasher().TEST_SetInsideSlotHook(nullptr);
}

TEST_F(IdentityApiTest, TheUsernameAndTheEmailShareOneLockout) {
    for (int i = 0; i < config_.lockout_account_failures; ++i) {
        Login(i % 2 ? "alpha-admin" : "alpha-admin@example.com", "wrong-password-123");
    }
    EXPECT_EQ(Login("alpha-admin", kTestPassword).status, 429);
    EXPECT_EQ(Login("alpha-admin@example.com", kTestPassword).status, 429);
}

TEST_F(IdentityApiTest, RepeatedFailuresFromOneAddressLockThatAddress) {
    for (int i = 0; i < config_.lockout_address_failures; ++i) {
        // A different login each time, so only the address counter can trip.
        Login("spray-" + std::to_string(i), "wrong-password-123");
    }
    EXPECT_EQ(Login("alpha-admin", kTestPassword).status, 429);
    client_address_ = "10.9.9.9";
    EXPECT_EQ(Login("alpha-admin", kTestPassword).status, 200);
}

TEST_F(IdentityApiTest, AnIPv6ClientIsCountedByItsSlash64) {
    for (int i = 0; i < config_.lockout_address_failures; ++i) {
        client_address_ = "2001:db8:1:2::" + std::to_string(i + 1);  // a new address each time
        Login("spray-" + std::to_string(i), "wrong-password-123");
    }
    client_address_ = "2001:db8:1:2:ffff::9";
    EXPECT_EQ(Login("alpha-admin", kTestPassword).status, 429);
    client_address_ = "2001:db8:1:3::1";  // the next /64
    EXPECT_EQ(Login("alpha-admin", kTestPassword).status, 200);
}

TEST_F(IdentityApiTest, TotpEnrolmentLoginAndReplayRefusal) {
    const std::string token = TokenFor("alpha-admin");
    ApiResponse setup =
        As(token, Method::kPost, "/api/v1/auth/mfa/totp/setup", json{{"password", kTestPassword}});
    ASSERT_EQ(setup.status, 200) << setup.raw.body;
    const std::string secret = setup.data()["secret"];
    EXPECT_EQ(setup.data()["otpauth_uri"].get<std::string>().rfind("otpauth://totp/", 0), 0u);
    EXPECT_EQ(setup.data()["qr_svg"].get<std::string>().rfind("<svg", 0), 0u);

    EXPECT_EQ(
        As(token, Method::kPost, "/api/v1/auth/mfa/totp/confirm", json{{"code", "000000"}}).status,
        401);
    ApiResponse confirm =
        As(token, Method::kPost, "/api/v1/auth/mfa/totp/confirm", json{{"code", TotpNow(secret)}});
    ASSERT_EQ(confirm.status, 200) << confirm.raw.body;
    const auto codes = confirm.data()["recovery_codes"];
    ASSERT_EQ(codes.size(), 10u);

    ApiResponse no_code = Login("alpha-admin", kTestPassword);
    EXPECT_EQ(no_code.status, 401);
    EXPECT_EQ(no_code.ErrorField(), "totp_code");

    // The step used to confirm cannot sign in; the next one can, once.
    EXPECT_EQ(Login("alpha-admin", kTestPassword, {{"totp_code", TotpNow(secret)}}).status, 401);
    clock_.Advance(std::chrono::seconds(30));
    const std::string code = TotpNow(secret);
    EXPECT_EQ(Login("alpha-admin", kTestPassword, {{"totp_code", code}}).status, 200);
    EXPECT_EQ(Login("alpha-admin", kTestPassword, {{"totp_code", code}}).status, 401);

    // A recovery code works once.
    const std::string recovery = codes[0];
    EXPECT_EQ(Login("alpha-admin", kTestPassword, {{"recovery_code", recovery}}).status, 200);
    EXPECT_EQ(Login("alpha-admin", kTestPassword, {{"recovery_code", recovery}}).status, 401);
}

TEST_F(IdentityApiTest, SecondFactorChangesNeedThePasswordAndWrongCodesCountTowardLockout) {
    const std::string token = TokenFor("alpha-admin");
    EXPECT_EQ(As(token, Method::kPost, "/api/v1/auth/mfa/totp/setup", json::object()).ErrorField(),
              "password");
    ApiResponse wrong = As(token, Method::kPost, "/api/v1/auth/mfa/totp/setup",
                           json{{"password", "not-my-password-1"}});
    EXPECT_EQ(wrong.status, 401);
    EXPECT_EQ(wrong.ErrorField(), "password");
    ASSERT_EQ(
        As(token, Method::kPost, "/api/v1/auth/mfa/totp/setup", json{{"password", kTestPassword}})
            .status,
        200);
    // Guessing codes with a stolen access token locks the account like guessing passwords (the
    // wrong password above was the first failure).
    for (int i = 2; i < config_.lockout_account_failures; ++i) {
        EXPECT_EQ(
            As(token, Method::kPost, "/api/v1/auth/mfa/totp/confirm", json{{"code", "000000"}})
                .status,
            401);
    }
    EXPECT_EQ(
        As(token, Method::kPost, "/api/v1/auth/mfa/totp/confirm", json{{"code", "000000"}}).status,
        401);
    EXPECT_EQ(
        As(token, Method::kPost, "/api/v1/auth/mfa/totp/confirm", json{{"code", "000000"}}).status,
        429);
    EXPECT_EQ(Login("alpha-admin", kTestPassword).status, 429);
}

TEST_F(IdentityApiTest, RequiredMfaRestrictsTheSessionUntilEnrolled) {
    const std::string admin = TokenFor("alpha-admin");
    ApiResponse policy = As(admin, Method::kPut, "/api/v1/security/mfa-policy",
                            json{{"required_roles", {"Auditor"}}});
    ASSERT_EQ(policy.status, 200) << policy.raw.body;
    EXPECT_EQ(
        As(admin, Method::kPut, "/api/v1/security/mfa-policy", json{{"required_roles", {"Wizard"}}})
            .ErrorField(),
        "required_roles[0]");

    AddUser(tenant_a_, "ama", Role::kAuditor);
    ApiResponse login = Login("ama", kTestPassword);
    ASSERT_EQ(login.status, 200);
    EXPECT_EQ(login.data()["restriction"], "mfa_enrollment");
    const std::string token = login.data()["access_token"];
    EXPECT_EQ(As(token, Method::kGet, "/api/v1/users").status, 403);
    EXPECT_EQ(As(token, Method::kGet, "/api/v1/auth/profile").status, 200);

    ApiResponse setup =
        As(token, Method::kPost, "/api/v1/auth/mfa/totp/setup", json{{"password", kTestPassword}});
    ASSERT_EQ(setup.status, 200);
    ASSERT_EQ(As(token, Method::kPost, "/api/v1/auth/mfa/totp/confirm",
                 json{{"code", TotpNow(setup.data()["secret"])}})
                  .status,
              200);
    // A refresh now carries no restriction.
    ApiResponse refreshed = Call(Method::kPost, "/api/v1/auth/refresh",
                                 json{{"refresh_token", login.data()["refresh_token"]}});
    ASSERT_EQ(refreshed.status, 200);
    EXPECT_TRUE(refreshed.data()["restriction"].is_null());
    EXPECT_EQ(As(refreshed.data()["access_token"], Method::kGet, "/api/v1/users").status, 200);
    // The role requires it, so it cannot be turned off.
    clock_.Advance(std::chrono::seconds(30));
    EXPECT_EQ(As(refreshed.data()["access_token"], Method::kPost, "/api/v1/auth/mfa/totp/disable",
                 json{{"code", TotpNow(setup.data()["secret"])}, {"password", kTestPassword}})
                  .status,
              422);
}

TEST_F(IdentityApiTest, AdminCreatesUserWhoMustChangeThePasswordFirst) {
    const std::string admin = TokenFor("alpha-admin");
    ApiResponse created = As(admin, Method::kPost, "/api/v1/users",
                             json{{"username", "Esi.Mensah"},
                                  {"email", "esi@alpha.example"},
                                  {"display_name", "Esi Mensah"},
                                  {"role", "Auditor"}});
    ASSERT_EQ(created.status, 201) << created.raw.body;
    EXPECT_EQ(created.data()["username"], "esi.mensah");
    const std::string initial = created.data()["initial_password"];

    ApiResponse login = Login("esi.mensah", initial);
    ASSERT_EQ(login.status, 200);
    EXPECT_EQ(login.data()["restriction"], "password_change");
    const std::string token = login.data()["access_token"];
    EXPECT_EQ(As(token, Method::kGet, "/api/v1/users").status, 403);

    ApiResponse weak = As(token, Method::kPost, "/api/v1/auth/password",
                          json{{"current_password", initial}, {"new_password", "short"}});
    EXPECT_EQ(weak.status, 400);
    EXPECT_EQ(weak.ErrorField(), "new_password");
    ApiResponse wrong =
        As(token, Method::kPost, "/api/v1/auth/password",
           json{{"current_password", "nope-nope-nope"}, {"new_password", kTestPassword}});
    EXPECT_EQ(wrong.status, 401);
    ApiResponse changed = As(token, Method::kPost, "/api/v1/auth/password",
                             json{{"current_password", initial}, {"new_password", kTestPassword}});
    ASSERT_EQ(changed.status, 200) << changed.raw.body;
    EXPECT_TRUE(changed.data()["restriction"].is_null());
    EXPECT_EQ(As(changed.data()["access_token"], Method::kGet, "/api/v1/users").status, 200);
    // The session that changed it ended with the old password.
    EXPECT_EQ(Call(Method::kPost, "/api/v1/auth/refresh",
                   json{{"refresh_token", login.data()["refresh_token"]}})
                  .status,
              401);
    EXPECT_EQ(Login("esi.mensah", initial).status, 401);
}

TEST_F(IdentityApiTest, UserValidationConflictsAndScopes) {
    const std::string admin = TokenFor("alpha-admin");
    const auto [region_a, station_a] = AddRegionAndStation(tenant_a_, "A1");
    const auto [region_b, station_b] = AddRegionAndStation(tenant_b_, "B1");
    const json base = {{"username", "yaw"},
                       {"email", "yaw@alpha.example"},
                       {"display_name", "Yaw"},
                       {"role", "Operator"},
                       {"scope_ids", {station_a.ToString()}}};
    auto with = [&](const std::string& key, json value) {
        json body = base;
        if (value.is_null()) {
            body.erase(key);
        } else {
            body[key] = std::move(value);
        }
        return As(admin, Method::kPost, "/api/v1/users", body);
    };
    EXPECT_EQ(with("email", "not-an-email").ErrorField(), "email");
    EXPECT_EQ(with("username", "a b").ErrorField(), "username");
    EXPECT_EQ(with("role", "SuperAdmin").ErrorField(), "role");
    EXPECT_EQ(with("scope_ids", nullptr).ErrorField(), "scope_ids");
    EXPECT_EQ(with("scope_ids", json::array({"not-a-uuid"})).ErrorField(), "scope_ids[0]");
    ApiResponse foreign = with("scope_ids", json::array({station_b.ToString()}));
    EXPECT_EQ(foreign.status, 422);
    EXPECT_EQ(foreign.ErrorField(), "scope_ids[0]");
    EXPECT_EQ(with("surprise", 1).status, 400);
    ASSERT_EQ(with("display_name", "Yaw Boateng").status, 201);
    ApiResponse duplicate = with("email", "other@alpha.example");
    EXPECT_EQ(duplicate.status, 409);
    EXPECT_EQ(duplicate.ErrorField(), "username");

    // The new operator's token carries the station scope.
    ApiResponse created = As(admin, Method::kGet, "/api/v1/users?limit=10");
    ASSERT_EQ(created.status, 200);
    EXPECT_EQ(created.data().size(), 2u);
}

TEST_F(IdentityApiTest, RolesAreCheckedBeforeAnythingHappens) {
    const auto [region, station] = AddRegionAndStation(tenant_a_, "A1");
    AddUser(tenant_a_, "kwame", Role::kOperator, {station});
    const std::string op = TokenFor("kwame");
    EXPECT_EQ(As(op, Method::kPost, "/api/v1/users",
                 json{{"username", "x1"},
                      {"email", "x@y.z"},
                      {"display_name", "X"},
                      {"role", "CompanyAdmin"}})
                  .status,
              403);
    EXPECT_EQ(As(op, Method::kGet, "/api/v1/users").status, 403);
    EXPECT_EQ(As(op, Method::kGet, "/api/v1/api-keys").status, 403);
    EXPECT_EQ(As(op, Method::kGet, "/api/v1/tenants").status, 403);
    EXPECT_EQ(As(TokenFor("alpha-admin"), Method::kGet, "/api/v1/tenants").status, 403);
}

TEST_F(IdentityApiTest, DeactivatingAUserEndsTheirSessionsAndSignIn) {
    const std::string admin = TokenFor("alpha-admin");
    const User kofi = AddUser(tenant_a_, "kofi", Role::kAuditor);
    const std::string refresh = Login("kofi", kTestPassword).data()["refresh_token"];
    ApiResponse off =
        As(admin, Method::kPatch, "/api/v1/users/" + kofi.id.ToString(), json{{"active", false}});
    ASSERT_EQ(off.status, 200) << off.raw.body;
    EXPECT_EQ(Call(Method::kPost, "/api/v1/auth/refresh", json{{"refresh_token", refresh}}).status,
              401);
    EXPECT_EQ(Login("kofi", kTestPassword).status, 401);
    EXPECT_EQ(
        As(admin, Method::kPatch, "/api/v1/users/" + kofi.id.ToString(), json::object()).status,
        400);
}

TEST_F(IdentityApiTest, AdminResetGivesATemporaryPasswordAndEndsSessions) {
    const std::string admin = TokenFor("alpha-admin");
    const User kofi = AddUser(tenant_a_, "kofi", Role::kAuditor);
    const std::string refresh = Login("kofi", kTestPassword).data()["refresh_token"];
    ApiResponse reset =
        As(admin, Method::kPost, "/api/v1/users/" + kofi.id.ToString() + "/reset-password",
           json::object());
    ASSERT_EQ(reset.status, 200) << reset.raw.body;
    const std::string temporary = reset.data()["temporary_password"];
    EXPECT_EQ(Login("kofi", kTestPassword).status, 401);
    ApiResponse login = Login("kofi", temporary);
    ASSERT_EQ(login.status, 200);
    EXPECT_EQ(login.data()["restriction"], "password_change");
    EXPECT_EQ(Call(Method::kPost, "/api/v1/auth/refresh", json{{"refresh_token", refresh}}).status,
              401);
}

TEST_F(IdentityApiTest, ApiKeysAreShownOnceWorkUntilRevokedAndStayInTheirTenant) {
    const std::string admin = TokenFor("alpha-admin");
    const auto [region, station] = AddRegionAndStation(tenant_a_, "A1");
    ApiResponse created = As(admin, Method::kPost, "/api/v1/api-keys",
                             json{{"name", "Tank gauge"}, {"role", "Auditor"}});
    ASSERT_EQ(created.status, 201) << created.raw.body;
    const std::string key = created.data()["key"];
    EXPECT_EQ(key.rfind("omck_", 0), 0u);

    ApiResponse list = As(admin, Method::kGet, "/api/v1/api-keys");
    ASSERT_EQ(list.status, 200);
    ASSERT_EQ(list.data().size(), 1u);
    EXPECT_FALSE(list.data()[0].contains("key"));
    EXPECT_EQ(list.raw.body.find(key), std::string::npos);

    EXPECT_EQ(Call(Method::kGet, "/api/v1/users", nullptr, {{"X-API-Key", key}}).status, 200);
    EXPECT_EQ(As(key, Method::kGet, "/api/v1/users").status, 200);
    EXPECT_EQ(
        As(key, Method::kPost, "/api/v1/api-keys", json{{"name", "x"}, {"role", "Auditor"}}).status,
        403);
    EXPECT_EQ(As(key.substr(0, key.size() - 2) + "xx", Method::kGet, "/api/v1/users").status, 401);
    EXPECT_EQ(As(TokenFor("bravo-admin"), Method::kGet, "/api/v1/api-keys").data().size(), 0u);
    EXPECT_EQ(As(TokenFor("bravo-admin"), Method::kDelete,
                 "/api/v1/api-keys/" + created.data()["id"].get<std::string>())
                  .status,
              404);

    // Station roles need a station of the tenant.
    EXPECT_EQ(
        As(admin, Method::kPost, "/api/v1/api-keys", json{{"name", "pump"}, {"role", "Operator"}})
            .ErrorField(),
        "station_id");
    EXPECT_EQ(As(admin, Method::kPost, "/api/v1/api-keys",
                 json{{"name", "pump"}, {"role", "CompanyAdmin"}})
                  .ErrorField(),
              "role");
    ApiResponse station_key =
        As(admin, Method::kPost, "/api/v1/api-keys",
           json{{"name", "pump"}, {"role", "Operator"}, {"station_id", station.ToString()}});
    EXPECT_EQ(station_key.status, 201) << station_key.raw.body;

    ApiResponse revoked =
        As(admin, Method::kDelete, "/api/v1/api-keys/" + created.data()["id"].get<std::string>());
    ASSERT_EQ(revoked.status, 200);
    EXPECT_FALSE(revoked.data()["revoked_at"].is_null());
    EXPECT_EQ(As(key, Method::kGet, "/api/v1/users").status, 401);
}

TEST_F(IdentityApiTest, OnlySuperAdminsCreateTenants) {
    AddUser(kPlatformTenant, "root-operator", Role::kSuperAdmin);
    const std::string root = TokenFor("root-operator");
    const json body = {{"code", "charlie"},
                       {"name", "Charlie Energy"},
                       {"admin",
                        {{"username", "charlie-admin"},
                         {"email", "admin@charlie.example"},
                         {"display_name", "Charlie admin"}}}};
    ApiResponse created = As(root, Method::kPost, "/api/v1/tenants", body);
    ASSERT_EQ(created.status, 201) << created.raw.body;
    const std::string password = created.data()["admin"]["initial_password"];
    EXPECT_EQ(Login("charlie-admin", password).data()["restriction"], "password_change");
    EXPECT_EQ(As(root, Method::kPost, "/api/v1/tenants", body).status, 409);
    ApiResponse list = As(root, Method::kGet, "/api/v1/tenants");
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.data().size(), 3u);  // alpha, bravo, charlie; never the platform itself
    EXPECT_EQ(As(TokenFor("alpha-admin"), Method::kPost, "/api/v1/tenants", body).status, 403);
    // A SuperAdmin sees no tenant's data.
    EXPECT_EQ(As(root, Method::kGet, "/api/v1/users").status, 403);
}

// The second wall: on PostgreSQL every table with a tenant_id column has forced row-level
// security, so a new tenant-owned table without it fails here.
TEST_F(IdentityApiTest, EveryTenantOwnedTableHasForcedRowLevelSecurity) {
    if (database_->engine() != db::Engine::kPostgres) {
        GTEST_SKIP() << "row-level security is PostgreSQL's; SQLite relies on the store filters";
    }
    auto rows = db::InTransaction(*database_, {.system = true}, [](db::Transaction& tx) {
        return tx.Query({"test.rls_tables", R"sql(
            SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id'
            WHERE n.nspname = current_schema() AND c.relkind = 'r'
              AND NOT (c.relrowsecurity AND c.relforcerowsecurity) ORDER BY 1)sql"},
                        {});
    });
    ASSERT_TRUE(rows.ok()) << rows.error().detail();
    std::vector<std::string> unprotected;
    for (const db::Row& row : *rows) unprotected.push_back(row.Text(0));
    EXPECT_TRUE(unprotected.empty()) << ::testing::PrintToString(unprotected);
}

TEST_F(IdentityApiTest, IdentityChangesLeaveAuditRecords) {
    const std::string admin = TokenFor("alpha-admin");
    ApiResponse created = As(admin, Method::kPost, "/api/v1/users",
                             json{{"username", "efua"},
                                  {"email", "efua@alpha.example"},
                                  {"display_name", "Efua"},
                                  {"role", "Auditor"}});
    ASSERT_EQ(created.status, 201);
    Login("efua", "wrong-password-123");
    ApiResponse audit = As(admin, Method::kGet, "/api/v1/audit?limit=50");
    ASSERT_EQ(audit.status, 200) << audit.raw.body;
    std::map<std::string, int> actions;
    for (const auto& record : audit.data()) actions[record["action"]]++;
    EXPECT_EQ(actions["tenants.create"], 1);
    EXPECT_GE(actions["auth.login"], 1);
    EXPECT_EQ(actions["users.create"], 1);
    EXPECT_EQ(actions["auth.login_failed"], 1);
    // No secret reached the log.
    EXPECT_EQ(audit.raw.body.find(created.data()["initial_password"].get<std::string>()),
              std::string::npos);
    EXPECT_EQ(audit.raw.body.find("argon2"), std::string::npos);
}

TEST_F(IdentityApiTest, HashesMadeWithOlderParametersAreUpgradedAtSignIn) {
    AddUser(tenant_a_, "kojo", Role::kAuditor);
    const auto hash_of = [&] {
        auto rows = db::InTransaction(*database_, {.system = true}, [](db::Transaction& tx) {
            return tx.Query(
                {"test.hash", "SELECT password_hash FROM users WHERE username = 'kojo'"}, {});
        });
        return rows.ok() ? (*rows)[0].Text(0) : std::string();
    };
    EXPECT_NE(hash_of().find("m=8,"), std::string::npos) << hash_of();
    // The same database served with a higher cost: the next sign-in rehashes.
    app::AppOptions options{
        .start_background = false,
        .password_params = auth::PasswordParams{.ops_limit = 2, .mem_limit_bytes = 16 * 1024}};
    auto stronger = app::App::Create(config_, options, database_.get(), &clock_);
    ASSERT_TRUE(stronger.ok());
    http::Request request{.method = Method::kPost,
                          .path = "/api/v1/auth/login",
                          .headers = {{"Content-Type", "application/json"}},
                          .body = json{{"login", "kojo"}, {"password", kTestPassword}}.dump(),
                          .client_address = "10.2.2.2"};
    EXPECT_EQ((*stronger)->router().Dispatch(request).status, 200);
    EXPECT_NE(hash_of().find("m=16,t=2"), std::string::npos) << hash_of();
    EXPECT_EQ(Login("kojo", kTestPassword).status, 200);  // still verifies with either cost
}

// A sale's pipeline runs on the HTTP I/O thread only when nothing in it can block: an access
// token is verified in memory, an API key may be read from (and its use written to) the database.
TEST_F(IdentityApiTest, OnlyAccessTokensLetASaleBeAnsweredWithoutBlocking) {
    const std::string admin = TokenFor("alpha-admin");
    ApiResponse created = As(admin, Method::kPost, "/api/v1/api-keys",
                             json{{"name", "ERP bridge"}, {"role", "Auditor"}});
    ASSERT_EQ(created.status, 201);
    const std::string key = created.data()["key"];
    const auto sale = [](std::string header, std::string value) {
        return http::Request{.method = Method::kPost,
                             .path = "/api/v1/transactions",
                             .headers = {{"Content-Type", "application/json"},
                                         {std::move(header), std::move(value)}},
                             .body = "{}",
                             .client_address = "10.2.2.2"};
    };
    const http::Router& router = app_->router();
    const http::Request with_token = sale("Authorization", "Bearer " + admin);
    EXPECT_TRUE(router.AnswersWithoutBlocking(with_token, router.Match(with_token)));
    for (const http::Request& with_key :
         {sale("Authorization", "Bearer " + key), sale("X-API-Key", key)}) {
        EXPECT_FALSE(router.AnswersWithoutBlocking(with_key, router.Match(with_key)));
    }
    const http::Request list{.method = Method::kGet,
                             .path = "/api/v1/transactions",
                             .headers = {{"Authorization", "Bearer " + admin}}};
    EXPECT_FALSE(router.AnswersWithoutBlocking(list, router.Match(list)));
}

TEST_F(IdentityApiTest, ApiKeyUseIsRecorded) {
    const std::string admin = TokenFor("alpha-admin");
    ApiResponse created = As(admin, Method::kPost, "/api/v1/api-keys",
                             json{{"name", "ERP bridge"}, {"role", "Auditor"}});
    ASSERT_EQ(created.status, 201);
    EXPECT_TRUE(created.data()["last_used_at"].is_null());
    clock_.Advance(std::chrono::seconds(5));
    ASSERT_EQ(As(created.data()["key"], Method::kGet, "/api/v1/users").status, 200);
    ApiResponse list = As(admin, Method::kGet, "/api/v1/api-keys");
    EXPECT_EQ(list.data()[0]["last_used_at"], FormatTimestamp(clock_.NowUs()));
}

}  // namespace
}  // namespace omc::identity
