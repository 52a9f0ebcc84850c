#include "domains/identity/identity_api.hpp"

#include "domains/identity/scope.hpp"

namespace omc::identity {
namespace {

#define OMC_STATION_REF_COLUMNS                                                         \
    "id, code, name, region_id, dealer_id, active, business_day_start_min, time_zone, " \
    "npa_licence_no, npa_licence_expires_on, operating_model, latitude_e6, longitude_e6"
constexpr db::Query kFindStationRef{"identity_api.find_station",
                                    "SELECT " OMC_STATION_REF_COLUMNS
                                    " FROM stations WHERE tenant_id = $1 AND id = $2"};
constexpr db::Query kTenantStations{"identity_api.tenant_stations",
                                    "SELECT " OMC_STATION_REF_COLUMNS
                                    " FROM stations WHERE tenant_id = $1 ORDER BY id"};
#undef OMC_STATION_REF_COLUMNS
constexpr db::Query kAllStationIds{"identity_api.all_station_ids", R"sql(
    SELECT id, region_id, dealer_id FROM stations WHERE tenant_id = $1)sql"};
constexpr db::Query kTenantRegions{"identity_api.tenant_regions", R"sql(
    SELECT id, code, name FROM regions WHERE tenant_id = $1 ORDER BY code)sql"};
constexpr db::Query kActiveUser{"identity_api.active_user", R"sql(
    SELECT 1 FROM users WHERE tenant_id = $1 AND id = $2 AND active)sql"};

constexpr db::Query kStationStaff{"identity_api.station_staff", R"sql(
    SELECT u.id, u.username, u.display_name, u.role, u.active
    FROM user_scopes s JOIN users u ON u.tenant_id = s.tenant_id AND u.id = s.user_id
    WHERE s.tenant_id = $1 AND s.scope_kind = 'station' AND s.scope_id = $2
    ORDER BY u.display_name, u.username)sql"};

StationRef StationRefFromRow(const db::Row& row) {
    return StationRef{.id = row.Id(0),
                      .code = row.Text(1),
                      .name = row.Text(2),
                      .region_id = row.Id(3),
                      .dealer_id = row.IsNull(4) ? std::optional<Uuid>() : row.Id(4),
                      .active = row.Bool(5),
                      .business_day_start_min = row.Int(6),
                      .time_zone = row.Text(7),
                      .npa_licence_no = row.OptText(8),
                      .npa_licence_expires_on = row.OptText(9),
                      .operating_model = row.Text(10),
                      .latitude_e6 = row.OptInt(11),
                      .longitude_e6 = row.OptInt(12)};
}

}  // namespace

Result<std::optional<StationRef>> FindStation(db::Transaction& tx, const TenantId& tenant,
                                              const Uuid& station_id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kFindStationRef, {tenant, station_id}));
    if (rows.empty()) return std::optional<StationRef>();
    return std::optional<StationRef>(StationRefFromRow(rows[0]));
}

Result<std::vector<StationRef>> TenantStations(db::Transaction& tx, const TenantId& tenant) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kTenantStations, {tenant}));
    std::vector<StationRef> stations;
    stations.reserve(rows.size());
    for (const db::Row& row : rows) stations.push_back(StationRefFromRow(row));
    return stations;
}

Result<std::vector<RegionRef>> TenantRegions(db::Transaction& tx, const TenantId& tenant) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kTenantRegions, {tenant}));
    std::vector<RegionRef> regions;
    regions.reserve(rows.size());
    for (const db::Row& row : rows) {
        regions.push_back(RegionRef{.id = row.Id(0), .code = row.Text(1), .name = row.Text(2)});
    }
    return regions;
}

Result<std::vector<StationRef>> VisibleStations(db::Transaction& tx,
                                                const http::Principal& principal,
                                                bool* whole_tenant) {
    OMC_ASSIGN_OR_RETURN(std::vector<StationRef> all, TenantStations(tx, principal.tenant));
    const bool everything = CallerScope::Of(principal).tenant_wide();
    if (whole_tenant != nullptr) *whole_tenant = everything;
    if (everything) return all;
    std::vector<StationRef> visible;
    for (StationRef& s : all) {
        if (SeesStation(principal, s)) visible.push_back(std::move(s));
    }
    return visible;
}

bool SeesStation(const http::Principal& principal, const StationRef& station) {
    return CallerScope::Of(principal).SeesStation(station.id, station.region_id, station.dealer_id);
}

Result<std::optional<StationRef>> FindVisibleStation(db::Transaction& tx,
                                                     const http::Principal& principal,
                                                     const Uuid& station_id) {
    OMC_ASSIGN_OR_RETURN(std::optional<StationRef> station,
                         FindStation(tx, principal.tenant, station_id));
    if (station && !SeesStation(principal, *station)) station.reset();
    return station;
}

Result<std::optional<std::vector<Uuid>>> VisibleStationIds(db::Transaction& tx,
                                                           const http::Principal& principal) {
    const CallerScope scope = CallerScope::Of(principal);
    if (scope.tenant_wide()) return std::optional<std::vector<Uuid>>();
    // A tenant has hundreds of stations at most: filtering them here keeps one rule
    // (CallerScope::SeesStation) instead of a second one written in SQL.
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kAllStationIds, {principal.tenant}));
    std::vector<Uuid> ids;
    for (const db::Row& row : rows) {
        const std::optional<Uuid> dealer =
            row.IsNull(2) ? std::optional<Uuid>() : std::optional<Uuid>(row.Id(2));
        if (scope.SeesStation(row.Id(0), row.Id(1), dealer)) ids.push_back(row.Id(0));
    }
    return std::optional<std::vector<Uuid>>(std::move(ids));
}

Result<std::vector<StaffMember>> StationStaff(db::Transaction& tx, const TenantId& tenant,
                                              const Uuid& station_id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kStationStaff, {tenant, station_id}));
    std::vector<StaffMember> staff;
    staff.reserve(rows.size());
    for (const db::Row& row : rows) {
        staff.push_back(StaffMember{.id = row.Id(0),
                                    .username = row.Text(1),
                                    .display_name = row.Text(2),
                                    .role = row.Text(3),
                                    .active = row.Bool(4)});
    }
    return staff;
}

Result<bool> ActiveUserExists(db::Transaction& tx, const TenantId& tenant, const Uuid& user_id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kActiveUser, {tenant, user_id}));
    return !rows.empty();
}

}  // namespace omc::identity
