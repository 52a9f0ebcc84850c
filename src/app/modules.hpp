// The one ordered list of modules, and what each is given. A new domain adds one line to
// kModules in modules.cpp and nothing else here.
#pragma once

#include <string>
#include <vector>

#include "domains/identity/identity.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/config/config.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"
#include "platform/log/metrics.hpp"

namespace omc::app {

// Everything a module may use. Modules keep references; the App outlives them.
struct ModuleDeps {
    db::Database& database;
    const Clock& clock;
    IdGenerator& ids;
    const config::Config& config;
    metrics::Registry& metrics;
    identity::Identity& identity;
};

struct ModuleInfo {
    std::string name;
    std::string summary;
    void (*register_routes)(http::Router& router, ModuleDeps& deps);
    // Work the App runs in the background every minute while serving (nullptr: none), for
    // things that happen with time rather than a request, such as a price list coming into
    // force. It spans tenants; returns how many things it did.
    Result<int64_t> (*sweep)(ModuleDeps& deps) = nullptr;
};

// Every module, in registration order.
const std::vector<ModuleInfo>& AllModules();

// Registers the named modules' routes (all when `enabled` is empty). kInvalidArgument naming
// "--modules" for an unknown name.
Result<void> RegisterModules(http::Router& router, ModuleDeps& deps,
                             const std::vector<std::string>& enabled);

// The enabled modules (all when `enabled` is empty) that have a background sweep.
std::vector<const ModuleInfo*> ModulesWithSweeps(const std::vector<std::string>& enabled);

}  // namespace omc::app
