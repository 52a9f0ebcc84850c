// The claim for submission to NPA: one row per trip in the order of the tracking rules' fields,
// then the totals. CSV, XLSX or PDF.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "domains/uppf/claim_line.hpp"
#include "platform/base/result.hpp"
#include "platform/http/router.hpp"

namespace omc::uppf {

enum class ExportFormat { kCsv, kXlsx, kPdf };
// "csv", "xlsx" or "pdf"; kInvalidArgument naming `format` otherwise.
Result<ExportFormat> ParseExportFormat(std::string_view text);

struct ClaimSheet {
    std::string period;
    std::string status;
    int64_t amount_pesewas = 0;
    int64_t claimable_pesewas = 0;
    int64_t settled_pesewas = 0;
    std::vector<ClaimLine> lines;
    std::map<Uuid, std::string> station_names;  // "CODE Name" of each station named by a line
};

// The column headings, in order (the export's first row).
const std::vector<std::string>& ClaimSheetColumns();
// One line's cells, as the export writes them.
std::vector<std::string> ClaimSheetRow(const ClaimSheet& sheet, size_t index,
                                       const ClaimLine& line);

// The file as an attachment named uppf-claim-<period>.<ext>.
Result<http::Reply> RenderClaim(const ClaimSheet& sheet, ExportFormat format);

}  // namespace omc::uppf
