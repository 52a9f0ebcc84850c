// What other domains may ask of the forecourt module, in process (ARCHITECTURE.md: a domain is
// reached only through its <name>_api.hpp or its events). Every call runs in the caller's
// transaction and answers for the caller's tenant only; the caller applies station scope.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace omc::forecourt {

// A recorded delivery with the evidence that it was received at its station: the two dips it
// was computed from (UPPF freight claims need both, src/domains/uppf/README.md).
struct DeliveryEvidence {
    Uuid id;
    Uuid station_id;
    Uuid tank_id;
    Uuid product_id;
    std::string product_code;
    std::string waybill_no;
    std::string depot;
    std::string supplier;  // the BDC
    std::string transporter;
    std::string brv_registration;
    TimestampUs loaded_at_us = 0;
    TimestampUs delivered_at_us = 0;
    int64_t loaded_ambient_milli = 0;     // the depot ticket's litres, ambient
    int64_t received_standard_milli = 0;  // by the dips, at the reference temperature
    Uuid dip_before_id;
    Uuid dip_after_id;
    // Whether the before_delivery and after_delivery dips are on record for the delivery's tank.
    bool dip_before_found = false;
    bool dip_after_found = false;
};

// The delivery `id` of `tenant` with its dips; nullopt when the tenant has no such delivery.
Result<std::optional<DeliveryEvidence>> FindDeliveryEvidence(db::Transaction& tx,
                                                             const TenantId& tenant,
                                                             const Uuid& id);

// ---- for the statutory reports ----
// What the statutory reports (src/domains/tax, src/domains/reports) may read of the forecourt's
// facts, in process (ARCHITECTURE.md: a domain is reached only through its API header). Every
// call runs in the caller's transaction, for one tenant, read-only, over a half-open period
// [from_us, to_us) of UTC microseconds, narrowed to `stations` when given (nullopt: every
// station of the tenant).
struct ProductInfo {
    Uuid id;
    std::string code;
    std::string name;
    std::string kind;  // fuel, lubricant, shop
    std::string unit;  // L, kg, each
};

// Every product of the tenant, in code order.
Result<std::vector<ProductInfo>> TenantProducts(db::Transaction& tx, const TenantId& tenant);
// One product by id, or by code when `key` is not a UUID; nullopt when there is none.
Result<std::optional<ProductInfo>> FindProduct(db::Transaction& tx, const TenantId& tenant,
                                               std::string_view key);

// A station's sales of a product over the period. `quantity_milli` is what left the tanks or
// shelves: sales net of voids, refunds excluded (a refund is money only, the way the tank's
// reconciliation counts it); `amount_pesewas` is net of voids and refunds; `sales_count` counts
// sales, not their reversals.
struct SalesTotal {
    Uuid station_id;
    Uuid product_id;
    int64_t sales_count = 0;
    int64_t quantity_milli = 0;
    int64_t amount_pesewas = 0;
};
Result<std::vector<SalesTotal>> SalesTotals(db::Transaction& tx, const TenantId& tenant,
                                            TimestampUs from_us, TimestampUs to_us,
                                            const std::optional<std::vector<Uuid>>& stations);

// One sale, void or refund of a product that is not fuel, as the tax return needs it. A
// reversal's supply time is its original sale's (its tax is the original's rules).
struct NonFuelLine {
    Uuid id;
    Uuid station_id;
    Uuid product_id;
    std::string kind;  // shop, void, refund
    int64_t amount_pesewas = 0;
    TimestampUs sold_at_us = 0;
    TimestampUs supply_at_us = 0;
};
Result<std::vector<NonFuelLine>> NonFuelLines(db::Transaction& tx, const TenantId& tenant,
                                              TimestampUs from_us, TimestampUs to_us,
                                              const std::optional<std::vector<Uuid>>& stations);

// A dip as a stock figure: the standard (reference-temperature) net volume.
struct DipFigure {
    Uuid id;
    TimestampUs taken_at_us = 0;
    int64_t standard_milli = 0;
};

// A tank over the period: the last dip at or before each end, and the movements in between by
// their own times: receipts (deliveries' received standard volume, from stock_movements),
// adjustments (signed) and sales (net of voids, refunds excluded; ambient, as metered).
struct TankPeriodStock {
    Uuid tank_id;
    std::string tank_code;
    Uuid station_id;
    Uuid product_id;
    std::optional<DipFigure> opening;  // last dip taken at or before from_us
    std::optional<DipFigure> closing;  // last dip taken at or before to_us
    int64_t receipts_milli = 0;
    int64_t adjustments_milli = 0;
    int64_t sales_milli = 0;
};
Result<std::vector<TankPeriodStock>> TankStock(db::Transaction& tx, const TenantId& tenant,
                                               TimestampUs from_us, TimestampUs to_us,
                                               const std::optional<std::vector<Uuid>>& stations);

// ---- for the payments module (MoMo sales) ----
// A sale is recorded only once its mobile-money payment is SUCCESSFUL. The payments module
// prices it first (the payer is asked for the amount), and records it later through the same
// SalesService the sale routes use (created by RegisterForecourtRoutes), so the sale goes
// through the group commit, its ledger posting and its events like any other.
class SalesService;

// A sale as POST /api/v1/transactions takes it (kind fuel by nozzle, or shop by product).
struct PendingSale {
    http::Principal principal;
    Uuid id;  // the sale id, chosen when the payment is requested
    bool shop = false;
    Uuid station_id;
    std::optional<Uuid> nozzle_id;
    std::optional<Uuid> product_id;
    std::optional<int64_t> quantity_milli;
    std::optional<int64_t> amount;  // pesewas: a fuel sale "for GH₵ 50"
    std::optional<int64_t> unit_price;
    std::optional<Uuid> customer_id;
    std::optional<Uuid> attendant_id;
    std::optional<Uuid> shift_id;
    TimestampUs sold_at_us = 0;
};

struct SaleQuote {
    Uuid product_id;
    int64_t unit_price = 0;  // 10^-4 pesewa per unit, in force at sold_at
    int64_t quantity_milli = 0;
    int64_t amount = 0;  // pesewas: what the payer is asked for
};

// Prices `sale` as SalesService would at its sold_at (a price never starts in the past, so the
// quote holds when the sale is recorded later): kUnprocessable naming the field for an unknown
// nozzle or product, kConflict when there is no price, kInvalidArgument for a sale too small.
// The caller checks the station's visibility.
Result<SaleQuote> QuoteSale(db::Transaction& tx, const TenantId& tenant, const PendingSale& sale);

struct RecordedSale {
    Uuid id;
    int64_t receipt_no = 0;
    int64_t amount = 0;
    bool replayed = false;  // an identical sale with this id was already recorded
};

// Records `sale` paid by mobile money (payment_method "momo", payment_ref = the provider's
// financial transaction id) through `sales`; blocks until its batch committed. The same sale
// recorded twice (two processes confirming one payment) answers the first (replayed). Must not
// be called while the thread holds a pooled connection.
Result<RecordedSale> RecordPaidSale(SalesService& sales, const TenantId& tenant,
                                    const PendingSale& sale, const std::string& payment_ref);

// A SalesService of its own for a process that serves payments without the forecourt module.
std::shared_ptr<SalesService> NewSalesService(db::Database& database, IdGenerator& ids,
                                              const Clock& clock);

}  // namespace omc::forecourt
