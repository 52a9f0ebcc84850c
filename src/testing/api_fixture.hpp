// A whole App on a fresh database (the engine OMC_TEST_ENGINE names), driven through
// Router::Dispatch, with two tenants and helpers to sign in and call routes as their users.
// Password hashing is made cheap here; production cost is tested in password_test.cpp.
#pragma once

#include <strings.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/app.hpp"
#include "domains/identity/tenants.hpp"
#include "testing/fake_clock.hpp"
#include "testing/test_database.hpp"

namespace omc::testing {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct ApiResponse {
    int status = 0;
    nlohmann::json body;  // null when the body is empty or not JSON
    http::Response raw;
    std::string Header(const std::string& name) const {
        for (const auto& [k, v] : raw.headers) {
            if (strcasecmp(k.c_str(), name.c_str()) == 0) return v;
        }
        return "";
    }
    const nlohmann::json& data() const { return body.at("data"); }
    std::string ErrorField(size_t i = 0) const {
        return body.at("error").at("details").at(i).at("field").get<std::string>();
    }
};

// A strong password the policy accepts.
inline constexpr const char* kTestPassword = "kumasi-sunrise-petrol-42";

class ApiTest : public ::testing::Test {
  protected:
    void SetUp() override {
        database_ = OpenFreshDatabase();
        config_.rate_limits["default"] = {0, 0};
        config_.rate_limits["auth"] = {0, 0};
        config_.rate_limits["read"] = {0, 0};
        config_.rate_limits["write"] = {0, 0};
        app::AppOptions options;
        options.start_background = false;
        options.password_params = auth::PasswordParams{.ops_limit = 1, .mem_limit_bytes = 8192};
        auto app = app::App::Create(config_, options, database_.get(), &clock_);
        ASSERT_TRUE(app.ok()) << app.error().message() << " " << app.error().detail();
        app_ = std::move(app).value();
        tenant_a_ = MakeTenant("alpha", "Alpha Oil");
        tenant_b_ = MakeTenant("bravo", "Bravo Petroleum");
    }

    // Creates a tenant whose CompanyAdmin is "<code>-admin" with kTestPassword.
    TenantId MakeTenant(const std::string& code, const std::string& name) {
        identity::NewUser admin{.username = code + "-admin",
                                .email = code + "-admin@example.com",
                                .display_name = name + " admin",
                                .password = kTestPassword};
        auto created = identity::CreateTenant(app_->identity(), code, name, admin);
        EXPECT_TRUE(created.ok()) << created.error().message();
        return created->first.id;
    }

    // Adds a user directly (no API), with kTestPassword unless told otherwise.
    identity::User AddUser(const TenantId& tenant, const std::string& username, identity::Role role,
                           std::vector<Uuid> scopes = {}, std::string password = kTestPassword) {
        auto created = db::InTransaction(*database_, {.tenant = tenant}, [&](db::Transaction& tx) {
            return identity::CreateUser(tx, app_->identity(), tenant,
                                        {.username = username,
                                         .email = username + "@example.com",
                                         .display_name = username,
                                         .role = role,
                                         .scope_ids = std::move(scopes),
                                         .password = std::move(password)});
        });
        EXPECT_TRUE(created.ok()) << created.error().message() << " "
                                  << ::testing::PrintToString(created.error().fields().size());
        return created.ok() ? created->user : identity::User{};
    }

    // A region and a station in `tenant`, inserted directly, for scope tests.
    std::pair<Uuid, Uuid> AddRegionAndStation(const TenantId& tenant, const std::string& code) {
        const Uuid region = ids_.NewV7();
        const Uuid station = ids_.NewV7();
        auto done = db::InTransaction(
            *database_, {.tenant = tenant}, [&](db::Transaction& tx) -> Result<void> {
                OMC_TRY(tx.Execute({"test.region",
                                    "INSERT INTO regions (tenant_id, id, code, name, "
                                    "created_at_us, updated_at_us) VALUES ($1, $2, $3, "
                                    "$3, 0, 0)"},
                                   {tenant, region, "R-" + code}));
                OMC_TRY(
                    tx.Execute({"test.station",
                                "INSERT INTO stations (tenant_id, id, code, name, region_id, "
                                "operating_model, created_at_us, updated_at_us) VALUES ($1, $2, "
                                "$3, $3, $4, 'COCO', 0, 0)"},
                               {tenant, station, "S-" + code, region}));
                return Ok();
            });
        EXPECT_TRUE(done.ok()) << done.error().message() << done.error().detail();
        return {region, station};
    }

    ApiResponse Call(http::Method method, const std::string& path, const nlohmann::json& body,
                     Headers headers = {}) {
        http::Request request;
        request.method = method;
        const auto q = path.find('?');
        request.path = path.substr(0, q);
        if (q != std::string::npos) request.query = path.substr(q + 1);
        if (!body.is_null()) {
            request.body = body.dump();
            request.headers.emplace_back("Content-Type", "application/json");
        }
        for (auto& h : headers) request.headers.push_back(std::move(h));
        request.client_address = client_address_;
        ApiResponse response;
        response.raw = app_->router().Dispatch(request);
        response.status = response.raw.status;
        response.body = nlohmann::json::parse(response.raw.body, nullptr, false);
        if (response.body.is_discarded()) response.body = nullptr;
        return response;
    }
    ApiResponse As(const std::string& token, http::Method method, const std::string& path,
                   const nlohmann::json& body = nullptr) {
        return Call(method, path, body, {{"Authorization", "Bearer " + token}});
    }

    ApiResponse Login(const std::string& login, const std::string& password,
                      nlohmann::json extra = nlohmann::json::object()) {
        extra["login"] = login;
        extra["password"] = password;
        return Call(http::Method::kPost, "/api/v1/auth/login", extra);
    }
    // Signs in and returns the access token (failing the test otherwise).
    std::string TokenFor(const std::string& login, const std::string& password = kTestPassword) {
        ApiResponse r = Login(login, password);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return r.status == 200 ? r.data()["access_token"].get<std::string>() : std::string();
    }

    FakeClock clock_;
    RandomIdGenerator ids_{clock_};
    config::Config config_;
    std::unique_ptr<TestDatabase> database_;
    std::unique_ptr<app::App> app_;
    TenantId tenant_a_;
    TenantId tenant_b_;
    std::string client_address_ = "10.1.1.1";
};

}  // namespace omc::testing
