#include "domains/identity/org_store.hpp"

#include <algorithm>
#include <cctype>
#include <utility>

#include "platform/base/assert.hpp"

namespace omc::identity {
namespace {

// How the SQL below tests "is in the caller's scope" with one text for both engines: a scope list
// travels as one parameter of comma-separated UUIDs ("a,b,c", "" when empty), and
//   (',' || $n || ',') LIKE ('%,' || column || ',%')
// is membership. UUID text holds no LIKE wildcards, both engines render ids in the same
// lower-case canonical form (ids are written from Uuid::ToString), and a NULL column (a
// station without a dealer) is never a member. Scope lists are short (at most
// auth::kMaxScopes entries) and a tenant's organisation is small, so the scan this costs is cheap.
//
// An optional filter is written `(column = $n OR $n IS NULL)`, comparison first: PostgreSQL infers
// the parameter's type from the first place it appears, and `$n IS NULL` alone says nothing.

constexpr db::Query kFindRegion{"org.find_region", R"sql(
    SELECT id, code, name, created_at_us, updated_at_us
    FROM regions WHERE tenant_id = $1 AND id = $2)sql"};
// A no-op update takes the row lock on PostgreSQL (as SELECT ... FOR UPDATE would, which SQLite
// lacks), so two PATCHes of one row cannot lose each other's fields. SQLite already serialises
// writers (BEGIN IMMEDIATE).
constexpr db::Query kLockRegion{"org.lock_region", R"sql(
    UPDATE regions SET updated_at_us = updated_at_us WHERE tenant_id = $1 AND id = $2
    RETURNING id, code, name, created_at_us, updated_at_us)sql"};
constexpr db::Query kListRegions{"org.list_regions", R"sql(
    SELECT id, code, name, created_at_us, updated_at_us
    FROM regions WHERE tenant_id = $1 AND id > $2
    ORDER BY id LIMIT $3)sql"};
// $4: the caller's regions; $5, $6: their stations and dealers.
constexpr db::Query kListScopedRegions{"org.list_scoped_regions", R"sql(
    SELECT id, code, name, created_at_us, updated_at_us
    FROM regions
    WHERE tenant_id = $1 AND id > $2
      AND ((',' || $4 || ',') LIKE ('%,' || id || ',%')
           OR id IN (SELECT s.region_id FROM stations s
                     WHERE s.tenant_id = $1
                       AND ((',' || $5 || ',') LIKE ('%,' || s.id || ',%')
                            OR (',' || $6 || ',') LIKE ('%,' || s.dealer_id || ',%'))))
    ORDER BY id LIMIT $3)sql"};
// $3, $4: the caller's stations and dealers (their regions were checked before).
constexpr db::Query kRegionHasVisibleStation{"org.region_has_visible_station", R"sql(
    SELECT 1 FROM stations
    WHERE tenant_id = $1 AND region_id = $2
      AND ((',' || $3 || ',') LIKE ('%,' || id || ',%')
           OR (',' || $4 || ',') LIKE ('%,' || dealer_id || ',%'))
    LIMIT 1)sql"};
constexpr db::Query kRegionExists{"org.region_exists", R"sql(
    SELECT 1 FROM regions WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kRegionCodeTaken{"org.region_code_taken", R"sql(
    SELECT 1 FROM regions WHERE tenant_id = $1 AND code = $2)sql"};
constexpr db::Query kInsertRegion{"org.insert_region", R"sql(
    INSERT INTO regions (tenant_id, id, code, name, created_at_us, updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $6))sql"};
constexpr db::Query kUpdateRegion{"org.update_region", R"sql(
    UPDATE regions SET name = $3, updated_at_us = $4 WHERE tenant_id = $1 AND id = $2)sql"};

constexpr db::Query kFindDealer{"org.find_dealer", R"sql(
    SELECT id, code, name, phone, email, active, created_at_us, updated_at_us
    FROM dealers WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kLockDealer{"org.lock_dealer", R"sql(
    UPDATE dealers SET updated_at_us = updated_at_us WHERE tenant_id = $1 AND id = $2
    RETURNING id, code, name, phone, email, active, created_at_us, updated_at_us)sql"};
constexpr db::Query kListDealers{"org.list_dealers", R"sql(
    SELECT id, code, name, phone, email, active, created_at_us, updated_at_us
    FROM dealers WHERE tenant_id = $1 AND id > $2
    ORDER BY id LIMIT $3)sql"};
// $4: the caller's dealers; $5, $6: their stations and regions.
constexpr db::Query kListScopedDealers{"org.list_scoped_dealers", R"sql(
    SELECT id, code, name, phone, email, active, created_at_us, updated_at_us
    FROM dealers
    WHERE tenant_id = $1 AND id > $2
      AND ((',' || $4 || ',') LIKE ('%,' || id || ',%')
           OR id IN (SELECT s.dealer_id FROM stations s
                     WHERE s.tenant_id = $1 AND s.dealer_id IS NOT NULL
                       AND ((',' || $5 || ',') LIKE ('%,' || s.id || ',%')
                            OR (',' || $6 || ',') LIKE ('%,' || s.region_id || ',%'))))
    ORDER BY id LIMIT $3)sql"};
// $3, $4: the caller's stations and regions (their dealers were checked before).
constexpr db::Query kDealerHasVisibleStation{"org.dealer_has_visible_station", R"sql(
    SELECT 1 FROM stations
    WHERE tenant_id = $1 AND dealer_id = $2
      AND ((',' || $3 || ',') LIKE ('%,' || id || ',%')
           OR (',' || $4 || ',') LIKE ('%,' || region_id || ',%'))
    LIMIT 1)sql"};
constexpr db::Query kDealerExists{"org.dealer_exists", R"sql(
    SELECT 1 FROM dealers WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kDealerCodeTaken{"org.dealer_code_taken", R"sql(
    SELECT 1 FROM dealers WHERE tenant_id = $1 AND code = $2)sql"};
constexpr db::Query kInsertDealer{"org.insert_dealer", R"sql(
    INSERT INTO dealers (tenant_id, id, code, name, phone, email, active, created_at_us,
                         updated_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9))sql"};
constexpr db::Query kUpdateDealer{"org.update_dealer", R"sql(
    UPDATE dealers SET name = $3, phone = $4, email = $5, active = $6, updated_at_us = $7
    WHERE tenant_id = $1 AND id = $2)sql"};

// StationFromRow reads these columns in this order.
#define OMC_STATION_COLUMNS                                                          \
    " id, code, name, region_id, operating_model, dealer_id, active, created_at_us," \
    " updated_at_us, latitude_e6, longitude_e6, address, npa_licence_no,"            \
    " npa_licence_expires_on, business_day_start_min, time_zone "
constexpr db::Query kFindStation{"org.find_station",
                                 "SELECT" OMC_STATION_COLUMNS
                                 "FROM stations WHERE tenant_id = $1 AND id = $2"};
constexpr db::Query kLockStation{
    "org.lock_station",
    "UPDATE stations SET updated_at_us = updated_at_us WHERE tenant_id = $1 AND id = $2 "
    "RETURNING" OMC_STATION_COLUMNS};
// $4..$7: the filters (region, dealer, active, licence expiring by). A date is compared as
// text: "YYYY-MM-DD" sorts as it counts.
constexpr db::Query kListStations{"org.list_stations", "SELECT" OMC_STATION_COLUMNS R"sql(
    FROM stations
    WHERE tenant_id = $1 AND id > $2
      AND (region_id = $4 OR $4 IS NULL)
      AND (dealer_id = $5 OR $5 IS NULL)
      AND (active = $6 OR $6 IS NULL)
      AND (npa_licence_expires_on <= $7 OR $7 IS NULL)
    ORDER BY id LIMIT $3)sql"};
// $4..$7: the filters; $8..$10: the caller's stations, regions and dealers.
constexpr db::Query kListScopedStations{"org.list_scoped_stations",
                                        "SELECT" OMC_STATION_COLUMNS R"sql(
    FROM stations
    WHERE tenant_id = $1 AND id > $2
      AND (region_id = $4 OR $4 IS NULL)
      AND (dealer_id = $5 OR $5 IS NULL)
      AND (active = $6 OR $6 IS NULL)
      AND (npa_licence_expires_on <= $7 OR $7 IS NULL)
      AND ((',' || $8 || ',') LIKE ('%,' || id || ',%')
           OR (',' || $9 || ',') LIKE ('%,' || region_id || ',%')
           OR (',' || $10 || ',') LIKE ('%,' || dealer_id || ',%'))
    ORDER BY id LIMIT $3)sql"};
#undef OMC_STATION_COLUMNS
constexpr db::Query kStationCodeTaken{"org.station_code_taken", R"sql(
    SELECT 1 FROM stations WHERE tenant_id = $1 AND code = $2)sql"};
constexpr db::Query kInsertStation{"org.insert_station", R"sql(
    INSERT INTO stations (tenant_id, id, code, name, region_id, operating_model, dealer_id,
                          active, created_at_us, updated_at_us, latitude_e6, longitude_e6,
                          address, npa_licence_no, npa_licence_expires_on,
                          business_day_start_min, time_zone)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17))sql"};
constexpr db::Query kUpdateStation{"org.update_station", R"sql(
    UPDATE stations
    SET name = $3, region_id = $4, operating_model = $5, dealer_id = $6, active = $7,
        updated_at_us = $8, latitude_e6 = $9, longitude_e6 = $10, address = $11,
        npa_licence_no = $12, npa_licence_expires_on = $13, business_day_start_min = $14,
        time_zone = $15
    WHERE tenant_id = $1 AND id = $2)sql"};

// The scope list parameter: "id1,id2" (see the comment at the top).
std::string JoinIds(const std::vector<Uuid>& ids) {
    std::string out;
    for (const Uuid& id : ids) {
        if (!out.empty()) out += ',';
        out += id.ToString();
    }
    return out;
}

Region RegionFromRow(const db::Row& row) {
    return Region{.id = row.Id(0),
                  .code = row.Text(1),
                  .name = row.Text(2),
                  .created_at_us = row.Int(3),
                  .updated_at_us = row.Int(4)};
}

Dealer DealerFromRow(const db::Row& row) {
    return Dealer{.id = row.Id(0),
                  .code = row.Text(1),
                  .name = row.Text(2),
                  .phone = row.OptText(3),
                  .email = row.OptText(4),
                  .active = row.Bool(5),
                  .created_at_us = row.Int(6),
                  .updated_at_us = row.Int(7)};
}

Station StationFromRow(const db::Row& row) {
    const std::optional<OperatingModel> model = ParseOperatingModel(row.Text(4));
    ERP_INVARIANT(model.has_value(), "stations.operating_model is checked by the schema");
    std::optional<Uuid> dealer;
    if (!row.IsNull(5)) dealer = row.Id(5);
    ERP_INVARIANT(NeedsDealer(*model) == dealer.has_value(),
                  "a station names a dealer exactly when it is dealer-operated");
    return Station{.id = row.Id(0),
                   .code = row.Text(1),
                   .name = row.Text(2),
                   .region_id = row.Id(3),
                   .operating_model = *model,
                   .dealer_id = dealer,
                   .active = row.Bool(6),
                   .site = StationSite{.latitude_e6 = row.OptInt(9),
                                       .longitude_e6 = row.OptInt(10),
                                       .address = row.OptText(11),
                                       .npa_licence_no = row.OptText(12),
                                       .npa_licence_expires_on = row.OptText(13),
                                       .business_day_start_min = row.Int(14),
                                       .time_zone = row.Text(15)},
                   .created_at_us = row.Int(7),
                   .updated_at_us = row.Int(8)};
}

// A unique violation on insert can only be the (tenant_id, code) key: ids are fresh UUIDv7s.
Error CodeConflict(Error error) {
    if (error.code() != ErrorCode::kConflict) return error;
    return Error(ErrorCode::kConflict, "code already in use", {{"code", "is already in use"}})
        .WithDetail(error.detail());
}

bool IsCodeChar(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
}

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

size_t CodePoints(std::string_view s) {
    return static_cast<size_t>(std::count_if(
        s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

std::string_view OperatingModelName(OperatingModel model) {
    switch (model) {
        case OperatingModel::kCoco:
            return "COCO";
        case OperatingModel::kCodo:
            return "CODO";
        case OperatingModel::kDodo:
            return "DODO";
    }
    FailInvariant("model", "unknown operating model", __FILE__, __LINE__);
}

std::optional<OperatingModel> ParseOperatingModel(std::string_view name) {
    for (OperatingModel model :
         {OperatingModel::kCoco, OperatingModel::kCodo, OperatingModel::kDodo}) {
        if (OperatingModelName(model) == name) return model;
    }
    return std::nullopt;
}

bool IsSupportedTimeZone(std::string_view zone) {
    // UTC+0 all year, no daylight saving.
    for (std::string_view ok :
         {kDefaultTimeZone, std::string_view("Africa/Abidjan"), std::string_view("UTC"),
          std::string_view("Etc/UTC"), std::string_view("GMT"), std::string_view("Etc/GMT")}) {
        if (zone == ok) return true;
    }
    return false;
}

std::optional<int64_t> ParseTimeOfDay(std::string_view text) {
    if (text.size() != 5 || text[2] != ':') return std::nullopt;
    auto two = [&](size_t at) -> int {
        if (text[at] < '0' || text[at] > '9' || text[at + 1] < '0' || text[at + 1] > '9') {
            return -1;
        }
        return (text[at] - '0') * 10 + (text[at + 1] - '0');
    };
    const int hours = two(0);
    const int minutes = two(3);
    if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59) return std::nullopt;
    return int64_t{hours} * 60 + minutes;
}

std::string FormatTimeOfDay(int64_t minutes) {
    ERP_ASSERT(minutes >= 0 && minutes < kMinutesPerDay, "a time of day");
    const auto digit = [](int64_t d) { return static_cast<char>('0' + d); };
    const int64_t hours = minutes / 60;
    const int64_t mins = minutes % 60;
    return {digit(hours / 10), digit(hours % 10), ':', digit(mins / 10), digit(mins % 10)};
}

std::optional<LicenceStanding> LicenceStandingOn(const std::optional<std::string>& expires_on,
                                                 std::string_view today) {
    if (!expires_on) return std::nullopt;
    const std::optional<int64_t> expiry = ParseDateDays(*expires_on);
    const std::optional<int64_t> now = ParseDateDays(today);
    ERP_ASSERT(expiry.has_value() && now.has_value(), "dates are checked before they are stored");
    // A licence is valid through its expiry date.
    const int64_t days_left = *expiry - *now;
    std::string_view state = "valid";
    if (days_left < 0) {
        state = "expired";
    } else if (days_left <= kLicenceWarningDays) {
        state = "expiring";
    }
    return LicenceStanding{.state = state, .days_left = days_left};
}

std::optional<std::string> NormaliseCode(std::string_view code) {
    if (code.empty() || code.size() > kOrgCodeMaxLength) return std::nullopt;
    std::string out;
    out.reserve(code.size());
    for (char c : code) {
        if (!IsCodeChar(c)) return std::nullopt;
        out += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    return out;
}

std::optional<std::string> NormaliseName(std::string_view name) {
    while (!name.empty() && IsSpace(name.front())) name.remove_prefix(1);
    while (!name.empty() && IsSpace(name.back())) name.remove_suffix(1);
    if (name.empty() || CodePoints(name) > kOrgNameMaxLength) return std::nullopt;
    return std::string(name);
}

std::optional<std::string> NormalisePhone(std::string_view phone) {
    if (phone.size() > kPhoneMaxLength) return std::nullopt;
    std::string out;
    size_t digits = 0;
    for (size_t i = 0; i < phone.size(); ++i) {
        const char c = phone[i];
        if (c >= '0' && c <= '9') {
            out += c;
            ++digits;
        } else if (c == '+' && out.empty()) {
            out += c;
        } else if (!(c == ' ' || c == '-' || c == '.' || c == '(' || c == ')')) {
            return std::nullopt;
        }
    }
    if (digits < kPhoneMinDigits || digits > kPhoneMaxDigits) return std::nullopt;
    return out;
}

std::optional<std::string> NormaliseEmail(std::string_view email) {
    if (email.empty() || email.size() > kEmailMaxLength) return std::nullopt;
    const size_t at = email.find('@');
    if (at == std::string_view::npos || at == 0 || email.find('@', at + 1) != std::string::npos) {
        return std::nullopt;
    }
    const std::string_view domain = email.substr(at + 1);
    const size_t dot = domain.find('.');
    if (dot == std::string_view::npos || dot == 0 || domain.back() == '.' ||
        domain.find("..") != std::string_view::npos) {
        return std::nullopt;
    }
    std::string out;
    out.reserve(email.size());
    for (char c : email) {
        const auto u = static_cast<unsigned char>(c);
        if (u <= 0x20 || u == 0x7F) return std::nullopt;  // white space and control characters
        out += static_cast<char>(std::tolower(u));
    }
    return out;
}

// ---- store ----

Result<bool> OrgStore::Exists(const db::Query& query, const db::Params& params) {
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx_.Query(query, params));
    return !rows.empty();
}

Result<std::optional<Region>> OrgStore::VisibleRegion(const CallerScope& scope,
                                                      const db::Query& query, const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx_.Query(query, {tenant_, id}));
    if (rows.empty()) return std::optional<Region>();
    Region region = RegionFromRow(rows[0]);
    ERP_ASSERT(region.id == id, "the region asked for");
    if (!scope.SeesRegion(id)) {
        OMC_ASSIGN_OR_RETURN(const bool via_station, Exists(kRegionHasVisibleStation,
                                                            {tenant_, id, JoinIds(scope.stations()),
                                                             JoinIds(scope.dealers())}));
        if (!via_station) return std::optional<Region>();
    }
    return std::optional<Region>(std::move(region));
}

Result<std::optional<Region>> OrgStore::FindRegion(const CallerScope& scope, const Uuid& id) {
    return VisibleRegion(scope, kFindRegion, id);
}

Result<std::optional<Region>> OrgStore::LockRegion(const CallerScope& scope, const Uuid& id) {
    return VisibleRegion(scope, kLockRegion, id);
}

Result<std::vector<Region>> OrgStore::ListRegions(const CallerScope& scope, const Uuid& after,
                                                  int limit) {
    ERP_ASSERT(limit > 0, "a page holds at least one row");
    db::Rows rows;
    if (scope.tenant_wide()) {
        OMC_ASSIGN_OR_RETURN(rows, tx_.Query(kListRegions, {tenant_, after, limit}));
    } else {
        OMC_ASSIGN_OR_RETURN(
            rows,
            tx_.Query(kListScopedRegions, {tenant_, after, limit, JoinIds(scope.regions()),
                                           JoinIds(scope.stations()), JoinIds(scope.dealers())}));
    }
    std::vector<Region> regions;
    regions.reserve(rows.size());
    for (const db::Row& row : rows) regions.push_back(RegionFromRow(row));
    return regions;
}

Result<bool> OrgStore::RegionExists(const Uuid& id) { return Exists(kRegionExists, {tenant_, id}); }

Result<bool> OrgStore::RegionCodeTaken(std::string_view code) {
    return Exists(kRegionCodeTaken, {tenant_, code});
}

Result<void> OrgStore::InsertRegion(const Region& region) {
    auto inserted = tx_.Execute(kInsertRegion, {tenant_, region.id, region.code, region.name,
                                                region.created_at_us, region.updated_at_us});
    if (!inserted.ok()) return CodeConflict(std::move(inserted).error());
    ERP_INVARIANT(*inserted == 1, "one region inserted");
    return Ok();
}

Result<void> OrgStore::UpdateRegion(const Region& region) {
    OMC_ASSIGN_OR_RETURN(
        const int64_t changed,
        tx_.Execute(kUpdateRegion, {tenant_, region.id, region.name, region.updated_at_us}));
    ERP_INVARIANT(changed == 1, "the locked region is updated");
    return Ok();
}

Result<std::optional<Dealer>> OrgStore::VisibleDealer(const CallerScope& scope,
                                                      const db::Query& query, const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx_.Query(query, {tenant_, id}));
    if (rows.empty()) return std::optional<Dealer>();
    Dealer dealer = DealerFromRow(rows[0]);
    ERP_ASSERT(dealer.id == id, "the dealer asked for");
    if (!scope.SeesDealer(id)) {
        OMC_ASSIGN_OR_RETURN(const bool via_station, Exists(kDealerHasVisibleStation,
                                                            {tenant_, id, JoinIds(scope.stations()),
                                                             JoinIds(scope.regions())}));
        if (!via_station) return std::optional<Dealer>();
    }
    return std::optional<Dealer>(std::move(dealer));
}

Result<std::optional<Dealer>> OrgStore::FindDealer(const CallerScope& scope, const Uuid& id) {
    return VisibleDealer(scope, kFindDealer, id);
}

Result<std::optional<Dealer>> OrgStore::LockDealer(const CallerScope& scope, const Uuid& id) {
    return VisibleDealer(scope, kLockDealer, id);
}

Result<std::vector<Dealer>> OrgStore::ListDealers(const CallerScope& scope, const Uuid& after,
                                                  int limit) {
    ERP_ASSERT(limit > 0, "a page holds at least one row");
    db::Rows rows;
    if (scope.tenant_wide()) {
        OMC_ASSIGN_OR_RETURN(rows, tx_.Query(kListDealers, {tenant_, after, limit}));
    } else {
        OMC_ASSIGN_OR_RETURN(
            rows,
            tx_.Query(kListScopedDealers, {tenant_, after, limit, JoinIds(scope.dealers()),
                                           JoinIds(scope.stations()), JoinIds(scope.regions())}));
    }
    std::vector<Dealer> dealers;
    dealers.reserve(rows.size());
    for (const db::Row& row : rows) dealers.push_back(DealerFromRow(row));
    return dealers;
}

Result<bool> OrgStore::DealerExists(const Uuid& id) { return Exists(kDealerExists, {tenant_, id}); }

Result<bool> OrgStore::DealerCodeTaken(std::string_view code) {
    return Exists(kDealerCodeTaken, {tenant_, code});
}

Result<void> OrgStore::InsertDealer(const Dealer& dealer) {
    auto inserted = tx_.Execute(
        kInsertDealer, {tenant_, dealer.id, dealer.code, dealer.name, dealer.phone, dealer.email,
                        dealer.active, dealer.created_at_us, dealer.updated_at_us});
    if (!inserted.ok()) return CodeConflict(std::move(inserted).error());
    ERP_INVARIANT(*inserted == 1, "one dealer inserted");
    return Ok();
}

Result<void> OrgStore::UpdateDealer(const Dealer& dealer) {
    OMC_ASSIGN_OR_RETURN(
        const int64_t changed,
        tx_.Execute(kUpdateDealer, {tenant_, dealer.id, dealer.name, dealer.phone, dealer.email,
                                    dealer.active, dealer.updated_at_us}));
    ERP_INVARIANT(changed == 1, "the locked dealer is updated");
    return Ok();
}

Result<std::optional<Station>> OrgStore::VisibleStation(const CallerScope& scope,
                                                        const db::Query& query, const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx_.Query(query, {tenant_, id}));
    if (rows.empty()) return std::optional<Station>();
    Station station = StationFromRow(rows[0]);
    ERP_ASSERT(station.id == id, "the station asked for");
    if (!scope.SeesStation(station.id, station.region_id, station.dealer_id)) {
        return std::optional<Station>();
    }
    return std::optional<Station>(std::move(station));
}

Result<std::optional<Station>> OrgStore::FindStation(const CallerScope& scope, const Uuid& id) {
    return VisibleStation(scope, kFindStation, id);
}

Result<std::optional<Station>> OrgStore::LockStation(const CallerScope& scope, const Uuid& id) {
    return VisibleStation(scope, kLockStation, id);
}

Result<std::vector<Station>> OrgStore::ListStations(const CallerScope& scope,
                                                    const StationFilter& filter, const Uuid& after,
                                                    int limit) {
    ERP_ASSERT(limit > 0, "a page holds at least one row");
    db::Params params = {tenant_,
                         after,
                         limit,
                         filter.region_id,
                         filter.dealer_id,
                         filter.active,
                         filter.licence_expires_by};
    const db::Query* query = &kListStations;
    if (!scope.tenant_wide()) {
        query = &kListScopedStations;
        params.emplace_back(JoinIds(scope.stations()));
        params.emplace_back(JoinIds(scope.regions()));
        params.emplace_back(JoinIds(scope.dealers()));
    }
    OMC_ASSIGN_OR_RETURN(db::Rows rows, tx_.Query(*query, params));
    std::vector<Station> stations;
    stations.reserve(rows.size());
    for (const db::Row& row : rows) {
        Station station = StationFromRow(row);
        // The SQL applied the scope; this is the same rule, checked a second way.
        ERP_INVARIANT(scope.SeesStation(station.id, station.region_id, station.dealer_id),
                      "a listed station is in the caller's scope");
        stations.push_back(std::move(station));
    }
    return stations;
}

Result<bool> OrgStore::StationCodeTaken(std::string_view code) {
    return Exists(kStationCodeTaken, {tenant_, code});
}

Result<void> OrgStore::InsertStation(const Station& station) {
    ERP_ASSERT(NeedsDealer(station.operating_model) == station.dealer_id.has_value(),
               "the handler checked the dealer rule");
    auto inserted = tx_.Execute(
        kInsertStation, {tenant_, station.id, station.code, station.name, station.region_id,
                         OperatingModelName(station.operating_model), station.dealer_id,
                         station.active, station.created_at_us, station.updated_at_us,
                         station.site.latitude_e6, station.site.longitude_e6, station.site.address,
                         station.site.npa_licence_no, station.site.npa_licence_expires_on,
                         station.site.business_day_start_min, station.site.time_zone});
    if (!inserted.ok()) return CodeConflict(std::move(inserted).error());
    ERP_INVARIANT(*inserted == 1, "one station inserted");
    return Ok();
}

Result<void> OrgStore::UpdateStation(const Station& station) {
    ERP_ASSERT(NeedsDealer(station.operating_model) == station.dealer_id.has_value(),
               "the handler checked the dealer rule");
    OMC_ASSIGN_OR_RETURN(
        const int64_t changed,
        tx_.Execute(
            kUpdateStation,
            {tenant_, station.id, station.name, station.region_id,
             OperatingModelName(station.operating_model), station.dealer_id, station.active,
             station.updated_at_us, station.site.latitude_e6, station.site.longitude_e6,
             station.site.address, station.site.npa_licence_no, station.site.npa_licence_expires_on,
             station.site.business_day_start_min, station.site.time_zone}));
    ERP_INVARIANT(changed == 1, "the locked station is updated");
    return Ok();
}

}  // namespace omc::identity
