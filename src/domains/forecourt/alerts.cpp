#include "domains/forecourt/alerts.hpp"

#include <algorithm>
#include <limits>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "domains/forecourt/common.hpp"
#include "domains/forecourt/equipment.hpp"
#include "domains/forecourt/reconciliation.hpp"
#include "domains/forecourt/sales.hpp"
#include "domains/forecourt/wetstock_routes.hpp"
#include "platform/base/assert.hpp"
#include "platform/base/money.hpp"
#include "platform/events/outbox.hpp"
#include "platform/http/json_body.hpp"

namespace omc::forecourt {
namespace {

using nlohmann::json;

// Days of sales the low-stock message's days of cover averages (the current day included).
constexpr int64_t kCoverWindowDays = 7;
constexpr size_t kNoteMaxLength = 500;
constexpr std::string_view kSystem = "system";

#define OMC_ALERT_COLUMNS                                                                    \
    "id, station_id, tank_id, kind, severity, status, message, details, dedupe_key, "        \
    "raised_at_us, acknowledged_at_us, acknowledged_by, acknowledged_note, resolved_at_us, " \
    "resolved_by, resolved_note"

// The partial unique index alerts_one_live holds one live alert per key: a second evaluator
// racing this one inserts nothing rather than failing its request.
constexpr db::Query kInsertAlert{"forecourt.insert_alert", R"sql(
    INSERT INTO alerts (tenant_id, id, station_id, tank_id, kind, severity, status, message,
                        details, dedupe_key, raised_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, 'open', $7, $8, $9, $10)
    ON CONFLICT (tenant_id, dedupe_key) WHERE status <> 'resolved' DO NOTHING)sql"};
constexpr db::Query kLiveAlerts{"forecourt.live_alerts", "SELECT " OMC_ALERT_COLUMNS R"sql(
    FROM alerts WHERE tenant_id = $1 AND station_id = $2 AND kind = $3 AND status <> 'resolved'
    ORDER BY id)sql"};
constexpr db::Query kFindAlert{"forecourt.find_alert",
                               "SELECT " OMC_ALERT_COLUMNS
                               " FROM alerts WHERE tenant_id = $1 AND id = $2"};
constexpr db::Query kListAlerts{"forecourt.list_alerts", "SELECT " OMC_ALERT_COLUMNS R"sql(
    FROM alerts
    WHERE tenant_id = $1 AND id > $2 AND (station_id = $4 OR $4 IS NULL)
      AND (CAST($5 AS TEXT) IS NULL OR (',' || CAST($5 AS TEXT) || ',') LIKE ('%,' || station_id || ',%'))
      AND (status = $6 OR $6 IS NULL) AND (kind = $7 OR $7 IS NULL)
    ORDER BY id LIMIT $3)sql"};
// The dashboard's newest live alerts ($2 scope list as in kListAlerts, nullptr: the tenant).
constexpr db::Query kLatestLiveAlerts{"forecourt.latest_live_alerts",
                                      "SELECT " OMC_ALERT_COLUMNS R"sql(
    FROM alerts
    WHERE tenant_id = $1 AND status <> 'resolved'
      AND (CAST($2 AS TEXT) IS NULL OR (',' || CAST($2 AS TEXT) || ',') LIKE ('%,' || station_id || ',%'))
    ORDER BY raised_at_us DESC, id DESC LIMIT $3)sql"};
constexpr db::Query kLiveAlertCounts{"forecourt.live_alert_counts", R"sql(
    SELECT station_id, kind, status, COUNT(*) FROM alerts
    WHERE tenant_id = $1 AND status <> 'resolved' GROUP BY station_id, kind, status)sql"};
constexpr db::Query kAcknowledgeAlert{"forecourt.acknowledge_alert", R"sql(
    UPDATE alerts SET status = 'acknowledged', acknowledged_at_us = $3, acknowledged_by = $4,
                      acknowledged_note = $5
    WHERE tenant_id = $1 AND id = $2 AND status = 'open')sql"};
constexpr db::Query kResolveAlert{"forecourt.resolve_alert", R"sql(
    UPDATE alerts SET status = 'resolved', resolved_at_us = $3, resolved_by = $4, resolved_note = $5
    WHERE tenant_id = $1 AND id = $2 AND status <> 'resolved')sql"};

#undef OMC_ALERT_COLUMNS

// The tank's sales per business day from `since` (a day's start) on: day index, quantity. A
// void gives fuel back; a refund does not.
constexpr db::Query kDailyTankSales{"forecourt.daily_tank_sales", R"sql(
    SELECT (sold_at_us - $3) / 86400000000, COALESCE(SUM(quantity_milli), 0) FROM sales
    WHERE tenant_id = $1
      AND station_id = (SELECT station_id FROM tanks WHERE tenant_id = $1 AND id = $2)
      AND tank_id = $2 AND sold_at_us >= $3 AND sold_at_us < $4 AND kind <> 'refund'
    GROUP BY 1)sql"};

struct Alert {
    Uuid id;
    Uuid station_id;
    std::optional<Uuid> tank_id;
    std::string kind;
    std::string severity;
    std::string status;
    std::string message;
    json details;
    std::string dedupe_key;
    TimestampUs raised_at_us = 0;
    std::optional<TimestampUs> acknowledged_at_us;
    std::optional<std::string> acknowledged_by;
    std::optional<std::string> acknowledged_note;
    std::optional<TimestampUs> resolved_at_us;
    std::optional<std::string> resolved_by;
    std::optional<std::string> resolved_note;
};

Alert AlertFromRow(const db::Row& row) {
    json details = json::parse(row.Text(7), nullptr, false);
    if (details.is_discarded()) details = json::object();
    return Alert{.id = row.Id(0),
                 .station_id = row.Id(1),
                 .tank_id = row.IsNull(2) ? std::optional<Uuid>() : row.Id(2),
                 .kind = row.Text(3),
                 .severity = row.Text(4),
                 .status = row.Text(5),
                 .message = row.Text(6),
                 .details = std::move(details),
                 .dedupe_key = row.Text(8),
                 .raised_at_us = row.Int(9),
                 .acknowledged_at_us = row.OptInt(10),
                 .acknowledged_by = row.OptText(11),
                 .acknowledged_note = row.OptText(12),
                 .resolved_at_us = row.OptInt(13),
                 .resolved_by = row.OptText(14),
                 .resolved_note = row.OptText(15)};
}

json TimeOrNull(const std::optional<TimestampUs>& at) {
    return at ? json(FormatTimestamp(*at)) : json();
}

json AlertJson(const Alert& a) {
    return json{{"id", a.id.ToString()},
                {"station_id", a.station_id.ToString()},
                {"tank_id", OptionalId(a.tank_id)},
                {"kind", a.kind},
                {"severity", a.severity},
                {"status", a.status},
                {"message", a.message},
                {"details", a.details},
                {"dedupe_key", a.dedupe_key},
                {"raised_at", FormatTimestamp(a.raised_at_us)},
                {"acknowledged_at", TimeOrNull(a.acknowledged_at_us)},
                {"acknowledged_by", OptionalText(a.acknowledged_by)},
                {"acknowledged_note", OptionalText(a.acknowledged_note)},
                {"resolved_at", TimeOrNull(a.resolved_at_us)},
                {"resolved_by", OptionalText(a.resolved_by)},
                {"resolved_note", OptionalText(a.resolved_note)}};
}

Result<void> AppendAlertEvent(db::Transaction& tx, const ForecourtDeps& deps,
                              const TenantId& tenant, std::string type, const Alert& alert) {
    OMC_TRY(events::AppendEvent(tx, tenant, *deps.ids, *deps.clock,
                                {std::move(type), "alert", alert.id.ToString(), AlertJson(alert)}));
    return Ok();
}

// ---- evaluation ----

// A condition that holds: the alert it should have live.
struct Wanted {
    std::string severity;
    std::string message;
    std::string dedupe_key;
    json details;
};

// Makes the live alerts of (station, kind) whose key starts with `key_prefix` match `wanted`:
// raises it when no live alert has its key, resolves (as the system) every other one.
Result<AlertChanges> Settle(db::Transaction& tx, const ForecourtDeps& deps, const TenantId& tenant,
                            const Uuid& station, std::optional<Uuid> tank, std::string_view kind,
                            std::string_view key_prefix, const std::optional<Wanted>& wanted) {
    ERP_ASSERT(!wanted || wanted->dedupe_key.starts_with(key_prefix), "key within its prefix");
    AlertChanges changes;
    const TimestampUs now = deps.clock->NowUs();
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx.Query(kLiveAlerts, {tenant, station, std::string(kind)}));
    bool live = false;
    for (const db::Row& row : rows) {
        Alert alert = AlertFromRow(row);
        if (!alert.dedupe_key.starts_with(key_prefix)) continue;
        if (wanted && alert.dedupe_key == wanted->dedupe_key) {
            live = true;
            continue;
        }
        OMC_ASSIGN_OR_RETURN(const int64_t resolved,
                             tx.Execute(kResolveAlert, {tenant, alert.id, now, std::string(kSystem),
                                                        std::optional<std::string>()}));
        if (resolved != 1) continue;
        alert.status = "resolved";
        alert.resolved_at_us = now;
        alert.resolved_by = std::string(kSystem);
        OMC_TRY(AppendAlertEvent(tx, deps, tenant, "forecourt.alert_resolved", alert));
        ++changes.resolved;
    }
    if (!wanted || live) return changes;
    const Alert alert{.id = deps.ids->NewV7(),
                      .station_id = station,
                      .tank_id = tank,
                      .kind = std::string(kind),
                      .severity = wanted->severity,
                      .status = "open",
                      .message = wanted->message,
                      .details = wanted->details,
                      .dedupe_key = wanted->dedupe_key,
                      .raised_at_us = now};
    OMC_ASSIGN_OR_RETURN(
        const int64_t inserted,
        tx.Execute(kInsertAlert, {tenant, alert.id, station, tank, alert.kind, alert.severity,
                                  alert.message, alert.details.dump(), alert.dedupe_key, now}));
    if (inserted == 1) {
        OMC_TRY(AppendAlertEvent(tx, deps, tenant, "forecourt.alert_raised", alert));
        ++changes.raised;
    }
    return changes;
}

TimestampUs TodayStart(TimestampUs now, const identity::StationRef& station) {
    const std::optional<TimestampUs> start = BusinessDayStart(
        BusinessDate(now, station.business_day_start_min), station.business_day_start_min);
    ERP_INVARIANT(start.has_value(), "BusinessDate gives a date");
    return *start;
}

// Tenths of a day the tank's book stock lasts at its average daily sales over the last
// kCoverWindowDays business days (today included); nullopt when it sold nothing.
Result<std::optional<int64_t>> DaysOfCover(db::Transaction& tx, const TenantId& tenant,
                                           const Tank& tank, const identity::StationRef& station,
                                           TimestampUs now) {
    const TimestampUs since = TodayStart(now, station) - (kCoverWindowDays - 1) * kUsPerDay;
    OMC_ASSIGN_OR_RETURN(const std::vector<Volume> daily,
                         TankDailySales(tx, tenant, tank.id, since, kCoverWindowDays));
    const Volume stock(std::max<int64_t>(tank.book_stock_milli, 0));
    Result<std::optional<int64_t>> cover = DaysOfCoverE1(stock, daily, kCoverWindowDays);
    if (!cover.ok()) return std::optional<int64_t>();  // figures beyond the model's limits
    return *cover;
}

Result<std::optional<Wanted>> LowStockCondition(db::Transaction& tx, const TenantId& tenant,
                                                const Tank& tank,
                                                const identity::StationRef& station,
                                                const ForecourtSettings& settings,
                                                const StockFlags& flags, TimestampUs now) {
    if (!tank.active || !flags.low_stock) return std::optional<Wanted>();
    OMC_ASSIGN_OR_RETURN(const std::optional<int64_t> cover_e1,
                         DaysOfCover(tx, tenant, tank, station, now));
    std::string message = "Tank " + tank.code + ": book stock " +
                          FormatQuantity(tank.book_stock_milli) + " is at or below its low level " +
                          FormatQuantity(tank.low_level_milli);
    message += cover_e1 ? "; about " + FormatScaled(*cover_e1, 1) + " days of cover at the last " +
                              std::to_string(kCoverWindowDays) + " days' sales"
                        : "; no sales in the last " + std::to_string(kCoverWindowDays) + " days";
    // Critical when what is left lasts less than the tenant's low-stock days (x100 vs x10).
    const bool critical = cover_e1 && *cover_e1 * 10 < settings.low_stock_days_x100;
    return std::optional<Wanted>(Wanted{
        .severity = critical ? "critical" : "warning",
        .message = std::move(message),
        .dedupe_key = "low_stock:" + tank.id.ToString(),
        .details = json{{"book_stock", FormatQuantity(tank.book_stock_milli)},
                        {"low_level", FormatQuantity(tank.low_level_milli)},
                        {"days_of_cover", cover_e1 ? json(FormatScaled(*cover_e1, 1)) : json()}}});
}

std::optional<Wanted> WaterCondition(const Tank& tank, const std::optional<StoredDip>& latest,
                                     const StockFlags& flags) {
    if (!latest || !flags.water_above_limit) return std::nullopt;
    const int64_t water_mm = latest->reading.water_height.raw();
    return Wanted{.severity = "warning",
                  .message = "Tank " + tank.code + ": " + std::to_string(water_mm) +
                             " mm of water, above the limit of " +
                             std::to_string(tank.water_limit_mm) + " mm",
                  .dedupe_key = "water:" + tank.id.ToString(),
                  .details = json{{"dip_id", latest->id.ToString()},
                                  {"water_height_mm", water_mm},
                                  {"water_limit_mm", tank.water_limit_mm},
                                  {"water", FormatQuantity(latest->reading.water.raw())}}};
}

// Settles the variance alert of the business day that `at` falls in. A day without a dip pair
// cannot be judged: its alert, if any, is left as it is.
Result<AlertChanges> SettleVariance(db::Transaction& tx, const ForecourtDeps& deps,
                                    const TenantId& tenant, const Tank& tank,
                                    const identity::StationRef& station,
                                    const ForecourtSettings& settings, TimestampUs at) {
    const std::string date = BusinessDate(at, station.business_day_start_min);
    const std::optional<TimestampUs> start = BusinessDayStart(date, station.business_day_start_min);
    ERP_INVARIANT(start.has_value(), "BusinessDate gives a date");
    OMC_ASSIGN_OR_RETURN(const TankPeriod day,
                         ReconcileTankDay(tx, tenant, tank, settings, *start));
    if (!day.variance) return AlertChanges{};
    const std::string key = "variance:" + tank.id.ToString() + ":" + date;
    std::optional<Wanted> wanted;
    if (!day.variance->within_tolerance) {
        const StockVariance& v = *day.variance;
        wanted =
            Wanted{.severity = "warning",
                   .message = "Tank " + tank.code + " on " + date + ": variance " +
                              FormatQuantity(v.variance.raw()) + " beyond the allowed " +
                              FormatQuantity(v.allowed.raw()) + " (positive is a loss)",
                   .dedupe_key = key,
                   .details = json{{"business_date", date},
                                   {"opening_dip_id", day.opening->id.ToString()},
                                   {"closing_dip_id", day.closing->id.ToString()},
                                   {"variance", FormatQuantity(v.variance.raw())},
                                   {"variance_bp", v.variance_bp ? json(*v.variance_bp) : json()},
                                   {"allowed_variance", FormatQuantity(v.allowed.raw())}}};
    }
    return Settle(tx, deps, tenant, tank.station_id, tank.id, "variance", key, wanted);
}

Result<AlertChanges> EvaluateTank(db::Transaction& tx, const ForecourtDeps& deps,
                                  const TenantId& tenant, const Tank& tank,
                                  const identity::StationRef& station,
                                  const ForecourtSettings& settings,
                                  std::span<const TimestampUs> variance_days) {
    const TimestampUs now = deps.clock->NowUs();
    OMC_ASSIGN_OR_RETURN(
        const std::optional<StoredDip> latest,
        LastDipAtOrBefore(tx, tenant, tank.id, std::numeric_limits<TimestampUs>::max()));
    const StockFlags flags = FlagStock(
        Volume(tank.book_stock_milli), LevelMm(latest ? latest->reading.water_height.raw() : 0),
        StockAlertLimits{.low_stock = Volume(tank.low_level_milli),
                         .water_limit = LevelMm(tank.water_limit_mm)});
    AlertChanges changes;
    const std::string tank_key = tank.id.ToString();
    OMC_ASSIGN_OR_RETURN(const std::optional<Wanted> low,
                         LowStockCondition(tx, tenant, tank, station, settings, flags, now));
    OMC_ASSIGN_OR_RETURN(const AlertChanges low_changes,
                         Settle(tx, deps, tenant, tank.station_id, tank.id, "low_stock",
                                "low_stock:" + tank_key, low));
    changes += low_changes;
    OMC_ASSIGN_OR_RETURN(const AlertChanges water_changes,
                         Settle(tx, deps, tenant, tank.station_id, tank.id, "water",
                                "water:" + tank_key, WaterCondition(tank, latest, flags)));
    changes += water_changes;
    for (const TimestampUs at : variance_days) {
        OMC_ASSIGN_OR_RETURN(const AlertChanges v,
                             SettleVariance(tx, deps, tenant, tank, station, settings, at));
        changes += v;
    }
    return changes;
}

// The station's NPA licence: a warning from `licence_warning_days` before its expiry date to
// that date (the licence is good through it), critical from the day after.
Result<AlertChanges> SettleLicence(db::Transaction& tx, const ForecourtDeps& deps,
                                   const TenantId& tenant, const identity::StationRef& station,
                                   const ForecourtSettings& settings) {
    const std::string prefix = "licence_expiry:" + station.id.ToString() + ":";
    std::optional<Wanted> wanted;
    const std::optional<TimestampUs> expires =
        station.npa_licence_expires_on ? BusinessDayStart(*station.npa_licence_expires_on, 0)
                                       : std::nullopt;
    if (expires) {
        const TimestampUs now = deps.clock->NowUs();
        const TimestampUs today = now - now % kUsPerDay;  // UTC date: Africa/Accra is UTC+0
        const int64_t days_left = (*expires - today) / kUsPerDay;
        const std::string licence = station.npa_licence_no.value_or("(no number)");
        const json details{{"npa_licence_no", OptionalText(station.npa_licence_no)},
                           {"expires_on", *station.npa_licence_expires_on},
                           {"days_left", days_left}};
        if (days_left < 0) {
            wanted = Wanted{.severity = "critical",
                            .message = "Station " + station.code + ": NPA licence " + licence +
                                       " expired on " + *station.npa_licence_expires_on,
                            .dedupe_key = prefix + "expired",
                            .details = details};
        } else if (days_left <= settings.licence_warning_days) {
            wanted = Wanted{.severity = "warning",
                            .message = "Station " + station.code + ": NPA licence " + licence +
                                       " expires on " + *station.npa_licence_expires_on + " (" +
                                       std::to_string(days_left) + " days)",
                            .dedupe_key = prefix + "expiring",
                            .details = details};
        }
    }
    return Settle(tx, deps, tenant, station.id, std::nullopt, "licence_expiry", prefix, wanted);
}

Result<AlertChanges> EvaluateStation(db::Transaction& tx, const ForecourtDeps& deps,
                                     const TenantId& tenant, const identity::StationRef& station,
                                     const ForecourtSettings& settings) {
    AlertChanges changes;
    if (!station.active) return changes;
    OMC_ASSIGN_OR_RETURN(changes, SettleLicence(tx, deps, tenant, station, settings));
    const TimestampUs today = TodayStart(deps.clock->NowUs(), station);
    const std::vector<TimestampUs> days = {today - kUsPerDay, today};
    OMC_ASSIGN_OR_RETURN(const std::vector<Tank> tanks, StationTanks(tx, tenant, station.id));
    for (const Tank& tank : tanks) {
        if (!tank.active) continue;
        OMC_ASSIGN_OR_RETURN(const AlertChanges c,
                             EvaluateTank(tx, deps, tenant, tank, station, settings, days));
        changes += c;
    }
    return changes;
}

// ---- routes ----

Result<Alert> VisibleAlert(db::Transaction& tx, const http::RequestContext& ctx, const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kFindAlert, {ctx.tenant(), id}));
    if (rows.empty()) return NotFoundError("alert");
    Alert alert = AlertFromRow(rows[0]);
    OMC_ASSIGN_OR_RETURN(const std::optional<identity::StationRef> station,
                         identity::FindVisibleStation(tx, CallerOf(ctx), alert.station_id));
    if (!station) return NotFoundError("alert");
    return alert;
}

Result<http::Reply> ListAlerts(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, PageAfter(page));
    const std::optional<std::string> status = ctx.request().QueryParam("status");
    if (status && *status != "open" && *status != "acknowledged" && *status != "resolved") {
        return InvalidArgument("status", "must be open, acknowledged or resolved");
    }
    const std::optional<std::string> kind = ctx.request().QueryParam("kind");
    if (kind && *kind != "low_stock" && *kind != "water" && *kind != "variance" &&
        *kind != "licence_expiry" && *kind != "overfill") {
        return InvalidArgument("kind",
                               "must be low_stock, water, variance, licence_expiry or overfill");
    }
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const StationFilter filter, ListFilter(*tx, ctx));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kListAlerts, {ctx.tenant(), after, page.limit + 1,
                                                 filter.station, filter.scope_list, status, kind}));
    std::vector<Alert> alerts;
    for (const db::Row& row : rows) alerts.push_back(AlertFromRow(row));
    return PageReply(std::move(alerts), page.limit, AlertJson);
}

Result<http::Reply> GetAlert(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Alert alert, VisibleAlert(*tx, ctx, id));
    return Answer(AlertJson(alert));
}

// The optional {"note": "..."} of an acknowledge or resolve; an empty body is no note.
Result<std::optional<std::string>> ParseNote(const http::RequestContext& ctx) {
    const std::string& text = ctx.request().body;
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(text.empty() ? "{}" : text));
    body.RejectUnknown({"note"});
    std::optional<std::string> note = body.OptionalString("note", kNoteMaxLength);
    OMC_TRY(body.Finish());
    return note;
}

// Moves an alert on: acknowledge (open -> acknowledged) or resolve (open or acknowledged ->
// resolved). Any other move is 409 naming `id`.
Result<http::Reply> MoveAlert(const ForecourtDeps& deps, http::RequestContext& ctx, bool resolve) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(const std::optional<std::string> note, ParseNote(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(Alert alert, VisibleAlert(*tx, ctx, id));
    const TimestampUs now = deps.clock->NowUs();
    const std::string& who = CallerOf(ctx).subject;
    OMC_ASSIGN_OR_RETURN(const int64_t moved,
                         tx->Execute(resolve ? kResolveAlert : kAcknowledgeAlert,
                                     {ctx.tenant(), id, now, who, note}));
    if (moved != 1) {
        return Error(ErrorCode::kConflict, "the alert cannot move that way",
                     {{"id", "is " + alert.status +
                                 (resolve ? ": it cannot be resolved again"
                                          : ": only an open alert is acknowledged")}});
    }
    if (resolve) {
        alert.status = "resolved";
        alert.resolved_at_us = now;
        alert.resolved_by = who;
        alert.resolved_note = note;
    } else {
        alert.status = "acknowledged";
        alert.acknowledged_at_us = now;
        alert.acknowledged_by = who;
        alert.acknowledged_note = note;
    }
    json state = AlertJson(alert);
    OMC_TRY(RecordChange(deps, ctx, *tx,
                         resolve ? "forecourt.alert_resolved" : "forecourt.alert_acknowledged",
                         "alert", id, state));
    return Answer(std::move(state));
}

Result<http::Reply> AcknowledgeAlert(const ForecourtDeps& deps, http::RequestContext& ctx) {
    return MoveAlert(deps, ctx, /*resolve=*/false);
}

Result<http::Reply> ResolveAlert(const ForecourtDeps& deps, http::RequestContext& ctx) {
    return MoveAlert(deps, ctx, /*resolve=*/true);
}

// The sweep over the caller's stations, or the one named in the body.
Result<http::Reply> EvaluateAlertsRoute(const ForecourtDeps& deps, http::RequestContext& ctx) {
    const std::string& text = ctx.request().body;
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(text.empty() ? "{}" : text));
    body.RejectUnknown({"station_id"});
    const std::optional<Uuid> station_id = body.OptionalUuid("station_id");
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    AlertChanges changes;
    if (station_id) {
        OMC_TRY(VisibleStation(*tx, ctx, *station_id, "station_id"));
        OMC_ASSIGN_OR_RETURN(changes, EvaluateAlerts(*tx, deps, ctx.tenant(), station_id));
    } else {
        OMC_ASSIGN_OR_RETURN(const std::optional<std::vector<Uuid>> visible,
                             identity::VisibleStationIds(*tx, CallerOf(ctx)));
        if (!visible) {
            OMC_ASSIGN_OR_RETURN(changes, EvaluateAlerts(*tx, deps, ctx.tenant(), std::nullopt));
        } else {
            for (const Uuid& id : *visible) {
                OMC_ASSIGN_OR_RETURN(const AlertChanges c,
                                     EvaluateAlerts(*tx, deps, ctx.tenant(), id));
                changes += c;
            }
        }
    }
    json result{{"station_id", OptionalId(station_id)},
                {"raised", changes.raised},
                {"resolved", changes.resolved}};
    ctx.audit().entity_type = "alerts";
    ctx.audit().entity_id = station_id ? station_id->ToString() : std::string("tenant");
    ctx.audit().summary = result;
    return Answer(std::move(result));
}

}  // namespace

Result<AlertChanges> EvaluateTankAlerts(db::Transaction& tx, const ForecourtDeps& deps,
                                        const TenantId& tenant, const Uuid& tank_id,
                                        std::optional<TimestampUs> variance_at) {
    OMC_ASSIGN_OR_RETURN(const std::optional<Tank> tank, FindTank(tx, tenant, tank_id));
    if (!tank) return NotFoundError("tank");
    OMC_ASSIGN_OR_RETURN(const std::optional<identity::StationRef> station,
                         identity::FindStation(tx, tenant, tank->station_id));
    ERP_INVARIANT(station.has_value(), "a tank's station exists");
    OMC_ASSIGN_OR_RETURN(const ForecourtSettings settings, LoadSettings(tx, tenant));
    std::vector<TimestampUs> days;
    if (variance_at) days.push_back(*variance_at);
    return EvaluateTank(tx, deps, tenant, *tank, *station, settings, days);
}

Result<AlertChanges> EvaluateAlerts(db::Transaction& tx, const ForecourtDeps& deps,
                                    const TenantId& tenant, std::optional<Uuid> station) {
    OMC_ASSIGN_OR_RETURN(const ForecourtSettings settings, LoadSettings(tx, tenant));
    std::vector<identity::StationRef> stations;
    if (station) {
        OMC_ASSIGN_OR_RETURN(const std::optional<identity::StationRef> one,
                             identity::FindStation(tx, tenant, *station));
        if (!one) return NotFoundError("station");
        stations.push_back(*one);
    } else {
        OMC_ASSIGN_OR_RETURN(stations, identity::TenantStations(tx, tenant));
    }
    AlertChanges changes;
    for (const identity::StationRef& s : stations) {
        OMC_ASSIGN_OR_RETURN(const AlertChanges c, EvaluateStation(tx, deps, tenant, s, settings));
        changes += c;
    }
    return changes;
}

Result<std::vector<Volume>> TankDailySales(db::Transaction& tx, const TenantId& tenant,
                                           const Uuid& tank, TimestampUs since, int64_t days) {
    ERP_ASSERT(days > 0, "at least one day");
    OMC_ASSIGN_OR_RETURN(
        const db::Rows rows,
        tx.Query(kDailyTankSales, {tenant, tank, since, since + days * kUsPerDay}));
    std::vector<Volume> daily(static_cast<size_t>(days), Volume(0));
    for (const db::Row& row : rows) {
        const int64_t day = row.Int(0);
        // A day whose voids outweigh its sales sold nothing, for cover's sake.
        if (day >= 0 && day < days) {
            daily[static_cast<size_t>(day)] = Volume(std::max<int64_t>(row.Int(1), 0));
        }
    }
    return daily;
}

Result<std::vector<LiveAlertCount>> LiveAlertCounts(db::Transaction& tx, const TenantId& tenant) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kLiveAlertCounts, {tenant}));
    std::vector<LiveAlertCount> counts;
    counts.reserve(rows.size());
    for (const db::Row& row : rows) {
        counts.push_back(LiveAlertCount{.station_id = row.Id(0),
                                        .kind = row.Text(1),
                                        .status = row.Text(2),
                                        .count = row.Int(3)});
    }
    return counts;
}

Result<nlohmann::json> LatestLiveAlerts(db::Transaction& tx, const TenantId& tenant,
                                        const std::optional<std::string>& scope_list,
                                        int64_t limit) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx.Query(kLatestLiveAlerts, {tenant, scope_list, limit}));
    json items = json::array();
    for (const db::Row& row : rows) items.push_back(AlertJson(AlertFromRow(row)));
    return items;
}

void RegisterAlertRoutes(http::Router& router, const ForecourtDeps& deps) {
    using http::Method;
    router.Add(ReadRoute("/api/v1/alerts", "forecourt.alerts.list", deps, ListAlerts));
    router.Add(WriteRoute(Method::kPost, "/api/v1/alerts/evaluate", "forecourt.alerts.evaluate",
                          "alerts.write", deps, EvaluateAlertsRoute));
    router.Add(ReadRoute("/api/v1/alerts/{id}", "forecourt.alerts.get", deps, GetAlert));
    router.Add(WriteRoute(Method::kPost, "/api/v1/alerts/{id}/acknowledge",
                          "forecourt.alerts.acknowledge", "alerts.write", deps, AcknowledgeAlert));
    router.Add(WriteRoute(Method::kPost, "/api/v1/alerts/{id}/resolve", "forecourt.alerts.resolve",
                          "alerts.write", deps, ResolveAlert));
}

}  // namespace omc::forecourt
