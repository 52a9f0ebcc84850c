// NPA monthly returns (domain reference section 5): petroleum products only (products of kind
// fuel), over a calendar month in Ghana time (= UTC), for the stations given.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domains/forecourt/forecourt_api.hpp"
#include "domains/identity/identity_api.hpp"
#include "platform/db/database.hpp"
#include "platform/report/period.hpp"
#include "platform/report/report.hpp"

namespace omc::reports {

// ---- sales ----

struct SalesLine {
    std::string level;  // "station", "region" or "total"
    std::optional<identity::StationRef> station;
    std::optional<identity::RegionRef> region;
    forecourt::ProductInfo product;
    int64_t sales_count = 0;
    int64_t quantity_milli = 0;  // litres or kg, thousandths; net of voids, refunds excluded
    int64_t amount_pesewas = 0;  // net of voids and refunds
};

struct NpaSales {
    report::Period period;
    std::vector<SalesLine> by_station;  // region code, station code, product code order
    std::vector<SalesLine> by_region;
    std::vector<SalesLine> totals;  // per product
};

Result<NpaSales> ComputeNpaSales(db::Transaction& tx, const TenantId& tenant,
                                 const report::Period& period,
                                 const std::vector<identity::StationRef>& stations,
                                 bool whole_tenant);
nlohmann::json NpaSalesJson(const NpaSales& sales);
report::Report NpaSalesReport(const NpaSales& sales);

// ---- stock ----

// A station's stock of one product over the month, its tanks added up. A dip figure is null
// when a tank of the group has no dip at or before that boundary (`missing` says which).
struct StockLine {
    identity::StationRef station;
    std::optional<identity::RegionRef> region;
    forecourt::ProductInfo product;
    int64_t tanks = 0;
    std::optional<int64_t> opening_milli;       // dips
    int64_t receipts_milli = 0;                 // deliveries (received standard volume)
    int64_t sales_milli = 0;                    // sales (metered, net of voids)
    int64_t adjustments_milli = 0;              // stock adjustments
    std::optional<int64_t> book_closing_milli;  // opening + receipts - sales + adjustments
    std::optional<int64_t> closing_milli;       // dips
    std::optional<int64_t> variance_milli;      // book closing - closing: positive is a loss
    std::vector<std::string> missing;           // e.g. "T2: no dip at or before 2026-01-01"
};

struct NpaStock {
    report::Period period;
    std::vector<StockLine> lines;  // station code, product code order
};

Result<NpaStock> ComputeNpaStock(db::Transaction& tx, const TenantId& tenant,
                                 const report::Period& period,
                                 const std::vector<identity::StationRef>& stations,
                                 bool whole_tenant);
nlohmann::json NpaStockJson(const NpaStock& stock);
report::Report NpaStockReport(const NpaStock& stock);

// What each stock figure is computed from, as the JSON and the files state it.
const std::vector<std::pair<std::string, std::string>>& StockSources();

}  // namespace omc::reports
