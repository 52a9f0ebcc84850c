// The ledger entries of a group-commit batch of sales, posted in the batch's own transaction
// (docs/finance.md, "Sales"): no sale commits without its entries, and no entry without its
// sales. Per station and business day, one entry of the batch's stored sales (voids and refunds
// net against them):
//   Dr the payment's account   cash 1010[station], momo 1030, card 1040, account 1100[customer],
//                              voucher 2060[customer] or 2070 without a customer
//   Cr revenue                 4010 fuel / 4020 non-fuel [station, product], net of output taxes
//   Cr output taxes            VAT 2100, NHIL 2110, GETFund 2120, COVID 2130 (non-fuel lines:
//                              fuel is VAT-exempt; its levies are in the price build-up)
//   Dr 5010 / Cr 1200          cost of fuel sold at the weighted average cost of the station's
//                              inventory of the product (1200 balance ÷ book stock), when the
//                              inventory has a value; a void puts it back
// and one ledger_sale_batches row per station with the batch's receipt range, count and amount.
#pragma once

#include <span>
#include <string>

#include "domains/forecourt/sales.hpp"

namespace omc::forecourt {

struct PostedSale {
    const Sale* sale = nullptr;
    bool fuel = false;          // a fuel product (VAT-exempt, costed from the tanks)
    std::string business_date;  // the station's business day of the sale
};

Result<void> PostSaleBatch(db::Transaction& tx, const TenantId& tenant, IdGenerator& ids,
                           TimestampUs now, std::span<const PostedSale> sales);

}  // namespace omc::forecourt
