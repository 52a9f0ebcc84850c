#include "app/modules.hpp"

#include <algorithm>

#include "app/platform_routes.hpp"
#include "domains/arap/arap.hpp"
#include "domains/forecourt/forecourt.hpp"
#include "domains/forecourt/forecourt_api.hpp"
#include "domains/identity/org_routes.hpp"
#include "domains/ledger/ledger.hpp"
#include "domains/ledger/routes.hpp"
#include "domains/payments/payments.hpp"
#include "domains/pricing/buildup.hpp"
#include "domains/pricing/window_proposals.hpp"
#include "domains/pricing/window_routes.hpp"
#include "domains/reports/reports.hpp"
#include "domains/tax/tax.hpp"
#include "domains/uppf/uppf.hpp"
#include "domains/webhooks/webhooks.hpp"
#include "platform/audit/audit_routes.hpp"
#include "platform/events/events_routes.hpp"

namespace omc::app {
namespace {

void RegisterIdentity(http::Router& router, ModuleDeps& deps) {
    identity::RegisterAuthRoutes(router, deps.identity);
    identity::RegisterUserRoutes(router, deps.identity);
    identity::RegisterApiKeyRoutes(router, deps.identity);
    identity::RegisterTenantRoutes(router, deps.identity);
}

void RegisterEvents(http::Router& router, ModuleDeps& /*deps*/) {
    events::RegisterEventRoutes(router);
}

void RegisterAudit(http::Router& router, ModuleDeps& /*deps*/) {
    audit::RegisterAuditRoutes(router);
}

void RegisterOrg(http::Router& router, ModuleDeps& deps) {
    identity::RegisterOrgRoutes(router, deps.ids, deps.clock);
}

void RegisterForecourt(http::Router& router, ModuleDeps& deps) {
    deps.sales = forecourt::RegisterForecourtRoutes(router, deps.database, deps.ids, deps.clock);
}

void RegisterPricing(http::Router& router, ModuleDeps& deps) {
    pricing::RegisterBuildUpRoutes(router, deps.ids, deps.clock);
    pricing::RegisterPriceWindowRoutes(router, deps.ids, deps.clock);
}

Result<int64_t> SweepPricing(ModuleDeps& deps) {
    return pricing::SweepPricesInForce(deps.database, deps.ids, deps.clock);
}

void RegisterTax(http::Router& router, ModuleDeps& deps) {
    tax::RegisterTaxRoutes(router, deps.ids, deps.clock);
}

void RegisterReports(http::Router& router, ModuleDeps& /*deps*/) {
    reports::RegisterReportRoutes(router);
}

void RegisterPaymentsModule(http::Router& router, ModuleDeps& deps) {
    if (!deps.sales) deps.sales = forecourt::NewSalesService(deps.database, deps.ids, deps.clock);
    auto poller = payments::RegisterPayments(router, {.database = &deps.database,
                                                      .ids = &deps.ids,
                                                      .clock = &deps.clock,
                                                      .sales = deps.sales,
                                                      .metrics = &deps.metrics});
    deps.background.push_back(std::make_shared<Background<payments::Poller>>(std::move(poller)));
}

void RegisterArap(http::Router& router, ModuleDeps& deps) {
    arap::RegisterArapRoutes(router, deps.ids, deps.clock);
}

void RegisterUppf(http::Router& router, ModuleDeps& deps) {
    uppf::RegisterUppfRoutes(router, deps.ids, deps.clock);
}

void RegisterLedger(http::Router& router, ModuleDeps& deps) {
    ledger::RegisterLedgerRoutes(router, deps.ids, deps.clock);
}

Result<int64_t> SweepLedger(ModuleDeps& deps) {
    return ledger::ExpirePendingTransfers(deps.database, deps.clock);
}

void RegisterWebhooks(http::Router& router, ModuleDeps& deps) {
    webhooks::RegisterWebhookRoutes(router, deps.ids, deps.clock, deps.config);
}

}  // namespace

const std::vector<ModuleInfo>& AllModules() {
    static const std::vector<ModuleInfo> kModules = {
        {"platform", "health, readiness, metrics and the OpenAPI document",
         &RegisterPlatformRoutes},
        {"identity", "sign-in, sessions, users, API keys, MFA and tenants", &RegisterIdentity},
        {"org", "regions, dealers and stations", &RegisterOrg},
        {"forecourt", "products, prices, tanks, pumps, nozzles, shifts, sales and wet stock",
         &RegisterForecourt},
        {"pricing",
         "the NPA price build-up (effective-dated components, import and export), pricing "
         "windows, NPA price floors, price lists and the station prices they schedule",
         &RegisterPricing, &SweepPricing},
        {"tax", "GRA tax rates, the tax of a sale line and the monthly VAT return", &RegisterTax},
        {"reports", "NPA monthly returns: sales and stock", &RegisterReports},
        {"uppf", "UPPF freight claims: depot routes, freight rates, monthly claims", &RegisterUppf},
        {"ledger",
         "the double-entry ledger: chart of accounts, accounts, transfers (two-phase, linked), "
         "journal entries, periods and the financial reports",
         &RegisterLedger, &SweepLedger},
        {"payments",
         "mobile money: provider settings, MoMo sales (request to pay, poller, callbacks) and "
         "the daily reconciliation of provider statements",
         &RegisterPaymentsModule},
        {"webhooks",
         "tenant webhook endpoints: Standard Webhooks signing, secret rotation, retries, "
         "dead-lettering, the delivery log and redelivery (the dispatcher runs in omc serve)",
         &RegisterWebhooks},
        {"arap",
         "receivables and payables: credit customers with vehicles and drivers, invoices, "
         "customer payments, statements and aging; suppliers, purchase orders, supplier "
         "invoices matched to deliveries, supplier payments",
         &RegisterArap},
        {"events", "pull consumers of the transactional outbox", &RegisterEvents},
        {"audit", "the tamper-evident audit log: GET /api/v1/audit", &RegisterAudit},
    };
    return kModules;
}

namespace {
bool Wanted(const ModuleInfo& module, const std::vector<std::string>& enabled) {
    return enabled.empty() || module.name == "platform" ||
           std::find(enabled.begin(), enabled.end(), module.name) != enabled.end();
}
}  // namespace

Result<void> RegisterModules(http::Router& router, ModuleDeps& deps,
                             const std::vector<std::string>& enabled) {
    for (const std::string& name : enabled) {
        const auto& all = AllModules();
        if (std::none_of(all.begin(), all.end(),
                         [&](const ModuleInfo& m) { return m.name == name; })) {
            return InvalidArgument("--modules", "unknown module '" + name + "'");
        }
    }
    for (const ModuleInfo& module : AllModules()) {
        if (Wanted(module, enabled)) module.register_routes(router, deps);
    }
    return Ok();
}

std::vector<const ModuleInfo*> ModulesWithSweeps(const std::vector<std::string>& enabled) {
    std::vector<const ModuleInfo*> out;
    for (const ModuleInfo& module : AllModules()) {
        if (module.sweep != nullptr && Wanted(module, enabled)) out.push_back(&module);
    }
    return out;
}

}  // namespace omc::app
