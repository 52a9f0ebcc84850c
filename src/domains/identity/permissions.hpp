// The permission matrix: which role may perform which action. This file and permissions.cpp are
// the one reviewable place where access is decided; docs/security.md prints the same table
// (`omc admin permissions --markdown`), and a test fails when the two disagree.
//
// A permission says what a role may do; a scope says where. The router checks the permission
// of every authenticated route before its handler runs (403 when missing); handlers then
// narrow rows to the caller's scope (scope.hpp), answering 404 for rows outside it.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/http/router.hpp"

namespace omc::identity {

enum class Role {
    kSuperAdmin,       // the platform operator: creates tenants; sees no tenant's data
    kCompanyAdmin,     // runs one OMC (tenant): organisation, users, security settings
    kRegionalManager,  // the stations of one or more regions
    kStationManager,   // one or more stations
    kOperator,         // forecourt and shop staff at a station
    kDealer,           // the dealer of dealer-operated (DODO) stations: only their stations
    kAuditor,          // reads everything in the tenant, including the audit log; changes nothing
};
inline constexpr std::array kAllRoles = {
    Role::kSuperAdmin, Role::kCompanyAdmin, Role::kRegionalManager, Role::kStationManager,
    Role::kOperator,   Role::kDealer,       Role::kAuditor,
};

std::string_view RoleName(Role role);
// One sentence on what the role is for (GET /api/v1/roles).
std::string_view RoleDescription(Role role);
std::optional<Role> ParseRole(std::string_view name);

// Where a role is granted. Each role has exactly one kind of scope (ScopeKindOf).
enum class ScopeKind { kPlatform, kTenant, kRegion, kStation, kDealer };
std::string_view ScopeKindName(ScopeKind kind);
ScopeKind ScopeKindOf(Role role);

struct Permission {
    std::string_view name;         // "stations.write"
    std::string_view description;  // for docs/security.md
    std::vector<Role> roles;       // who holds it
};

// Every permission, in the order docs/security.md lists them.
const std::vector<Permission>& AllPermissions();
bool RoleHas(Role role, std::string_view permission);
// The matrix as a Markdown table (roles as columns), as printed in docs/security.md.
std::string PermissionMatrixMarkdown();

// The router's Authorizer over the matrix. A principal whose role is unknown holds nothing.
class MatrixAuthorizer final : public http::Authorizer {
  public:
    bool Allows(const http::Principal& principal, std::string_view permission) const override;
};

}  // namespace omc::identity
