// The Ghana public-holiday calendar that the NPA submission deadline skips. Tables:
// pricing_national_holidays (seeded by migration 0009 from the Public Holidays Act as amended in
// 2019 and 2025; Eid dates tentative until announced) and pricing_holidays (a tenant's own
// additions and removals). The calendar in force for a tenant is the national one with the
// tenant's rows applied.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "domains/pricing/window_common.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::pricing {

struct Holiday {
    std::string date;  // "YYYY-MM-DD"
    std::string name;
    bool tentative = false;  // a national Eid date not yet confirmed by the tenant
    std::string source;      // "national" or "tenant"
    std::string reference;   // the law or announcement (national rows)
};

// The tenant's calendar from `from_date` to `to_date` ("YYYY-MM-DD", inclusive), by date.
Result<std::vector<Holiday>> HolidaysBetween(db::Transaction& tx, const TenantId& tenant,
                                             const std::string& from_date,
                                             const std::string& to_date);
// The same as days since 1970-01-01, for the deadline rules (windows.hpp). Tentative dates
// count: a deadline computed too early is safer than one too late.
Result<std::set<int32_t>> HolidayDays(db::Transaction& tx, const TenantId& tenant, int32_t from_day,
                                      int32_t to_day);

// GET/POST /api/v1/pricing/holidays, DELETE /api/v1/pricing/holidays/{date}.
void RegisterHolidayRoutes(http::Router& router, const WindowDeps& deps);

}  // namespace omc::pricing
