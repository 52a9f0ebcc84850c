// Sales, voids and refunds: the hottest write of the product. Table: sales (with
// station_receipts, sales_daily, tanks.book_stock_milli; migration 0006).
//
// Every sale goes through a group committer (platform/db/group_commit.hpp): concurrent sales of
// a tenant share one transaction and each caller is answered only after that transaction
// committed. A batch runs optimistically first (sales back to back, their writes sent in one
// pipeline); if any sale fails, it is rolled back and run again with each sale in its own
// savepoint, so one bad sale fails alone. Per batch, not per sale:
//   - each station's receipt counter is locked once (before any sale, in a fixed order, so two
//     batches never deadlock) and advanced once by the number of sales stored, so receipts are
//     gap-free and unique per station: a sale takes its number only when all its statements
//     succeeded;
//   - each tank's book stock gets one UPDATE with the batch's total;
//   - each (station, product, business day) rollup gets one upsert.
// So no row is updated once per sale (ARCHITECTURE.md, the hot paths).
//
// The sale id is the client's (UUIDv7): the same id with the same fields answers the stored
// sale again (a retry after a lost answer); with different fields it is a conflict.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"
#include "platform/db/group_commit.hpp"
#include "platform/http/router.hpp"

namespace omc::forecourt {

enum class SaleKind { kFuel, kShop, kVoid, kRefund };
std::string_view SaleKindName(SaleKind kind);

// Absurd quantities are refused: 5,000 L (or kg) in one fuel sale, 1,000 items in a shop sale.
inline constexpr int64_t kMaxFuelSaleMilli = 5'000'000;
inline constexpr int64_t kMaxShopSaleMilli = 1'000'000;
inline constexpr int64_t kMaxSaleAmount = 10'000'000;  // GH₵ 100,000 in pesewas
// A sale's time may run ahead of the server clock by this much (device clocks drift), and lie
// this far in the past (a station syncing after an outage).
inline constexpr int64_t kSaleClockSkewUs = 5LL * 60 * 1'000'000;
inline constexpr int64_t kSaleMaxAgeUs = 7LL * 24 * 3600 * 1'000'000;

// One sale, void or refund as recorded by a caller.
struct SaleCommand {
    http::Principal principal;
    Uuid id;
    SaleKind kind = SaleKind::kFuel;
    Uuid station_id;
    std::optional<Uuid> nozzle_id;   // fuel
    std::optional<Uuid> product_id;  // shop
    std::optional<int64_t> quantity_milli;
    std::optional<int64_t> amount;             // pesewas: a fuel sale "for GH₵ 50"
    std::optional<int64_t> client_unit_price;  // must equal the price in force when present
    std::string payment_method;
    std::optional<std::string> payment_ref;
    std::optional<Uuid> customer_id;
    // Sales on account: the fleet vehicle filled and its driver (src/domains/arap/credit.hpp).
    std::optional<Uuid> vehicle_id;
    std::optional<Uuid> driver_id;
    std::optional<Uuid> attendant_id;
    std::optional<Uuid> shift_id;
    TimestampUs sold_at_us = 0;
    // Voids and refunds: the sale reversed, why, and (refunds) how much.
    std::optional<Uuid> reverses_id;
    std::optional<std::string> reason;
    std::string request_hash;  // of the client's fields, to tell a retry from a conflict
};

struct Sale {
    Uuid id;
    Uuid station_id;
    int64_t receipt_no = 0;
    SaleKind kind = SaleKind::kFuel;
    Uuid product_id;
    std::optional<Uuid> nozzle_id;
    std::optional<Uuid> tank_id;
    std::optional<Uuid> shift_id;
    std::optional<Uuid> attendant_id;
    int64_t quantity_milli = 0;
    int64_t unit_price = 0;
    int64_t amount = 0;
    std::string payment_method;
    std::optional<std::string> payment_ref;
    std::optional<Uuid> customer_id;
    TimestampUs sold_at_us = 0;
    TimestampUs recorded_at_us = 0;
    std::string recorded_by;
    std::optional<Uuid> reverses_id;
    std::optional<std::string> reason;
    std::optional<std::string> approved_by;
    bool replayed = false;  // answered from an earlier identical request
};
nlohmann::json SaleJson(const Sale& sale);
// SaleJson(sale).dump(), written straight into a string: a sale's event payload and its answer.
std::string SaleJsonText(const Sale& sale);

// The business day a time falls in at a station: the UTC date of (time − day start), since
// Africa/Accra is UTC+0 all year (the only zone supported so far).
std::string BusinessDate(TimestampUs at, int64_t business_day_start_min);

class SalesService {
  public:
    SalesService(db::Database& database, IdGenerator& ids, const Clock& clock,
                 db::GroupCommitOptions options = {});
    // Records a sale, void or refund; blocks until its batch committed.
    Result<Sale> Record(const TenantId& tenant, SaleCommand command);
    // The same without blocking: `done` gets the result once, on the committer's thread after
    // the batch committed, or at once when the sale is refused (queue full, shutting down).
    // For the HTTP I/O thread (Route::defers_reply): no thread waits per sale.
    void RecordAsync(const TenantId& tenant, SaleCommand command,
                     std::function<void(Result<Sale>)> done);
    db::GroupCommitStats Stats() const { return committer_.Stats(); }

  private:
    // One batch in `tx`: optimistic first (no savepoints, writes in one pipeline; nullopt when a
    // sale failed), then, if asked, isolated (a savepoint per sale).
    Result<std::optional<std::vector<Result<Sale>>>> RecordBatch(
        db::Transaction& tx, const TenantId& tenant, std::span<const SaleCommand> commands,
        bool isolate);

    IdGenerator& ids_;
    const Clock& clock_;
    db::GroupCommitter<SaleCommand, Sale> committer_;
};

// The columns of a sale as every query selects them, and the row they make.
#define OMC_SALE_COLUMNS                                                                         \
    "id, station_id, receipt_no, kind, product_id, nozzle_id, tank_id, shift_id, attendant_id, " \
    "quantity_milli, unit_price, amount, payment_method, payment_ref, customer_id, sold_at_us, " \
    "recorded_at_us, recorded_by, reverses_id, reason, approved_by"
Sale SaleFromRow(const db::Row& row);

Result<std::optional<Sale>> FindSale(db::Transaction& tx, const TenantId& tenant, const Uuid& id);

// POST/GET /api/v1/transactions, GET /api/v1/transactions/{id}, POST .../{id}/void and
// .../{id}/refund, GET /api/v1/transactions/export.csv.
void RegisterSaleRoutes(http::Router& router, const struct ForecourtDeps& deps,
                        std::shared_ptr<SalesService> sales);

}  // namespace omc::forecourt
