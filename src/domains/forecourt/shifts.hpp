// Shifts: opened with attendants on pumps and every nozzle's opening totalizer, closed with the
// closing totalizers and what each attendant handed over (cash, MoMo, card). Tables: shifts,
// shift_attendants, shift_nozzles, shift_collections, shift_adjustments (migration 0006).
// A closed shift is locked: corrections are linked adjustments with a reason.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"

namespace omc::forecourt {

struct ForecourtDeps;

struct Shift {
    Uuid id;
    Uuid station_id;
    std::string status;  // "open" or "closed"
    std::string business_date;
    TimestampUs opened_at_us = 0;
    std::string opened_by;
    std::optional<TimestampUs> closed_at_us;
    std::optional<std::string> closed_by;
    std::optional<std::string> note;
};
Shift ShiftFromRow(const db::Row& row);
nlohmann::json ShiftJson(const Shift& shift);

// The shift when the caller sees its station (locked for update when `lock`); kNotFound
// ("shift") otherwise.
Result<Shift> VisibleShift(db::Transaction& tx, const http::RequestContext& ctx, const Uuid& id,
                           bool lock);

// The shift report's figures as numbers, for reconciliation.
struct ShiftTotals {
    // Per nozzle with a closing reading: closing (adjusted) − opening totalizer.
    std::map<Uuid, int64_t> meter_by_nozzle;
    // Per nozzle: the shift's sales net of voids (a refund gives money back, not fuel).
    std::map<Uuid, int64_t> recorded_by_nozzle;
    // Over the attendants: the meters' value at the price in force at close, less account and
    // voucher sales (no money comes in for them); and cash + MoMo + card handed over, adjusted.
    int64_t expected_money = 0;
    int64_t collected_money = 0;
    // Over the attendants who handed over: the shortfalls (expected − handed over, where
    // positive) and the overs (handed over − expected, where positive), pesewas: what the
    // cash-up posts (Dr 5050 cash short, Cr 4040 cash over, the till 1010 by the net).
    int64_t cash_short = 0;
    int64_t cash_over = 0;
};
struct ShiftReport {
    nlohmann::json json;  // as GET /api/v1/shifts/{id} shows it under "report"
    ShiftTotals totals;
};
// The report of `shift`: per nozzle meter against recorded sales, per attendant expected money
// against what was handed over. Prices are those in force at close (at `now` while open).
Result<ShiftReport> BuildShiftReport(db::Transaction& tx, const TenantId& tenant,
                                     const Shift& shift, TimestampUs now);

// The station's open shift (at most one), nullopt when none.
Result<std::optional<Shift>> OpenShiftOf(db::Transaction& tx, const TenantId& tenant,
                                         const Uuid& station);
// The shift with its report under "report", as GET /api/v1/shifts/{id} answers it.
Result<nlohmann::json> ShiftWithReportJson(db::Transaction& tx, const TenantId& tenant,
                                           const Shift& shift, TimestampUs now);

// POST /api/v1/shifts (open), GET /api/v1/shifts, GET /api/v1/shifts/{id} (with its report),
// POST /api/v1/shifts/{id}/close, POST /api/v1/shifts/{id}/adjustments.
void RegisterShiftRoutes(http::Router& router, const ForecourtDeps& deps);

}  // namespace omc::forecourt
