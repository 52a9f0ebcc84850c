// The credit limit at sale time: what the sales batch (src/domains/forecourt/sales.cpp) asks of
// the receivables module, in the sale's own transaction. Tables: arap_customers, arap_vehicles,
// arap_drivers, arap_driver_vehicles, arap_credit_sales, arap_customer_payments (migration 0014).
//
// Exposure, what a customer owes at the instant of a sale, is computed from this module's own
// sub-ledger: Σ credit sales on account (net of voids and refunds, recorded by RecordCreditSale
// in each sale's transaction) − Σ customer payments received. It is authoritative because both
// are written in the same transaction as the fact itself, so no sale is ever missing from it,
// whatever the ledger batch has posted yet. The ledger's receivables account (chart::kReceivables
// with party_id = the customer) is the control account that must equal it once sales and
// payments post their entries (README.md, "Exposure").
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::arap {

struct CreditRequest {
    Uuid customer_id;
    std::optional<Uuid> vehicle_id;
    std::optional<Uuid> driver_id;
    int64_t amount = 0;  // pesewas, > 0: this sale
    TimestampUs sold_at_us = 0;
    // Credit sales of this customer (and of this vehicle) taken by earlier sales of the same
    // batch that are not yet in arap_credit_sales (a caller that defers RecordCreditSale); 0
    // when every earlier sale was recorded already.
    int64_t batch_taken = 0;
    int64_t batch_vehicle_taken = 0;
};

// Ok when the sale may go on account. kUnprocessable with field "customer_id" when the
// customer is unknown, on hold, or exposure + amount > credit limit (the message gives the
// limit and the exposure); field "vehicle_id" when the vehicle is not an active vehicle of the
// account or its own day/month limit would be exceeded; field "driver_id" when the driver is
// not an active driver of the account or may not fill this vehicle.
Result<void> CheckCredit(db::Transaction& tx, const TenantId& tenant, const CreditRequest& request);

// One sale on account as stored: a sale (amount > 0) or its void or refund (amount < 0,
// reverses_id set; vehicle and driver are taken from the original).
struct CreditSaleRecord {
    Uuid sale_id;
    Uuid customer_id;
    std::optional<Uuid> vehicle_id;
    std::optional<Uuid> driver_id;
    Uuid station_id;
    int64_t amount = 0;
    TimestampUs sold_at_us = 0;
    std::optional<Uuid> reverses_id;
};

// Records a sale on account in the sale's transaction (kConflict when the sale id is there).
Result<void> RecordCreditSale(db::Transaction& tx, const TenantId& tenant,
                              const CreditSaleRecord& record);

// CustomerExposure as one SQL expression, for queries that list customers: `customer` is the SQL
// of the customer's id and $1 the tenant.
#define OMC_ARAP_EXPOSURE_SQL(customer)                               \
    "((SELECT COALESCE(SUM(amount), 0) FROM arap_credit_sales"        \
    " WHERE tenant_id = $1 AND customer_id = " customer               \
    ")"                                                               \
    " - (SELECT COALESCE(SUM(amount), 0) FROM arap_customer_payments" \
    " WHERE tenant_id = $1 AND customer_id = " customer "))"

// What a customer owes now (credit sales − payments), in pesewas.
Result<int64_t> CustomerExposure(db::Transaction& tx, const TenantId& tenant,
                                 const Uuid& customer_id);

}  // namespace omc::arap
