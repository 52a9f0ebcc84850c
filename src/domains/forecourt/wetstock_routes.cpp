#include "domains/forecourt/wetstock_routes.hpp"

#include <utility>
#include <vector>

#include "domains/forecourt/alerts.hpp"
#include "domains/forecourt/catalog.hpp"
#include "domains/forecourt/common.hpp"
#include "domains/forecourt/limits.hpp"
#include "domains/forecourt/strapping.hpp"
#include "platform/base/assert.hpp"

namespace omc::forecourt {
namespace {

using nlohmann::json;

constexpr size_t kTimeMaxLength = 64;
// Rows of a chart sent through the API: a 1 mm chart of a 10 m tank. The model allows more.
constexpr size_t kMaxApiChartPoints = 10'000;
static_assert(kMaxApiChartPoints <= static_cast<size_t>(kMaxStrappingPoints));
// A tank's charts listed at once, newest first: recalibrations happen every few years.
constexpr int64_t kMaxChartsListed = 100;
constexpr int64_t kMaxDipHeightMm = kMaxTankHeightMm;
constexpr int64_t kMaxVarianceFloorMilli = 1'000'000'000;  // 1 000 000 L
constexpr int64_t kMaxLowStockDaysX100 = 36'500;           // 365 days
constexpr int64_t kMaxLicenceWarningDays = 366;
constexpr int64_t kMaxOfflineAfterMinutes = 7 * 24 * 60;  // a week
constexpr int kTemperatureDecimals = 2;
constexpr int kVcfDecimals = 4;
constexpr int kDaysDecimals = 2;

#define OMC_CHART_COLUMNS \
    "id, tank_id, effective_from_us, points, max_height_mm, created_by, created_at_us"

constexpr db::Query kInsertChart{"forecourt.insert_tank_chart", R"sql(
    INSERT INTO tank_charts (tenant_id, id, tank_id, effective_from_us, points, max_height_mm,
                             created_by, created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8))sql"};
constexpr db::Query kChartTaken{"forecourt.tank_chart_taken", R"sql(
    SELECT 1 FROM tank_charts WHERE tenant_id = $1 AND tank_id = $2 AND effective_from_us = $3)sql"};
constexpr db::Query kListCharts{"forecourt.list_tank_charts", "SELECT " OMC_CHART_COLUMNS R"sql(
    FROM tank_charts WHERE tenant_id = $1 AND tank_id = $2
    ORDER BY effective_from_us DESC LIMIT $3)sql"};
constexpr db::Query kChartInForce{"forecourt.tank_chart_in_force",
                                  "SELECT " OMC_CHART_COLUMNS R"sql(
    FROM tank_charts WHERE tenant_id = $1 AND tank_id = $2 AND effective_from_us <= $3
    ORDER BY effective_from_us DESC LIMIT 1)sql"};

#undef OMC_CHART_COLUMNS

constexpr db::Query kFindSettings{"forecourt.find_settings", R"sql(
    SELECT reference_temperature_c100, transit_loss_tolerance_bp, variance_tolerance_bp,
           variance_floor_milli, low_stock_days_x100, licence_warning_days, updated_at_us,
           offline_after_minutes
    FROM forecourt_settings WHERE tenant_id = $1)sql"};
constexpr db::Query kUpsertSettings{"forecourt.upsert_settings", R"sql(
    INSERT INTO forecourt_settings (tenant_id, reference_temperature_c100,
                                    transit_loss_tolerance_bp, variance_tolerance_bp,
                                    variance_floor_milli, low_stock_days_x100,
                                    licence_warning_days, updated_at_us, offline_after_minutes)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
    ON CONFLICT (tenant_id) DO UPDATE SET
        reference_temperature_c100 = excluded.reference_temperature_c100,
        transit_loss_tolerance_bp = excluded.transit_loss_tolerance_bp,
        variance_tolerance_bp = excluded.variance_tolerance_bp,
        variance_floor_milli = excluded.variance_floor_milli,
        low_stock_days_x100 = excluded.low_stock_days_x100,
        licence_warning_days = excluded.licence_warning_days,
        offline_after_minutes = excluded.offline_after_minutes,
        updated_at_us = excluded.updated_at_us)sql"};

#define OMC_DIP_COLUMNS                                                                        \
    "id, station_id, tank_id, chart_id, taken_at_us, height_mm, water_height_mm, "             \
    "temperature_c100, density15_x10, reference_temperature_c100, gross_milli, water_milli, "  \
    "net_observed_milli, vcf_x10000, standard_milli, book_stock_milli, purpose, recorded_by, " \
    "recorded_at_us"

constexpr db::Query kInsertDip{"forecourt.insert_dip",
                               "INSERT INTO dips (tenant_id, " OMC_DIP_COLUMNS R"sql()
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18,
            $19, $20))sql"};
constexpr db::Query kFindDip{
    "forecourt.find_dip", "SELECT " OMC_DIP_COLUMNS " FROM dips WHERE tenant_id = $1 AND id = $2"};
constexpr db::Query kListDips{"forecourt.list_dips", "SELECT " OMC_DIP_COLUMNS R"sql(
    FROM dips
    WHERE tenant_id = $1 AND id > $2 AND (station_id = $4 OR $4 IS NULL)
      AND (tank_id = $5 OR $5 IS NULL)
      AND (taken_at_us >= $6 OR $6 IS NULL) AND (taken_at_us < $7 OR $7 IS NULL)
      AND (CAST($8 AS TEXT) IS NULL OR (',' || CAST($8 AS TEXT) || ',') LIKE ('%,' || station_id || ',%'))
    ORDER BY id LIMIT $3)sql"};
// A tank's dips around a time, for reconciliation and alerts (index dips_tank_time). Ties in
// taken_at are broken by id, so every caller picks the same dip.
constexpr db::Query kLastDipAtOrBefore{"forecourt.last_dip_at_or_before",
                                       "SELECT " OMC_DIP_COLUMNS R"sql(
    FROM dips WHERE tenant_id = $1 AND tank_id = $2 AND taken_at_us <= $3
    ORDER BY taken_at_us DESC, id DESC LIMIT 1)sql"};
constexpr db::Query kRecentDips{"forecourt.recent_tank_dips", "SELECT " OMC_DIP_COLUMNS R"sql(
    FROM dips WHERE tenant_id = $1 AND tank_id = $2
    ORDER BY taken_at_us DESC, id DESC LIMIT $3)sql"};
constexpr db::Query kDipsBetween{"forecourt.dips_between", "SELECT " OMC_DIP_COLUMNS R"sql(
    FROM dips WHERE tenant_id = $1 AND tank_id = $2 AND taken_at_us > $3 AND taken_at_us <= $4
    ORDER BY taken_at_us, id LIMIT $5)sql"};

#undef OMC_DIP_COLUMNS

// ---- shared ----

struct LoadedChart {
    Uuid id;
    Uuid tank_id;
    TimestampUs effective_from_us = 0;
    std::optional<StrappingChart> chart;  // always set once loaded
    std::string created_by;
    TimestampUs created_at_us = 0;
};

std::string PointsText(const StrappingChart& chart) {
    json points = json::array();
    for (const StrappingPoint& p : chart.points()) {
        points.push_back(json::array({p.height.raw(), p.volume.raw()}));
    }
    return points.dump();
}

Result<LoadedChart> ChartFromRow(const db::Row& row) {
    LoadedChart loaded{.id = row.Id(0),
                       .tank_id = row.Id(1),
                       .effective_from_us = row.Int(2),
                       .created_by = row.Text(5),
                       .created_at_us = row.Int(6)};
    const json points = json::parse(row.Text(3), nullptr, false);
    std::vector<StrappingPoint> rows;
    if (points.is_array()) {
        for (const json& p : points) {
            if (!p.is_array() || p.size() != 2 || !p[0].is_number_integer() ||
                !p[1].is_number_integer()) {
                break;
            }
            rows.push_back({LevelMm(p[0].get<int64_t>()), Volume(p[1].get<int64_t>())});
        }
    }
    Result<StrappingChart> chart = StrappingChart::Create(std::move(rows));
    if (!chart.ok()) {
        return Error(ErrorCode::kInternal, "stored strapping chart is invalid")
            .WithDetail("tank_charts " + loaded.id.ToString() + ": " + chart.error().message());
    }
    loaded.chart = std::move(chart).value();
    return loaded;
}

json ChartJson(const LoadedChart& c) {
    json points = json::array();
    for (const StrappingPoint& p : c.chart->points()) {
        points.push_back(
            json{{"height_mm", p.height.raw()}, {"volume", FormatQuantity(p.volume.raw())}});
    }
    return json{{"id", c.id.ToString()},
                {"tank_id", c.tank_id.ToString()},
                {"effective_from", FormatTimestamp(c.effective_from_us)},
                {"max_height_mm", c.chart->top_height().raw()},
                {"capacity", FormatQuantity(c.chart->capacity().raw())},
                {"points", std::move(points)},
                {"created_by", c.created_by},
                {"created_at", FormatTimestamp(c.created_at_us)}};
}

// The chart in force for `tank` at `at`: the latest with effective_from <= at.
Result<std::optional<LoadedChart>> ChartInForce(db::Transaction& tx, const TenantId& tenant,
                                                const Uuid& tank, TimestampUs at) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kChartInForce, {tenant, tank, at}));
    if (rows.empty()) return std::optional<LoadedChart>();
    OMC_ASSIGN_OR_RETURN(LoadedChart chart, ChartFromRow(rows[0]));
    return std::optional<LoadedChart>(std::move(chart));
}

// The model names a chart row's volume "points[i].volume_ml"; the API calls it "volume".
Error ChartApiFields(const Error& error) {
    constexpr std::string_view kModelSuffix = ".volume_ml";
    std::vector<FieldError> fields = error.fields();
    for (FieldError& f : fields) {
        if (f.field.ends_with(kModelSuffix)) {
            f.field = f.field.substr(0, f.field.size() - kModelSuffix.size()) + ".volume";
        }
    }
    std::string detail = error.detail();
    return Error(error.code(), error.message(), std::move(fields)).WithDetail(std::move(detail));
}

// ---- charts ----

Result<http::Reply> ListCharts(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid tank_id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_TRY(TankInScope(*tx, ctx, tank_id));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kListCharts, {ctx.tenant(), tank_id, kMaxChartsListed}));
    json charts = json::array();
    for (const db::Row& row : rows) {
        OMC_ASSIGN_OR_RETURN(const LoadedChart chart, ChartFromRow(row));
        charts.push_back(ChartJson(chart));
    }
    return Answer(std::move(charts));
}

Result<http::Reply> CreateChart(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid tank_id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"points", "effective_from"});
    std::vector<StrappingPoint> points;
    for (http::JsonBody& point : body.RequiredObjectArray("points", 2, kMaxApiChartPoints)) {
        point.RejectUnknown({"height_mm", "volume"});
        const int64_t height = point.RequiredInt64("height_mm", 0, kMaxTankHeightMm);
        const int64_t volume = point.RequiredDecimal("volume", kQuantityScale, 0, kMaxTankVolumeMl);
        points.push_back({LevelMm(height), Volume(volume)});
    }
    const std::optional<TimestampUs> from = OptionalTime(body, "effective_from");
    OMC_TRY(body.Finish());
    const TimestampUs now = deps.clock->NowUs();
    const TimestampUs effective_from = from.value_or(now);
    if (effective_from < now - kClockSkewUs) {
        return InvalidArgument("effective_from", "must not be in the past");
    }
    Result<StrappingChart> chart = StrappingChart::Create(std::move(points));
    if (!chart.ok()) return ChartApiFields(chart.error());

    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Tank tank, TankInScope(*tx, ctx, tank_id));
    if (chart->capacity().raw() < tank.safe_fill_milli) {
        return Error(
            ErrorCode::kUnprocessable, "chart does not reach the tank's safe fill",
            {{"points", "the top row's volume (" + FormatQuantity(chart->capacity().raw()) +
                            ") is below the tank's safe fill (" +
                            FormatQuantity(tank.safe_fill_milli) + ")"}});
    }
    OMC_ASSIGN_OR_RETURN(const db::Rows taken,
                         tx->Query(kChartTaken, {ctx.tenant(), tank_id, effective_from}));
    if (!taken.empty()) {
        return Error(ErrorCode::kConflict, "a chart already starts then",
                     {{"effective_from", "another chart of this tank starts at this time"}});
    }
    const LoadedChart loaded{.id = deps.ids->NewV7(),
                             .tank_id = tank_id,
                             .effective_from_us = effective_from,
                             .chart = std::move(chart).value(),
                             .created_by = CallerOf(ctx).subject,
                             .created_at_us = now};
    OMC_TRY(tx->Execute(
        kInsertChart, {ctx.tenant(), loaded.id, tank_id, effective_from, PointsText(*loaded.chart),
                       loaded.chart->top_height().raw(), loaded.created_by, now}));
    json state = ChartJson(loaded);
    OMC_TRY(RecordChange(deps, ctx, *tx, "forecourt.tank_chart_created", "tank_chart", loaded.id,
                         state));
    return Created(std::move(state), "/api/v1/tanks/" + tank_id.ToString() + "/charts", loaded.id);
}

// ---- settings ----

json SettingsJson(const ForecourtSettings& s) {
    return json{{"reference_temperature", s.reference_temperature_c100 / 100},
                {"transit_loss_tolerance_bp", s.transit_loss_tolerance_bp},
                {"variance_tolerance_bp", s.variance_tolerance_bp},
                {"variance_floor", FormatQuantity(s.variance_floor_milli)},
                {"low_stock_days", FormatScaled(s.low_stock_days_x100, kDaysDecimals)},
                {"licence_warning_days", s.licence_warning_days},
                {"offline_after_minutes", s.offline_after_minutes},
                {"updated_at",
                 s.updated_at_us == 0 ? json(nullptr) : json(FormatTimestamp(s.updated_at_us))}};
}

Result<http::Reply> GetSettings(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const ForecourtSettings settings, LoadSettings(*tx, ctx.tenant()));
    return Answer(SettingsJson(settings));
}

// PUT replaces the fields it names; the others keep their current (or default) values.
Result<http::Reply> PutSettings(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"reference_temperature", "transit_loss_tolerance_bp",
                        "variance_tolerance_bp", "variance_floor", "low_stock_days",
                        "licence_warning_days", "offline_after_minutes"});
    if (body.raw().is_object() && body.raw().empty()) {
        body.AddError("body", "must name at least one setting");
    }
    const auto reference = body.OptionalInt64("reference_temperature", 15, 20);
    if (reference && *reference != 15 && *reference != 20) {
        body.AddError("reference_temperature", "must be 15 or 20 (°C)");
    }
    const auto transit = body.OptionalInt64("transit_loss_tolerance_bp", 0, kBasisPointsPerWhole);
    const auto variance = body.OptionalInt64("variance_tolerance_bp", 0, kBasisPointsPerWhole);
    const auto floor =
        body.OptionalDecimal("variance_floor", kQuantityScale, 0, kMaxVarianceFloorMilli);
    const auto low_stock =
        body.OptionalDecimal("low_stock_days", kDaysDecimals, 0, kMaxLowStockDaysX100);
    const auto licence = body.OptionalInt64("licence_warning_days", 0, kMaxLicenceWarningDays);
    const auto offline = body.OptionalInt64("offline_after_minutes", 1, kMaxOfflineAfterMinutes);
    OMC_TRY(body.Finish());

    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(ForecourtSettings s, LoadSettings(*tx, ctx.tenant()));
    if (reference) s.reference_temperature_c100 = *reference * 100;
    if (transit) s.transit_loss_tolerance_bp = *transit;
    if (variance) s.variance_tolerance_bp = *variance;
    if (floor) s.variance_floor_milli = *floor;
    if (low_stock) s.low_stock_days_x100 = *low_stock;
    if (licence) s.licence_warning_days = *licence;
    if (offline) s.offline_after_minutes = *offline;
    s.updated_at_us = deps.clock->NowUs();
    OMC_TRY(tx->Execute(kUpsertSettings,
                        {ctx.tenant(), s.reference_temperature_c100, s.transit_loss_tolerance_bp,
                         s.variance_tolerance_bp, s.variance_floor_milli, s.low_stock_days_x100,
                         s.licence_warning_days, s.updated_at_us, s.offline_after_minutes}));
    json state = SettingsJson(s);
    OMC_TRY(RecordChange(deps, ctx, *tx, "forecourt.settings_updated", "forecourt_settings",
                         ctx.tenant().value, state));
    return Answer(std::move(state));
}

// ---- dips ----

StoredDip DipFromRow(const db::Row& row) {
    const int64_t reference_c100 = row.Int(9);
    const DipReading reading{.height = LevelMm(row.Int(5)),
                             .water_height = LevelMm(row.Int(6)),
                             .temperature = Temperature(row.Int(7)),
                             .density15 = Density(row.Int(8)),
                             .reference = ReferenceOf(reference_c100),
                             .gross_observed = Volume(row.Int(10)),
                             .water = Volume(row.Int(11)),
                             .net_observed = Volume(row.Int(12)),
                             .vcf_e4 = row.Int(13),
                             .net_standard = Volume(row.Int(14))};
    return StoredDip{.id = row.Id(0),
                     .station_id = row.Id(1),
                     .tank_id = row.Id(2),
                     .chart_id = row.Id(3),
                     .taken_at_us = row.Int(4),
                     .purpose = row.Text(16),
                     .reading = reading,
                     .book_stock_milli = row.Int(15),
                     .recorded_by = row.Text(17),
                     .recorded_at_us = row.Int(18)};
}

}  // namespace

json DipJson(const StoredDip& d) {
    const DipReading& r = d.reading;
    return json{{"id", d.id.ToString()},
                {"station_id", d.station_id.ToString()},
                {"tank_id", d.tank_id.ToString()},
                {"chart_id", d.chart_id.ToString()},
                {"taken_at", FormatTimestamp(d.taken_at_us)},
                {"purpose", d.purpose},
                {"height_mm", r.height.raw()},
                {"water_height_mm", r.water_height.raw()},
                {"temperature", FormatScaled(r.temperature.raw(), kTemperatureDecimals)},
                {"density15", FormatScaled(r.density15.raw(), kDensityDecimals)},
                {"reference_temperature",
                 FormatScaled(ReferenceTemperatureValue(r.reference).raw(), kTemperatureDecimals)},
                {"gross", FormatQuantity(r.gross_observed.raw())},
                {"water", FormatQuantity(r.water.raw())},
                {"net_observed", FormatQuantity(r.net_observed.raw())},
                {"vcf", FormatScaled(r.vcf_e4, kVcfDecimals)},
                {"standard", FormatQuantity(r.net_standard.raw())},
                {"book_stock", FormatQuantity(d.book_stock_milli)},
                {"recorded_by", d.recorded_by},
                {"recorded_at", FormatTimestamp(d.recorded_at_us)}};
}

namespace {

struct DipRequest {
    std::optional<Uuid> id;
    Uuid tank_id;
    int64_t height_mm = 0;
    int64_t water_height_mm = 0;
    int64_t temperature_c100 = 0;
    std::optional<int64_t> density15_x10;
    std::optional<TimestampUs> taken_at_us;
    std::string purpose;
};

// The reading's own fields, the same for recording a dip and for converting one (dip-volume).
void ReadDipFields(http::JsonBody& body, DipRequest& r) {
    r.height_mm = body.RequiredInt64("height_mm", 0, kMaxDipHeightMm);
    r.water_height_mm = body.RequiredInt64("water_height_mm", 0, kMaxDipHeightMm);
    r.temperature_c100 = body.RequiredDecimal("temperature", kTemperatureDecimals,
                                              kMinTemperatureCelsiusE2, kMaxTemperatureCelsiusE2);
    r.density15_x10 =
        body.OptionalDecimal("density15", kDensityDecimals, kMinDensity15X10, kMaxDensity15X10);
    r.taken_at_us = OptionalTime(body, "taken_at");
}

Result<DipRequest> ParseDip(const http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"id", "tank_id", "height_mm", "water_height_mm", "temperature", "density15",
                        "taken_at", "purpose"});
    DipRequest r;
    r.id = body.OptionalUuid("id");
    r.tank_id = body.RequiredUuid("tank_id");
    ReadDipFields(body, r);
    r.purpose = body.RequiredEnum(
        "purpose", {"routine", "opening", "closing", "before_delivery", "after_delivery"});
    OMC_TRY(body.Finish());
    return r;
}

// A dip-volume query read as the dip's body would be: the same names, ranges and messages.
// Integers come as JSON integers when they are plain digits (anything else is refused by the
// body's own check, naming the parameter); decimals and times stay text.
Result<DipRequest> ParseDipQuery(const http::RequestContext& ctx, const Uuid& tank_id) {
    json object = json::object();
    for (const std::string_view name : {"height_mm", "water_height_mm"}) {
        const std::optional<std::string> text = ctx.request().QueryParam(name);
        if (!text) continue;
        const bool digits = !text->empty() && text->size() <= 15 &&
                            text->find_first_not_of("0123456789") == std::string::npos;
        object[std::string(name)] = digits ? json(std::stoll(*text)) : json(*text);
    }
    for (const std::string_view name : {"temperature", "density15", "taken_at"}) {
        const std::optional<std::string> text = ctx.request().QueryParam(name);
        if (text) object[std::string(name)] = *text;
    }
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(object.dump()));
    DipRequest r;
    r.tank_id = tank_id;
    ReadDipFields(body, r);
    OMC_TRY(body.Finish());
    return r;
}

struct ComputedDip {
    Uuid chart_id;
    TimestampUs taken_at_us = 0;
    DipReading reading;
};

// The figures of a dip of `tank` as recording it would compute them: the chart in force at
// taken_at (default now, at most 5 minutes ahead), the product's ρ15 unless the reading gives
// one, the tenant's reference temperature.
Result<ComputedDip> ComputeTankDip(const ForecourtDeps& deps, db::Transaction& tx,
                                   const TenantId& tenant, const Tank& tank,
                                   const DipRequest& req) {
    const TimestampUs now = deps.clock->NowUs();
    const TimestampUs taken_at = req.taken_at_us.value_or(now);
    if (taken_at > now + kClockSkewUs)
        return InvalidArgument("taken_at", "must not be in the future");
    OMC_ASSIGN_OR_RETURN(const std::optional<Product> product,
                         FindProduct(tx, tenant, tank.product_id));
    ERP_INVARIANT(product && product->density15_x10, "a tank holds a fuel with a density");
    OMC_ASSIGN_OR_RETURN(const ForecourtSettings settings, LoadSettings(tx, tenant));
    OMC_ASSIGN_OR_RETURN(const std::optional<LoadedChart> chart,
                         ChartInForce(tx, tenant, tank.id, taken_at));
    if (!chart) {
        return Error(ErrorCode::kConflict, "tank has no strapping chart",
                     {{"tank_id", "has no strapping chart in force at taken_at"}});
    }
    const DipInput input{.height = LevelMm(req.height_mm),
                         .water_height = LevelMm(req.water_height_mm),
                         .temperature = Temperature(req.temperature_c100),
                         .product_density15 = Density(*product->density15_x10),
                         .density15 = req.density15_x10
                                          ? std::optional<Density>(Density(*req.density15_x10))
                                          : std::nullopt,
                         .reference = ReferenceOf(settings.reference_temperature_c100)};
    Result<DipReading> reading = ComputeDip(input, *chart->chart, kTable54B);
    if (!reading.ok()) {
        return ApiFields(reading.error(), {{"temperature_celsius_e2", "temperature"},
                                           {"density15_kg_m3_e1", "density15"},
                                           {"product_density15_kg_m3_e1", "density15"}});
    }
    return ComputedDip{.chart_id = chart->id, .taken_at_us = taken_at, .reading = *reading};
}

Result<void> InsertDip(db::Transaction& tx, const TenantId& tenant, const StoredDip& dip) {
    const DipReading& r = dip.reading;
    OMC_TRY(tx.Execute(kInsertDip, {tenant,
                                    dip.id,
                                    dip.station_id,
                                    dip.tank_id,
                                    dip.chart_id,
                                    dip.taken_at_us,
                                    r.height.raw(),
                                    r.water_height.raw(),
                                    r.temperature.raw(),
                                    r.density15.raw(),
                                    ReferenceTemperatureValue(r.reference).raw(),
                                    r.gross_observed.raw(),
                                    r.water.raw(),
                                    r.net_observed.raw(),
                                    r.vcf_e4,
                                    r.net_standard.raw(),
                                    dip.book_stock_milli,
                                    dip.purpose,
                                    dip.recorded_by,
                                    dip.recorded_at_us}));
    return Ok();
}

Result<http::Reply> CreateDip(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const DipRequest req, ParseDip(ctx));
    const TimestampUs now = deps.clock->NowUs();
    if (req.taken_at_us.value_or(now) > now + kClockSkewUs)
        return InvalidArgument("taken_at", "must not be in the future");

    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    const Uuid id = req.id.value_or(deps.ids->NewV7());
    OMC_ASSIGN_OR_RETURN(const std::optional<StoredDip> existing, FindDip(*tx, ctx.tenant(), id));
    if (existing) {
        return Error(ErrorCode::kConflict, "dip already recorded",
                     {{"id", "a dip with this id is already recorded"}});
    }
    OMC_ASSIGN_OR_RETURN(const Tank tank, TankInScope(*tx, ctx, req.tank_id, "tank_id"));
    OMC_ASSIGN_OR_RETURN(const ComputedDip computed,
                         ComputeTankDip(deps, *tx, ctx.tenant(), tank, req));
    const TimestampUs taken_at = computed.taken_at_us;
    const StoredDip dip{.id = id,
                        .station_id = tank.station_id,
                        .tank_id = tank.id,
                        .chart_id = computed.chart_id,
                        .taken_at_us = taken_at,
                        .purpose = req.purpose,
                        .reading = computed.reading,
                        .book_stock_milli = tank.book_stock_milli,
                        .recorded_by = CallerOf(ctx).subject,
                        .recorded_at_us = now};
    OMC_TRY(InsertDip(*tx, ctx.tenant(), dip));
    json state = DipJson(dip);
    OMC_TRY(RecordChange(deps, ctx, *tx, "forecourt.dip_recorded", "dip", dip.id, state));
    // Water and low stock now; the day's variance too, except after a delivery: that dip is
    // recorded before its delivery, which would show as a gain until the delivery is recorded
    // (the delivery evaluates it then).
    const bool judge_variance = dip.purpose != "after_delivery";
    OMC_TRY(
        EvaluateTankAlerts(*tx, deps, ctx.tenant(), tank.id,
                           judge_variance ? std::optional<TimestampUs>(taken_at) : std::nullopt));
    return Created(std::move(state), "/api/v1/dips", dip.id);
}

// GET /api/v1/tanks/{id}/dip-volume: what a dip would measure, computed exactly as recording
// it would (ComputeTankDip), without recording anything: for a form showing the volumes as the
// reading is typed.
Result<http::Reply> DipVolume(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid tank_id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(const DipRequest req, ParseDipQuery(ctx, tank_id));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Tank tank, TankInScope(*tx, ctx, tank_id));
    OMC_ASSIGN_OR_RETURN(const ComputedDip computed,
                         ComputeTankDip(deps, *tx, ctx.tenant(), tank, req));
    const DipReading& r = computed.reading;
    return Answer(
        json{{"tank_id", tank.id.ToString()},
             {"station_id", tank.station_id.ToString()},
             {"chart_id", computed.chart_id.ToString()},
             {"taken_at", FormatTimestamp(computed.taken_at_us)},
             {"height_mm", r.height.raw()},
             {"water_height_mm", r.water_height.raw()},
             {"temperature", FormatScaled(r.temperature.raw(), kTemperatureDecimals)},
             {"density15", FormatScaled(r.density15.raw(), kDensityDecimals)},
             {"reference_temperature",
              FormatScaled(ReferenceTemperatureValue(r.reference).raw(), kTemperatureDecimals)},
             {"gross", FormatQuantity(r.gross_observed.raw())},
             {"water", FormatQuantity(r.water.raw())},
             {"net_observed", FormatQuantity(r.net_observed.raw())},
             {"vcf", FormatScaled(r.vcf_e4, kVcfDecimals)},
             {"standard", FormatQuantity(r.net_standard.raw())}});
}

Result<http::Reply> GetDip(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const std::optional<StoredDip> dip, FindDip(*tx, ctx.tenant(), id));
    if (!dip) return NotFoundError("dip");
    OMC_ASSIGN_OR_RETURN(const std::optional<identity::StationRef> station,
                         identity::FindVisibleStation(*tx, CallerOf(ctx), dip->station_id));
    if (!station) return NotFoundError("dip");
    return Answer(DipJson(*dip));
}

Result<http::Reply> ListDips(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, PageAfter(page));
    OMC_ASSIGN_OR_RETURN(const std::optional<Uuid> tank, QueryUuid(ctx, "tank_id"));
    OMC_ASSIGN_OR_RETURN(const std::optional<TimestampUs> from, QueryTime(ctx, "from"));
    OMC_ASSIGN_OR_RETURN(const std::optional<TimestampUs> to, QueryTime(ctx, "to"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const StationFilter filter, ListFilter(*tx, ctx));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kListDips, {ctx.tenant(), after, page.limit + 1, filter.station,
                                               tank, from, to, filter.scope_list}));
    std::vector<StoredDip> dips;
    for (const db::Row& row : rows) dips.push_back(DipFromRow(row));
    return PageReply(std::move(dips), page.limit, DipJson);
}

}  // namespace

ReferenceTemperature ReferenceOf(int64_t reference_temperature_c100) {
    return reference_temperature_c100 ==
                   ReferenceTemperatureValue(ReferenceTemperature::k20Celsius).raw()
               ? ReferenceTemperature::k20Celsius
               : ReferenceTemperature::k15Celsius;
}

Result<ForecourtSettings> LoadSettings(db::Transaction& tx, const TenantId& tenant) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kFindSettings, {tenant}));
    if (rows.empty()) return ForecourtSettings{};
    const db::Row& row = rows[0];
    return ForecourtSettings{.reference_temperature_c100 = row.Int(0),
                             .transit_loss_tolerance_bp = row.Int(1),
                             .variance_tolerance_bp = row.Int(2),
                             .variance_floor_milli = row.Int(3),
                             .low_stock_days_x100 = row.Int(4),
                             .licence_warning_days = row.Int(5),
                             .updated_at_us = row.Int(6),
                             .offline_after_minutes = row.Int(7)};
}

Result<std::optional<StoredDip>> FindDip(db::Transaction& tx, const TenantId& tenant,
                                         const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kFindDip, {tenant, id}));
    if (rows.empty()) return std::optional<StoredDip>();
    return std::optional<StoredDip>(DipFromRow(rows[0]));
}

Result<std::optional<StoredDip>> LastDipAtOrBefore(db::Transaction& tx, const TenantId& tenant,
                                                   const Uuid& tank, TimestampUs at) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kLastDipAtOrBefore, {tenant, tank, at}));
    if (rows.empty()) return std::optional<StoredDip>();
    return std::optional<StoredDip>(DipFromRow(rows[0]));
}

Result<std::vector<StoredDip>> DipsBetween(db::Transaction& tx, const TenantId& tenant,
                                           const Uuid& tank, TimestampUs after, TimestampUs until,
                                           int64_t limit) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx.Query(kDipsBetween, {tenant, tank, after, until, limit}));
    std::vector<StoredDip> dips;
    dips.reserve(rows.size());
    for (const db::Row& row : rows) dips.push_back(DipFromRow(row));
    return dips;
}

Result<std::vector<StoredDip>> RecentDips(db::Transaction& tx, const TenantId& tenant,
                                          const Uuid& tank, int64_t limit) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kRecentDips, {tenant, tank, limit}));
    std::vector<StoredDip> dips;
    dips.reserve(rows.size());
    for (const db::Row& row : rows) dips.push_back(DipFromRow(row));
    return dips;
}

Result<Tank> TankInScope(db::Transaction& tx, const http::RequestContext& ctx, const Uuid& id,
                         std::optional<std::string_view> field) {
    OMC_ASSIGN_OR_RETURN(std::optional<Tank> tank, FindTank(tx, ctx.tenant(), id));
    if (tank) {
        OMC_ASSIGN_OR_RETURN(const std::optional<identity::StationRef> station,
                             identity::FindVisibleStation(tx, CallerOf(ctx), tank->station_id));
        if (!station) tank.reset();
    }
    if (tank) return *tank;
    if (field) {
        return Error(ErrorCode::kUnprocessable, "unknown reference",
                     {{std::string(*field), "no such tank"}});
    }
    return NotFoundError("tank");
}

std::optional<TimestampUs> OptionalTime(http::JsonBody& body, std::string_view name) {
    const std::optional<std::string> text = body.OptionalString(name, kTimeMaxLength);
    if (!text) return std::nullopt;
    const std::optional<TimestampUs> ts = ParseTimestamp(*text);
    if (!ts) body.AddError(name, "must be an RFC 3339 time such as 2026-11-21T08:00:00Z");
    return ts;
}

TimestampUs RequiredTime(http::JsonBody& body, std::string_view name) {
    if (!body.Has(name)) {
        body.AddError(name, "is required");
        return 0;
    }
    return OptionalTime(body, name).value_or(0);
}

Error ApiFields(const Error& error,
                std::initializer_list<std::pair<std::string_view, std::string_view>> renames) {
    Error renamed = error;
    for (const auto& [from, to] : renames) renamed = RenameField(renamed, from, to);
    return renamed;
}

void RegisterWetstockRoutes(http::Router& router, const ForecourtDeps& deps) {
    using http::Method;
    router.Add(
        ReadRoute("/api/v1/tanks/{id}/charts", "forecourt.tank_charts.list", deps, ListCharts));
    router.Add(WriteRoute(Method::kPost, "/api/v1/tanks/{id}/charts",
                          "forecourt.tank_charts.create", "forecourt.setup", deps, CreateChart));
    router.Add(
        ReadRoute("/api/v1/forecourt/settings", "forecourt.settings.get", deps, GetSettings));
    router.Add(WriteRoute(Method::kPut, "/api/v1/forecourt/settings", "forecourt.settings.update",
                          "forecourt.setup", deps, PutSettings));
    router.Add(ReadRoute("/api/v1/dips", "forecourt.dips.list", deps, ListDips));
    router.Add(WriteRoute(Method::kPost, "/api/v1/dips", "forecourt.dips.create", "dips.write",
                          deps, CreateDip));
    router.Add(ReadRoute("/api/v1/dips/{id}", "forecourt.dips.get", deps, GetDip));
    router.Add(
        ReadRoute("/api/v1/tanks/{id}/dip-volume", "forecourt.tanks.dip_volume", deps, DipVolume));
}

}  // namespace omc::forecourt
