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

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"
#include "platform/http/router.hpp"
#include "platform/report/csv_reader.hpp"
#include "platform/report/report.hpp"

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
    int64_t amount = 0;    // UnitPrice raw; may be negative (a subsidy / recovery margin)
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

// ---- component rows (the routes' and the import's model) ----

// One effective-dated component row of one product.
struct PriceComponent {
    Uuid id;
    Uuid product_id;
    std::string product_code;
    std::string code;
    std::string name;
    ComponentKind kind = ComponentKind::kLevy;
    Subtotal subtotal = Subtotal::kExDepot;
    int64_t position = 0;
    int64_t amount = 0;  // UnitPrice raw
    int64_t valid_from_days = 0;
    std::optional<int64_t> valid_to_days;  // inclusive; nullopt: open-ended
    bool in_floor = true;
    std::optional<std::string> gra_levy_code;
    std::optional<std::string> source_ref;
    std::string created_by;
    TimestampUs created_at_us = 0;
    TimestampUs updated_at_us = 0;
};

// Whether [a_from, a_to] and [b_from, b_to] share a day (nullopt "to": open-ended).
bool PeriodsOverlap(int64_t a_from, std::optional<int64_t> a_to, int64_t b_from,
                    std::optional<int64_t> b_to);
// Whether a line of this kind counts towards the price floor unless told otherwise: every kind
// but the OMC's and the dealer's margins.
bool DefaultInFloor(ComponentKind kind);
// Sorts lines into build-up order and adds them up (checked: kInvalidArgument on overflow).
Result<void> OrderAndTotal(BuildUp& build_up);

// Wire forms: amounts as pesewas with 4 decimals ("-530.4720"), days as "YYYY-MM-DD".
std::string FormatAmount(int64_t raw);
std::optional<int64_t> ParseAmount(std::string_view text);  // within +-kMaxAmount
std::string FormatDay(int64_t days);
inline constexpr int kAmountDecimals = 4;
// GH₵ 10,000 per litre or kg either way: far beyond any component, far from overflow.
inline constexpr int64_t kMaxAmount = 10'000LL * 100 * 10'000;

// ---- the CSV layout of import and export ----
// Columns, in this order; the last three may be left out (from the right).
inline constexpr std::string_view kCsvColumns[] = {
    "product", "component_code", "name",     "kind",     "subtotal",      "position",
    "amount",  "valid_from",     "valid_to", "in_floor", "gra_levy_code", "source_ref"};
inline constexpr size_t kCsvRequiredColumns = 9;
inline constexpr size_t kCsvMaxRows = 5'000;

// A data row of the layout, checked for form only (products and overlaps need the database).
// Problems go to `errors` as {"rows[N].column", "row N, column C: ..."}.
struct CsvComponent {
    size_t row = 0;
    std::string product;  // id or code, as written
    PriceComponent component;
    bool in_floor_given = false;
};
// `records` come from report::ParseCsv (RFC 4180; the header is row 1, as a spreadsheet counts).
std::vector<CsvComponent> ReadCsvComponents(const std::vector<report::CsvRecord>& records,
                                            std::vector<FieldError>& errors);
// The rows as a report in the layout (columns named as the CSV header), for the CSV, XLSX and
// PDF writers of platform/report; `title` heads the XLSX and PDF.
report::Report ComponentsReport(const std::vector<PriceComponent>& rows, std::string title);
// The rows as the CSV layout (with the header line).
Result<std::string> WriteCsvComponents(const std::vector<PriceComponent>& rows);

// Registers the build-up routes (module "pricing" in src/app/modules.cpp).
void RegisterBuildUpRoutes(http::Router& router, IdGenerator& ids, const Clock& clock);

}  // namespace omc::pricing
