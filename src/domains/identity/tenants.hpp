// Tenants (one OMC each) and the accounts created outside the API: the first CompanyAdmin of a
// tenant, platform SuperAdmins, and `omc admin create-tenant` / `create-user` / `omc demo`.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domains/identity/identity.hpp"

namespace omc::identity {

struct NewUser {
    std::string username;
    std::string email;
    std::string display_name;
    Role role = Role::kOperator;
    std::vector<Uuid> scope_ids;
    // Empty: generate one, which must be changed at first sign-in.
    std::string password;
    // The hash of `password`, when the caller made it before its transaction began (Argon2
    // must not hold a write lock); empty: CreateUser hashes.
    std::string password_hash;
};

struct CreatedUser {
    User user;
    std::string password;  // the generated or given password, to show once
};

struct Tenant {
    TenantId id;
    std::string code;
    std::string name;
    bool active = true;
    TimestampUs created_at_us = 0;
};
nlohmann::json TenantJson(const Tenant& tenant);

// Validates and inserts a user in `tenant` inside `tx`, checking the grant; the password policy
// applies to a given password.
Result<CreatedUser> CreateUser(db::Transaction& tx, Identity& identity, const TenantId& tenant,
                               NewUser user);

// Who created a tenant through the API, for the platform's own audit chain.
struct TenantCreator {
    http::Principal principal;
    RequestMeta meta;
};

// Creates a tenant, and its first CompanyAdmin when `admin` is given, in one system
// transaction, with the first record of the tenant's audit chain and, when `creator` is given,
// the record in the creator's (platform) chain. kConflict naming "code" when the code is taken.
Result<std::pair<Tenant, std::optional<CreatedUser>>> CreateTenant(
    Identity& identity, std::string code, std::string name, std::optional<NewUser> admin,
    const std::optional<TenantCreator>& creator = std::nullopt);

Result<std::optional<Tenant>> FindTenantByCode(db::Database& database, std::string_view code);

}  // namespace omc::identity
