#include "domains/identity/scope.hpp"

#include <algorithm>

#include "domains/identity/permissions.hpp"

namespace omc::identity {
namespace {

bool Contains(const std::vector<Uuid>& ids, const Uuid& id) {
    return std::find(ids.begin(), ids.end(), id) != ids.end();
}

}  // namespace

CallerScope CallerScope::Of(const http::Principal& principal) {
    CallerScope scope;
    const std::optional<Role> role = ParseRole(principal.role);
    scope.tenant_wide_ = role.has_value() && ScopeKindOf(*role) == ScopeKind::kTenant;
    for (const std::string& entry : principal.scopes) {
        const size_t colon = entry.find(':');
        if (colon == std::string::npos) continue;
        const std::string_view kind = std::string_view(entry).substr(0, colon);
        const std::optional<Uuid> id = Uuid::Parse(std::string_view(entry).substr(colon + 1));
        if (!id) continue;
        if (kind == "region") scope.regions_.push_back(*id);
        if (kind == "station") scope.stations_.push_back(*id);
        if (kind == "dealer") scope.dealers_.push_back(*id);
    }
    return scope;
}

bool CallerScope::SeesStation(const Uuid& station, const Uuid& region,
                              const std::optional<Uuid>& dealer) const {
    return tenant_wide_ || Contains(stations_, station) || Contains(regions_, region) ||
           (dealer.has_value() && Contains(dealers_, *dealer));
}

bool CallerScope::SeesRegion(const Uuid& region) const {
    return tenant_wide_ || Contains(regions_, region);
}

bool CallerScope::SeesDealer(const Uuid& dealer) const {
    return tenant_wide_ || Contains(dealers_, dealer);
}

std::string ScopeString(std::string_view kind, const Uuid& id) {
    return std::string(kind) + ":" + id.ToString();
}

}  // namespace omc::identity
