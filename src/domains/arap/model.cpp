#include "domains/arap/model.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include "domains/arap/common.hpp"
#include "platform/base/assert.hpp"
#include "platform/base/money.hpp"

namespace omc::arap {
namespace {

Error Unprocessable(std::string field, std::string message) {
    return Error(ErrorCode::kUnprocessable, "cannot allocate this payment",
                 {{std::move(field), std::move(message)}});
}

std::string Percent(int64_t bp) { return FormatScaled(bp, 2) + " %"; }

// |a − b| > base × bp / 10 000, in integers (no overflow for the module's limits: quantities
// and prices below 10^10, tolerances below 10^4 bp).
bool Beyond(int64_t a, int64_t b, int64_t base, int64_t bp) {
    const int64_t diff = a > b ? a - b : b - a;
    return diff * 10'000 > base * bp;
}

}  // namespace

Result<std::vector<Allocation>> Allocate(int64_t payment, std::vector<OpenDocument> open,
                                         const std::optional<std::vector<Allocation>>& requested) {
    ERP_ASSERT(payment > 0, "a payment is positive");
    std::vector<Allocation> out;
    if (requested) {
        std::set<Uuid> seen;
        int64_t total = 0;
        for (size_t i = 0; i < requested->size(); ++i) {
            const Allocation& a = (*requested)[i];
            const std::string at = "allocations[" + std::to_string(i) + "]";
            if (!seen.insert(a.document_id).second) {
                return InvalidArgument(at + ".invoice_id", "names an invoice twice");
            }
            const auto doc = std::find_if(open.begin(), open.end(), [&](const OpenDocument& d) {
                return d.id == a.document_id;
            });
            if (doc == open.end()) {
                return Unprocessable(at + ".invoice_id", "is not an open invoice of this party");
            }
            if (a.amount > doc->outstanding) {
                return Unprocessable(at + ".amount", "is more than the invoice's outstanding " +
                                                         FormatMoney(doc->outstanding));
            }
            total += a.amount;
            out.push_back(a);
        }
        if (total > payment) {
            return Unprocessable("allocations", "allocate " + FormatMoney(total) +
                                                    " but the payment is " + FormatMoney(payment));
        }
        return out;
    }
    std::sort(open.begin(), open.end(), [](const OpenDocument& a, const OpenDocument& b) {
        return std::tie(a.due_on, a.number) < std::tie(b.due_on, b.number);
    });
    int64_t left = payment;
    for (const OpenDocument& d : open) {
        if (left == 0) break;
        const int64_t amount = std::min(left, d.outstanding);
        if (amount <= 0) continue;
        out.push_back({d.id, amount});
        left -= amount;
    }
    ERP_ASSERT(left >= 0, "allocated no more than the payment");
    return out;
}

size_t AgingBucket(int64_t days_past_due) {
    if (days_past_due <= 30) return 0;
    if (days_past_due <= 60) return 1;
    if (days_past_due <= 90) return 2;
    return 3;
}

const std::array<std::string, kAgingBuckets>& AgingBucketKeys() {
    static const std::array<std::string, kAgingBuckets> kKeys = {"0_30", "31_60", "61_90",
                                                                 "over_90"};
    return kKeys;
}

std::vector<FieldError> MatchInvoice(const MatchInput& in, const MatchTolerances& tol) {
    std::vector<FieldError> out;
    if (Beyond(in.invoice_quantity_milli, in.delivered_milli, in.delivered_milli,
               tol.quantity_bp)) {
        out.push_back({"quantity", "invoiced " + FormatQuantity(in.invoice_quantity_milli) +
                                       " L but the deliveries' waybills total " +
                                       FormatQuantity(in.delivered_milli) + " L (tolerance " +
                                       Percent(tol.quantity_bp) + ")"});
    }
    const int64_t invoiced = in.invoiced_before_milli + in.invoice_quantity_milli;
    if (invoiced > in.order_quantity_milli &&
        Beyond(invoiced, in.order_quantity_milli, in.order_quantity_milli, tol.quantity_bp)) {
        out.push_back({"purchase_order_id",
                       "invoices on the order would total " + FormatQuantity(invoiced) +
                           " L, more than the " + FormatQuantity(in.order_quantity_milli) +
                           " L ordered (tolerance " + Percent(tol.quantity_bp) + ")"});
    }
    if (Beyond(in.invoice_unit_price, in.order_unit_price, in.order_unit_price, tol.price_bp)) {
        out.push_back({"unit_price", "is " + FormatUnitPrice(in.invoice_unit_price) +
                                         " per litre but the order's is " +
                                         FormatUnitPrice(in.order_unit_price) + " (tolerance " +
                                         Percent(tol.price_bp) + ")"});
    }
    return out;
}

}  // namespace omc::arap
