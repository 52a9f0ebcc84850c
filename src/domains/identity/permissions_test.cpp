#include "domains/identity/permissions.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "domains/identity/scope.hpp"

namespace omc::identity {
namespace {

TEST(PermissionsTest, DocsSecurityPrintsTheMatrixAsTheCodeHasIt) {
    const char* source = std::getenv("OMC_SOURCE_DIR");
    ASSERT_NE(source, nullptr) << "ctest sets OMC_SOURCE_DIR";
    std::ifstream file(std::string(source) + "/docs/security.md");
    ASSERT_TRUE(file.good());
    std::stringstream text;
    text << file.rdbuf();
    EXPECT_NE(text.str().find("<!-- BEGIN PERMISSION MATRIX -->\n" + PermissionMatrixMarkdown() +
                              "<!-- END PERMISSION MATRIX -->"),
              std::string::npos)
        << "docs/security.md is out of date: paste `omc admin permissions` between the markers";
}

TEST(PermissionsTest, TheMatrixGrantsWhatTheRolesPromise) {
    // The Auditor reads but never writes; the SuperAdmin holds nothing inside a company.
    for (const Permission& p : AllPermissions()) {
        const bool write = p.name.find(".read") == std::string_view::npos;
        if (write) {
            EXPECT_FALSE(RoleHas(Role::kAuditor, p.name)) << p.name;
        }
        if (p.name.rfind("tenants.", 0) != 0) {
            EXPECT_FALSE(RoleHas(Role::kSuperAdmin, p.name)) << p.name;
        }
    }
    EXPECT_TRUE(RoleHas(Role::kAuditor, "audit.read"));
    EXPECT_TRUE(RoleHas(Role::kCompanyAdmin, "users.write"));
    EXPECT_FALSE(RoleHas(Role::kOperator, "users.write"));
    EXPECT_FALSE(RoleHas(Role::kCompanyAdmin, "no.such.permission"));
}

TEST(PermissionsTest, RestrictedOrUnknownPrincipalsHoldNothing) {
    MatrixAuthorizer authorizer;
    http::Principal admin{.role = "CompanyAdmin"};
    EXPECT_TRUE(authorizer.Allows(admin, "users.read"));
    admin.restriction = "mfa_enrollment";
    EXPECT_FALSE(authorizer.Allows(admin, "users.read"));
    EXPECT_FALSE(authorizer.Allows(http::Principal{.role = "Wizard"}, "org.read"));
}

TEST(ScopeTest, StationsAreSeenThroughStationRegionOrDealerScopes) {
    const Uuid station = *Uuid::Parse("0190a4c2-0000-7000-8000-000000000001");
    const Uuid region = *Uuid::Parse("0190a4c2-0000-7000-8000-000000000002");
    const Uuid dealer = *Uuid::Parse("0190a4c2-0000-7000-8000-000000000003");
    const Uuid other = *Uuid::Parse("0190a4c2-0000-7000-8000-000000000004");
    auto scope_of = [](std::string role, std::vector<std::string> scopes) {
        return CallerScope::Of(
            http::Principal{.role = std::move(role), .scopes = std::move(scopes)});
    };
    EXPECT_TRUE(scope_of("Auditor", {}).SeesStation(station, region, std::nullopt));
    EXPECT_TRUE(scope_of("Operator", {ScopeString("station", station)})
                    .SeesStation(station, region, std::nullopt));
    EXPECT_FALSE(scope_of("Operator", {ScopeString("station", other)})
                     .SeesStation(station, region, std::nullopt));
    EXPECT_TRUE(scope_of("RegionalManager", {ScopeString("region", region)})
                    .SeesStation(station, region, std::nullopt));
    EXPECT_TRUE(
        scope_of("Dealer", {ScopeString("dealer", dealer)}).SeesStation(station, other, dealer));
    EXPECT_FALSE(scope_of("Dealer", {ScopeString("dealer", dealer)})
                     .SeesStation(station, region, std::nullopt));
    // A scoped role without scopes, or with malformed ones, sees nothing.
    EXPECT_FALSE(scope_of("Operator", {}).SeesStation(station, region, std::nullopt));
    EXPECT_FALSE(scope_of("Operator", {"station:not-a-uuid", "garbage"})
                     .SeesStation(station, region, std::nullopt));
}

}  // namespace
}  // namespace omc::identity
