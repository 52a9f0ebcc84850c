#include "domains/uppf/claim_export.hpp"

#include <utility>

#include "domains/uppf/common.hpp"

namespace omc::uppf {
namespace {

std::string StationName(const ClaimSheet& sheet, const Uuid& id) {
    const auto it = sheet.station_names.find(id);
    return it == sheet.station_names.end() ? id.ToString() : it->second;
}

std::string CsvField(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

std::string CsvRow(const std::vector<std::string>& cells) {
    std::string out;
    for (size_t i = 0; i < cells.size(); ++i) {
        if (i > 0) out += ',';
        out += CsvField(cells[i]);
    }
    return out + "\r\n";
}

// The totals rows under the lines: label in the first column, amount in the amount columns.
std::vector<std::vector<std::string>> TotalRows(const ClaimSheet& sheet) {
    const size_t width = ClaimSheetColumns().size();
    const auto row = [&](std::string label, int64_t pesewas) {
        std::vector<std::string> cells(width);
        cells[0] = std::move(label);
        cells[width - 3] = FormatMoney(pesewas);
        return cells;
    };
    return {row("Total claimed", sheet.amount_pesewas),
            row("Total claimable", sheet.claimable_pesewas),
            row("Settled", sheet.settled_pesewas)};
}

http::Reply Attachment(std::string body, std::string content_type, const ClaimSheet& sheet,
                       std::string_view ext) {
    http::Reply reply;
    reply.raw_body = std::move(body);
    reply.content_type = std::move(content_type);
    reply.headers.emplace_back("Content-Disposition", "attachment; filename=\"uppf-claim-" +
                                                          sheet.period + "." + std::string(ext) +
                                                          "\"");
    return reply;
}

}  // namespace

Result<ExportFormat> ParseExportFormat(std::string_view text) {
    if (text == "csv") return ExportFormat::kCsv;
    if (text == "xlsx") return ExportFormat::kXlsx;
    if (text == "pdf") return ExportFormat::kPdf;
    return InvalidArgument("format", "must be csv, xlsx or pdf");
}

const std::vector<std::string>& ClaimSheetColumns() {
    static const std::vector<std::string> kColumns = {
        "No",           "Loading date",     "Depot",          "BDC",
        "Product",      "Quantity loaded (L)", "Intended delivery point", "Delivered to",
        "BRV registration", "Transporter",  "OMC order no",   "OMC invoice no",
        "Waybill no",   "Quantity received (L)", "Quantity basis", "Distance (km)",
        "Paid distance (km)", "Rate (GHS per L-km)", "Amount (GHS)", "Claimable (GHS)",
        "Flag"};
    return kColumns;
}

std::vector<std::string> ClaimSheetRow(const ClaimSheet& sheet, size_t index,
                                       const ClaimLine& l) {
    return {std::to_string(index + 1),
            l.loading_date,
            l.depot,
            l.bdc,
            l.product_code,
            FormatQuantity(l.loaded_milli),
            StationName(sheet, l.intended_station_id),
            StationName(sheet, l.station_id),
            l.brv_registration,
            l.transporter,
            l.omc_order_no,
            l.omc_invoice_no,
            l.waybill_no,
            FormatQuantity(l.received_milli),
            l.quantity_basis,
            FormatDistance(l.distance_km_e1),
            FormatDistance(l.paid_distance_km_e1),
            FormatRate(l.rate_per_litre_km_e4),
            FormatMoney(l.amount_pesewas),
            FormatMoney(l.claimable_pesewas),
            l.exclusion.value_or("")};
}

Result<http::Reply> RenderClaim(const ClaimSheet& sheet, ExportFormat format) {
    std::vector<std::vector<std::string>> rows;
    rows.push_back(ClaimSheetColumns());
    for (size_t i = 0; i < sheet.lines.size(); ++i) {
        rows.push_back(ClaimSheetRow(sheet, i, sheet.lines[i]));
    }
    for (auto& total : TotalRows(sheet)) rows.push_back(std::move(total));
    switch (format) {
        case ExportFormat::kCsv: {
            std::string csv;
            for (const auto& row : rows) csv += CsvRow(row);
            return Attachment(std::move(csv), "text/csv; charset=utf-8", sheet, "csv");
        }
        case ExportFormat::kXlsx:
        case ExportFormat::kPdf:
            break;
    }
    return Error(ErrorCode::kUnprocessable, "format not available yet",
                 {{"format", "xlsx and pdf wait for the shared report library"}});
}

}  // namespace omc::uppf
