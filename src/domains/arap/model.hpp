// The pure rules of receivables and payables, shared by both sides (no SQL, no HTTP):
// allocating a payment to open documents, aging buckets, and matching a supplier invoice to its
// purchase order and deliveries.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/base/error.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"

namespace omc::arap {

// ---- allocation ----

// An invoice (customer or supplier) still owed, as a payment may be allocated to it.
struct OpenDocument {
    Uuid id;
    std::string due_on;       // YYYY-MM-DD
    int64_t number = 0;       // tie-break of equal due dates (issue order)
    int64_t outstanding = 0;  // pesewas, > 0
};

struct Allocation {
    Uuid document_id;
    int64_t amount = 0;  // pesewas, > 0
};

// Allocates `payment` pesewas. With `requested` (explicit allocations, as the client gave them)
// each must name an open document (kUnprocessable "allocations[i].invoice_id"), at most once
// (kInvalidArgument), for at most its outstanding amount (kUnprocessable
// "allocations[i].amount"), and together at most the payment (kUnprocessable "allocations").
// Without, oldest first: by due date, then number, each document in turn until the payment is
// used up. What is not allocated stays with the payment as the party's credit.
Result<std::vector<Allocation>> Allocate(int64_t payment, std::vector<OpenDocument> open,
                                         const std::optional<std::vector<Allocation>>& requested);

// ---- aging ----

inline constexpr size_t kAgingBuckets = 4;  // 0–30, 31–60, 61–90, 90+ days past due
// The bucket of a document `days_past_due` days past its due date (negative: not yet due, which
// ages with 0–30).
size_t AgingBucket(int64_t days_past_due);
const std::array<std::string, kAgingBuckets>& AgingBucketKeys();  // "0_30", ...

// ---- three-way match of a supplier invoice ----

struct MatchTolerances {
    int64_t quantity_bp = 50;  // ±0.50 % of the delivered quantity
    int64_t price_bp = 10;     // ±0.10 % of the purchase order's unit price
    bool refuse = true;        // a mismatch is refused (422), else stored as flagged
};

struct MatchInput {
    int64_t order_quantity_milli = 0;
    int64_t order_unit_price = 0;       // 10^-4 pesewa per litre
    int64_t invoiced_before_milli = 0;  // other invoices on the same order
    int64_t invoice_quantity_milli = 0;
    int64_t invoice_unit_price = 0;
    int64_t delivered_milli = 0;  // Σ the deliveries' loaded (waybill) litres
};

// The mismatches, field by field ("quantity", "unit_price"); empty when the invoice matches.
std::vector<FieldError> MatchInvoice(const MatchInput& input, const MatchTolerances& tolerances);

}  // namespace omc::arap
