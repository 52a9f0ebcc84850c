#include "domains/forecourt/sale_posting.hpp"

#include <map>
#include <optional>
#include <tuple>
#include <vector>

#include <fmt/format.h>

#include "domains/forecourt/stock_posting.hpp"
#include "domains/ledger/chart.hpp"
#include "domains/ledger/ledger.hpp"
#include "domains/tax/tax_model.hpp"
#include "domains/tax/tax_store.hpp"
#include "platform/db/multi_row.hpp"

namespace omc::forecourt {
namespace {

namespace chart = ledger::chart;
using ledger::AccountKey;

constexpr std::string_view kInsertBatchHead =
    "INSERT INTO ledger_sale_batches (tenant_id, entry_id, station_id, business_date, "
    "first_receipt, last_receipt, sales_count, amount)";

AccountKey PaymentAccount(const Sale& s) {
    if (s.payment_method == "momo") return Account(chart::kMomoClearing);
    if (s.payment_method == "card") return Account(chart::kCardClearing);
    if (s.payment_method == "account" && s.customer_id) {
        return Account(chart::kReceivables, std::nullopt, std::nullopt, s.customer_id);
    }
    if (s.payment_method == "voucher") {
        if (s.customer_id) {
            return Account(chart::kCustomerDeposits, std::nullopt, std::nullopt, s.customer_id);
        }
        return Account(chart::kVouchersOutstanding);
    }
    return Account(chart::kCashAtStation, s.station_id);
}

}  // namespace

Result<void> PostSaleBatch(db::Transaction& tx, const TenantId& tenant, IdGenerator& ids,
                           TimestampUs now, std::span<const PostedSale> sales) {
    if (sales.empty()) return Ok();
    // Tax rates, read once when a non-fuel line is in the batch.
    std::optional<std::vector<tax::TaxRate>> rates;
    // Average cost per (station, product): inventory value and book stock before the batch.
    std::map<std::pair<Uuid, Uuid>, StockValue> costs;
    {
        // The inventory accounts of the batch's fuel, in one query; only those with a value need
        // their book stock (one that does not exist yet has none).
        std::vector<AccountKey> keys;
        for (const PostedSale& p : sales) {
            if (p.fuel && p.sale->kind != SaleKind::kRefund) {
                keys.push_back(
                    Account(chart::kFuelInventory, p.sale->station_id, p.sale->product_id));
            }
        }
        OMC_ASSIGN_OR_RETURN(const auto inventories, ledger::FindAccounts(tx, tenant, keys));
        for (const AccountKey& k : keys) {
            auto [it, fresh] = costs.try_emplace({*k.station_id, *k.product_id});
            if (!fresh) continue;
            auto found = inventories.find(k.DimensionKey());
            if (found == inventories.end() || found->second.Balance() <= 0) continue;
            OMC_ASSIGN_OR_RETURN(const int64_t stock,
                                 StationBookStock(tx, tenant, *k.station_id, *k.product_id));
            it->second = StockValue{.value = found->second.Balance(), .stock_milli = stock};
        }
    }
    struct Group {
        SignedLines lines;
        int64_t first_receipt = 0;
        int64_t last_receipt = 0;
        int64_t count = 0;
        int64_t amount = 0;
    };
    std::map<std::pair<Uuid, std::string>, Group> groups;
    for (const PostedSale& p : sales) {
        const Sale& s = *p.sale;
        Group& g = groups[{s.station_id, p.business_date}];
        if (g.count == 0 || s.receipt_no < g.first_receipt) g.first_receipt = s.receipt_no;
        if (g.count == 0 || s.receipt_no > g.last_receipt) g.last_receipt = s.receipt_no;
        ++g.count;
        g.amount += s.amount;
        g.lines.Add(PaymentAccount(s), s.amount);
        int64_t net = s.amount;
        if (!p.fuel) {
            if (!rates) {
                OMC_ASSIGN_OR_RETURN(const auto stored, tax::RatesInUse(tx, tenant));
                rates.emplace();
                for (const auto& r : stored) rates->push_back(r.rate);
            }
            OMC_ASSIGN_OR_RETURN(const tax::LineTaxes taxes,
                                 tax::ComputeLine(s.amount, tax::TaxCategory::kStandard,
                                                  tax::RatesOn(*rates, p.business_date)));
            for (const tax::TaxAmount& t : taxes.taxes) {
                const std::optional<std::string_view> code = chart::TaxPayableCode(t.code);
                g.lines.Add(Account(code.value_or(chart::kVatPayable)), -t.amount_pesewas);
            }
            net = taxes.taxable_value_pesewas;
        }
        g.lines.Add(Account(p.fuel ? chart::kFuelRevenue : chart::kNonFuelRevenue, s.station_id,
                            s.product_id),
                    -net);
        // Cost of fuel sold: a sale or refund takes fuel out at average cost; a void puts it
        // back (a refund's fuel does not go back into a tank, so its cost stays sold).
        if (p.fuel && s.kind != SaleKind::kRefund) {
            const StockValue& c = costs.at({s.station_id, s.product_id});
            if (c.value > 0 && c.stock_milli > 0) {
                int64_t cost = MulDivHalfUp(c.value, s.quantity_milli, c.stock_milli);
                if (cost > c.value) cost = c.value;
                if (cost != 0) {
                    g.lines.Add(Account(chart::kFuelCostOfSales, s.station_id, s.product_id), cost);
                    g.lines.Add(Account(chart::kFuelInventory, s.station_id, s.product_id), -cost);
                }
            }
        }
    }
    std::vector<ledger::Entry> entries;
    std::vector<db::Params> batch_rows;
    entries.reserve(groups.size());
    for (auto& [key, g] : groups) {
        ledger::Entry e;
        e.id = ids.NewV7();
        e.kind = "sale_batch";
        e.source_id = key.first;
        e.booked_on = key.second;
        e.memo = fmt::format("receipts {}–{} ({} sales, voids and refunds)", g.first_receipt,
                             g.last_receipt, g.count);
        e.lines = g.lines.Lines();
        batch_rows.push_back({tenant, e.id, key.first, key.second, g.first_receipt, g.last_receipt,
                              g.count, g.amount});
        // Sales that net to nothing in one account (a sale and its void in one batch) post no
        // entry; the batch row still records them.
        if (e.lines.size() >= 2) entries.push_back(std::move(e));
    }
    OMC_TRY(ledger::PostEntries(tx, tenant, entries, ids, "system:sales", now));
    std::vector<std::pair<db::Query, db::Params>> statements;
    db::AppendInsertChunks("forecourt.insert_sale_batches", kInsertBatchHead, "", 8,
                           std::move(batch_rows), statements);
    OMC_ASSIGN_OR_RETURN(auto counts, tx.ExecuteBatch(statements));
    (void)counts;
    return Ok();
}

}  // namespace omc::forecourt
