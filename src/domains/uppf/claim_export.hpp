// The claim for submission to NPA as a report (platform/report): one row per trip with the
// fields of the tracking rules (L.I. 2251 reg. 8) in their order, then the freight figures;
// totals of the amount, the claimable amount and what is settled. CSV, XLSX or PDF.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "domains/uppf/claim_line.hpp"
#include "platform/report/report.hpp"

namespace omc::uppf {

struct ClaimSheet {
    std::string period;
    std::string status;
    std::optional<std::string> submission_reference;
    int64_t amount_pesewas = 0;
    int64_t claimable_pesewas = 0;
    int64_t settled_pesewas = 0;
    std::vector<ClaimLine> lines;
    std::map<Uuid, std::string> station_names;  // "CODE Name" of each station named by a line
};

// The report: title "UPPF freight claim <period>", subtitle (status, submission reference,
// settled amount), one row per line, the totals row (amount and claimable amount).
report::Report ClaimReport(const ClaimSheet& sheet);

}  // namespace omc::uppf
