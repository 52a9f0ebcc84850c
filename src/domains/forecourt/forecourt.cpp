#include "domains/forecourt/forecourt.hpp"

#include <memory>

#include "domains/forecourt/alerts.hpp"
#include "domains/forecourt/catalog.hpp"
#include "domains/forecourt/common.hpp"
#include "domains/forecourt/equipment.hpp"
#include "domains/forecourt/reconciliation.hpp"
#include "domains/forecourt/sales.hpp"
#include "domains/forecourt/shifts.hpp"
#include "domains/forecourt/wetstock_routes.hpp"

namespace omc::forecourt {

void RegisterForecourtRoutes(http::Router& router, db::Database& database, IdGenerator& ids,
                             const Clock& clock) {
    const ForecourtDeps deps{.ids = &ids, .clock = &clock};
    RegisterCatalogRoutes(router, deps);
    RegisterEquipmentRoutes(router, deps);
    RegisterWetstockRoutes(router, deps);
    RegisterDeliveryRoutes(router, deps);
    RegisterStockRoutes(router, deps);
    RegisterReconciliationRoutes(router, deps);
    RegisterAlertRoutes(router, deps);
    RegisterShiftRoutes(router, deps);
    // SQLite has one writer at a time: one batch at once. PostgreSQL overlaps one batch's
    // COMMIT with the next batch's work.
    db::GroupCommitOptions options;
    options.max_concurrent_batches = database.engine() == db::Engine::kPostgres ? 2 : 1;
    RegisterSaleRoutes(router, deps, std::make_shared<SalesService>(database, ids, clock, options));
}

}  // namespace omc::forecourt
