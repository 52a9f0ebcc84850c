#include "domains/forecourt/forecourt.hpp"

#include <memory>

#include "domains/forecourt/alerts.hpp"
#include "domains/forecourt/catalog.hpp"
#include "domains/forecourt/common.hpp"
#include "domains/forecourt/dashboard.hpp"
#include "domains/forecourt/equipment.hpp"
#include "domains/forecourt/reconciliation.hpp"
#include "domains/forecourt/sales.hpp"
#include "domains/forecourt/shifts.hpp"
#include "domains/forecourt/wetstock_routes.hpp"

namespace omc::forecourt {

std::shared_ptr<SalesService> RegisterForecourtRoutes(http::Router& router, db::Database& database,
                                                      IdGenerator& ids, const Clock& clock) {
    const ForecourtDeps deps{.ids = &ids, .clock = &clock};
    RegisterCatalogRoutes(router, deps);
    RegisterEquipmentRoutes(router, deps);
    RegisterWetstockRoutes(router, deps);
    RegisterDeliveryRoutes(router, deps);
    RegisterStockRoutes(router, deps);
    RegisterReconciliationRoutes(router, deps);
    RegisterAlertRoutes(router, deps);
    RegisterShiftRoutes(router, deps);
    RegisterDashboardRoutes(router, deps);
    // SQLite has one writer at a time: one batch at once. PostgreSQL runs two tenants' batches
    // side by side, but one tenant's one after another: they lock the same receipt counters, so a
    // second batch of the tenant would only wait, and a batch that waits gathers more sales
    // (bench/sales: 36 sales per batch instead of 20, 20% more sales/s; docs/PERFORMANCE.md).
    db::GroupCommitOptions options;
    options.max_concurrent_batches = database.engine() == db::Engine::kPostgres ? 2 : 1;
    options.max_batches_per_tenant = 1;
    auto sales = std::make_shared<SalesService>(database, ids, clock, options);
    RegisterSaleRoutes(router, deps, sales);
    return sales;
}

}  // namespace omc::forecourt
