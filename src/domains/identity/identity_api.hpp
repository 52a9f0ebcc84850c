// What other domains may ask of the identity module, in process (ARCHITECTURE.md: a domain is
// reached only through its <name>_api.hpp or its events). Every call runs in the caller's
// transaction and answers for the caller's tenant and scope only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace omc::identity {

// A station as other domains need it.
struct StationRef {
    Uuid id;
    std::string code;
    std::string name;
    Uuid region_id;
    std::optional<Uuid> dealer_id;
    bool active = true;
    // When the station's business day starts, in minutes after local midnight, and its zone.
    int64_t business_day_start_min = 0;
    std::string time_zone = "Africa/Accra";
    // The station's NPA retail outlet licence and its expiry date ("YYYY-MM-DD"), when known.
    std::optional<std::string> npa_licence_no;
    std::optional<std::string> npa_licence_expires_on;
    // "COCO", "CODO" or "DODO" as stored (org_store.hpp OperatingModel).
    std::string operating_model;
    // GPS position in millionths of a degree; both or neither.
    std::optional<int64_t> latitude_e6;
    std::optional<int64_t> longitude_e6;
};

// The station whatever the caller's scope (for checking a principal later with SeesStation);
// nullopt when the tenant has no such station.
Result<std::optional<StationRef>> FindStation(db::Transaction& tx, const TenantId& tenant,
                                              const Uuid& station_id);
// Every station of the tenant, in id order, whatever anyone's scope: for work the system does
// for the whole tenant (the alert sweep). A tenant has hundreds of stations at most.
Result<std::vector<StationRef>> TenantStations(db::Transaction& tx, const TenantId& tenant);
// The stations `principal` may see, in id order (every station of the tenant for a
// tenant-wide caller; `*whole_tenant` says so).
Result<std::vector<StationRef>> VisibleStations(db::Transaction& tx,
                                                const http::Principal& principal,
                                                bool* whole_tenant = nullptr);

// A region as reports name it.
struct RegionRef {
    Uuid id;
    std::string code;
    std::string name;
};
// Every region of the tenant, in code order (a tenant has tens at most).
Result<std::vector<RegionRef>> TenantRegions(db::Transaction& tx, const TenantId& tenant);

// Whether `principal` may see `station` (their tenant, region, station or dealer scope).
bool SeesStation(const http::Principal& principal, const StationRef& station);

// The station when `principal` may see it; nullopt when it does not exist, is another
// tenant's, or lies outside the caller's scope (the three are indistinguishable on purpose).
Result<std::optional<StationRef>> FindVisibleStation(db::Transaction& tx,
                                                     const http::Principal& principal,
                                                     const Uuid& station_id);

// The stations `principal` may see: nullopt when the caller sees the whole tenant, else the
// list (possibly empty). For narrowing lists in SQL.
Result<std::optional<std::vector<Uuid>>> VisibleStationIds(db::Transaction& tx,
                                                           const http::Principal& principal);

// The code and name rules of the organisation's master data (org_store.hpp), shared so every
// domain's codes and names follow them: a code is 1..32 of [A-Za-z0-9_-], stored upper-case; a
// name is 1..120 code points after trimming.
std::optional<std::string> NormaliseCode(std::string_view code);
std::optional<std::string> NormaliseName(std::string_view name);

// A person scoped to a station (its attendants and manager), by name for the forecourt's forms
// and reports, which show people, not ids.
struct StaffMember {
    Uuid id;
    std::string username;
    std::string display_name;
    std::string role;
    bool active = true;
};

// The users whose scope names `station_id` (inactive ones too, so past shifts keep their names),
// by display name.
Result<std::vector<StaffMember>> StationStaff(db::Transaction& tx, const TenantId& tenant,
                                              const Uuid& station_id);

// Whether `user_id` is an active user of the tenant (attendants named in shifts and sales).
Result<bool> ActiveUserExists(db::Transaction& tx, const TenantId& tenant, const Uuid& user_id);

}  // namespace omc::identity
