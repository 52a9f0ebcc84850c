#include "domains/arap/credit.hpp"

#include "domains/arap/common.hpp"
#include "platform/base/assert.hpp"
#include "platform/base/error.hpp"

namespace omc::arap {
namespace {

constexpr db::Query kCustomer{"arap.credit_customer", R"sql(
    SELECT status, credit_limit FROM arap_customers WHERE tenant_id = $1 AND id = $2)sql"};
// PostgreSQL: the customer's row stays locked until the sale's transaction ends, so two sales of
// one customer in two processes cannot both pass the limit on the same exposure (SQLite has a
// single writer already).
constexpr db::Query kCustomerForUpdate{"arap.credit_customer_for_update", R"sql(
    SELECT status, credit_limit FROM arap_customers WHERE tenant_id = $1 AND id = $2
    FOR UPDATE)sql"};

constexpr db::Query kExposure{"arap.credit_exposure", "SELECT " OMC_ARAP_EXPOSURE_SQL("$2")};

constexpr db::Query kVehicle{"arap.credit_vehicle", R"sql(
    SELECT registration, active, limit_period, limit_amount FROM arap_vehicles
    WHERE tenant_id = $1 AND id = $2 AND customer_id = $3)sql"};

constexpr db::Query kVehicleUsed{"arap.credit_vehicle_used", R"sql(
    SELECT COALESCE(SUM(amount), 0) FROM arap_credit_sales
    WHERE tenant_id = $1 AND vehicle_id = $2 AND sold_at_us >= $3 AND sold_at_us < $4)sql"};

constexpr db::Query kDriver{"arap.credit_driver", R"sql(
    SELECT active,
           (SELECT COUNT(*) FROM arap_driver_vehicles v WHERE v.tenant_id = $1 AND v.driver_id = $2),
           (SELECT COUNT(*) FROM arap_driver_vehicles v
            WHERE v.tenant_id = $1 AND v.driver_id = $2 AND v.vehicle_id = $4)
    FROM arap_drivers WHERE tenant_id = $1 AND id = $2 AND customer_id = $3)sql"};

constexpr db::Query kOriginal{"arap.credit_original", R"sql(
    SELECT vehicle_id, driver_id FROM arap_credit_sales WHERE tenant_id = $1 AND sale_id = $2)sql"};

constexpr db::Query kInsertCreditSale{"arap.insert_credit_sale", R"sql(
    INSERT INTO arap_credit_sales (tenant_id, sale_id, customer_id, vehicle_id, driver_id,
                                   station_id, amount, sold_at_us, reverses_id)
    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9))sql"};

Error Refused(std::string field, std::string message) {
    return Error(ErrorCode::kUnprocessable, "credit refused",
                 {{std::move(field), std::move(message)}});
}

// The [from, to) microseconds of the calendar day or month (UTC, Ghana's time) holding `at`.
std::pair<TimestampUs, TimestampUs> LimitWindow(const std::string& period, TimestampUs at) {
    const std::string day = FormatDate(at);
    if (period == "day") {
        const int64_t d = ParseDateDays(day).value_or(0);
        return {d * kUsPerDay, (d + 1) * kUsPerDay};
    }
    const std::string first = day.substr(0, 8) + "01";
    const int64_t from = ParseDateDays(first).value_or(0);
    const int64_t next = ParseDateDays(AddDays(first, 31).substr(0, 8) + "01").value_or(0);
    return {from * kUsPerDay, next * kUsPerDay};
}

Result<void> CheckVehicle(db::Transaction& tx, const TenantId& tenant, const CreditRequest& r) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                         tx.Query(kVehicle, {tenant, *r.vehicle_id, r.customer_id}));
    if (rows.empty()) return Refused("vehicle_id", "is not a vehicle of this customer's account");
    const db::Row& v = rows[0];
    if (!v.Bool(1)) return Refused("vehicle_id", v.Text(0) + " is not active on the account");
    if (v.IsNull(2)) return Ok();
    const std::string period = v.Text(2);
    const int64_t limit = v.Int(3);
    const auto [from, to] = LimitWindow(period, r.sold_at_us);
    OMC_ASSIGN_OR_RETURN(const db::Rows used,
                         tx.Query(kVehicleUsed, {tenant, *r.vehicle_id, from, to}));
    const int64_t taken = used[0].Int(0) + r.batch_vehicle_taken;
    if (taken + r.amount > limit) {
        return Refused("vehicle_id", v.Text(0) + " would exceed its " +
                                         (period == "day" ? "daily" : "monthly") + " limit of " +
                                         FormatMoney(limit) + " (used " + FormatMoney(taken) +
                                         ", this sale " + FormatMoney(r.amount) + ")");
    }
    return Ok();
}

Result<void> CheckDriver(db::Transaction& tx, const TenantId& tenant, const CreditRequest& r) {
    OMC_ASSIGN_OR_RETURN(
        const db::Rows rows,
        tx.Query(kDriver, {tenant, *r.driver_id, r.customer_id, r.vehicle_id.value_or(Uuid())}));
    if (rows.empty()) return Refused("driver_id", "is not a driver of this customer's account");
    if (!rows[0].Bool(0)) return Refused("driver_id", "is not active on the account");
    const bool restricted = rows[0].Int(1) > 0;
    if (restricted && (!r.vehicle_id || rows[0].Int(2) == 0)) {
        return Refused("driver_id", "may not fill this vehicle");
    }
    return Ok();
}

}  // namespace

Result<int64_t> CustomerExposure(db::Transaction& tx, const TenantId& tenant,
                                 const Uuid& customer_id) {
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(kExposure, {tenant, customer_id}));
    return rows[0].Int(0);
}

Result<void> CheckCredit(db::Transaction& tx, const TenantId& tenant, const CreditRequest& r) {
    ERP_ASSERT(r.amount > 0, "a credit check is for a sale");
    const db::Query& query = tx.engine() == db::Engine::kPostgres ? kCustomerForUpdate : kCustomer;
    OMC_ASSIGN_OR_RETURN(const db::Rows rows, tx.Query(query, {tenant, r.customer_id}));
    if (rows.empty()) return Refused("customer_id", "no such credit customer");
    if (rows[0].Text(0) != "active") {
        return Refused("customer_id", "the customer's account is on hold");
    }
    const int64_t limit = rows[0].Int(1);
    OMC_ASSIGN_OR_RETURN(const int64_t owed, CustomerExposure(tx, tenant, r.customer_id));
    const int64_t exposure = owed + r.batch_taken;
    if (exposure + r.amount > limit) {
        return Refused("customer_id", "credit limit " + FormatMoney(limit) +
                                          " exceeded: exposure " + FormatMoney(exposure) +
                                          " + this sale " + FormatMoney(r.amount));
    }
    if (r.vehicle_id) OMC_TRY(CheckVehicle(tx, tenant, r));
    if (r.driver_id) OMC_TRY(CheckDriver(tx, tenant, r));
    return Ok();
}

Result<void> RecordCreditSale(db::Transaction& tx, const TenantId& tenant,
                              const CreditSaleRecord& record) {
    std::optional<Uuid> vehicle = record.vehicle_id;
    std::optional<Uuid> driver = record.driver_id;
    if (record.reverses_id) {
        ERP_ASSERT(record.amount <= 0, "a reversal gives credit back");
        OMC_ASSIGN_OR_RETURN(const db::Rows rows,
                             tx.Query(kOriginal, {tenant, *record.reverses_id}));
        if (!rows.empty()) {
            if (!rows[0].IsNull(0)) vehicle = rows[0].Id(0);
            if (!rows[0].IsNull(1)) driver = rows[0].Id(1);
        }
    }
    return InsertOrConflict(
        tx, kInsertCreditSale,
        {tenant, record.sale_id, record.customer_id, vehicle, driver, record.station_id,
         record.amount, record.sold_at_us, record.reverses_id},
        "id", "this sale is already recorded on account");
}

}  // namespace omc::arap
