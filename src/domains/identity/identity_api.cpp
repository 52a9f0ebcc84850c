#include "domains/identity/identity_api.hpp"

#include "domains/identity/org_store.hpp"
#include "domains/identity/scope.hpp"

namespace omc::identity {
namespace {

constexpr db::Query kAllStationIds{"identity_api.all_station_ids", R"sql(
    SELECT id, region_id, dealer_id FROM stations WHERE tenant_id = $1)sql"};
constexpr db::Query kActiveUser{"identity_api.active_user", R"sql(
    SELECT 1 FROM users WHERE tenant_id = $1 AND id = $2 AND active)sql"};

}  // namespace

Result<std::optional<StationRef>> FindVisibleStation(db::Transaction& tx,
                                                     const http::Principal& principal,
                                                     const Uuid& station_id) {
    OrgStore store(tx, principal.tenant);
    OMC_ASSIGN_OR_RETURN(const std::optional<Station> station,
                         store.FindStation(CallerScope::Of(principal), station_id));
    if (!station) return std::optional<StationRef>();
    return std::optional<StationRef>(StationRef{.id = station->id,
                                                .code = station->code,
                                                .name = station->name,
                                                .region_id = station->region_id,
                                                .dealer_id = station->dealer_id,
                                                .active = station->active});
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

Result<bool> ActiveUserExists(db::Transaction& tx, const TenantId& tenant, const Uuid& user_id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kActiveUser, {tenant, user_id}));
    return !rows.empty();
}

}  // namespace omc::identity
