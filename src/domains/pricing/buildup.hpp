// The NPA price build-up: every component between the ex-refinery price and the ex-pump price
// (ex-refinery, each tax, levy and margin) as an effective-dated row per product, and the
// build-up of a product on a date (its lines in order and the three subtotals). README.md in this
// folder lists the table, invariants, routes and events; docs/pricing.md explains the model.
//
// Amounts are UnitPrice raws: 10^-4 pesewa per litre (per kg for LPG), NPA's scale. On the wire
// they are pesewas with exactly 4 decimals ("479.5038"), the form of NPA's price build-up sheet
// (which quotes GHp to 4 decimals), not the GH₵ form of the forecourt's station prices.
// Dates are days since 1970-01-01 (ParseDateDays); valid_to is the last day in force (inclusive).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::pricing {

enum class ComponentKind {
    kExRefinery,       // the ex-refinery price and its parts (core, marine mix, dye ...)
    kTax,              // Special Petroleum Tax
    kLevy,             // EDRL, Road Fund, Energy Fund, PSRL, Sanitation, ESRL, GH¢1 levy ...
    kRegulatedMargin,  // BOST, UPPF, primary distribution, fuel marking, admin costs, recovery
    kOmcMargin,        // the marketer's margin (deregulated)
    kDealerMargin,     // the dealer's / retailer's margin (deregulated)
};
std::string_view ComponentKindName(ComponentKind kind);
std::optional<ComponentKind> ParseComponentKind(std::string_view name);

// The subtotal a line adds to. ex_depot = ex_refinery + its lines; ex_pump = ex_depot + its lines.
enum class Subtotal { kExRefinery, kExDepot, kExPump };
std::string_view SubtotalName(Subtotal subtotal);
std::optional<Subtotal> ParseSubtotal(std::string_view name);

// One line of a build-up: a component row in force on the date asked.
struct BuildUpLine {
    Uuid component_id;
    std::string code;  // EDRL, PSRL, UPPF ...
    std::string name;
    ComponentKind kind = ComponentKind::kLevy;
    Subtotal subtotal = Subtotal::kExDepot;
    int64_t position = 0;
    int64_t amount = 0;  // UnitPrice raw; may be negative (a subsidy / recovery margin)
    bool in_floor = true;  // counts towards the NPA price floor base (margins set by the OMC don't)
    std::optional<std::string> gra_levy_code;  // the GRA customs levy the line is paid under
};

struct BuildUp {
    Uuid product_id;
    std::string product_code;
    std::string unit;  // the product's unit: "L" or "kg"
    int32_t date_days = 0;
    // In order: subtotal (ex-refinery, ex-depot, ex-pump), then position, then code.
    std::vector<BuildUpLine> lines;
    int64_t ex_refinery = 0;  // UnitPrice raws, running totals
    int64_t ex_depot = 0;
    int64_t ex_pump = 0;
    int64_t floor_base = 0;  // the sum of the lines with in_floor
};

// The build-up of `product_id` on `date_days`, from the component rows in force that day
// (valid_from <= date <= valid_to, or no valid_to). nullopt when the tenant has no component
// for that product on that date (including an unknown product). Pure read: no writes, no events.
Result<std::optional<BuildUp>> BuildUpAt(db::Transaction& tx, const TenantId& tenant,
                                         const Uuid& product_id, int32_t date_days);

}  // namespace omc::pricing
