// The ledger entries of receivables and payables (docs/finance.md lists every business fact's
// entries). Each is posted with ledger::PostEntries in the document's own transaction, with the
// entry id = the document id, so a retried request posts nothing twice.
//
//   customer payment   Dr cash at station (cash) / bank (bank, cheque) / MoMo clearing (momo)
//                      Cr receivables[customer]
//   supplier invoice   Dr goods received not invoiced (quantity × the order's unit price)
//                      Dr/Cr price variance (invoice net − that cost)
//                      Dr input VAT (when the invoice carries VAT)
//                      Cr BDC / transporter / other payables[supplier] (the invoice total)
//   supplier payment   Dr payables[supplier], Cr bank
//
// The credit sale itself (Dr receivables[customer], Cr revenue) is posted by the sales batch
// (src/domains/forecourt/sales.cpp, the lead's), not here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "platform/base/clock.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"
#include "platform/db/database.hpp"

namespace omc::arap {

struct PostingContext {
    IdGenerator* ids = nullptr;
    std::string created_by;
    TimestampUs now = 0;
};

struct CustomerPaymentPosting {
    Uuid payment_id;
    Uuid customer_id;
    std::string method;              // cash, bank, momo, cheque
    std::optional<Uuid> station_id;  // cash: where it was received
    int64_t amount = 0;
    std::string received_on;
};
Result<void> PostCustomerPayment(db::Transaction& tx, const TenantId& tenant,
                                 const PostingContext& pc, const CustomerPaymentPosting& p);

struct SupplierInvoicePosting {
    Uuid invoice_id;
    Uuid supplier_id;
    std::string supplier_kind;  // bdc, transporter, other
    int64_t order_cost = 0;     // quantity × the order's unit price, pesewas
    int64_t net_amount = 0;     // quantity × the invoice's unit price, pesewas
    int64_t vat_amount = 0;
    std::string invoice_date;
};
Result<void> PostSupplierInvoice(db::Transaction& tx, const TenantId& tenant,
                                 const PostingContext& pc, const SupplierInvoicePosting& p);

struct SupplierPaymentPosting {
    Uuid payment_id;
    Uuid supplier_id;
    std::string supplier_kind;
    int64_t amount = 0;
    std::string paid_on;
};
Result<void> PostSupplierPayment(db::Transaction& tx, const TenantId& tenant,
                                 const PostingContext& pc, const SupplierPaymentPosting& p);

}  // namespace omc::arap
