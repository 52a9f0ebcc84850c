#include "domains/identity/org_routes.hpp"

#include "domains/identity/identity.hpp"

#include <initializer_list>
#include <string>
#include <utility>
#include <vector>

#include "domains/identity/scope.hpp"
#include "platform/base/money.hpp"
#include "platform/events/record_change.hpp"
#include "platform/http/json_body.hpp"

namespace omc::identity {
namespace {

using nlohmann::json;

// What the handlers are given: ids for new rows and events, and the time.
struct OrgDeps {
    IdGenerator* ids;
    const Clock* clock;
};

// ---- request pieces ----

// Path ids, pages and query values: platform/http/params.hpp.
using http::Answer;
using http::Created;
using http::PageReply;
using http::QueryBool;
using http::QueryDate;
using http::QueryUuid;

CallerScope ScopeOf(const http::RequestContext& ctx) {
    ERP_ASSERT(ctx.principal().has_value(), "org routes are authenticated");
    return CallerScope::Of(*ctx.principal());
}

// Whether `name` is present with the value null (JsonBody's optional getters treat that as
// absent; for a PATCH it means "clear").
bool IsExplicitNull(const http::JsonBody& body, std::string_view name) {
    const json& raw = body.raw();
    if (!raw.is_object()) return false;
    const auto it = raw.find(std::string(name));
    return it != raw.end() && it->is_null();
}

// Fields a PATCH may not clear.
void RejectNull(http::JsonBody& body, std::initializer_list<std::string_view> names) {
    for (std::string_view name : names) {
        if (IsExplicitNull(body, name)) body.AddError(name, "must not be null");
    }
}

// A PATCH must change something.
void RequireSomeField(http::JsonBody& body) {
    if (body.raw().is_object() && body.raw().empty()) {
        body.AddError("body", "must name at least one field to change");
    }
}

// The getters below return the stored form; "" or nullopt after recording a field error (the
// typed getter's own error when the value is missing or mistyped, else the rule's).
std::string ReadCode(http::JsonBody& body) {
    std::string raw = body.RequiredString("code", kOrgCodeMaxLength);
    if (raw.empty()) return raw;
    std::optional<std::string> code = NormaliseCode(raw);
    if (!code) {
        body.AddError("code", "must be 1 to " + std::to_string(kOrgCodeMaxLength) +
                                  " of the characters A-Z, a-z, 0-9, _ and -");
    }
    return code.value_or(std::string());
}

constexpr std::string_view kBlankName = "must not be blank";

std::string ReadName(http::JsonBody& body) {
    std::string raw = body.RequiredString("name", kOrgNameMaxLength);
    if (raw.empty()) return raw;
    std::optional<std::string> name = NormaliseName(raw);
    if (!name) body.AddError("name", std::string(kBlankName));
    return name.value_or(std::string());
}

std::optional<std::string> ReadOptionalName(http::JsonBody& body) {
    const std::optional<std::string> raw = body.OptionalString("name", kOrgNameMaxLength);
    if (!raw) return std::nullopt;
    std::optional<std::string> name = NormaliseName(*raw);
    if (!name) body.AddError("name", std::string(kBlankName));
    return name;
}

std::optional<std::string> ReadPhone(http::JsonBody& body) {
    const std::optional<std::string> raw = body.OptionalString("phone", kPhoneMaxLength);
    if (!raw) return std::nullopt;
    std::optional<std::string> phone = NormalisePhone(*raw);
    if (!phone) body.AddError("phone", "must be a phone number: an optional + and 7 to 15 digits");
    return phone;
}

std::optional<std::string> ReadEmail(http::JsonBody& body) {
    const std::optional<std::string> raw = body.OptionalString("email", kEmailMaxLength);
    if (!raw) return std::nullopt;
    std::optional<std::string> email = NormaliseEmail(*raw);
    if (!email) body.AddError("email", "must be an email address");
    return email;
}

std::optional<OperatingModel> ReadOperatingModel(http::JsonBody& body, bool required) {
    const std::optional<std::string> text =
        required ? std::optional<std::string>(
                       body.RequiredEnum("operating_model", {"COCO", "CODO", "DODO"}))
                 : body.OptionalEnum("operating_model", {"COCO", "CODO", "DODO"});
    if (!text) return std::nullopt;
    return ParseOperatingModel(*text);
}

// A dealer-operated station names its dealer; a COCO station has none.
std::optional<std::string> DealerRuleViolation(OperatingModel model, bool has_dealer) {
    if (NeedsDealer(model) && !has_dealer) return "is required unless operating_model is COCO";
    if (!NeedsDealer(model) && has_dealer) return "must be absent when operating_model is COCO";
    return std::nullopt;
}

// ---- a station's site ----

// Trimmed text that must not be blank.
std::optional<std::string> ReadOptionalText(http::JsonBody& body, std::string_view name,
                                            size_t max_length) {
    const std::optional<std::string> raw = body.OptionalString(name, max_length);
    if (!raw) return std::nullopt;
    std::optional<std::string> text = NormaliseName(*raw);
    if (!text) body.AddError(name, std::string(kBlankName));
    return text;
}

// Applies the site fields present in `body` to `site`: a value sets a field, an explicit null
// clears a clearable one (PATCH). Latitude and longitude go together.
void ReadSite(http::JsonBody& body, StationSite& site) {
    constexpr int kDegreeDecimals = 6;
    const bool position_given = body.Has("latitude") || body.Has("longitude") ||
                                IsExplicitNull(body, "latitude") ||
                                IsExplicitNull(body, "longitude");
    if (position_given) {
        const std::optional<int64_t> latitude =
            body.OptionalDecimal("latitude", kDegreeDecimals, -kMaxLatitudeE6, kMaxLatitudeE6);
        const std::optional<int64_t> longitude =
            body.OptionalDecimal("longitude", kDegreeDecimals, -kMaxLongitudeE6, kMaxLongitudeE6);
        // Both values, or both null: never half a position.
        if (body.Has("latitude") != body.Has("longitude") ||
            IsExplicitNull(body, "latitude") != IsExplicitNull(body, "longitude")) {
            const bool latitude_alone =
                (body.Has("latitude") && !body.Has("longitude")) ||
                (IsExplicitNull(body, "latitude") && !IsExplicitNull(body, "longitude"));
            body.AddError(latitude_alone ? "longitude" : "latitude",
                          "latitude and longitude are given (or cleared) together");
        }
        site.latitude_e6 = latitude;
        site.longitude_e6 = longitude;
    }
    if (body.Has("address") || IsExplicitNull(body, "address")) {
        site.address = ReadOptionalText(body, "address", kAddressMaxLength);
    }
    if (body.Has("npa_licence_no") || IsExplicitNull(body, "npa_licence_no")) {
        site.npa_licence_no = ReadOptionalText(body, "npa_licence_no", kLicenceNoMaxLength);
    }
    if (body.Has("npa_licence_expires_on") || IsExplicitNull(body, "npa_licence_expires_on")) {
        site.npa_licence_expires_on = body.OptionalString("npa_licence_expires_on", 10);
        if (site.npa_licence_expires_on && !ParseDateDays(*site.npa_licence_expires_on)) {
            body.AddError("npa_licence_expires_on", "must be a date YYYY-MM-DD");
        }
    }
    if (const auto start = body.OptionalString("business_day_start", 5)) {
        const std::optional<int64_t> minutes = ParseTimeOfDay(*start);
        if (minutes) {
            site.business_day_start_min = *minutes;
        } else {
            body.AddError("business_day_start", "must be a time of day HH:MM, 00:00 to 23:59");
        }
    }
    if (auto zone = body.OptionalString("time_zone", 64)) {
        if (IsSupportedTimeZone(*zone)) {
            site.time_zone = std::move(*zone);
        } else {
            body.AddError("time_zone", "must be a zone at UTC+0 without daylight saving, such as " +
                                           std::string(kDefaultTimeZone));
        }
    }
}

// ---- answers ----

Error CodeTaken() {
    return Error(ErrorCode::kConflict, "code already in use", {{"code", "is already in use"}});
}

// A reference to a row the tenant does not have. Another tenant's id gets exactly this answer.
Result<void> CheckReferences(OrgStore& store, const std::optional<Uuid>& region_id,
                             const std::optional<Uuid>& dealer_id) {
    std::vector<FieldError> missing;
    if (region_id) {
        OMC_ASSIGN_OR_RETURN(const bool exists, store.RegionExists(*region_id));
        if (!exists) missing.push_back({"region_id", "no such region"});
    }
    if (dealer_id) {
        OMC_ASSIGN_OR_RETURN(const bool exists, store.DealerExists(*dealer_id));
        if (!exists) missing.push_back({"dealer_id", "no such dealer"});
    }
    if (!missing.empty()) {
        return Error(ErrorCode::kUnprocessable, "unknown reference", std::move(missing));
    }
    return Ok();
}

// The change's event, and its audit note (the router writes the record with the commit).
Result<void> AppendOrgEvent(const OrgDeps& deps, http::RequestContext& ctx, db::Transaction& tx,
                            std::string type, std::string aggregate_type, const Uuid& id,
                            const json& state) {
    return events::RecordChange(ctx, tx, *deps.ids, *deps.clock, std::move(type),
                                std::move(aggregate_type), id, state);
}

// ---- regions ----

Result<http::Reply> ListRegions(http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, PageAfter(page));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OrgStore store(*tx, ctx.tenant());
    OMC_ASSIGN_OR_RETURN(std::vector<Region> rows,
                         store.ListRegions(ScopeOf(ctx), after, page.limit + 1));
    return PageReply(std::move(rows), page.limit, RegionJson);
}

Result<http::Reply> GetRegion(http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OrgStore store(*tx, ctx.tenant());
    OMC_ASSIGN_OR_RETURN(const std::optional<Region> region, store.FindRegion(ScopeOf(ctx), id));
    if (!region) return NotFound("region");
    return Answer(RegionJson(*region));
}

Result<http::Reply> CreateRegion(const OrgDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"code", "name"});
    std::string code = ReadCode(body);
    std::string name = ReadName(body);
    OMC_TRY(body.Finish());

    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OrgStore store(*tx, ctx.tenant());
    OMC_ASSIGN_OR_RETURN(const bool taken, store.RegionCodeTaken(code));
    if (taken) return CodeTaken();
    const TimestampUs now = deps.clock->NowUs();
    const Region region{.id = deps.ids->NewV7(),
                        .code = std::move(code),
                        .name = std::move(name),
                        .created_at_us = now,
                        .updated_at_us = now};
    OMC_TRY(store.InsertRegion(region));
    json state = RegionJson(region);
    OMC_TRY(AppendOrgEvent(deps, ctx, *tx, "org.region_created", "region", region.id, state));
    return Created(std::move(state), "/api/v1/regions", region.id);
}

Result<http::Reply> UpdateRegion(const OrgDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"name"});
    RejectNull(body, {"name"});
    RequireSomeField(body);
    std::optional<std::string> name = ReadOptionalName(body);
    OMC_TRY(body.Finish());

    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OrgStore store(*tx, ctx.tenant());
    OMC_ASSIGN_OR_RETURN(std::optional<Region> region, store.LockRegion(ScopeOf(ctx), id));
    if (!region) return NotFound("region");
    if (name) region->name = std::move(*name);
    region->updated_at_us = deps.clock->NowUs();
    OMC_TRY(store.UpdateRegion(*region));
    json state = RegionJson(*region);
    OMC_TRY(AppendOrgEvent(deps, ctx, *tx, "org.region_updated", "region", region->id, state));
    return Answer(std::move(state));
}

// ---- dealers ----

Result<http::Reply> ListDealers(http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, PageAfter(page));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OrgStore store(*tx, ctx.tenant());
    OMC_ASSIGN_OR_RETURN(std::vector<Dealer> rows,
                         store.ListDealers(ScopeOf(ctx), after, page.limit + 1));
    return PageReply(std::move(rows), page.limit, DealerJson);
}

Result<http::Reply> GetDealer(http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OrgStore store(*tx, ctx.tenant());
    OMC_ASSIGN_OR_RETURN(const std::optional<Dealer> dealer, store.FindDealer(ScopeOf(ctx), id));
    if (!dealer) return NotFound("dealer");
    return Answer(DealerJson(*dealer));
}

Result<http::Reply> CreateDealer(const OrgDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"code", "name", "phone", "email", "active"});
    std::string code = ReadCode(body);
    std::string name = ReadName(body);
    std::optional<std::string> phone = ReadPhone(body);
    std::optional<std::string> email = ReadEmail(body);
    const bool active = body.OptionalBool("active").value_or(true);
    OMC_TRY(body.Finish());

    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OrgStore store(*tx, ctx.tenant());
    OMC_ASSIGN_OR_RETURN(const bool taken, store.DealerCodeTaken(code));
    if (taken) return CodeTaken();
    const TimestampUs now = deps.clock->NowUs();
    const Dealer dealer{.id = deps.ids->NewV7(),
                        .code = std::move(code),
                        .name = std::move(name),
                        .phone = std::move(phone),
                        .email = std::move(email),
                        .active = active,
                        .created_at_us = now,
                        .updated_at_us = now};
    OMC_TRY(store.InsertDealer(dealer));
    json state = DealerJson(dealer);
    OMC_TRY(AppendOrgEvent(deps, ctx, *tx, "org.dealer_created", "dealer", dealer.id, state));
    return Created(std::move(state), "/api/v1/dealers", dealer.id);
}

Result<http::Reply> UpdateDealer(const OrgDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"name", "phone", "email", "active"});
    RejectNull(body, {"name", "active"});
    RequireSomeField(body);
    std::optional<std::string> name = ReadOptionalName(body);
    std::optional<std::string> phone = ReadPhone(body);
    std::optional<std::string> email = ReadEmail(body);
    const std::optional<bool> active = body.OptionalBool("active");
    OMC_TRY(body.Finish());

    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OrgStore store(*tx, ctx.tenant());
    OMC_ASSIGN_OR_RETURN(std::optional<Dealer> dealer, store.LockDealer(ScopeOf(ctx), id));
    if (!dealer) return NotFound("dealer");
    if (name) dealer->name = std::move(*name);
    // phone and email: a value replaces, null clears, absence keeps.
    if (phone || IsExplicitNull(body, "phone")) dealer->phone = std::move(phone);
    if (email || IsExplicitNull(body, "email")) dealer->email = std::move(email);
    if (active) dealer->active = *active;
    dealer->updated_at_us = deps.clock->NowUs();
    OMC_TRY(store.UpdateDealer(*dealer));
    json state = DealerJson(*dealer);
    OMC_TRY(AppendOrgEvent(deps, ctx, *tx, "org.dealer_updated", "dealer", dealer->id, state));
    return Answer(std::move(state));
}

// ---- stations ----

Result<http::Reply> ListStations(const OrgDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, PageAfter(page));
    StationFilter filter;
    OMC_ASSIGN_OR_RETURN(filter.region_id, QueryUuid(ctx, "region_id"));
    OMC_ASSIGN_OR_RETURN(filter.dealer_id, QueryUuid(ctx, "dealer_id"));
    OMC_ASSIGN_OR_RETURN(filter.active, QueryBool(ctx, "active"));
    OMC_ASSIGN_OR_RETURN(filter.licence_expires_by, QueryDate(ctx, "licence_expires_by"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OrgStore store(*tx, ctx.tenant());
    OMC_ASSIGN_OR_RETURN(std::vector<Station> rows,
                         store.ListStations(ScopeOf(ctx), filter, after, page.limit + 1));
    const std::string today = FormatDate(deps.clock->NowUs());
    return PageReply(std::move(rows), page.limit,
                     [&today](const Station& station) { return StationJson(station, today); });
}

Result<http::Reply> GetStation(const OrgDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OrgStore store(*tx, ctx.tenant());
    OMC_ASSIGN_OR_RETURN(const std::optional<Station> station, store.FindStation(ScopeOf(ctx), id));
    if (!station) return NotFound("station");
    return Answer(StationJson(*station, FormatDate(deps.clock->NowUs())));
}

Result<http::Reply> CreateStation(const OrgDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"code", "name", "region_id", "operating_model", "dealer_id", "active",
                        "latitude", "longitude", "address", "npa_licence_no",
                        "npa_licence_expires_on", "business_day_start", "time_zone"});
    std::string code = ReadCode(body);
    std::string name = ReadName(body);
    const Uuid region_id = body.RequiredUuid("region_id");
    const std::optional<OperatingModel> model = ReadOperatingModel(body, /*required=*/true);
    const std::optional<Uuid> dealer_id = body.OptionalUuid("dealer_id");
    const bool active = body.OptionalBool("active").value_or(true);
    StationSite site;
    ReadSite(body, site);
    if (model) {
        // An unparseable dealer_id already has its own error; COCO then adds none.
        const bool has_dealer = NeedsDealer(*model) ? body.Has("dealer_id") : dealer_id.has_value();
        if (auto violation = DealerRuleViolation(*model, has_dealer)) {
            body.AddError("dealer_id", std::move(*violation));
        }
    }
    OMC_TRY(body.Finish());
    ERP_ASSERT(model.has_value(), "Finish() passed, so operating_model parsed");

    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OrgStore store(*tx, ctx.tenant());
    OMC_TRY(CheckReferences(store, region_id, dealer_id));
    OMC_ASSIGN_OR_RETURN(const bool taken, store.StationCodeTaken(code));
    if (taken) return CodeTaken();
    const TimestampUs now = deps.clock->NowUs();
    const Station station{.id = deps.ids->NewV7(),
                          .code = std::move(code),
                          .name = std::move(name),
                          .region_id = region_id,
                          .operating_model = *model,
                          .dealer_id = dealer_id,
                          .active = active,
                          .site = std::move(site),
                          .created_at_us = now,
                          .updated_at_us = now};
    OMC_TRY(store.InsertStation(station));
    json state = StationJson(station, FormatDate(now));
    OMC_TRY(AppendOrgEvent(deps, ctx, *tx, "org.station_created", "station", station.id, state));
    return Created(std::move(state), "/api/v1/stations", station.id);
}

// A station PATCH, parsed: each field set when the request changes it. `dealer_given` with an
// empty `dealer_id` is an explicit null (no dealer).
struct StationChanges {
    std::optional<std::string> name;
    std::optional<bool> active;
    std::optional<Uuid> region_id;
    std::optional<OperatingModel> model;
    bool dealer_given = false;
    std::optional<Uuid> dealer_id;
};

// Parses a station PATCH; the site fields it names are applied to `site` directly.
Result<StationChanges> ParseStationChanges(std::string_view text, StationSite& site) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(text));
    body.RejectUnknown({"name", "active", "region_id", "operating_model", "dealer_id", "latitude",
                        "longitude", "address", "npa_licence_no", "npa_licence_expires_on",
                        "business_day_start", "time_zone"});
    RejectNull(body, {"name", "active", "region_id", "operating_model", "business_day_start",
                      "time_zone"});
    RequireSomeField(body);
    StationChanges changes;
    changes.name = ReadOptionalName(body);
    changes.active = body.OptionalBool("active");
    changes.region_id = body.OptionalUuid("region_id");
    changes.model = ReadOperatingModel(body, /*required=*/false);
    changes.dealer_id = body.OptionalUuid("dealer_id");
    changes.dealer_given = changes.dealer_id.has_value() || IsExplicitNull(body, "dealer_id");
    ReadSite(body, site);
    OMC_TRY(body.Finish());
    return changes;
}

Result<http::Reply> UpdateStation(const OrgDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, http::PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OrgStore store(*tx, ctx.tenant());
    OMC_ASSIGN_OR_RETURN(std::optional<Station> station, store.LockStation(ScopeOf(ctx), id));
    if (!station) return NotFound("station");
    // The body is checked against the station's current site (a lone latitude is an error
    // whatever is stored).
    OMC_ASSIGN_OR_RETURN(StationChanges changes,
                         ParseStationChanges(ctx.request().body, station->site));
    if (changes.name) station->name = std::move(*changes.name);
    if (changes.active) station->active = *changes.active;
    if (changes.region_id) station->region_id = *changes.region_id;
    if (changes.model) station->operating_model = *changes.model;
    if (changes.dealer_given) station->dealer_id = changes.dealer_id;
    // The rule holds for the station as it would be after the change.
    if (auto violation =
            DealerRuleViolation(station->operating_model, station->dealer_id.has_value())) {
        return InvalidArgument("dealer_id", std::move(*violation));
    }
    OMC_TRY(CheckReferences(store, changes.region_id, changes.dealer_id));
    station->updated_at_us = deps.clock->NowUs();
    OMC_TRY(store.UpdateStation(*station));
    json state = StationJson(*station, FormatDate(station->updated_at_us));
    OMC_TRY(AppendOrgEvent(deps, ctx, *tx, "org.station_updated", "station", station->id, state));
    return Answer(std::move(state));
}

// ---- registration ----

http::Route ReadRoute(std::string pattern, std::string name, http::Handler handler) {
    return http::Route{.method = http::Method::kGet,
                       .pattern = std::move(pattern),
                       .name = std::move(name),
                       .auth = http::Auth::kAuthenticated,
                       .rate = http::RateClass::kRead,
                       .idempotent = false,
                       .tenant_owned = true,
                       .permission = "org.read",
                       .handler = std::move(handler)};
}

http::Route WriteRoute(http::Method method, std::string pattern, std::string name,
                       http::Handler handler) {
    return http::Route{.method = method,
                       .pattern = std::move(pattern),
                       .name = std::move(name),
                       .auth = http::Auth::kAuthenticated,
                       .rate = http::RateClass::kWrite,
                       .idempotent = method == http::Method::kPost,
                       .tenant_owned = true,
                       .permission = "org.write",
                       .handler = std::move(handler)};
}

using WriteHandler = Result<http::Reply> (*)(const OrgDeps&, http::RequestContext&);

http::Handler Bind(OrgDeps deps, WriteHandler handler) {
    return [deps, handler](http::RequestContext& ctx) { return handler(deps, ctx); };
}

}  // namespace

json RegionJson(const Region& region) {
    return json{{"id", region.id.ToString()},
                {"code", region.code},
                {"name", region.name},
                {"created_at", FormatTimestamp(region.created_at_us)},
                {"updated_at", FormatTimestamp(region.updated_at_us)}};
}

json DealerJson(const Dealer& dealer) {
    return json{{"id", dealer.id.ToString()},
                {"code", dealer.code},
                {"name", dealer.name},
                {"phone", dealer.phone ? json(*dealer.phone) : json(nullptr)},
                {"email", dealer.email ? json(*dealer.email) : json(nullptr)},
                {"active", dealer.active},
                {"created_at", FormatTimestamp(dealer.created_at_us)},
                {"updated_at", FormatTimestamp(dealer.updated_at_us)}};
}

json StationJson(const Station& station, std::string_view today) {
    const StationSite& site = station.site;
    auto optional_text = [](const std::optional<std::string>& text) {
        return text ? json(*text) : json(nullptr);
    };
    auto degrees = [](const std::optional<int64_t>& e6) {
        return e6 ? json(FormatScaled(*e6, 6)) : json(nullptr);
    };
    json licence_status = nullptr;
    if (const auto standing = LicenceStandingOn(site.npa_licence_expires_on, today)) {
        licence_status = json{{"state", standing->state}, {"days_left", standing->days_left}};
    }
    return json{
        {"id", station.id.ToString()},
        {"code", station.code},
        {"name", station.name},
        {"region_id", station.region_id.ToString()},
        {"operating_model", OperatingModelName(station.operating_model)},
        {"dealer_id", station.dealer_id ? json(station.dealer_id->ToString()) : json(nullptr)},
        {"active", station.active},
        {"latitude", degrees(site.latitude_e6)},
        {"longitude", degrees(site.longitude_e6)},
        {"address", optional_text(site.address)},
        {"npa_licence_no", optional_text(site.npa_licence_no)},
        {"npa_licence_expires_on", optional_text(site.npa_licence_expires_on)},
        {"npa_licence_status", std::move(licence_status)},
        {"business_day_start", FormatTimeOfDay(site.business_day_start_min)},
        {"time_zone", site.time_zone},
        {"created_at", FormatTimestamp(station.created_at_us)},
        {"updated_at", FormatTimestamp(station.updated_at_us)}};
}

void RegisterOrgRoutes(http::Router& router, IdGenerator& ids, const Clock& clock) {
    const OrgDeps deps{&ids, &clock};
    using http::Method;
    router.Add(ReadRoute("/api/v1/regions", "org.regions.list", ListRegions));
    router.Add(WriteRoute(Method::kPost, "/api/v1/regions", "org.regions.create",
                          Bind(deps, CreateRegion)));
    router.Add(ReadRoute("/api/v1/regions/{id}", "org.regions.get", GetRegion));
    router.Add(WriteRoute(Method::kPatch, "/api/v1/regions/{id}", "org.regions.update",
                          Bind(deps, UpdateRegion)));

    router.Add(ReadRoute("/api/v1/dealers", "org.dealers.list", ListDealers));
    router.Add(WriteRoute(Method::kPost, "/api/v1/dealers", "org.dealers.create",
                          Bind(deps, CreateDealer)));
    router.Add(ReadRoute("/api/v1/dealers/{id}", "org.dealers.get", GetDealer));
    router.Add(WriteRoute(Method::kPatch, "/api/v1/dealers/{id}", "org.dealers.update",
                          Bind(deps, UpdateDealer)));

    router.Add(ReadRoute("/api/v1/stations", "org.stations.list", Bind(deps, ListStations)));
    router.Add(WriteRoute(Method::kPost, "/api/v1/stations", "org.stations.create",
                          Bind(deps, CreateStation)));
    router.Add(ReadRoute("/api/v1/stations/{id}", "org.stations.get", Bind(deps, GetStation)));
    router.Add(WriteRoute(Method::kPatch, "/api/v1/stations/{id}", "org.stations.update",
                          Bind(deps, UpdateStation)));
}

}  // namespace omc::identity
