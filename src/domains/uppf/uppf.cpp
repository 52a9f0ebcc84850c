#include "domains/uppf/uppf.hpp"

#include "domains/uppf/claims.hpp"
#include "domains/uppf/common.hpp"
#include "domains/uppf/settings.hpp"

namespace omc::uppf {

void RegisterUppfRoutes(http::Router& router, IdGenerator& ids, const Clock& clock) {
    const UppfDeps deps{.ids = &ids, .clock = &clock};
    RegisterSettingsRoutes(router, deps);
    RegisterClaimRoutes(router, deps);
}

}  // namespace omc::uppf
