#include "domains/forecourt/sales.hpp"

#include <algorithm>
#include <map>
#include <utility>

#include "domains/arap/credit.hpp"
#include "domains/forecourt/catalog.hpp"
#include "domains/forecourt/common.hpp"
#include "domains/forecourt/equipment.hpp"
#include "domains/forecourt/sale_posting.hpp"
#include "domains/identity/identity_api.hpp"
#include "platform/base/assert.hpp"
#include "platform/base/money.hpp"
#include "platform/db/multi_row.hpp"
#include "platform/events/outbox.hpp"
#include "platform/http/json_text.hpp"

namespace omc::forecourt {
namespace {

using nlohmann::json;

constexpr db::Query kFindSale{"forecourt.find_sale",
                              "SELECT " OMC_SALE_COLUMNS
                              ", request_hash FROM sales WHERE tenant_id = $1 AND id = $2"};
// The sale's insert: one row (an isolated sale), or many in one statement (an optimistic
// batch, platform/db/multi_row.hpp).
constexpr std::string_view kInsertSalesHead =
    "INSERT INTO sales (tenant_id, id, station_id, receipt_no, kind, product_id, nozzle_id, "
    "tank_id, shift_id, attendant_id, quantity_milli, unit_price, amount, payment_method, "
    "payment_ref, customer_id, sold_at_us, recorded_at_us, recorded_by, reverses_id, reason, "
    "approved_by, request_hash)";
constexpr size_t kInsertSaleColumns = 23;

// The reversals already recorded against a sale (their quantities are negative).
constexpr db::Query kReversed{"forecourt.reversed", R"sql(
    SELECT COUNT(*), COALESCE(SUM(quantity_milli), 0), COALESCE(SUM(amount), 0) FROM sales
    WHERE tenant_id = $1 AND reverses_id = $2)sql"};

constexpr db::Query kOpenShift{"forecourt.open_shift", R"sql(
    SELECT id FROM shifts WHERE tenant_id = $1 AND station_id = $2 AND status = 'open')sql"};
constexpr db::Query kShiftStatus{"forecourt.shift_status", R"sql(
    SELECT status, station_id FROM shifts WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kPumpAttendant{"forecourt.pump_attendant", R"sql(
    SELECT attendant_id FROM shift_attendants
    WHERE tenant_id = $1 AND shift_id = $2 AND pump_id = $3)sql"};

// Receipt counters: created at the first sale of a station, and locked for the batch, in one
// statement (the no-op update is the portable SELECT ... FOR UPDATE).
constexpr db::Query kLockReceipts{"forecourt.lock_receipts", R"sql(
    INSERT INTO station_receipts (tenant_id, station_id, next_receipt) VALUES ($1, $2, 1)
    ON CONFLICT (tenant_id, station_id) DO UPDATE SET next_receipt = station_receipts.next_receipt
    RETURNING next_receipt)sql"};
constexpr db::Query kAdvanceReceipts{"forecourt.advance_receipts", R"sql(
    UPDATE station_receipts SET next_receipt = $3 WHERE tenant_id = $1 AND station_id = $2)sql"};
constexpr db::Query kMoveBookStock{"forecourt.move_book_stock", R"sql(
    UPDATE tanks SET book_stock_milli = book_stock_milli + $3 WHERE tenant_id = $1 AND id = $2)sql"};
constexpr db::Query kAddDaily{"forecourt.add_daily", R"sql(
    INSERT INTO sales_daily (tenant_id, station_id, product_id, business_date, sales_count,
                             quantity_milli, amount)
    VALUES ($1, $2, $3, $4, $5, $6, $7)
    ON CONFLICT (tenant_id, station_id, product_id, business_date) DO UPDATE
    SET sales_count = sales_daily.sales_count + excluded.sales_count,
        quantity_milli = sales_daily.quantity_milli + excluded.quantity_milli,
        amount = sales_daily.amount + excluded.amount)sql"};

std::optional<SaleKind> ParseSaleKind(std::string_view name) {
    for (SaleKind k : {SaleKind::kFuel, SaleKind::kShop, SaleKind::kVoid, SaleKind::kRefund}) {
        if (SaleKindName(k) == name) return k;
    }
    return std::nullopt;
}

Error FieldConflict(std::string field, std::string message) {
    return Error(ErrorCode::kConflict, "conflict", {{std::move(field), std::move(message)}});
}
Error FieldUnprocessable(std::string field, std::string message) {
    return Error(ErrorCode::kUnprocessable, "cannot record this sale",
                 {{std::move(field), std::move(message)}});
}

// What one batch learns once and shares between its sales. Rebuilt from scratch when a batch is
// run again after a serialization failure.
struct StationState {
    std::optional<identity::StationRef> ref;
    std::optional<Uuid> open_shift;
    int64_t next_receipt = 0;         // the number the next stored sale of this batch takes
    TimestampUs last_sold_at_us = 0;  // the latest sale time of the batch at this station
};

struct BatchState {
    std::map<Uuid, StationState> stations;
    std::map<Uuid, std::optional<Nozzle>> nozzles;
    std::map<std::pair<Uuid, Uuid>, std::optional<Uuid>> pump_attendants;  // (shift, pump)
    // (station, product): the price in force at the station's last_sold_at_us.
    std::map<std::pair<Uuid, Uuid>, std::optional<PriceInForce>> prices;
};

using Statements = std::vector<std::pair<db::Query, db::Params>>;

// One batch's sales in one transaction. Optimistic (the first run of every batch): the sales run
// back to back with no savepoints and no replay lookup, and their writes wait and go with the
// batch's aggregate updates in one pipeline (one round trip on PostgreSQL); any failure, a
// retried sale's duplicate id included, makes the committer roll back and run the batch again
// isolated: each sale in its own savepoint, looked up first (a retry answers the stored sale)
// and written at once, so an error is its own.
class BatchRecorder {
  public:
    BatchRecorder(db::Transaction& tx, const TenantId& tenant, IdGenerator& ids, const Clock& clock,
                  bool optimistic)
        : tx_(tx), tenant_(tenant), ids_(ids), clock_(clock), optimistic_(optimistic) {}

    // Before any sale: every station of the batch is loaded and its receipt counter locked, in
    // id order so that two batches (two processes) never wait on each other in a cycle.
    Result<void> Prepare(std::span<const SaleCommand> commands) {
        for (const SaleCommand& c : commands) {
            StationState& station = state_.stations[c.station_id];
            station.last_sold_at_us = std::max(station.last_sold_at_us, c.sold_at_us);
        }
        for (auto& [id, station] : state_.stations) {
            OMC_ASSIGN_OR_RETURN(station.ref, identity::FindStation(tx_, tenant_, id));
            if (!station.ref) continue;
            OMC_ASSIGN_OR_RETURN(const db::Rows next, tx_.Query(kLockReceipts, {tenant_, id}));
            station.next_receipt = next[0].Int(0);
            OMC_ASSIGN_OR_RETURN(const db::Rows shift, tx_.Query(kOpenShift, {tenant_, id}));
            if (!shift.empty()) station.open_shift = shift[0].Id(0);
        }
        return Ok();
    }

    Result<Sale> Record(const SaleCommand& c) {
        if (!optimistic_) {
            OMC_ASSIGN_OR_RETURN(const std::optional<Sale> existing, FindSale(tx_, tenant_, c.id));
            if (existing) return Replay(*existing, c);
        }
        StationState& station = state_.stations.at(c.station_id);
        if (!station.ref || !identity::SeesStation(c.principal, *station.ref)) {
            return FieldUnprocessable("station_id", "no such station");
        }
        if (!station.ref->active) return FieldConflict("station_id", "is not active");

        Sale sale;
        sale.id = c.id;
        sale.station_id = c.station_id;
        sale.kind = c.kind;
        sale.payment_method = c.payment_method;
        sale.payment_ref = c.payment_ref;
        sale.customer_id = c.customer_id;
        sale.sold_at_us = c.sold_at_us;
        sale.recorded_at_us = clock_.NowUs();
        sale.recorded_by = c.principal.subject;
        OMC_TRY(ResolveShift(c, station, sale));
        if (c.kind == SaleKind::kVoid || c.kind == SaleKind::kRefund) {
            OMC_TRY(Reverse(c, sale));
        } else {
            OMC_TRY(Price(c, sale));
        }
        if (sale.payment_method == "account" && sale.customer_id) OMC_TRY(ChargeAccount(c, sale));
        sale.receipt_no = station.next_receipt;
        OMC_TRY(Insert(sale, c.request_hash));
        fuel_[sale.id] = c.kind == SaleKind::kFuel || (sale.reverses_id && sale.nozzle_id);
        ++station.next_receipt;  // only now: a failed sale leaves no gap
        return sale;
    }

    // After the batch's sales: one counter update per station, one book-stock update per tank and
    // one rollup upsert per (station, product, day), all from the sales actually stored, sent in
    // one round trip (with the sales' own writes when optimistic). False when an optimistic
    // batch's writes failed (a duplicate id, say): the batch must run again isolated.
    Result<bool> Finish(std::span<const Result<Sale>> results) {
        std::map<Uuid, int64_t> next_receipt;
        std::map<Uuid, int64_t> tank_delta;
        struct Daily {
            int64_t count = 0;
            int64_t quantity = 0;
            int64_t amount = 0;
        };
        std::map<std::tuple<Uuid, Uuid, std::string>, Daily> daily;
        std::vector<PostedSale> postings;
        for (const Result<Sale>& result : results) {
            if (!result.ok() || result->replayed) continue;
            const Sale& s = *result;
            int64_t& next = next_receipt[s.station_id];
            next = std::max(next, s.receipt_no + 1);
            // A void gives the fuel back to the tank; a refund is money only (fuel once
            // dispensed does not go back into a tank).
            if (s.tank_id && s.kind != SaleKind::kRefund)
                tank_delta[*s.tank_id] -= s.quantity_milli;
            const StationState& station = state_.stations.at(s.station_id);
            ERP_ASSERT(station.ref.has_value(), "a stored sale of an unknown station");
            const std::string date =
                BusinessDate(s.sold_at_us, station.ref ? station.ref->business_day_start_min : 0);
            postings.push_back({&s, fuel_.at(s.id), date});
            Daily& d = daily[{s.station_id, s.product_id, date}];
            d.count += s.kind == SaleKind::kVoid || s.kind == SaleKind::kRefund ? 0 : 1;
            d.quantity += s.quantity_milli;
            d.amount += s.amount;
        }
        // The batch's ledger entries, before the sales' own writes so that the average cost
        // reads the book stock as it was before the batch.
        Result<void> posted = PostSaleBatch(tx_, tenant_, ids_, clock_.NowUs(), postings);
        if (!posted.ok()) {
            if (optimistic_) return false;
            return std::move(posted).error();
        }
        Statements writes;
        db::AppendInsertChunks("forecourt.insert_sales", kInsertSalesHead, "", kInsertSaleColumns,
                               std::move(sale_rows_), writes);
        OMC_TRY(events::AppendEventInserts(tx_, std::move(event_inserts_), writes));
        for (const auto& [station, next] : next_receipt) {
            writes.emplace_back(kAdvanceReceipts, db::Params{tenant_, station, next});
        }
        for (const auto& [tank, delta] : tank_delta) {
            if (delta != 0) writes.emplace_back(kMoveBookStock, db::Params{tenant_, tank, delta});
        }
        for (const auto& [key, d] : daily) {
            const auto& [station, product, date] = key;
            writes.emplace_back(kAddDaily, db::Params{tenant_, station, product, date, d.count,
                                                      d.quantity, d.amount});
        }
        if (writes.empty()) return true;
        Result<std::vector<int64_t>> written = tx_.ExecuteBatch(writes);
        if (!written.ok()) {
            if (optimistic_) return false;
            return std::move(written).error();
        }
        return true;
    }

  private:
    Result<Sale> Replay(Sale existing, const SaleCommand& c) {
        OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx_.Query(kFindSale, {tenant_, c.id}));
        if (rows[0].Text(21) != c.request_hash) {
            return FieldConflict("id", "is already used by a different sale");
        }
        existing.replayed = true;
        return existing;
    }

    // The sale belongs to the station's open shift; a closed or foreign shift is refused.
    Result<void> ResolveShift(const SaleCommand& c, const StationState& station, Sale& sale) {
        if (c.shift_id && c.shift_id != station.open_shift) {
            OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                                 tx_.Query(kShiftStatus, {tenant_, *c.shift_id}));
            if (rows.empty() || rows[0].Id(1) != c.station_id) {
                return FieldUnprocessable("shift_id", "no such shift at this station");
            }
            return FieldConflict("shift_id", "is closed");
        }
        if (!station.open_shift) return FieldConflict("station_id", "has no open shift");
        sale.shift_id = station.open_shift;
        return Ok();
    }

    Result<void> Price(const SaleCommand& c, Sale& sale) {
        if (c.kind == SaleKind::kFuel) {
            auto [it, fresh] = state_.nozzles.try_emplace(*c.nozzle_id);
            if (fresh) {
                OMC_ASSIGN_OR_RETURN(it->second, FindNozzle(tx_, tenant_, *c.nozzle_id));
            }
            const std::optional<Nozzle>& nozzle = it->second;
            if (!nozzle) return FieldUnprocessable("nozzle_id", "no such nozzle");
            if (nozzle->station_id != c.station_id) {
                return InvalidArgument("nozzle_id", "is not a nozzle of this station");
            }
            if (!nozzle->active) return FieldConflict("nozzle_id", "is not active");
            sale.nozzle_id = nozzle->id;
            sale.tank_id = nozzle->tank_id;
            sale.product_id = nozzle->product_id;
            if (!c.attendant_id) {
                auto [who, unknown] =
                    state_.pump_attendants.try_emplace({*sale.shift_id, nozzle->pump_id});
                if (unknown) {
                    OMC_ASSIGN_OR_RETURN(
                        const db::Rows rows,
                        tx_.Query(kPumpAttendant, {tenant_, *sale.shift_id, nozzle->pump_id}));
                    if (!rows.empty()) who->second = rows[0].Id(0);
                }
                sale.attendant_id = who->second;
            }
        } else {
            OMC_ASSIGN_OR_RETURN(const std::optional<Product> product,
                                 FindProduct(tx_, tenant_, *c.product_id));
            if (!product) return FieldUnprocessable("product_id", "no such product");
            if (product->kind == ProductKind::kFuel) {
                return InvalidArgument("product_id", "fuel is sold through a nozzle (nozzle_id)");
            }
            if (!product->active) return FieldConflict("product_id", "is not active");
            sale.product_id = product->id;
        }
        if (c.attendant_id) {
            OMC_ASSIGN_OR_RETURN(const bool known,
                                 identity::ActiveUserExists(tx_, tenant_, *c.attendant_id));
            if (!known) return FieldUnprocessable("attendant_id", "no such active user");
            sale.attendant_id = c.attendant_id;
        }
        OMC_ASSIGN_OR_RETURN(const std::optional<PriceInForce> price,
                             PriceFor(c.station_id, sale.product_id, c.sold_at_us));
        if (!price) {
            return FieldConflict(c.kind == SaleKind::kFuel ? "nozzle_id" : "product_id",
                                 "has no price at this station at the sale's time");
        }
        if (c.client_unit_price && *c.client_unit_price != price->unit_price) {
            return FieldUnprocessable("unit_price", "is not the price in force (" +
                                                        FormatUnitPrice(price->unit_price) + ")");
        }
        sale.unit_price = price->unit_price;
        // Amounts are rounded half up to the pesewa, as a receipt is; a sale "for GH₵ 50" keeps
        // its amount and dispenses the quantity it buys, rounded half-even to the millilitre.
        if (c.quantity_milli) {
            sale.quantity_milli = *c.quantity_milli;
            OMC_ASSIGN_OR_RETURN(const Money amount, AmountForVolume(UnitPrice(price->unit_price),
                                                                     Volume(sale.quantity_milli),
                                                                     RoundingMode::kHalfUp));
            sale.amount = amount.raw();
        } else {
            sale.amount = *c.amount;
            OMC_ASSIGN_OR_RETURN(const Volume quantity,
                                 VolumeForAmount(UnitPrice(price->unit_price), Money(sale.amount),
                                                 RoundingMode::kHalfEven));
            sale.quantity_milli = quantity.raw();
        }
        if (sale.quantity_milli <= 0 || sale.amount <= 0) {
            return InvalidArgument(c.quantity_milli ? "quantity" : "amount",
                                   "is too small to sell at this price");
        }
        const int64_t max_quantity =
            c.kind == SaleKind::kFuel ? kMaxFuelSaleMilli : kMaxShopSaleMilli;
        if (sale.quantity_milli > max_quantity || sale.amount > kMaxSaleAmount) {
            return InvalidArgument(c.quantity_milli ? "quantity" : "amount",
                                   "is beyond what one sale can be");
        }
        return Ok();
    }

    // A sale on account: the customer's credit limit (and the vehicle's) is checked, then the
    // sale recorded on the account, both in this sale's transaction (savepoint when isolated),
    // so the next sale of the batch sees it (arap::CheckCredit's batch_taken stays 0). A void
    // or refund gives its amount back to the account without a check.
    Result<void> ChargeAccount(const SaleCommand& c, const Sale& sale) {
        const bool reversal = sale.reverses_id.has_value();
        if (!reversal) {
            OMC_TRY(arap::CheckCredit(tx_, tenant_,
                                      {.customer_id = *sale.customer_id,
                                       .vehicle_id = c.vehicle_id,
                                       .driver_id = c.driver_id,
                                       .amount = sale.amount,
                                       .sold_at_us = sale.sold_at_us}));
        }
        return arap::RecordCreditSale(tx_, tenant_,
                                      {.sale_id = sale.id,
                                       .customer_id = *sale.customer_id,
                                       .vehicle_id = reversal ? std::nullopt : c.vehicle_id,
                                       .driver_id = reversal ? std::nullopt : c.driver_id,
                                       .station_id = sale.station_id,
                                       .amount = sale.amount,
                                       .sold_at_us = sale.sold_at_us,
                                       .reverses_id = sale.reverses_id});
    }

    // The price in force at `at`, one lookup per station and product per batch: the price in
    // force at the station's latest sale time of the batch is also in force at an earlier `at` it
    // had taken effect by, since going back in time only removes candidate prices; no price then
    // means none before either. Only a price that took effect within the batch's times costs a
    // lookup of its own.
    Result<std::optional<PriceInForce>> PriceFor(const Uuid& station, const Uuid& product,
                                                 TimestampUs at) {
        const TimestampUs latest_at = state_.stations.at(station).last_sold_at_us;
        ERP_ASSERT(at <= latest_at, "a sale later than its batch's latest");
        auto [it, fresh] = state_.prices.try_emplace({station, product});
        if (fresh) {
            OMC_ASSIGN_OR_RETURN(it->second, PriceAt(tx_, tenant_, station, product, latest_at));
        }
        const std::optional<PriceInForce>& latest = it->second;
        if (!latest || latest->effective_from_us <= at) return latest;
        return PriceAt(tx_, tenant_, station, product, at);
    }

    // A void takes the whole sale back (while its shift is still open); a refund gives back
    // part or all of what is left. Both are new rows with negative quantity and amount.
    Result<void> Reverse(const SaleCommand& c, Sale& sale) {
        OMC_ASSIGN_OR_RETURN(const std::optional<Sale> original,
                             FindSale(tx_, tenant_, *c.reverses_id));
        if (!original || original->station_id != c.station_id) return NotFoundError("sale");
        if (original->kind == SaleKind::kVoid || original->kind == SaleKind::kRefund) {
            return FieldConflict("id", "a void or refund cannot itself be reversed");
        }
        OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx_.Query(kReversed, {tenant_, original->id}));
        const int64_t reversals = rows[0].Int(0);
        const int64_t left_quantity = original->quantity_milli + rows[0].Int(1);
        const int64_t left_amount = original->amount + rows[0].Int(2);
        sale.product_id = original->product_id;
        sale.nozzle_id = original->nozzle_id;
        sale.tank_id = original->tank_id;
        sale.attendant_id = original->attendant_id;
        sale.customer_id = original->customer_id;
        sale.payment_method = original->payment_method;
        sale.unit_price = original->unit_price;
        sale.reverses_id = original->id;
        sale.reason = c.reason;
        sale.approved_by = c.principal.subject;
        if (c.kind == SaleKind::kVoid) {
            if (reversals > 0)
                return FieldConflict("id", "the sale was already voided or refunded");
            if (original->shift_id != sale.shift_id) {
                return FieldConflict("id", "the sale's shift is closed: refund it instead");
            }
            sale.quantity_milli = -original->quantity_milli;
            sale.amount = -original->amount;
            return Ok();
        }
        const int64_t quantity = c.quantity_milli.value_or(left_quantity);
        if (quantity <= 0 || left_quantity <= 0) {
            return FieldConflict("quantity", "nothing is left to refund on this sale");
        }
        if (quantity > left_quantity) {
            return InvalidArgument("quantity", "is more than is left to refund (" +
                                                   FormatQuantity(left_quantity) + ")");
        }
        int64_t amount = left_amount;
        if (quantity != left_quantity) {
            OMC_ASSIGN_OR_RETURN(const Money part,
                                 AmountForVolume(UnitPrice(original->unit_price), Volume(quantity),
                                                 RoundingMode::kHalfUp));
            amount = std::min(part.raw(), left_amount);
        }
        sale.quantity_milli = -quantity;
        sale.amount = -amount;
        return Ok();
    }

    // Optimistic: queued for Finish. Isolated: written now, so a failure is this sale's.
    Result<void> Insert(const Sale& s, const std::string& request_hash) {
        const std::string type = s.kind == SaleKind::kVoid     ? "forecourt.sale_voided"
                                 : s.kind == SaleKind::kRefund ? "forecourt.sale_refunded"
                                                               : "forecourt.sale_recorded";
        OMC_ASSIGN_OR_RETURN(auto event, events::EventInsert(tenant_, ids_.NewV7(), clock_,
                                                             {.type = type,
                                                              .aggregate_type = "sale",
                                                              .aggregate_id = s.id.ToString(),
                                                              .payload_text = SaleJsonText(s)}));
        db::Params row{tenant_,
                       s.id,
                       s.station_id,
                       s.receipt_no,
                       std::string(SaleKindName(s.kind)),
                       s.product_id,
                       s.nozzle_id,
                       s.tank_id,
                       s.shift_id,
                       s.attendant_id,
                       s.quantity_milli,
                       s.unit_price,
                       s.amount,
                       s.payment_method,
                       s.payment_ref,
                       s.customer_id,
                       s.sold_at_us,
                       s.recorded_at_us,
                       s.recorded_by,
                       s.reverses_id,
                       s.reason,
                       s.approved_by,
                       request_hash};
        ERP_ASSERT(row.size() == kInsertSaleColumns, "a sale row of every column");
        if (optimistic_) {
            sale_rows_.push_back(std::move(row));
            event_inserts_.push_back(std::move(event));
            return Ok();
        }
        OMC_TRY(tx_.Execute(db::MultiRowInsert("forecourt.insert_sales", kInsertSalesHead, "",
                                               kInsertSaleColumns, 1),
                            row));
        Statements inserts;
        OMC_TRY(events::AppendEventInserts(tx_, {std::move(event)}, inserts));
        for (const auto& [query, params] : inserts) OMC_TRY(tx_.Execute(query, params));
        return Ok();
    }

    db::Transaction& tx_;
    const TenantId& tenant_;
    IdGenerator& ids_;
    const Clock& clock_;
    const bool optimistic_;
    BatchState state_;
    std::map<Uuid, bool> fuel_;  // sale id -> a fuel product (nozzle sale, or its reversal)
    // Optimistic: the sales' rows and their events' inserts, in order, written by Finish.
    std::vector<db::Params> sale_rows_;
    Statements event_inserts_;
};

}  // namespace

std::string_view SaleKindName(SaleKind kind) {
    switch (kind) {
        case SaleKind::kFuel:
            return "fuel";
        case SaleKind::kShop:
            return "shop";
        case SaleKind::kVoid:
            return "void";
        case SaleKind::kRefund:
            return "refund";
    }
    FailInvariant("kind", "unknown sale kind", __FILE__, __LINE__);
}

json SaleJson(const Sale& s) {
    return json{{"id", s.id.ToString()},
                {"station_id", s.station_id.ToString()},
                {"receipt_no", s.receipt_no},
                {"kind", std::string(SaleKindName(s.kind))},
                {"product_id", s.product_id.ToString()},
                {"nozzle_id", OptionalId(s.nozzle_id)},
                {"tank_id", OptionalId(s.tank_id)},
                {"shift_id", OptionalId(s.shift_id)},
                {"attendant_id", OptionalId(s.attendant_id)},
                {"quantity", FormatQuantity(s.quantity_milli)},
                {"unit_price", FormatUnitPrice(s.unit_price)},
                {"amount", FormatMoney(s.amount)},
                {"payment_method", s.payment_method},
                {"payment_ref", OptionalText(s.payment_ref)},
                {"customer_id", OptionalId(s.customer_id)},
                {"sold_at", FormatTimestamp(s.sold_at_us)},
                {"recorded_at", FormatTimestamp(s.recorded_at_us)},
                {"recorded_by", s.recorded_by},
                {"reverses_id", OptionalId(s.reverses_id)},
                {"reason", OptionalText(s.reason)},
                {"approved_by", OptionalText(s.approved_by)}};
}

namespace {

// Members in the order nlohmann writes an object's (sorted by key), so the text is byte for byte
// SaleJson(s).dump(); sales_api_dbtest.cpp compares the two.
void AppendMember(std::string& out, std::string_view key) {
    out += out.size() == 1 ? "\"" : ",\"";
    out += key;
    out += "\":";
}
void AppendText(std::string& out, std::string_view key, std::string_view text) {
    AppendMember(out, key);
    http::AppendJsonString(out, text);
}
void AppendOptText(std::string& out, std::string_view key, const std::optional<std::string>& text) {
    if (text) return AppendText(out, key, *text);
    AppendMember(out, key);
    out += "null";
}
void AppendOptId(std::string& out, std::string_view key, const std::optional<Uuid>& id) {
    AppendMember(out, key);
    if (!id) {
        out += "null";
        return;
    }
    out += '"';
    out += id->ToString();
    out += '"';
}

}  // namespace

std::string SaleJsonText(const Sale& s) {
    std::string out;
    out.reserve(720);
    out += '{';
    AppendText(out, "amount", FormatMoney(s.amount));
    AppendOptText(out, "approved_by", s.approved_by);
    AppendOptId(out, "attendant_id", s.attendant_id);
    AppendOptId(out, "customer_id", s.customer_id);
    AppendText(out, "id", s.id.ToString());
    AppendText(out, "kind", SaleKindName(s.kind));
    AppendOptId(out, "nozzle_id", s.nozzle_id);
    AppendText(out, "payment_method", s.payment_method);
    AppendOptText(out, "payment_ref", s.payment_ref);
    AppendText(out, "product_id", s.product_id.ToString());
    AppendText(out, "quantity", FormatQuantity(s.quantity_milli));
    AppendOptText(out, "reason", s.reason);
    AppendMember(out, "receipt_no");
    out += std::to_string(s.receipt_no);
    AppendText(out, "recorded_at", FormatTimestamp(s.recorded_at_us));
    AppendText(out, "recorded_by", s.recorded_by);
    AppendOptId(out, "reverses_id", s.reverses_id);
    AppendOptId(out, "shift_id", s.shift_id);
    AppendText(out, "sold_at", FormatTimestamp(s.sold_at_us));
    AppendText(out, "station_id", s.station_id.ToString());
    AppendOptId(out, "tank_id", s.tank_id);
    AppendText(out, "unit_price", FormatUnitPrice(s.unit_price));
    out += '}';
    return out;
}

std::string BusinessDate(TimestampUs at, int64_t business_day_start_min) {
    return FormatTimestamp(at - business_day_start_min * 60 * kUsPerSecond).substr(0, 10);
}

Sale SaleFromRow(const db::Row& row) {
    Sale s;
    s.id = row.Id(0);
    s.station_id = row.Id(1);
    s.receipt_no = row.Int(2);
    s.kind = ParseSaleKind(row.Text(3)).value_or(SaleKind::kFuel);
    s.product_id = row.Id(4);
    s.nozzle_id = row.OptId(5);
    s.tank_id = row.OptId(6);
    s.shift_id = row.OptId(7);
    s.attendant_id = row.OptId(8);
    s.quantity_milli = row.Int(9);
    s.unit_price = row.Int(10);
    s.amount = row.Int(11);
    s.payment_method = row.Text(12);
    s.payment_ref = row.OptText(13);
    s.customer_id = row.OptId(14);
    s.sold_at_us = row.Int(15);
    s.recorded_at_us = row.Int(16);
    s.recorded_by = row.Text(17);
    s.reverses_id = row.OptId(18);
    s.reason = row.OptText(19);
    s.approved_by = row.OptText(20);
    return s;
}

Result<std::optional<Sale>> FindSale(db::Transaction& tx, const TenantId& tenant, const Uuid& id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kFindSale, {tenant, id}));
    if (rows.empty()) return std::optional<Sale>();
    return std::optional<Sale>(SaleFromRow(rows[0]));
}

SalesService::SalesService(db::Database& database, IdGenerator& ids, const Clock& clock,
                           db::GroupCommitOptions options)
    : ids_(ids),
      clock_(clock),
      committer_(
          database, options,
          [this](db::Transaction& tx, TenantId tenant, std::span<const SaleCommand> commands,
                 bool isolate) { return RecordBatch(tx, tenant, commands, isolate); },
          nullptr) {}

Result<std::optional<std::vector<Result<Sale>>>> SalesService::RecordBatch(
    db::Transaction& tx, const TenantId& tenant, std::span<const SaleCommand> commands,
    bool isolate) {
    using Results = std::vector<Result<Sale>>;
    BatchRecorder recorder(tx, tenant, ids_, clock_, /*optimistic=*/!isolate);
    OMC_TRY(recorder.Prepare(commands));
    Results results;
    if (isolate) {
        OMC_ASSIGN_OR_RETURN(
            results, db::RunEachInSavepoint(tx, commands,
                                            [&](db::Transaction& /*tx*/, const SaleCommand& c) {
                                                return recorder.Record(c);
                                            }));
    } else {
        results.reserve(commands.size());
        for (const SaleCommand& c : commands) {
            try {
                Result<Sale> sale = recorder.Record(c);
                if (!sale.ok()) return std::optional<Results>();  // run again isolated
                results.push_back(std::move(sale));
            } catch (...) {
                return std::optional<Results>();  // the isolated run attributes it to its sale
            }
        }
    }
    OMC_ASSIGN_OR_RETURN(const bool written, recorder.Finish(results));
    if (!written) return std::optional<Results>();
    return std::optional<Results>(std::move(results));
}

Result<Sale> SalesService::Record(const TenantId& tenant, SaleCommand command) {
    return committer_.Submit(tenant, std::move(command));
}

void SalesService::RecordAsync(const TenantId& tenant, SaleCommand command,
                               std::function<void(Result<Sale>)> done) {
    committer_.SubmitAsync(tenant, std::move(command), std::move(done));
}

}  // namespace omc::forecourt
