#include "domains/forecourt/forecourt.hpp"

#include "domains/forecourt/catalog.hpp"
#include "domains/forecourt/common.hpp"
#include "domains/forecourt/equipment.hpp"
#include "domains/forecourt/wetstock_routes.hpp"

namespace omc::forecourt {

void RegisterForecourtRoutes(http::Router& router, IdGenerator& ids, const Clock& clock) {
    const ForecourtDeps deps{.ids = &ids, .clock = &clock};
    RegisterCatalogRoutes(router, deps);
    RegisterEquipmentRoutes(router, deps);
    RegisterWetstockRoutes(router, deps);
    RegisterDeliveryRoutes(router, deps);
}

}  // namespace omc::forecourt
