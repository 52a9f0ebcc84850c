#include "app/modules.hpp"

#include <algorithm>

#include "app/platform_routes.hpp"
#include "domains/identity/org_routes.hpp"
#include "platform/events/events_routes.hpp"

namespace omc::app {
namespace {

void RegisterEvents(http::Router& router, ModuleDeps& /*deps*/) {
    events::RegisterEventRoutes(router);
}

void RegisterOrg(http::Router& router, ModuleDeps& deps) {
    identity::RegisterOrgRoutes(router, deps.ids, deps.clock);
}

}  // namespace

const std::vector<ModuleInfo>& AllModules() {
    static const std::vector<ModuleInfo> kModules = {
        {"platform", "health, readiness, metrics and the OpenAPI document",
         &RegisterPlatformRoutes},
        {"events", "pull consumers of the transactional outbox", &RegisterEvents},
        {"org", "regions, dealers and stations", &RegisterOrg},
    };
    return kModules;
}

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
        const bool wanted = enabled.empty() || module.name == "platform" ||
                            std::find(enabled.begin(), enabled.end(), module.name) != enabled.end();
        if (wanted) module.register_routes(router, deps);
    }
    return Ok();
}

}  // namespace omc::app
