#include "domains/identity/permissions.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "platform/base/assert.hpp"

namespace omc::identity {
namespace {

using enum Role;

// Who reads the tenant's organisation (regions, stations, dealers), narrowed by scope.
const std::vector<Role> kEveryTenantRole = {kCompanyAdmin, kRegionalManager, kStationManager,
                                            kOperator,     kDealer,          kAuditor};

}  // namespace

std::string_view RoleName(Role role) {
    switch (role) {
        case kSuperAdmin:
            return "SuperAdmin";
        case kCompanyAdmin:
            return "CompanyAdmin";
        case kRegionalManager:
            return "RegionalManager";
        case kStationManager:
            return "StationManager";
        case kOperator:
            return "Operator";
        case kDealer:
            return "Dealer";
        case kAuditor:
            return "Auditor";
    }
    FailInvariant("role", "unknown role", __FILE__, __LINE__);
}

std::string_view RoleDescription(Role role) {
    switch (role) {
        case kSuperAdmin:
            return "Operates the platform: creates OMCs (tenants); sees no tenant's data";
        case kCompanyAdmin:
            return "Runs one OMC: organisation, users, security settings, prices and finance";
        case kRegionalManager:
            return "Oversees the stations of one or more regions";
        case kStationManager:
            return "Runs one or more stations: shifts, dips, deliveries, voids and refunds";
        case kOperator:
            return "Forecourt and shop staff at a station: sales and dips";
        case kDealer:
            return "The dealer of dealer-operated (DODO) stations: only their stations";
        case kAuditor:
            return "Reads everything in the OMC, including the audit log; changes nothing";
    }
    FailInvariant("role", "unknown role", __FILE__, __LINE__);
}

std::optional<Role> ParseRole(std::string_view name) {
    for (Role role : kAllRoles) {
        if (RoleName(role) == name) return role;
    }
    return std::nullopt;
}

std::string_view ScopeKindName(ScopeKind kind) {
    switch (kind) {
        case ScopeKind::kPlatform:
            return "platform";
        case ScopeKind::kTenant:
            return "tenant";
        case ScopeKind::kRegion:
            return "region";
        case ScopeKind::kStation:
            return "station";
        case ScopeKind::kDealer:
            return "dealer";
    }
    FailInvariant("kind", "unknown scope kind", __FILE__, __LINE__);
}

ScopeKind ScopeKindOf(Role role) {
    switch (role) {
        case kSuperAdmin:
            return ScopeKind::kPlatform;
        case kCompanyAdmin:
        case kAuditor:
            return ScopeKind::kTenant;
        case kRegionalManager:
            return ScopeKind::kRegion;
        case kStationManager:
        case kOperator:
            return ScopeKind::kStation;
        case kDealer:
            return ScopeKind::kDealer;
    }
    FailInvariant("role", "unknown role", __FILE__, __LINE__);
}

const std::vector<Permission>& AllPermissions() {
    static const std::vector<Permission> kPermissions = {
        {"tenants.read", "List the OMCs on the platform", {kSuperAdmin}},
        {"tenants.write", "Create an OMC (tenant) and its first CompanyAdmin", {kSuperAdmin}},
        {"org.read", "Read regions, stations and dealers (within the caller's scope)",
         kEveryTenantRole},
        {"org.write", "Create and change regions, stations and dealers", {kCompanyAdmin}},
        {"users.read", "List users and their roles", {kCompanyAdmin, kAuditor}},
        {"users.write", "Create users, change roles and scopes, deactivate", {kCompanyAdmin}},
        {"users.reset_password",
         "Reset another user's password and second factor",
         {kCompanyAdmin}},
        {"security.read",
         "Read the tenant's security settings (MFA policy)",
         {kCompanyAdmin, kAuditor}},
        {"security.write", "Require MFA for a role", {kCompanyAdmin}},
        {"api_keys.read", "List API keys (never their secrets)", {kCompanyAdmin, kAuditor}},
        {"api_keys.write",
         "Create and revoke API keys for devices and integrations",
         {kCompanyAdmin}},
        {"audit.read", "Read the tenant's audit log", {kCompanyAdmin, kAuditor}},
        {"events.read", "Pull the tenant's domain events", {kCompanyAdmin, kAuditor}},
        {"forecourt.read",
         "Read products, tanks, pumps, prices, shifts, sales, dips, deliveries, reconciliation "
         "and alerts (within the caller's scope)",
         kEveryTenantRole},
        {"forecourt.setup",
         "Set up products, tanks and their charts, pumps, nozzles and wet-stock settings",
         {kCompanyAdmin}},
        {"prices.write",
         "Set the ex-pump price of a product for the network or a station",
         {kCompanyAdmin}},
        {"sales.write", "Record fuel and shop sales", {kStationManager, kOperator, kDealer}},
        {"sales.reverse", "Void or refund a sale (with a reason)", {kStationManager}},
        {"shifts.write",
         "Open and close shifts, and correct a closed one",
         {kStationManager, kDealer}},
        {"dips.write", "Record tank dips", {kStationManager, kOperator, kDealer}},
        {"deliveries.write", "Record deliveries received at a station", {kStationManager, kDealer}},
        {"stock.adjust",
         "Adjust a tank's book stock (signed quantity, with a reason), audited",
         {kCompanyAdmin, kStationManager}},
        {"pricing.read",
         "Read the NPA price build-up (components, a product's build-up on a date, export), "
         "pricing windows and deadlines, price floors, price lists, zones, the holiday calendar "
         "and station price history",
         {kCompanyAdmin, kRegionalManager, kStationManager, kDealer, kAuditor}},
        {"pricing.write",
         "Add, end and suspend price build-up components and import a window's figures; set "
         "NPA price floors, propose and withdraw price lists, record NPA submissions, edit price "
         "zones and the holiday calendar",
         {kCompanyAdmin}},
        {"pricing.approve",
         "Approve, reject and schedule a window's price list (the prices stations charge from "
         "the window's start)",
         {kCompanyAdmin}},
        {"alerts.write",
         "Acknowledge and resolve alerts, and run the alert sweep over the caller's stations",
         {kCompanyAdmin, kRegionalManager, kStationManager, kDealer}},
        {"tax.read", "Read the GRA tax rates and the tax breakdown of a sale line",
         kEveryTenantRole},
        {"tax.write", "Add effective-dated GRA tax rates", {kCompanyAdmin}},
        {"reports.read",
         "Read statutory reports (VAT return, NPA monthly sales and stock) for the caller's "
         "stations, as JSON, CSV, XLSX or PDF",
         {kCompanyAdmin, kRegionalManager, kStationManager, kDealer, kAuditor}},
        {"uppf.read",
         "Read UPPF routes, freight rates and freight claims with their lines, settlements and "
         "exports",
         {kCompanyAdmin, kAuditor}},
        {"uppf.write",
         "Keep UPPF routes and freight rates; draft, submit and record settlements of freight "
         "claims",
         {kCompanyAdmin}},
        {"ledger.read",
         "Read the chart of accounts, ledger accounts and balances, transfers, journal entries, "
         "periods and the financial reports (trial balance, profit and loss, balance sheet, "
         "statements, profit per station and product)",
         {kCompanyAdmin, kAuditor}},
        {"ledger.post",
         "Post manual journal entries, reversing entries and transfer batches (two-phase "
         "included)",
         {kCompanyAdmin}},
        {"ledger.manage",
         "Add and rename chart of accounts codes; open accounts and set their "
         "balance limits",
         {kCompanyAdmin}},
        {"ledger.close", "Close and reopen accounting periods", {kCompanyAdmin}},
        {"payments.read",
         "Read MoMo payments (status, failure reason, attempts) within the caller's stations, "
         "and the payment providers' circuit-breaker state",
         kEveryTenantRole},
        {"payments.collect",
         "Request a MoMo payment for a sale (the sale is recorded once the payer approves)",
         {kStationManager, kOperator, kDealer}},
        {"payments.manage",
         "Configure mobile-money providers (credentials are write-only) and run the daily "
         "reconciliation of a provider statement",
         {kCompanyAdmin}},
        {"payments.reconciliations.read",
         "Read and export MoMo reconciliations and their mismatches",
         {kCompanyAdmin, kAuditor}},
        {"webhooks.read",
         "Read webhook endpoints (never their secrets), their deliveries and every attempt",
         {kCompanyAdmin, kAuditor}},
        {"webhooks.manage",
         "Add, change, disable and delete webhook endpoints, rotate their signing secrets, send "
         "test events and redeliver deliveries",
         {kCompanyAdmin}},
        {"customers.read",
         "Read credit customers with their vehicles, drivers and exposure, their invoices, "
         "payments and statements, and the receivables aging",
         {kCompanyAdmin, kRegionalManager, kStationManager, kAuditor}},
        {"customers.manage",
         "Create and change credit customers (credit limit, terms, on hold), their vehicles "
         "(with per-vehicle limits) and drivers",
         {kCompanyAdmin}},
        {"receivables.write",
         "Issue invoices of customers' credit sales and record customer payments with their "
         "allocation",
         {kCompanyAdmin}},
        {"suppliers.read",
         "Read suppliers, purchase orders, supplier invoices, payments and statements, the "
         "payables aging and the matching tolerances",
         {kCompanyAdmin, kAuditor}},
        {"suppliers.manage",
         "Create suppliers and purchase orders and set the invoice matching tolerances",
         {kCompanyAdmin}},
        {"payables.write",
         "Record supplier invoices (matched to purchase orders and deliveries) and supplier "
         "payments with their allocation",
         {kCompanyAdmin}},
    };
    return kPermissions;
}

bool RoleHas(Role role, std::string_view permission) {
    for (const Permission& p : AllPermissions()) {
        if (p.name == permission) {
            return std::find(p.roles.begin(), p.roles.end(), role) != p.roles.end();
        }
    }
    return false;
}

std::string PermissionMatrixMarkdown() {
    std::string out = "| Permission | What it allows |";
    std::string rule = "|---|---|";
    for (Role role : kAllRoles) {
        out += fmt::format(" {} |", RoleName(role));
        rule += ":-:|";
    }
    out += "\n" + rule + "\n";
    for (const Permission& p : AllPermissions()) {
        out += fmt::format("| `{}` | {} |", p.name, p.description);
        for (Role role : kAllRoles) {
            const bool has = std::find(p.roles.begin(), p.roles.end(), role) != p.roles.end();
            out += has ? " ✔ |" : "  |";
        }
        out += "\n";
    }
    return out;
}

bool MatrixAuthorizer::Allows(const http::Principal& principal, std::string_view permission) const {
    if (!principal.restriction.empty()) return false;
    const std::optional<Role> role = ParseRole(principal.role);
    return role.has_value() && RoleHas(*role, permission);
}

}  // namespace omc::identity
