// The organisation of one OMC (tenant): its regions, its dealers and its stations (tables from
// migration 0005). The model types, their pure rules, and the store that reads and writes them.
// Every store call runs in the caller's transaction and names the tenant in every query;
// PostgreSQL row-level security is the second wall. Lookups take the caller's CallerScope and
// answer "absent" for a row outside it, exactly as for a missing row or another tenant's row, so
// the caller cannot tell the three apart. See ORG.md in this folder.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domains/identity/scope.hpp"
#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::identity {

// Named limits of the organisation's fields.
inline constexpr size_t kOrgCodeMaxLength = 32;
inline constexpr size_t kOrgNameMaxLength = 120;
inline constexpr size_t kAddressMaxLength = 300;
inline constexpr size_t kLicenceNoMaxLength = 64;
inline constexpr int64_t kMaxLatitudeE6 = 90'000'000;
inline constexpr int64_t kMaxLongitudeE6 = 180'000'000;
inline constexpr int64_t kMinutesPerDay = 24 * 60;
// A licence this close to its expiry is flagged "expiring" (NPA renewals take weeks).
inline constexpr int64_t kLicenceWarningDays = 60;
// Business days are computed at UTC+0, Ghana's offset all year (no daylight saving). The zones
// a station may name are those at UTC+0 without daylight saving; others are refused rather than
// silently mis-computed.
inline constexpr std::string_view kDefaultTimeZone = "Africa/Accra";
inline constexpr size_t kEmailMaxLength = 254;  // RFC 5321 path limit
// A phone as typed ("+233 24 123 4567"); it is stored without separators.
inline constexpr size_t kPhoneMaxLength = 32;
inline constexpr size_t kPhoneMinDigits = 7;
inline constexpr size_t kPhoneMaxDigits = 15;  // E.164
static_assert(kPhoneMaxDigits + 1 <= kPhoneMaxLength, "a stored phone fits the typed limit");

// COCO: company-owned, company-operated; CODO: company-owned, dealer-operated; DODO:
// dealer-owned, dealer-operated. Only COCO stations have no dealer.
enum class OperatingModel { kCoco, kCodo, kDodo };
std::string_view OperatingModelName(OperatingModel model);
std::optional<OperatingModel> ParseOperatingModel(std::string_view name);
inline bool NeedsDealer(OperatingModel model) { return model != OperatingModel::kCoco; }

struct Region {
    Uuid id;
    std::string code;  // upper-case, unique in the tenant
    std::string name;
    TimestampUs created_at_us = 0;
    TimestampUs updated_at_us = 0;
};

struct Dealer {
    Uuid id;
    std::string code;  // upper-case, unique in the tenant
    std::string name;
    std::optional<std::string> phone;  // "+233241234567" or "0241234567": digits, optional '+'
    std::optional<std::string> email;  // lower-case
    bool active = true;
    TimestampUs created_at_us = 0;
    TimestampUs updated_at_us = 0;
};

// Where a station is and how its day runs (migration 0006). Coordinates are millionths of a
// degree (WGS 84); the licence expiry is a calendar date "YYYY-MM-DD".
struct StationSite {
    std::optional<int64_t> latitude_e6;   // -90 000 000 .. 90 000 000; set with longitude_e6
    std::optional<int64_t> longitude_e6;  // -180 000 000 .. 180 000 000
    std::optional<std::string> address;
    std::optional<std::string> npa_licence_no;
    std::optional<std::string> npa_licence_expires_on;
    // Minutes after local midnight when the business day starts (sales and shifts before it
    // belong to the previous day): 0 .. 1439.
    int64_t business_day_start_min = 0;
    std::string time_zone = std::string(kDefaultTimeZone);
};

struct Station {
    Uuid id;
    std::string code;  // upper-case, unique in the tenant
    std::string name;
    Uuid region_id;
    OperatingModel operating_model = OperatingModel::kCoco;
    std::optional<Uuid> dealer_id;  // set exactly when NeedsDealer(operating_model)
    bool active = true;
    StationSite site;
    TimestampUs created_at_us = 0;
    TimestampUs updated_at_us = 0;
};

// ---- pure rules on field values; each returns the stored form, or nullopt when invalid ----

// 1..kOrgCodeMaxLength of [A-Za-z0-9_-], upper-cased.
std::optional<std::string> NormaliseCode(std::string_view code);
// Surrounding white space removed; nullopt when nothing is left or it is longer than
// kOrgNameMaxLength code points.
std::optional<std::string> NormaliseName(std::string_view name);
// An optional '+', then kPhoneMinDigits..kPhoneMaxDigits digits; spaces, hyphens, dots and
// parentheses between them are dropped.
std::optional<std::string> NormalisePhone(std::string_view phone);
// local@domain.tld with no white space, at most kEmailMaxLength, lower-cased.
std::optional<std::string> NormaliseEmail(std::string_view email);

// Whether a zone name is one a station may use (see kDefaultTimeZone).
bool IsSupportedTimeZone(std::string_view zone);
// "06:30" -> 390; nullopt unless HH:MM with HH 00..23 and MM 00..59.
std::optional<int64_t> ParseTimeOfDay(std::string_view text);
std::string FormatTimeOfDay(int64_t minutes);

// Where an NPA licence stands on `today` ("YYYY-MM-DD"): expired, expiring within
// kLicenceWarningDays, or valid; and the days left (negative once expired).
struct LicenceStanding {
    std::string_view state;  // "valid", "expiring", "expired"
    int64_t days_left = 0;
};
std::optional<LicenceStanding> LicenceStandingOn(const std::optional<std::string>& expires_on,
                                                 std::string_view today);

// Which stations a list returns, besides the caller's scope. Unset fields do not filter.
struct StationFilter {
    std::optional<Uuid> region_id;
    std::optional<Uuid> dealer_id;
    std::optional<bool> active;
    // Stations whose NPA licence expires on or before this date ("YYYY-MM-DD").
    std::optional<std::string> licence_expires_by;
};

// Reads and writes the organisation of one tenant inside one transaction. Lists return rows with
// id > `after` (the nil UUID for the first page) in id order, at most `limit` of them. Errors are
// the database's; an insert whose code is taken is kConflict naming "code".
class OrgStore {
  public:
    OrgStore(db::Transaction& tx, const TenantId& tenant) : tx_(tx), tenant_(tenant) {}

    // A region is visible tenant-wide, as one of the caller's regions, or as the region of a
    // station the caller sees.
    Result<std::optional<Region>> FindRegion(const CallerScope& scope, const Uuid& id);
    // As FindRegion, and the row stays locked until the transaction ends (PATCH).
    Result<std::optional<Region>> LockRegion(const CallerScope& scope, const Uuid& id);
    Result<std::vector<Region>> ListRegions(const CallerScope& scope, const Uuid& after, int limit);
    // Whether the tenant has this region, whatever the caller's scope (references).
    Result<bool> RegionExists(const Uuid& id);
    Result<bool> RegionCodeTaken(std::string_view code);
    Result<void> InsertRegion(const Region& region);
    Result<void> UpdateRegion(const Region& region);

    // A dealer is visible tenant-wide, as the caller's dealer, or as the dealer of a station the
    // caller sees.
    Result<std::optional<Dealer>> FindDealer(const CallerScope& scope, const Uuid& id);
    Result<std::optional<Dealer>> LockDealer(const CallerScope& scope, const Uuid& id);
    Result<std::vector<Dealer>> ListDealers(const CallerScope& scope, const Uuid& after, int limit);
    Result<bool> DealerExists(const Uuid& id);
    Result<bool> DealerCodeTaken(std::string_view code);
    Result<void> InsertDealer(const Dealer& dealer);
    Result<void> UpdateDealer(const Dealer& dealer);

    // A station is visible when CallerScope::SeesStation says so.
    Result<std::optional<Station>> FindStation(const CallerScope& scope, const Uuid& id);
    Result<std::optional<Station>> LockStation(const CallerScope& scope, const Uuid& id);
    Result<std::vector<Station>> ListStations(const CallerScope& scope, const StationFilter& filter,
                                              const Uuid& after, int limit);
    Result<bool> StationCodeTaken(std::string_view code);
    Result<void> InsertStation(const Station& station);
    Result<void> UpdateStation(const Station& station);

  private:
    Result<std::optional<Region>> VisibleRegion(const CallerScope& scope, const db::Query& query,
                                                const Uuid& id);
    Result<std::optional<Dealer>> VisibleDealer(const CallerScope& scope, const db::Query& query,
                                                const Uuid& id);
    Result<std::optional<Station>> VisibleStation(const CallerScope& scope, const db::Query& query,
                                                  const Uuid& id);
    Result<bool> Exists(const db::Query& query, const db::Params& params);

    db::Transaction& tx_;
    TenantId tenant_;
};

}  // namespace omc::identity
