#include "domains/arap/postings.hpp"

#include <vector>

#include "platform/base/assert.hpp"

#include "domains/ledger/chart.hpp"
#include "domains/ledger/ledger.hpp"

namespace omc::arap {

namespace {

using ledger::AccountKey;
using ledger::EntryLine;

std::string_view PayablesCode(const std::string& kind) {
    if (kind == "bdc") return ledger::chart::kBdcPayables;
    if (kind == "transporter") return ledger::chart::kTransporterPayables;
    return ledger::chart::kOtherPayables;
}

AccountKey Key(std::string_view code, std::optional<Uuid> party = std::nullopt,
               std::optional<Uuid> station = std::nullopt) {
    return AccountKey{.code = std::string(code), .station_id = station, .party_id = party};
}

Result<void> Post(db::Transaction& tx, const TenantId& tenant, const PostingContext& pc,
                  ledger::Entry entry) {
    ERP_ASSERT(pc.ids != nullptr, "postings need an id generator");
    const std::vector<ledger::Entry> entries{std::move(entry)};
    return ledger::PostEntries(tx, tenant, entries, *pc.ids, pc.created_by, pc.now);
}

}  // namespace

Result<void> PostCustomerPayment(db::Transaction& tx, const TenantId& tenant,
                                 const PostingContext& pc, const CustomerPaymentPosting& p) {
    AccountKey cash = Key(ledger::chart::kBank);
    if (p.method == "cash") cash = Key(ledger::chart::kCashAtStation, std::nullopt, p.station_id);
    if (p.method == "momo") cash = Key(ledger::chart::kMomoClearing);
    ledger::Entry entry{.id = p.payment_id,
                        .kind = "customer_payment",
                        .source_id = p.payment_id,
                        .booked_on = p.received_on,
                        .memo = std::nullopt,
                        .lines = {}};
    entry.lines.push_back(EntryLine{.account = cash, .debit = p.amount});
    entry.lines.push_back(
        EntryLine{.account = Key(ledger::chart::kReceivables, p.customer_id), .credit = p.amount});
    return Post(tx, tenant, pc, std::move(entry));
}

Result<void> PostSupplierInvoice(db::Transaction& tx, const TenantId& tenant,
                                 const PostingContext& pc, const SupplierInvoicePosting& p) {
    ledger::Entry entry{.id = p.invoice_id,
                        .kind = "supplier_invoice",
                        .source_id = p.invoice_id,
                        .booked_on = p.invoice_date,
                        .memo = std::nullopt,
                        .lines = {}};
    entry.lines.push_back(
        EntryLine{.account = Key(ledger::chart::kGoodsReceivedNotInvoiced), .debit = p.order_cost});
    const int64_t variance = p.net_amount - p.order_cost;
    if (variance > 0) {
        entry.lines.push_back(
            EntryLine{.account = Key(ledger::chart::kPriceVariance), .debit = variance});
    } else if (variance < 0) {
        entry.lines.push_back(
            EntryLine{.account = Key(ledger::chart::kPriceVariance), .credit = -variance});
    }
    if (p.vat_amount > 0) {
        entry.lines.push_back(
            EntryLine{.account = Key(ledger::chart::kInputVat), .debit = p.vat_amount});
    }
    entry.lines.push_back(EntryLine{.account = Key(PayablesCode(p.supplier_kind), p.supplier_id),
                                    .credit = p.net_amount + p.vat_amount});
    return Post(tx, tenant, pc, std::move(entry));
}

Result<void> PostSupplierPayment(db::Transaction& tx, const TenantId& tenant,
                                 const PostingContext& pc, const SupplierPaymentPosting& p) {
    ledger::Entry entry{.id = p.payment_id,
                        .kind = "supplier_payment",
                        .source_id = p.payment_id,
                        .booked_on = p.paid_on,
                        .memo = std::nullopt,
                        .lines = {}};
    entry.lines.push_back(
        EntryLine{.account = Key(PayablesCode(p.supplier_kind), p.supplier_id), .debit = p.amount});
    entry.lines.push_back(EntryLine{.account = Key(ledger::chart::kBank), .credit = p.amount});
    return Post(tx, tenant, pc, std::move(entry));
}

}  // namespace omc::arap
