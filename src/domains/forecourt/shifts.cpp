#include "domains/forecourt/shifts.hpp"

#include <map>
#include <set>
#include <utility>

#include "domains/forecourt/catalog.hpp"
#include "domains/forecourt/common.hpp"
#include "domains/forecourt/equipment.hpp"
#include "domains/forecourt/sales.hpp"
#include "domains/forecourt/stock_posting.hpp"
#include "domains/ledger/posting_ids.hpp"
#include "platform/base/money.hpp"
#include "platform/http/json_body.hpp"

namespace omc::forecourt {
namespace {

using nlohmann::json;

constexpr size_t kMaxNozzlesPerShift = 200;
constexpr size_t kNoteMaxLength = 500;
constexpr int64_t kMaxTotalizerMilli = 1'000'000'000'000'000LL;
constexpr int64_t kMaxCollected = 100'000'000'000LL;  // GH₵ 1 billion in pesewas

constexpr db::Query kFindShift{"forecourt.find_shift", R"sql(
    SELECT id, station_id, status, business_date, opened_at_us, opened_by, closed_at_us,
           closed_by, note
    FROM shifts WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kLockShift{"forecourt.lock_shift", R"sql(
    UPDATE shifts SET status = status WHERE tenant_id = $1 AND id = $2
    RETURNING id, station_id, status, business_date, opened_at_us, opened_by, closed_at_us,
              closed_by, note)sql"};
constexpr db::Query kListShifts{"forecourt.list_shifts", R"sql(
    SELECT id, station_id, status, business_date, opened_at_us, opened_by, closed_at_us,
           closed_by, note
    FROM shifts
    WHERE tenant_id = $1 AND id > $2 AND (station_id = $4 OR $4 IS NULL)
      AND (CAST($5 AS TEXT) IS NULL
           OR (',' || CAST($5 AS TEXT) || ',') LIKE ('%,' || station_id || ',%'))
      AND (status = $6 OR $6 IS NULL)
    ORDER BY id LIMIT $3)sql"};
constexpr db::Query kInsertShift{"forecourt.insert_shift", R"sql(
    INSERT INTO shifts (tenant_id, id, station_id, status, business_date, opened_at_us, opened_by,
                        note)
    VALUES ($1, $2, $3, 'open', $4, $5, $6, $7))sql"};
constexpr db::Query kOpenShiftOf{"forecourt.open_shift_of", R"sql(
    SELECT id, station_id, status, business_date, opened_at_us, opened_by, closed_at_us,
           closed_by, note
    FROM shifts WHERE tenant_id = $1 AND station_id = $2 AND status = 'open')sql"};
constexpr db::Query kOpenShiftAt{"forecourt.open_shift_at", R"sql(
    SELECT id FROM shifts WHERE tenant_id = $1 AND station_id = $2 AND status = 'open')sql"};
constexpr db::Query kCloseShift{"forecourt.close_shift", R"sql(
    UPDATE shifts SET status = 'closed', closed_at_us = $3, closed_by = $4
    WHERE tenant_id = $1 AND id = $2 AND status = 'open')sql"};
constexpr db::Query kInsertAttendant{"forecourt.insert_shift_attendant", R"sql(
    INSERT INTO shift_attendants (tenant_id, shift_id, pump_id, attendant_id)
    VALUES ($1, $2, $3, $4))sql"};
constexpr db::Query kShiftAttendants{"forecourt.shift_attendants", R"sql(
    SELECT pump_id, attendant_id FROM shift_attendants WHERE tenant_id = $1 AND shift_id = $2)sql"};
constexpr db::Query kInsertShiftNozzle{"forecourt.insert_shift_nozzle", R"sql(
    INSERT INTO shift_nozzles (tenant_id, shift_id, nozzle_id, opening_milli)
    VALUES ($1, $2, $3, $4))sql"};
constexpr db::Query kShiftNozzles{"forecourt.shift_nozzles", R"sql(
    SELECT nozzle_id, opening_milli, closing_milli FROM shift_nozzles
    WHERE tenant_id = $1 AND shift_id = $2)sql"};
constexpr db::Query kCloseShiftNozzle{"forecourt.close_shift_nozzle", R"sql(
    UPDATE shift_nozzles SET closing_milli = $4
    WHERE tenant_id = $1 AND shift_id = $2 AND nozzle_id = $3)sql"};
constexpr db::Query kSetTotalizer{"forecourt.set_totalizer", R"sql(
    UPDATE nozzles SET totalizer_milli = $3, updated_at_us = $4 WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kInsertCollection{"forecourt.insert_collection", R"sql(
    INSERT INTO shift_collections (tenant_id, shift_id, attendant_id, cash, momo, card)
    VALUES ($1, $2, $3, $4, $5, $6))sql"};
constexpr db::Query kShiftCollections{"forecourt.shift_collections", R"sql(
    SELECT attendant_id, cash, momo, card FROM shift_collections
    WHERE tenant_id = $1 AND shift_id = $2)sql"};
constexpr db::Query kInsertAdjustment{"forecourt.insert_adjustment", R"sql(
    INSERT INTO shift_adjustments (tenant_id, id, shift_id, attendant_id, nozzle_id, field, delta,
                                   reason, created_by, created_at_us)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10))sql"};
constexpr db::Query kShiftAdjustments{"forecourt.shift_adjustments", R"sql(
    SELECT id, attendant_id, nozzle_id, field, delta, reason, created_by, created_at_us
    FROM shift_adjustments WHERE tenant_id = $1 AND shift_id = $2 ORDER BY id)sql"};
// The shift's recorded sales per nozzle (fuel) and per attendant and payment method; voids and
// refunds count against them (negative rows).
constexpr db::Query kSalesByNozzle{"forecourt.shift_sales_by_nozzle", R"sql(
    SELECT nozzle_id, COALESCE(SUM(CASE WHEN kind = 'refund' THEN 0 ELSE quantity_milli END), 0),
           COALESCE(SUM(amount), 0)
    FROM sales WHERE tenant_id = $1 AND shift_id = $2 AND nozzle_id IS NOT NULL
    GROUP BY nozzle_id)sql"};
constexpr db::Query kSalesByAttendant{"forecourt.shift_sales_by_attendant", R"sql(
    SELECT attendant_id, payment_method, COALESCE(SUM(amount), 0) FROM sales
    WHERE tenant_id = $1 AND shift_id = $2 GROUP BY attendant_id, payment_method)sql"};

}  // namespace

Shift ShiftFromRow(const db::Row& row) {
    return Shift{.id = row.Id(0),
                 .station_id = row.Id(1),
                 .status = row.Text(2),
                 .business_date = row.Text(3),
                 .opened_at_us = row.Int(4),
                 .opened_by = row.Text(5),
                 .closed_at_us = row.OptInt(6),
                 .closed_by = row.OptText(7),
                 .note = row.OptText(8)};
}

json ShiftJson(const Shift& s) {
    return json{{"id", s.id.ToString()},
                {"station_id", s.station_id.ToString()},
                {"status", s.status},
                {"business_date", s.business_date},
                {"opened_at", FormatTimestamp(s.opened_at_us)},
                {"opened_by", s.opened_by},
                {"closed_at", s.closed_at_us ? json(FormatTimestamp(*s.closed_at_us)) : json()},
                {"closed_by", OptionalText(s.closed_by)},
                {"note", OptionalText(s.note)}};
}

Result<Shift> VisibleShift(db::Transaction& tx, const http::RequestContext& ctx, const Uuid& id,
                           bool lock) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx.Query(lock ? kLockShift : kFindShift, {ctx.tenant(), id}));
    if (rows.empty()) return NotFoundError("shift");
    Shift shift = ShiftFromRow(rows[0]);
    OMC_ASSIGN_OR_RETURN(const auto station,
                         identity::FindVisibleStation(tx, CallerOf(ctx), shift.station_id));
    if (!station) return NotFoundError("shift");
    return shift;
}

namespace {

// Totalizer readings as sent: [{nozzle_id, totalizer}], one per nozzle.
struct Reading {
    Uuid nozzle_id;
    int64_t totalizer = 0;
    std::string field;  // "totalizers[i].totalizer"
};

std::vector<Reading> ReadTotalizers(http::JsonBody& body) {
    std::vector<Reading> readings;
    for (http::JsonBody& item : body.RequiredObjectArray("totalizers", 1, kMaxNozzlesPerShift)) {
        item.RejectUnknown({"nozzle_id", "totalizer"});
        Reading r;
        r.nozzle_id = item.RequiredUuid("nozzle_id");
        r.totalizer = item.RequiredDecimal("totalizer", kQuantityScale, 0, kMaxTotalizerMilli);
        r.field = item.FieldPath("totalizer");
        readings.push_back(std::move(r));
    }
    return readings;
}

// Every active nozzle of the station read exactly once, none of another station.
Result<void> CheckReadingsCover(const std::vector<Reading>& readings,
                                const std::map<Uuid, Nozzle>& nozzles) {
    std::vector<FieldError> errors;
    std::set<Uuid> seen;
    for (size_t i = 0; i < readings.size(); ++i) {
        const std::string field = "totalizers[" + std::to_string(i) + "].nozzle_id";
        if (!nozzles.count(readings[i].nozzle_id)) {
            errors.push_back({field, "is not an active nozzle of this station"});
        } else if (!seen.insert(readings[i].nozzle_id).second) {
            errors.push_back({field, "is read twice"});
        }
    }
    for (const auto& [id, nozzle] : nozzles) {
        if (!seen.count(id)) {
            errors.push_back({"totalizers", "misses nozzle " + id.ToString() + " (pump nozzle " +
                                                std::to_string(nozzle.number) + ")"});
        }
    }
    if (!errors.empty()) {
        return Error(ErrorCode::kInvalidArgument, "invalid request", std::move(errors));
    }
    return Ok();
}

Result<std::map<Uuid, Nozzle>> ActiveNozzles(db::Transaction& tx, const TenantId& tenant,
                                             const Uuid& station) {
    OMC_ASSIGN_OR_RETURN(const std::vector<Nozzle> all, StationNozzles(tx, tenant, station));
    std::map<Uuid, Nozzle> active;
    for (const Nozzle& n : all) {
        if (n.active) active.emplace(n.id, n);
    }
    return active;
}

}  // namespace

// ---- the shift report ----
//
// Per nozzle: meter sales (closing − opening totalizer, adjusted) against recorded sales, in
// quantity and at the nozzle's price at close. Per attendant: the money expected (meter value of
// their pumps' nozzles, less what was sold on account or by voucher, which brings no money in)
// against what they handed over (cash + MoMo + card, adjusted). Variance = handed over −
// expected: negative means short.
Result<ShiftReport> BuildShiftReport(db::Transaction& tx, const TenantId& tenant,
                                     const Shift& shift, TimestampUs now) {
    ShiftTotals totals;
    OMC_ASSIGN_OR_RETURN(const std::vector<Nozzle> station_nozzles,
                         StationNozzles(tx, tenant, shift.station_id));
    std::map<Uuid, Nozzle> nozzle_by_id;
    for (const Nozzle& n : station_nozzles) nozzle_by_id.emplace(n.id, n);
    std::map<Uuid, Uuid> attendant_of_pump;
    OMC_ASSIGN_OR_RETURN(const db::Rows attendants, tx.Query(kShiftAttendants, {tenant, shift.id}));
    for (const db::Row& row : attendants) attendant_of_pump[row.Id(0)] = row.Id(1);
    std::map<Uuid, std::pair<int64_t, int64_t>> recorded;  // nozzle -> (quantity, amount)
    OMC_ASSIGN_OR_RETURN(const db::Rows by_nozzle, tx.Query(kSalesByNozzle, {tenant, shift.id}));
    for (const db::Row& row : by_nozzle) recorded[row.Id(0)] = {row.Int(1), row.Int(2)};
    std::map<Uuid, int64_t> closing_adjust;
    std::map<Uuid, std::array<int64_t, 3>> money_adjust;  // cash, momo, card
    json adjustments = json::array();
    OMC_ASSIGN_OR_RETURN(const db::Rows adj_rows, tx.Query(kShiftAdjustments, {tenant, shift.id}));
    for (const db::Row& row : adj_rows) {
        const std::string& field = row.Text(3);
        if (field == "closing_milli" && !row.IsNull(2)) closing_adjust[row.Id(2)] += row.Int(4);
        if (field != "closing_milli" && !row.IsNull(1)) {
            money_adjust[row.Id(1)][field == "cash" ? 0 : field == "momo" ? 1 : 2] += row.Int(4);
        }
        adjustments.push_back(
            json{{"id", row.Id(0).ToString()},
                 {"attendant_id", row.IsNull(1) ? json() : json(row.Id(1).ToString())},
                 {"nozzle_id", row.IsNull(2) ? json() : json(row.Id(2).ToString())},
                 {"field", field == "closing_milli" ? "closing_totalizer" : field},
                 {"delta",
                  field == "closing_milli" ? FormatQuantity(row.Int(4)) : FormatMoney(row.Int(4))},
                 {"reason", row.Text(5)},
                 {"created_by", row.Text(6)},
                 {"created_at", FormatTimestamp(row.Int(7))}});
    }

    struct AttendantTotals {
        int64_t expected = 0;
        std::map<std::string, int64_t> recorded_by_method;
        std::array<int64_t, 3> collected{};
        bool handed_over = false;
    };
    std::map<Uuid, AttendantTotals> people;
    json nozzles = json::array();
    OMC_ASSIGN_OR_RETURN(const db::Rows readings, tx.Query(kShiftNozzles, {tenant, shift.id}));
    const TimestampUs price_time = shift.closed_at_us.value_or(now);
    for (const db::Row& row : readings) {
        const Uuid nozzle_id = row.Id(0);
        const auto found = nozzle_by_id.find(nozzle_id);
        if (found == nozzle_by_id.end()) continue;
        const Nozzle& nozzle = found->second;
        const int64_t opening = row.Int(1);
        const std::optional<int64_t> closing_read = row.OptInt(2);
        json line{{"nozzle_id", nozzle_id.ToString()},
                  {"pump_id", nozzle.pump_id.ToString()},
                  {"number", nozzle.number},
                  {"product_id", nozzle.product_id.ToString()},
                  {"opening_totalizer", FormatQuantity(opening)}};
        const auto [rec_qty, rec_amount] = recorded[nozzle_id];
        totals.recorded_by_nozzle[nozzle_id] = rec_qty;
        line["recorded_quantity"] = FormatQuantity(rec_qty);
        line["recorded_amount"] = FormatMoney(rec_amount);
        const auto attendant = attendant_of_pump.find(nozzle.pump_id);
        line["attendant_id"] =
            attendant == attendant_of_pump.end() ? json() : json(attendant->second.ToString());
        if (closing_read) {
            const int64_t closing = *closing_read + closing_adjust[nozzle_id];
            const int64_t meter = closing - opening;
            OMC_ASSIGN_OR_RETURN(
                const std::optional<PriceInForce> price,
                PriceAt(tx, tenant, shift.station_id, nozzle.product_id, price_time));
            int64_t meter_value = 0;
            if (price) {
                OMC_ASSIGN_OR_RETURN(const Money value,
                                     AmountForVolume(UnitPrice(price->unit_price), Volume(meter),
                                                     RoundingMode::kHalfUp));
                meter_value = value.raw();
            }
            totals.meter_by_nozzle[nozzle_id] = meter;
            line["closing_totalizer"] = FormatQuantity(closing);
            line["meter_quantity"] = FormatQuantity(meter);
            line["meter_amount"] = FormatMoney(meter_value);
            line["variance_quantity"] = FormatQuantity(meter - rec_qty);
            line["variance_amount"] = FormatMoney(meter_value - rec_amount);
            if (attendant != attendant_of_pump.end()) {
                people[attendant->second].expected += meter_value;
            }
        } else {
            line["closing_totalizer"] = nullptr;
        }
        nozzles.push_back(std::move(line));
    }
    OMC_ASSIGN_OR_RETURN(const db::Rows by_attendant,
                         tx.Query(kSalesByAttendant, {tenant, shift.id}));
    for (const db::Row& row : by_attendant) {
        if (row.IsNull(0)) continue;
        people[row.Id(0)].recorded_by_method[row.Text(1)] += row.Int(2);
    }
    OMC_ASSIGN_OR_RETURN(const db::Rows collections,
                         tx.Query(kShiftCollections, {tenant, shift.id}));
    for (const db::Row& row : collections) {
        AttendantTotals& t = people[row.Id(0)];
        t.collected = {row.Int(1), row.Int(2), row.Int(3)};
        t.handed_over = true;
    }
    json attendants_json = json::array();
    for (auto& [id, t] : people) {
        for (int i = 0; i < 3; ++i) t.collected[i] += money_adjust[id][i];
        const int64_t not_money = t.recorded_by_method["account"] + t.recorded_by_method["voucher"];
        const int64_t expected = t.expected - not_money;
        const int64_t collected = t.collected[0] + t.collected[1] + t.collected[2];
        json by_payment = json::object();
        for (const auto& [method, amount] : t.recorded_by_method) {
            by_payment[method] = FormatMoney(amount);
        }
        json line{{"attendant_id", id.ToString()},
                  {"recorded_by_payment", by_payment},
                  {"expected_money", FormatMoney(expected)},
                  {"handed_over", t.handed_over}};
        totals.expected_money += expected;
        if (t.handed_over) {
            totals.collected_money += collected;
            line["collected"] = json{{"cash", FormatMoney(t.collected[0])},
                                     {"momo", FormatMoney(t.collected[1])},
                                     {"card", FormatMoney(t.collected[2])},
                                     {"total", FormatMoney(collected)}};
            line["variance_amount"] = FormatMoney(collected - expected);
            if (collected < expected) totals.cash_short += expected - collected;
            if (collected > expected) totals.cash_over += collected - expected;
        }
        attendants_json.push_back(std::move(line));
    }
    return ShiftReport{.json = json{{"nozzles", nozzles},
                                    {"attendants", attendants_json},
                                    {"adjustments", adjustments},
                                    {"prices_at", FormatTimestamp(price_time)}},
                       .totals = std::move(totals)};
}

namespace {

// ---- handlers ----

Result<http::Reply> OpenShift(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"station_id", "attendants", "totalizers", "note"});
    const Uuid station_id = body.RequiredUuid("station_id");
    std::vector<std::pair<Uuid, Uuid>> attendants;  // pump, attendant
    std::vector<std::string> attendant_fields;
    for (http::JsonBody& a : body.RequiredObjectArray("attendants", 1, kMaxNozzlesPerShift)) {
        a.RejectUnknown({"pump_id", "attendant_id"});
        attendants.emplace_back(a.RequiredUuid("pump_id"), a.RequiredUuid("attendant_id"));
        attendant_fields.push_back(a.FieldPath("pump_id"));
    }
    const std::vector<Reading> readings = ReadTotalizers(body);
    const std::optional<std::string> note = body.OptionalString("note", kNoteMaxLength);
    OMC_TRY(body.Finish());

    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const identity::StationRef station,
                         VisibleStation(*tx, ctx, station_id, "station_id"));
    if (!station.active)
        return Error(ErrorCode::kConflict, "conflict", {{"station_id", "is not active"}});
    OMC_ASSIGN_OR_RETURN(const db::Rows open, tx->Query(kOpenShiftAt, {ctx.tenant(), station_id}));
    if (!open.empty()) {
        return Error(ErrorCode::kConflict, "a shift is already open at this station",
                     {{"station_id", "has an open shift " + open[0].Id(0).ToString()}});
    }
    OMC_ASSIGN_OR_RETURN(const auto nozzles, ActiveNozzles(*tx, ctx.tenant(), station_id));
    OMC_TRY(CheckReadingsCover(readings, nozzles));
    std::vector<FieldError> errors;
    for (const Reading& r : readings) {
        // A totalizer never runs backwards: below the last reading is a typing error or a
        // tampered meter, either way not something to open a shift on.
        if (r.totalizer < nozzles.at(r.nozzle_id).totalizer_milli) {
            errors.push_back({r.field, "is below the nozzle's last reading (" +
                                           FormatQuantity(nozzles.at(r.nozzle_id).totalizer_milli) +
                                           ")"});
        }
    }
    std::set<Uuid> pumps;
    for (const auto& [id, n] : nozzles) pumps.insert(n.pump_id);
    std::set<Uuid> assigned;
    for (size_t i = 0; i < attendants.size(); ++i) {
        const auto& [pump, person] = attendants[i];
        if (!pumps.count(pump)) {
            errors.push_back({attendant_fields[i], "is not a pump of this station"});
        } else if (!assigned.insert(pump).second) {
            errors.push_back({attendant_fields[i], "has two attendants"});
        }
        OMC_ASSIGN_OR_RETURN(const bool known,
                             identity::ActiveUserExists(*tx, ctx.tenant(), person));
        if (!known) {
            errors.push_back(
                {"attendants[" + std::to_string(i) + "].attendant_id", "no such active user"});
        }
    }
    if (!errors.empty()) {
        return Error(ErrorCode::kInvalidArgument, "invalid request", std::move(errors));
    }
    const TimestampUs now = deps.clock->NowUs();
    Shift shift{.id = deps.ids->NewV7(),
                .station_id = station_id,
                .status = "open",
                .business_date = BusinessDate(now, station.business_day_start_min),
                .opened_at_us = now,
                .opened_by = CallerOf(ctx).subject,
                .note = note};
    OMC_TRY(tx->Execute(kInsertShift, {ctx.tenant(), shift.id, station_id, shift.business_date, now,
                                       shift.opened_by, note}));
    for (const auto& [pump, person] : attendants) {
        OMC_TRY(tx->Execute(kInsertAttendant, {ctx.tenant(), shift.id, pump, person}));
    }
    for (const Reading& r : readings) {
        OMC_TRY(
            tx->Execute(kInsertShiftNozzle, {ctx.tenant(), shift.id, r.nozzle_id, r.totalizer}));
        OMC_TRY(tx->Execute(kSetTotalizer, {ctx.tenant(), r.nozzle_id, r.totalizer, now}));
    }
    json state = ShiftJson(shift);
    OMC_TRY(RecordChange(deps, ctx, *tx, "forecourt.shift_opened", "shift", shift.id, state));
    return Created(std::move(state), "/api/v1/shifts", shift.id);
}

Result<http::Reply> CloseShift(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"totalizers", "collections"});
    const std::vector<Reading> readings = ReadTotalizers(body);
    struct Collection {
        Uuid attendant;
        int64_t cash, momo, card;
        std::string field;
    };
    std::vector<Collection> collections;
    for (http::JsonBody& c : body.RequiredObjectArray("collections", 0, kMaxNozzlesPerShift)) {
        c.RejectUnknown({"attendant_id", "cash", "momo", "card"});
        collections.push_back({c.RequiredUuid("attendant_id"),
                               c.RequiredDecimal("cash", kMoneyScale, 0, kMaxCollected),
                               c.RequiredDecimal("momo", kMoneyScale, 0, kMaxCollected),
                               c.RequiredDecimal("card", kMoneyScale, 0, kMaxCollected),
                               c.FieldPath("attendant_id")});
    }
    OMC_TRY(body.Finish());

    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(Shift shift, VisibleShift(*tx, ctx, id, /*lock=*/true));
    if (shift.status != "open") {
        return Error(ErrorCode::kConflict, "the shift is closed",
                     {{"id", "is closed: correct it with an adjustment"}});
    }
    OMC_ASSIGN_OR_RETURN(const db::Rows opened, tx->Query(kShiftNozzles, {ctx.tenant(), id}));
    std::map<Uuid, int64_t> opening;
    for (const db::Row& row : opened) opening[row.Id(0)] = row.Int(1);
    std::vector<FieldError> errors;
    std::set<Uuid> seen;
    for (size_t i = 0; i < readings.size(); ++i) {
        const Reading& r = readings[i];
        const auto it = opening.find(r.nozzle_id);
        if (it == opening.end()) {
            errors.push_back({"totalizers[" + std::to_string(i) + "].nozzle_id",
                              "is not a nozzle of this shift"});
        } else if (!seen.insert(r.nozzle_id).second) {
            errors.push_back({"totalizers[" + std::to_string(i) + "].nozzle_id", "is read twice"});
        } else if (r.totalizer < it->second) {
            errors.push_back(
                {r.field, "is below the opening reading (" + FormatQuantity(it->second) + ")"});
        }
    }
    for (const auto& [nozzle, value] : opening) {
        if (!seen.count(nozzle)) {
            errors.push_back({"totalizers", "misses nozzle " + nozzle.ToString()});
        }
    }
    OMC_ASSIGN_OR_RETURN(const db::Rows assigned, tx->Query(kShiftAttendants, {ctx.tenant(), id}));
    std::set<Uuid> people;
    for (const db::Row& row : assigned) people.insert(row.Id(1));
    std::set<Uuid> handed;
    for (const Collection& c : collections) {
        if (!people.count(c.attendant)) {
            errors.push_back({c.field, "is not an attendant of this shift"});
        } else if (!handed.insert(c.attendant).second) {
            errors.push_back({c.field, "hands over twice"});
        }
    }
    if (!errors.empty()) {
        return Error(ErrorCode::kInvalidArgument, "invalid request", std::move(errors));
    }
    const TimestampUs now = deps.clock->NowUs();
    for (const Reading& r : readings) {
        OMC_TRY(tx->Execute(kCloseShiftNozzle, {ctx.tenant(), id, r.nozzle_id, r.totalizer}));
        OMC_TRY(tx->Execute(kSetTotalizer, {ctx.tenant(), r.nozzle_id, r.totalizer, now}));
    }
    for (const Collection& c : collections) {
        OMC_TRY(tx->Execute(kInsertCollection,
                            {ctx.tenant(), id, c.attendant, c.cash, c.momo, c.card}));
    }
    OMC_ASSIGN_OR_RETURN(const int64_t closed,
                         tx->Execute(kCloseShift, {ctx.tenant(), id, now, CallerOf(ctx).subject}));
    if (closed != 1) return Error(ErrorCode::kConflict, "the shift was closed meanwhile");
    shift.status = "closed";
    shift.closed_at_us = now;
    shift.closed_by = CallerOf(ctx).subject;
    json state = ShiftJson(shift);
    OMC_ASSIGN_OR_RETURN(ShiftReport report, BuildShiftReport(*tx, ctx.tenant(), shift, now));
    state["report"] = std::move(report.json);
    // The cash-up's variance in the ledger, in the close's transaction (entry id derived from
    // the shift's, so it posts once).
    OMC_TRY(PostCashUp(*tx, ctx.tenant(), *deps.ids, now, ledger::DerivedEntryId(id, "cash_up"), id,
                       shift.station_id, shift.business_date, report.totals.cash_short,
                       report.totals.cash_over, "cash_up"));
    OMC_TRY(RecordChange(deps, ctx, *tx, "forecourt.shift_closed", "shift", id, state));
    return Answer(std::move(state));
}

Result<http::Reply> AdjustShift(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
    body.RejectUnknown({"field", "attendant_id", "nozzle_id", "delta", "reason"});
    const std::string field =
        body.RequiredEnum("field", {"cash", "momo", "card", "closing_totalizer"});
    const std::optional<Uuid> attendant = body.OptionalUuid("attendant_id");
    const std::optional<Uuid> nozzle = body.OptionalUuid("nozzle_id");
    const bool totalizer = field == "closing_totalizer";
    const int64_t delta =
        totalizer
            ? body.RequiredDecimal("delta", kQuantityScale, -kMaxTotalizerMilli, kMaxTotalizerMilli)
            : body.RequiredDecimal("delta", kMoneyScale, -kMaxCollected, kMaxCollected);
    const std::string reason = body.RequiredString("reason", kNoteMaxLength);
    if (!field.empty()) {
        if (totalizer && !nozzle) body.AddError("nozzle_id", "is required for a totalizer");
        if (!totalizer && !attendant) body.AddError("attendant_id", "is required for money");
    }
    if (!body.HasErrors() && delta == 0) body.AddError("delta", "must not be zero");
    if (!body.HasErrors() && reason.find_first_not_of(" \t\r\n") == std::string::npos) {
        body.AddError("reason", "must not be blank");
    }
    OMC_TRY(body.Finish());
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Shift shift, VisibleShift(*tx, ctx, id, /*lock=*/true));
    if (shift.status != "closed") {
        return Error(ErrorCode::kConflict, "the shift is still open",
                     {{"id", "is open: adjustments correct closed shifts"}});
    }
    const Uuid adjustment = deps.ids->NewV7();
    const TimestampUs now = deps.clock->NowUs();
    OMC_ASSIGN_OR_RETURN(const ShiftReport before, BuildShiftReport(*tx, ctx.tenant(), shift, now));
    OMC_TRY(tx->Execute(kInsertAdjustment, {ctx.tenant(), adjustment, id,
                                            totalizer ? std::optional<Uuid>() : attendant,
                                            totalizer ? nozzle : std::optional<Uuid>(),
                                            totalizer ? std::string("closing_milli") : field, delta,
                                            reason, CallerOf(ctx).subject, now}));
    json state = ShiftJson(shift);
    OMC_ASSIGN_OR_RETURN(ShiftReport report, BuildShiftReport(*tx, ctx.tenant(), shift, now));
    state["report"] = std::move(report.json);
    // The change of the cash short and over the adjustment makes (entry id = the adjustment's).
    OMC_TRY(PostCashUp(*tx, ctx.tenant(), *deps.ids, now, adjustment, id, shift.station_id,
                       shift.business_date, report.totals.cash_short - before.totals.cash_short,
                       report.totals.cash_over - before.totals.cash_over, "cash_up_adjustment"));
    OMC_TRY(RecordChange(
        deps, ctx, *tx, "forecourt.shift_adjusted", "shift", id,
        json{{"adjustment_id", adjustment.ToString()}, {"field", field}, {"reason", reason}}));
    return Created(std::move(state), "/api/v1/shifts", id);
}

Result<http::Reply> GetShift(const ForecourtDeps& deps, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const Uuid id, PathUuid(ctx));
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const Shift shift, VisibleShift(*tx, ctx, id, /*lock=*/false));
    OMC_ASSIGN_OR_RETURN(json data,
                         ShiftWithReportJson(*tx, ctx.tenant(), shift, deps.clock->NowUs()));
    return Answer(std::move(data));
}

Result<http::Reply> ListShifts(const ForecourtDeps& /*deps*/, http::RequestContext& ctx) {
    OMC_ASSIGN_OR_RETURN(const http::Page page, ctx.ParsePage());
    OMC_ASSIGN_OR_RETURN(const Uuid after, PageAfter(page));
    const std::optional<std::string> status = ctx.request().QueryParam("status");
    if (status && *status != "open" && *status != "closed") {
        return InvalidArgument("status", "must be open or closed");
    }
    OMC_ASSIGN_OR_RETURN(db::Transaction * tx, ctx.Tx());
    OMC_ASSIGN_OR_RETURN(const StationFilter filter, ListFilter(*tx, ctx));
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx->Query(kListShifts, {ctx.tenant(), after, page.limit + 1,
                                                 filter.station, filter.scope_list, status}));
    std::vector<Shift> shifts;
    for (const db::Row& row : rows) shifts.push_back(ShiftFromRow(row));
    return PageReply(std::move(shifts), page.limit, ShiftJson);
}

}  // namespace

Result<std::optional<Shift>> OpenShiftOf(db::Transaction& tx, const TenantId& tenant,
                                         const Uuid& station) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kOpenShiftOf, {tenant, station}));
    if (rows.empty()) return std::optional<Shift>();
    return std::optional<Shift>(ShiftFromRow(rows[0]));
}

Result<json> ShiftWithReportJson(db::Transaction& tx, const TenantId& tenant, const Shift& shift,
                                 TimestampUs now) {
    json data = ShiftJson(shift);
    OMC_ASSIGN_OR_RETURN(ShiftReport report, BuildShiftReport(tx, tenant, shift, now));
    data["report"] = std::move(report.json);
    return data;
}

void RegisterShiftRoutes(http::Router& router, const ForecourtDeps& deps) {
    using http::Method;
    router.Add(ReadRoute("/api/v1/shifts", "forecourt.shifts.list", deps, ListShifts));
    router.Add(WriteRoute(Method::kPost, "/api/v1/shifts", "forecourt.shifts.open", "shifts.write",
                          deps, OpenShift));
    router.Add(ReadRoute("/api/v1/shifts/{id}", "forecourt.shifts.get", deps, GetShift));
    router.Add(WriteRoute(Method::kPost, "/api/v1/shifts/{id}/close", "forecourt.shifts.close",
                          "shifts.write", deps, CloseShift));
    router.Add(WriteRoute(Method::kPost, "/api/v1/shifts/{id}/adjustments",
                          "forecourt.shifts.adjust", "shifts.write", deps, AdjustShift));
}

}  // namespace omc::forecourt
