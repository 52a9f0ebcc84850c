// The one ordered list of modules, and what each is given. A new domain adds one line to
// kModules in modules.cpp and nothing else here.
#pragma once

#include <memory>
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

namespace omc::forecourt {
class SalesService;
}

namespace omc::app {

// Work a module runs in the background while `omc serve` runs (a poller, say): the App starts
// it after every module registered when background work is on, and stops it before it goes.
class BackgroundTask {
  public:
    virtual ~BackgroundTask() = default;
    virtual void Start() = 0;
    virtual void Stop() = 0;  // idempotent; returns once the work has stopped
};

// A module's object with Start() and Stop() as a BackgroundTask (tests find it with
// dynamic_cast and drive it by hand).
template <typename T>
class Background final : public BackgroundTask {
  public:
    explicit Background(std::shared_ptr<T> object) : object_(std::move(object)) {}
    void Start() override { object_->Start(); }
    void Stop() override { object_->Stop(); }
    T& object() { return *object_; }

  private:
    std::shared_ptr<T> object_;
};

// Everything a module may use. Modules keep references; the App outlives them.
struct ModuleDeps {
    db::Database& database;
    const Clock& clock;
    IdGenerator& ids;
    const config::Config& config;
    metrics::Registry& metrics;
    identity::Identity& identity;
    // The forecourt's sales service, set when the forecourt module registered (payments
    // records MoMo sales through it).
    std::shared_ptr<forecourt::SalesService> sales;
    // Background work modules added while registering (see BackgroundTask).
    std::vector<std::shared_ptr<BackgroundTask>> background;
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
