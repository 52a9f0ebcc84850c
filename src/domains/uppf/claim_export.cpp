#include "domains/uppf/claim_export.hpp"

#include <utility>

#include "domains/uppf/common.hpp"

namespace omc::uppf {
namespace {

using report::ColumnType;

std::string StationName(const ClaimSheet& sheet, const Uuid& id) {
    const auto it = sheet.station_names.find(id);
    return it == sheet.station_names.end() ? id.ToString() : it->second;
}

// The columns: the tracking rules' fields first, in their order, then the freight.
std::vector<report::Column> Columns() {
    return {{"line_no", "No", ColumnType::kInteger},
            {"loading_date", "Loading date", ColumnType::kDate},
            {"depot", "Loading depot", ColumnType::kText},
            {"bdc", "Supplying BDC", ColumnType::kText},
            {"product", "Product", ColumnType::kText},
            {"loaded_litres", "Quantity loaded (L)", ColumnType::kQuantity},
            {"intended_delivery_point", "Intended delivery point", ColumnType::kText},
            {"brv_registration", "BRV registration", ColumnType::kText},
            {"transporter", "Transporter", ColumnType::kText},
            {"omc_order_no", "OMC order no.", ColumnType::kText},
            {"omc_invoice_no", "OMC invoice no.", ColumnType::kText},
            {"waybill_no", "Waybill no.", ColumnType::kText},
            {"delivered_to", "Delivered to", ColumnType::kText},
            {"received_litres", "Quantity received (L)", ColumnType::kQuantity},
            {"quantity_basis", "Quantity basis", ColumnType::kText},
            {"claimed_litres", "Quantity claimed (L)", ColumnType::kQuantity},
            {"distance_km", "Distance (km)", ColumnType::kText},
            {"paid_distance_km", "Paid distance (km)", ColumnType::kText},
            {"rate_pesewas_per_litre_km", "Rate (GHp/L/km)", ColumnType::kUnitPrice},
            {"amount", "Amount (GH₵)", ColumnType::kMoney},
            {"claimable_amount", "Claimable (GH₵)", ColumnType::kMoney},
            {"flag", "Flag", ColumnType::kText}};
}

report::Row LineRow(const ClaimSheet& sheet, size_t index, const ClaimLine& l) {
    return {static_cast<int64_t>(index + 1),
            l.loading_date,
            l.depot,
            l.bdc,
            l.product_code,
            l.loaded_milli,
            StationName(sheet, l.intended_station_id),
            l.brv_registration,
            l.transporter,
            l.omc_order_no,
            l.omc_invoice_no,
            l.waybill_no,
            StationName(sheet, l.station_id),
            l.received_milli,
            l.quantity_basis,
            l.claimed_milli,
            FormatDistance(l.distance_km_e1),
            FormatDistance(l.paid_distance_km_e1),
            l.rate_per_litre_km_e4,
            l.amount_pesewas,
            l.claimable_pesewas,
            l.exclusion.value_or("")};
}

}  // namespace

report::Report ClaimReport(const ClaimSheet& sheet) {
    report::Report r;
    r.title = "UPPF freight claim " + sheet.period;
    r.subtitle = {"Period: " + sheet.period + " (trips by loading date)",
                  "Status: " + sheet.status +
                      (sheet.submission_reference ? ", reference " + *sheet.submission_reference
                                                  : std::string()),
                  "Settled: GH₵ " + FormatMoney(sheet.settled_pesewas)};
    r.columns = Columns();
    r.AddSection("");
    for (size_t i = 0; i < sheet.lines.size(); ++i) {
        r.AddRow(LineRow(sheet, i, sheet.lines[i]));
    }
    report::Row totals(r.columns.size());
    totals[2] = std::string("Total");
    totals[r.columns.size() - 3] = sheet.amount_pesewas;
    totals[r.columns.size() - 2] = sheet.claimable_pesewas;
    r.totals = std::move(totals);
    return r;
}

}  // namespace omc::uppf
