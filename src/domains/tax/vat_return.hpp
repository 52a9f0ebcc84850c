// The monthly VAT return summary, computed from the stored sales and the rates in force on each
// line's supply date (nothing stored): per station, the standard-rated sales (tax-inclusive),
// their taxable value and each tax, and the exempt sales (fuel).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domains/identity/identity_api.hpp"
#include "domains/tax/tax_model.hpp"
#include "platform/db/database.hpp"
#include "platform/report/period.hpp"
#include "platform/report/report.hpp"

namespace omc::tax {

struct VatFigures {
    int64_t standard_lines = 0;            // non-fuel sale lines, reversals included
    int64_t standard_amount = 0;           // tax-inclusive, net of voids and refunds
    int64_t taxable_value = 0;             // standard_amount less the taxes
    std::map<std::string, int64_t> taxes;  // by tax code
    int64_t exempt_amount = 0;             // fuel, net of voids and refunds
    int64_t TotalTax() const;
    void Add(const VatFigures& other);
};

struct StationVat {
    identity::StationRef station;
    VatFigures figures;
};

struct VatReturn {
    report::Period period;
    std::vector<std::string> tax_codes;  // the columns: every tax in force in the month or used
    std::map<std::string, std::string> tax_names;
    std::vector<StationVat> stations;  // in station code order
    VatFigures totals;
};

// `stations`: the stations to report (the caller's visible ones, or the one asked for); a
// station without sales in the month appears only when it is the only one. kUnprocessable
// (field "month") when a non-fuel line's supply date has no rate in force.
Result<VatReturn> ComputeVatReturn(db::Transaction& tx, const TenantId& tenant,
                                   const report::Period& period,
                                   const std::vector<identity::StationRef>& stations,
                                   bool whole_tenant);

nlohmann::json VatReturnJson(const VatReturn& vat);
report::Report VatReturnReport(const VatReturn& vat);

}  // namespace omc::tax
