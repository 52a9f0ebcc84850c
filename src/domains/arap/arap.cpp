#include "domains/arap/arap.hpp"

namespace omc::arap {

void RegisterArapRoutes(http::Router& router, IdGenerator& ids, const Clock& clock) {
    const ArapDeps deps{.ids = &ids, .clock = &clock};
    RegisterCustomerRoutes(router, deps);
    RegisterReceivableRoutes(router, deps);
    RegisterPayableRoutes(router, deps);
}

}  // namespace omc::arap
