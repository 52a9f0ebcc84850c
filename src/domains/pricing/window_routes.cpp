#include "domains/pricing/window_routes.hpp"

#include <map>
#include <set>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "domains/forecourt/catalog.hpp"
#include "domains/forecourt/common.hpp"
#include "domains/forecourt/equipment.hpp"
#include "domains/identity/identity_api.hpp"
#include "domains/pricing/holidays.hpp"
#include "domains/pricing/window_common.hpp"
#include "domains/pricing/window_proposals.hpp"
#include "platform/http/json_body.hpp"
#include "platform/http/params.hpp"
#include "platform/report/report.hpp"
#include "platform/report/report_reply.hpp"

namespace omc::pricing {
namespace {

using forecourt::FormatUnitPrice;
using forecourt::kUnitPriceScale;
using forecourt::OptionalText;
using nlohmann::json;

constexpr int kDefaultWindowCount = 6;
constexpr int kMaxWindowCount = 48;  // two years
// A history answer lists at most this many price changes.
constexpr size_t kMaxHistoryChanges = 500;
constexpr int64_t kDefaultHistoryUs = 90 * kUsPerDay;

constexpr db::Query kInsertFloor{"pricing.insert_floor", R"sql(
    INSERT INTO pricing_floors (tenant_id, id, window_start, product_id, unit_price,
                                ex_refinery_unit_price, reference, created_by, created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9))sql"};
constexpr db::Query kFloorTaken{"pricing.floor_taken", R"sql(
    SELECT id FROM pricing_floors WHERE tenant_id = $1 AND window_start = $2 AND product_id = $3)sql"};
#define OMC_FLOOR_COLUMNS                                                                       \
    "id, window_start, product_id, unit_price, ex_refinery_unit_price, reference, created_by, " \
    "created_at_us"
// $4: the window (optional), $5: the product (optional).
constexpr db::Query kListFloors{"pricing.list_floors", "SELECT " OMC_FLOOR_COLUMNS R"sql(
    FROM pricing_floors
    WHERE tenant_id = $1 AND id > $2
      AND (window_start = $4 OR CAST($4 AS TEXT) IS NULL)
      AND (product_id = $5 OR CAST($5 AS TEXT) IS NULL)
    ORDER BY id LIMIT $3)sql"};
#undef OMC_FLOOR_COLUMNS
constexpr db::Query kFloorsWithCodes{"pricing.floors_with_codes", R"sql(
    SELECT f.product_id, p.code, f.unit_price FROM pricing_floors f
    JOIN products p ON p.tenant_id = f.tenant_id AND p.id = f.product_id
    WHERE f.tenant_id = $1 AND f.window_start = $2 ORDER BY p.code)sql"};

// The times a station's price of a product changed in (from, to]: its own rows and the
// network's.
constexpr db::Query kPriceChangeTimes{"pricing.price_change_times", R"sql(
    SELECT DISTINCT effective_from_us FROM station_prices
    WHERE tenant_id = $1 AND product_id = $3 AND (station_id = $2 OR station_id IS NULL)
      AND effective_from_us > $4 AND effective_from_us <= $5
    ORDER BY effective_from_us LIMIT $6)sql"};

constexpr db::Query kProductCode{"pricing.product_code", R"sql(
    SELECT code, name, unit FROM products WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kZoneCode{"pricing.zone_code",
                              "SELECT code FROM pricing_zones WHERE tenant_id = $1 AND id = $2"};

// ---- windows ----

// What a window shows: its dates, deadline and the state of its price list.
struct WindowView {
    PriceWindow window;
    TimestampUs deadline_us = 0;
    std::optional<Proposal> active;  // approved, scheduled or in force
    int64_t proposed = 0;            // lists waiting for approval
};

json WindowJson(const WindowView& v, TimestampUs now) {
    const TimestampUs start = WindowStartUs(v.window);
    const TimestampUs end = WindowEndUs(v.window);
    std::string status;
    if (v.active) {
        status = v.active->status;
    } else if (v.proposed > 0) {
        status = start <= now ? "closed" : "proposed";
    } else {
        status = start <= now ? "closed" : "open";
    }
    const Proposal* a = v.active ? &*v.active : nullptr;
    return json{
        {"id", WindowId(v.window)},
        {"first_day", WindowStartDate(v.window)},
        {"last_day", FormatDate(int64_t{v.window.last_day} * kUsPerDay)},
        {"starts_at", FormatTimestamp(start)},
        {"ends_at", FormatTimestamp(end)},
        {"submission_deadline", FormatTimestamp(v.deadline_us)},
        {"deadline_passed", now > v.deadline_us},
        {"current", start <= now && now < end},
        {"status", status},
        {"proposals_waiting", v.proposed},
        {"proposal_id", a ? json(a->id.ToString()) : json(nullptr)},
        {"submitted_at",
         a && a->submitted_at_us ? json(FormatTimestamp(*a->submitted_at_us)) : json(nullptr)},
        {"submission_late", a && a->submission_late ? json(*a->submission_late) : json(nullptr)}};
}

// The views of `count` windows from `first`.
Result<std::vector<WindowView>> Views(db::Transaction& tx, const TenantId& tenant,
                                      const PriceWindow& first, int count) {
    std::vector<PriceWindow> windows{first};
    while (static_cast<int>(windows.size()) < count) windows.push_back(NextWindow(windows.back()));
    // The deadline of the first window can fall some days before it.
    constexpr int32_t kDeadlineLookbackDays = 31;
    OMC_ASSIGN_OR_RETURN(
        const std::set<int32_t> holidays,
        HolidayDays(tx, tenant, first.first_day - kDeadlineLookbackDays, windows.back().last_day));
    OMC_ASSIGN_OR_RETURN(const std::vector<Proposal> proposals,
                         ProposalsBetween(tx, tenant, WindowStartDate(windows.front()),
                                          WindowStartDate(windows.back())));
    std::vector<WindowView> views;
    for (const PriceWindow& w : windows) {
        WindowView v{.window = w, .deadline_us = SubmissionDeadlineUs(w, holidays)};
        const std::string start = WindowStartDate(w);
        for (const Proposal& p : proposals) {
            if (p.window_start != start) continue;
            if (p.status == "proposed") ++v.proposed;
            if (p.status == "approved" || p.status == "scheduled" || p.status == "in_force") {
                v.active = p;
            }
        }
        views.push_back(std::move(v));
    }
    return views;
}

// ?from=YYYY-MM-DD (default: today) &count= (default 6, at most 48): the window holding `from`
// and those after it.
Result<http::Reply> ListWindows(const WindowDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const std::optional<std::string> from, http::QueryDate(ctx, "from"));
    int count = kDefaultWindowCount;
    if (const auto text = ctx.request().QueryParam("count")) {
        int value = 0;
        bool ok = !text->empty() && text->size() <= 2;
        for (char c : *text) {
            ok = ok && c >= '0' && c <= '9';
            value = value * 10 + (c - '0');
        }
        if (!ok || value < 1 || value > kMaxWindowCount) {
            return InvalidArgument("count", "must be a whole number from 1 to 48");
        }
        count = value;
    }
    const TimestampUs now = deps.clock->NowUs();
    const int32_t day = from ? static_cast<int32_t>(*ParseDateDays(*from)) : GhanaDay(now);
    // NPA's windows began in 2015; the calendar is bounded so that every date stays formattable.
    if (from && (*from < "2000-01-01" || *from > "2999-12-31")) {
        return InvalidArgument("from", "must be a date from 2000-01-01 to 2999-12-31");
    }
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const std::vector<WindowView> views,
                         Views(*tx, ctx.tenant(), WindowContaining(day), count));
    json items = json::array();
    for (const WindowView& v : views) items.push_back(WindowJson(v, now));
    return http::Answer(std::move(items));
}

Result<json> FloorsJson(db::Transaction& tx, const TenantId& tenant, const std::string& start) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kFloorsWithCodes, {tenant, start}));
    json floors = json::array();
    for (const db::Row& row : rows) {
        floors.push_back({{"product_id", row.Id(0).ToString()},
                          {"product_code", row.Text(1)},
                          {"unit_price", FormatUnitPrice(row.Int(2))}});
    }
    return floors;
}

Result<http::Reply> GetWindow(const WindowDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const PriceWindow window, PathWindow(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const std::vector<WindowView> views, Views(*tx, ctx.tenant(), window, 1));
    json out = WindowJson(views.front(), deps.clock->NowUs());
    OMC_ASSIGN_OR_RETURN(out["floors"], FloorsJson(*tx, ctx.tenant(), WindowStartDate(window)));
    return http::Answer(std::move(out));
}

// Records that the window's approved price list went to NPA now, late or not.
Result<http::Reply> SubmitWindow(const WindowDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const PriceWindow window, PathWindow(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(std::vector<WindowView> views, Views(*tx, ctx.tenant(), window, 1));
    WindowView& v = views.front();
    if (!v.active) return FieldConflict("id", "the window has no approved price list to submit");
    if (v.active->submitted_at_us) {
        return FieldConflict(
            "id", "was already submitted at " + FormatTimestamp(*v.active->submitted_at_us));
    }
    const TimestampUs now = deps.clock->NowUs();
    const bool late = now > v.deadline_us;
    const std::string by = forecourt::CallerOf(ctx).subject;
    OMC_TRY(MarkSubmitted(*tx, ctx.tenant(), v.active->id, by, now, late));
    v.active->submitted_at_us = now;
    v.active->submitted_by = by;
    v.active->submission_late = late;
    json state = WindowJson(v, now);
    OMC_TRY(RecordPricingChange(deps, ctx, *tx, "pricing.submission_recorded", "price_proposal",
                                v.active->id, state));
    return http::Answer(std::move(state));
}

// ---- the NPA submission export ----

// The layout (docs/pricing.md): one row per price of the window's approved list, prices in
// pesewas per litre (kg for LPG) with NPA's 4 decimals.
report::Report SubmissionReport(const WindowView& v) {
    report::Report r;
    r.title = "NPA ex-pump price submission " + WindowId(v.window);
    r.subtitle = {"Window: " + WindowStartDate(v.window) + " to " +
                      FormatDate(int64_t{v.window.last_day} * kUsPerDay),
                  "Submission deadline: " + FormatTimestamp(v.deadline_us)};
    using report::ColumnType;
    r.columns = {{"window", "Window", ColumnType::kText},
                 {"first_day", "First day", ColumnType::kDate},
                 {"last_day", "Last day", ColumnType::kDate},
                 {"product_code", "Product", ColumnType::kText},
                 {"product_name", "Product name", ColumnType::kText},
                 {"unit", "Unit", ColumnType::kText},
                 {"scope", "Scope", ColumnType::kText},
                 {"zone_code", "Zone", ColumnType::kText},
                 {"station_code", "Station", ColumnType::kText},
                 {"station_name", "Station name", ColumnType::kText},
                 {"npa_licence_no", "NPA licence", ColumnType::kText},
                 {"ex_pump_price_ghp", "Ex-pump price (GHp/unit)", ColumnType::kUnitPrice},
                 {"floor_ghp", "NPA floor (GHp/unit)", ColumnType::kUnitPrice},
                 {"regulated_ghp", "Regulated part (GHp/unit)", ColumnType::kUnitPrice},
                 {"marketer_margin_ghp", "Marketer margin (GHp/unit)", ColumnType::kUnitPrice},
                 {"dealer_margin_ghp", "Dealer margin (GHp/unit)", ColumnType::kUnitPrice},
                 {"submission_deadline", "Deadline (UTC)", ColumnType::kText},
                 {"submitted_at", "Submitted (UTC)", ColumnType::kText},
                 {"late", "Late", ColumnType::kText}};
    return r;
}

report::Cell PriceCell(const std::optional<int64_t>& price) {
    return price ? report::Cell(*price) : report::Cell();
}

Result<report::Report> SubmissionRows(db::Transaction& tx, const TenantId& tenant,
                                      const WindowView& v) {
    Proposal p = *v.active;
    OMC_TRY(LoadLines(tx, tenant, p));
    OMC_ASSIGN_OR_RETURN(const auto floors, FloorsOf(tx, tenant, p.window_start));
    report::Report r = SubmissionReport(v);
    for (const ProposalLine& l : p.lines) {
        OMC_ASSIGN_OR_RETURN(const db::Rows product,
                             tx.Query(kProductCode, {tenant, l.product_id}));
        std::string zone_code;
        if (l.zone_id) {
            OMC_ASSIGN_OR_RETURN(const db::Rows zone, tx.Query(kZoneCode, {tenant, *l.zone_id}));
            if (!zone.empty()) zone_code = zone[0].Text(0);
        }
        std::optional<identity::StationRef> station;
        if (l.station_id) {
            OMC_ASSIGN_OR_RETURN(station, identity::FindStation(tx, tenant, *l.station_id));
        }
        const auto floor = floors.find(l.product_id);
        const auto text = [](std::string s) { return report::Cell(std::move(s)); };
        r.AddRow({text(WindowId(v.window)), text(WindowStartDate(v.window)),
                  text(FormatDate(int64_t{v.window.last_day} * kUsPerDay)),
                  text(product.empty() ? "" : product[0].Text(0)),
                  text(product.empty() ? "" : product[0].Text(1)),
                  text(product.empty() ? "" : product[0].Text(2)), text(l.scope), text(zone_code),
                  text(station ? station->code : ""), text(station ? station->name : ""),
                  text(station ? station->npa_licence_no.value_or("") : ""),
                  report::Cell(l.unit_price),
                  PriceCell(floor == floors.end() ? std::nullopt
                                                  : std::optional<int64_t>(floor->second)),
                  PriceCell(l.regulated_unit_price), PriceCell(l.marketer_margin),
                  PriceCell(l.dealer_margin), text(FormatTimestamp(v.deadline_us)),
                  text(p.submitted_at_us ? FormatTimestamp(*p.submitted_at_us) : ""),
                  text(p.submission_late ? (*p.submission_late ? "yes" : "no") : "")});
    }
    return r;
}

// ?format=csv|xlsx|pdf (or json).
Result<http::Reply> ExportSubmission(const WindowDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const PriceWindow window, PathWindow(ctx));
    OMC_ASSIGN_OR_RETURN(const report::Format format, report::RequestedFormat(ctx.request()));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const std::vector<WindowView> views, Views(*tx, ctx.tenant(), window, 1));
    if (!views.front().active) {
        return FieldConflict("id", "the window has no approved price list to submit");
    }
    OMC_ASSIGN_OR_RETURN(const report::Report r, SubmissionRows(*tx, ctx.tenant(), views.front()));
    if (format == report::Format::kJson) return http::Answer(report::ToJson(r));
    return report::FileReply(r, format, "npa-prices-" + WindowId(window));
}

// ---- floors ----

json FloorJson(const db::Row& row) {
    const std::optional<PriceWindow> w = ParseWindowId(row.Text(1));
    return json{{"id", row.Id(0).ToString()},
                {"window", w ? WindowId(*w) : row.Text(1)},
                {"window_start", row.Text(1)},
                {"product_id", row.Id(2).ToString()},
                {"unit_price", FormatUnitPrice(row.Int(3))},
                {"ex_refinery_unit_price",
                 row.IsNull(4) ? json(nullptr) : json(FormatUnitPrice(row.Int(4)))},
                {"reference", OptionalText(row.OptText(5))},
                {"created_by", row.Text(6)},
                {"created_at", FormatTimestamp(row.Int(7))}};
}

Result<http::Reply> SetFloor(const WindowDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown(
        {"window", "product_id", "unit_price", "ex_refinery_unit_price", "reference"});
    const std::string window_text = body.RequiredString("window", 10);
    const Uuid product_id = body.RequiredUuid("product_id");
    const int64_t unit_price =
        body.RequiredDecimal("unit_price", kUnitPriceScale, 1, kMaxUnitPrice);
    const std::optional<int64_t> ex_refinery =
        body.OptionalDecimal("ex_refinery_unit_price", kUnitPriceScale, 1, kMaxUnitPrice);
    const std::optional<std::string> reference =
        body.OptionalString("reference", kReferenceMaxLength);
    const std::optional<PriceWindow> window = ParseWindowId(window_text);
    if (!body.HasErrors() && !window) body.AddError("window", std::string(kWindowFormat));
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const std::optional<forecourt::Product> product,
                         forecourt::FindProduct(*tx, ctx.tenant(), product_id));
    if (!product || product->kind != forecourt::ProductKind::kFuel) {
        return FieldUnprocessable("product_id", "no such fuel product");
    }
    const std::string start = WindowStartDate(*window);
    OMC_ASSIGN_OR_RETURN(const db::Rows taken,
                         tx->Query(kFloorTaken, {ctx.tenant(), start, product_id}));
    if (!taken.empty()) {
        return FieldConflict("product_id", "already has a floor for window " + WindowId(*window));
    }
    const Uuid id = deps.ids->NewV7();
    const std::string by = forecourt::CallerOf(ctx).subject;
    const TimestampUs now = deps.clock->NowUs();
    OMC_TRY(tx->Execute(kInsertFloor, {ctx.tenant(), id, start, product_id, unit_price, ex_refinery,
                                       reference, by, now}));
    OMC_ASSIGN_OR_RETURN(const db::Rows row,
                         tx->Query(kListFloors, {ctx.tenant(), Uuid(), 1, start, product_id}));
    json state = FloorJson(row[0]);
    OMC_TRY(RecordPricingChange(deps, ctx, *tx, "pricing.floor_set", "price_floor", id, state));
    return http::Created(std::move(state), "/api/v1/pricing/floors", id);
}

struct FloorItem {
    Uuid id;
    json body;
};

Result<http::Reply> ListFloors(const WindowDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, http::PageAfter(page));
    std::optional<std::string> start;
    if (const auto text = ctx.request().QueryParam("window")) {
        const std::optional<PriceWindow> w = ParseWindowId(*text);
        if (!w) return InvalidArgument("window", std::string(kWindowFormat));
        start = WindowStartDate(*w);
    }
    OMC_ASSIGN_OR_RETURN(const std::optional<Uuid> product, http::QueryUuid(ctx, "product_id"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(
        const db::Rows rows,
        tx->Query(kListFloors, {ctx.tenant(), after, page.limit + 1, start, product}));
    std::vector<FloorItem> items;
    for (const db::Row& row : rows) items.push_back({row.Id(0), FloorJson(row)});
    return http::PageReply(std::move(items), page.limit, [](const FloorItem& f) { return f.body; });
}

// ---- price history ----

json PriceJson(const forecourt::PriceInForce& p) {
    return json{{"price_id", p.id.ToString()},
                {"unit_price", FormatUnitPrice(p.unit_price)},
                {"scope", p.station_id ? "station" : "network"},
                {"effective_from", FormatTimestamp(p.effective_from_us)}};
}

// "What did this pump charge at 14:05 on the 16th?": ?station_id=&product_id= or ?nozzle_id=,
// &at= (default now): the price in force then, and every change in [from, to] (default: the 90
// days before `at`, up to `at`).
Result<http::Reply> PriceHistory(const WindowDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(std::optional<Uuid> station, http::QueryUuid(ctx, "station_id"));
    OMC_ASSIGN_OR_RETURN(std::optional<Uuid> product, http::QueryUuid(ctx, "product_id"));
    OMC_ASSIGN_OR_RETURN(const std::optional<Uuid> nozzle_id, http::QueryUuid(ctx, "nozzle_id"));
    OMC_ASSIGN_OR_RETURN(const std::optional<TimestampUs> at_q, http::QueryTime(ctx, "at"));
    OMC_ASSIGN_OR_RETURN(const std::optional<TimestampUs> from_q, http::QueryTime(ctx, "from"));
    OMC_ASSIGN_OR_RETURN(const std::optional<TimestampUs> to_q, http::QueryTime(ctx, "to"));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    if (nozzle_id) {
        if (station || product) {
            return InvalidArgument("nozzle_id", "give a nozzle_id or station_id and product_id");
        }
        OMC_ASSIGN_OR_RETURN(const std::optional<forecourt::Nozzle> nozzle,
                             forecourt::FindNozzle(*tx, ctx.tenant(), *nozzle_id));
        if (!nozzle) return NotFound("nozzle");
        station = nozzle->station_id;
        product = nozzle->product_id;
    }
    if (!station) return InvalidArgument("station_id", "is required (or nozzle_id)");
    if (!product) return InvalidArgument("product_id", "is required (or nozzle_id)");
    OMC_TRY(forecourt::VisibleStation(*tx, ctx, *station));
    OMC_ASSIGN_OR_RETURN(const std::optional<forecourt::Product> found,
                         forecourt::FindProduct(*tx, ctx.tenant(), *product));
    if (!found) return NotFound("product");
    const TimestampUs at = at_q.value_or(deps.clock->NowUs());
    const TimestampUs to = to_q.value_or(at);
    const TimestampUs from = from_q.value_or(at - kDefaultHistoryUs);
    if (from > to) return InvalidArgument("from", "must not be after to");
    OMC_ASSIGN_OR_RETURN(const std::optional<forecourt::PriceInForce> in_force,
                         forecourt::PriceAt(*tx, ctx.tenant(), *station, *product, at));
    // The changes: the price at `from`, then at each time a row of this station or of the
    // network takes effect, when it differs from the one before.
    json changes = json::array();
    OMC_ASSIGN_OR_RETURN(std::optional<forecourt::PriceInForce> last,
                         forecourt::PriceAt(*tx, ctx.tenant(), *station, *product, from));
    if (last) changes.push_back(PriceJson(*last));
    OMC_ASSIGN_OR_RETURN(const db::Rows times,
                         tx->Query(kPriceChangeTimes, {ctx.tenant(), *station, *product, from, to,
                                                       static_cast<int64_t>(kMaxHistoryChanges)}));
    for (const db::Row& t : times) {
        OMC_ASSIGN_OR_RETURN(const std::optional<forecourt::PriceInForce> p,
                             forecourt::PriceAt(*tx, ctx.tenant(), *station, *product, t.Int(0)));
        if (!p || (last && last->id == p->id)) continue;
        changes.push_back(PriceJson(*p));
        last = p;
    }
    return http::Answer(json{{"station_id", station->ToString()},
                             {"product_id", product->ToString()},
                             {"unit", found->unit},
                             {"at", FormatTimestamp(at)},
                             {"in_force", in_force ? PriceJson(*in_force) : json(nullptr)},
                             {"window", WindowId(WindowContaining(GhanaDay(at)))},
                             {"from", FormatTimestamp(from)},
                             {"to", FormatTimestamp(to)},
                             {"changes", std::move(changes)}});
}

}  // namespace

void RegisterPriceWindowRoutes(http::Router& router, IdGenerator& ids, const Clock& clock) {
    using http::Method;
    const WindowDeps deps{.ids = &ids, .clock = &clock};
    router.Add(PricingRoute(Method::kGet, "/api/v1/pricing/windows", "pricing.windows.list",
                            "pricing.read", deps, ListWindows));
    router.Add(PricingRoute(Method::kGet, "/api/v1/pricing/windows/{id}", "pricing.windows.get",
                            "pricing.read", deps, GetWindow));
    router.Add(PricingRoute(Method::kPost, "/api/v1/pricing/windows/{id}/submit",
                            "pricing.windows.submit", "pricing.write", deps, SubmitWindow));
    router.Add(PricingRoute(Method::kGet, "/api/v1/pricing/windows/{id}/submission",
                            "pricing.windows.submission", "pricing.read", deps, ExportSubmission));
    router.Add(PricingRoute(Method::kGet, "/api/v1/pricing/floors", "pricing.floors.list",
                            "pricing.read", deps, ListFloors));
    router.Add(PricingRoute(Method::kPost, "/api/v1/pricing/floors", "pricing.floors.set",
                            "pricing.write", deps, SetFloor));
    router.Add(PricingRoute(Method::kGet, "/api/v1/pricing/history", "pricing.history",
                            "pricing.read", deps, PriceHistory));
    RegisterProposalRoutes(router, deps);
    RegisterZoneRoutes(router, deps);
    RegisterHolidayRoutes(router, deps);
}

}  // namespace omc::pricing
