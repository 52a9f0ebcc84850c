// Where a caller may look: the scopes of their role, from the verified token. Permissions say
// what a role may do (permissions.hpp); a CallerScope narrows which stations, regions and
// dealers it may do it to. A row outside the caller's scope is answered 404, exactly like a row
// that does not exist, so a scoped user learns nothing about the rest of the company.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "platform/base/id.hpp"
#include "platform/http/router.hpp"

namespace omc::identity {

class CallerScope {
  public:
    // Reads principal.scopes ("region:<uuid>", "station:<uuid>", "dealer:<uuid>"). A principal
    // with no scope entries and a tenant-wide role (CompanyAdmin, Auditor) sees the whole
    // tenant; any other principal without scopes sees nothing. Malformed entries are ignored.
    static CallerScope Of(const http::Principal& principal);

    bool tenant_wide() const { return tenant_wide_; }
    const std::vector<Uuid>& regions() const { return regions_; }
    const std::vector<Uuid>& stations() const { return stations_; }
    const std::vector<Uuid>& dealers() const { return dealers_; }

    // A station is visible when the caller is tenant-wide, or it is one of their stations, or
    // it lies in one of their regions, or its dealer is theirs.
    bool SeesStation(const Uuid& station, const Uuid& region,
                     const std::optional<Uuid>& dealer) const;
    bool SeesRegion(const Uuid& region) const;
    bool SeesDealer(const Uuid& dealer) const;

  private:
    bool tenant_wide_ = false;
    std::vector<Uuid> regions_;
    std::vector<Uuid> stations_;
    std::vector<Uuid> dealers_;
};

// "station:<uuid>" and friends, as stored in tokens.
std::string ScopeString(std::string_view kind, const Uuid& id);

}  // namespace omc::identity
