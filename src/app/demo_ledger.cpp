#include "app/demo_ledger.hpp"

#include <algorithm>
#include <span>

#include <fmt/format.h>

#include "domains/ledger/chart.hpp"
#include "domains/ledger/posting_ids.hpp"
#include "domains/tax/tax_store.hpp"
#include "platform/base/uuid_v7.hpp"
#include "platform/db/multi_row.hpp"

namespace omc::app {
namespace {

namespace chart = ledger::chart;
using forecourt::Account;

constexpr size_t kEntriesPerPost = 200;
constexpr std::string_view kInsertBatchHead =
    "INSERT INTO ledger_sale_batches (tenant_id, entry_id, station_id, business_date, "
    "first_receipt, last_receipt, sales_count, amount)";
constexpr std::string_view kCreatedBy = "omc demo";

// The payment's account code and party (sale_posting.cpp's PaymentAccount, for the methods the
// demo uses).
std::pair<std::string_view, std::optional<Uuid>> PaymentAccount(
    std::string_view method, const std::optional<Uuid>& customer) {
    if (method == "momo") return {chart::kMomoClearing, std::nullopt};
    if (method == "card") return {chart::kCardClearing, std::nullopt};
    if (method == "account" && customer) return {chart::kReceivables, customer};
    return {chart::kCashAtStation, std::nullopt};
}

}  // namespace

Result<void> DemoLedger::LoadRates(db::Transaction& tx) {
    OMC_ASSIGN_OR_RETURN(const auto stored, tax::RatesInUse(tx, tenant_));
    rates_.clear();
    for (const auto& r : stored) rates_.push_back(r.rate);
    return Ok();
}

void DemoLedger::Opening(const Uuid& station, const Uuid& product, int64_t milli,
                         int64_t unit_cost) {
    const int64_t value = forecourt::ValueAtCost(milli, unit_cost);
    Stock& s = stock_[{station, product}];
    s.value += value;
    s.milli += milli;
    opening_.Add(Account(chart::kFuelInventory, station, product), value);
    opening_.Add(Account(chart::kOwnersEquity), -value);
}

void DemoLedger::OpeningCash(const Uuid& station) {
    (void)station;
    opening_.Add(Account(chart::kBank), kDemoWorkingCapitalPesewas);
    opening_.Add(Account(chart::kOwnersEquity), -kDemoWorkingCapitalPesewas);
}

Result<void> DemoLedger::Sale(const SaleFact& sale) {
    Day& d = days_[{sale.station, sale.business_date}];
    if (d.count == 0 || sale.receipt_no < d.first_receipt) d.first_receipt = sale.receipt_no;
    if (d.count == 0 || sale.receipt_no > d.last_receipt) d.last_receipt = sale.receipt_no;
    ++d.count;
    d.amount += sale.amount;
    d.payments[PaymentAccount(sale.method, sale.customer)] += sale.amount;
    int64_t net = sale.amount;
    if (!sale.fuel) {
        OMC_ASSIGN_OR_RETURN(const tax::LineTaxes taxes,
                             tax::ComputeLine(sale.amount, tax::TaxCategory::kStandard,
                                              tax::RatesOn(rates_, sale.business_date)));
        for (const tax::TaxAmount& t : taxes.taxes) {
            d.taxes[chart::TaxPayableCode(t.code).value_or(chart::kVatPayable)] += t.amount_pesewas;
        }
        net = taxes.taxable_value_pesewas;
    }
    d.revenue[{sale.product, sale.fuel}] += net;
    if (sale.fuel) {
        // Cost of fuel sold at the running average cost of the station's stock.
        Stock& s = stock_[{sale.station, sale.product}];
        if (s.value > 0 && s.milli > 0) {
            const int64_t cost =
                std::min(s.value, forecourt::MulDivHalfUp(s.value, sale.quantity_milli, s.milli));
            if (cost > 0) {
                d.cost[sale.product] += cost;
                s.value -= cost;
            }
        }
        s.milli -= sale.quantity_milli;
    }
    return Ok();
}

void DemoLedger::Delivery(const forecourt::DeliveryPosting& delivery) {
    if (delivery.unit_cost) {
        Stock& s = stock_[{delivery.station_id, delivery.product_id}];
        s.value += forecourt::ValueAtCost(delivery.received_standard_milli, *delivery.unit_cost);
        s.milli += delivery.received_standard_milli;
    }
    for (ledger::Entry& e : forecourt::DeliveryEntries(tenant_, delivery)) {
        entries_.push_back(std::move(e));
    }
}

void DemoLedger::Refill(const Uuid& id, const Uuid& station, const Uuid& product, int64_t milli,
                        int64_t unit_cost, const std::string& booked_on) {
    const int64_t value = forecourt::ValueAtCost(milli, unit_cost);
    Stock& s = stock_[{station, product}];
    s.value += value;
    s.milli += milli;
    if (value <= 0) return;
    entries_.push_back(ledger::Entry{
        .id = id,
        .kind = "delivery",
        .source_id = id,
        .booked_on = booked_on,
        .memo = "LPG refill by weighbridge ticket, at cost",
        .lines = {{Account(chart::kFuelInventory, station, product), value, 0, std::nullopt},
                  {Account(chart::kGoodsReceivedNotInvoiced), 0, value, std::nullopt}}});
}

void DemoLedger::CashUp(const Uuid& shift, const Uuid& station, const std::string& business_date,
                        int64_t short_total, int64_t over_total) {
    forecourt::SignedLines lines;
    lines.Add(Account(chart::kCashShort, station), short_total);
    lines.Add(Account(chart::kCashOver, station), -over_total);
    lines.Add(Account(chart::kCashAtStation, station), over_total - short_total);
    if (lines.Empty()) return;
    entries_.push_back(ledger::Entry{
        .id = ledger::DerivedEntryId(shift, "cash_up"),
        .kind = "cash_up",
        .source_id = shift,
        .booked_on = business_date,
        .memo = fmt::format("cash-up: short {} over {} (pesewas)", short_total, over_total),
        .lines = lines.Lines()});
}

DemoIds::DemoIds(TimestampUs now) : ms_(now / 1000) {}

Uuid DemoIds::NewV7() {
    std::array<uint8_t, 16> b{};
    RandomBytes(b.data(), b.size());
    return UuidV7At(ms_, b);
}

Result<int64_t> DemoLedger::Post(db::Transaction& tx, const std::string& opening_date) {
    DemoIds ids(now_);
    std::vector<ledger::Entry> all;
    all.reserve(entries_.size() + days_.size() + 1);
    if (!opening_.Empty()) {
        all.push_back(ledger::Entry{.id = ledger::DerivedEntryId(tenant_.value, "demo_opening"),
                                    .kind = "opening_balance",
                                    .source_id = std::nullopt,
                                    .booked_on = opening_date,
                                    .memo = "opening balances when the demo history starts",
                                    .lines = opening_.Lines()});
    }
    std::vector<db::Params> batch_rows;
    batch_rows.reserve(days_.size());
    for (auto& [key, d] : days_) {
        const auto& [station, date] = key;
        const Uuid id = ledger::DerivedEntryId(station, "demo_sale_batch:" + date);
        batch_rows.push_back(
            {tenant_, id, station, date, d.first_receipt, d.last_receipt, d.count, d.amount});
        forecourt::SignedLines signed_lines;
        for (const auto& [account, amount] : d.payments) {
            const bool till = account.first == chart::kCashAtStation;
            signed_lines.Add(
                Account(account.first, till ? std::optional<Uuid>(station) : std::nullopt,
                        std::nullopt, account.second),
                amount);
        }
        for (const auto& [code, amount] : d.taxes) signed_lines.Add(Account(code), -amount);
        for (const auto& [product, amount] : d.revenue) {
            signed_lines.Add(Account(product.second ? chart::kFuelRevenue : chart::kNonFuelRevenue,
                                     station, product.first),
                             -amount);
        }
        for (const auto& [product, amount] : d.cost) {
            signed_lines.Add(Account(chart::kFuelCostOfSales, station, product), amount);
            signed_lines.Add(Account(chart::kFuelInventory, station, product), -amount);
        }
        std::vector<ledger::EntryLine> lines = signed_lines.Lines();
        if (lines.size() < 2) continue;
        all.push_back(ledger::Entry{.id = id,
                                    .kind = "sale_batch",
                                    .source_id = station,
                                    .booked_on = date,
                                    .memo = fmt::format("receipts {}–{} ({} sales)",
                                                        d.first_receipt, d.last_receipt, d.count),
                                    .lines = std::move(lines)});
    }
    for (ledger::Entry& e : entries_) all.push_back(std::move(e));
    entries_.clear();
    for (size_t begin = 0; begin < all.size(); begin += kEntriesPerPost) {
        const size_t n = std::min(kEntriesPerPost, all.size() - begin);
        OMC_TRY(ledger::PostEntries(tx, tenant_, std::span(all).subspan(begin, n), ids, kCreatedBy,
                                    now_));
    }
    std::vector<std::pair<db::Query, db::Params>> statements;
    db::AppendInsertChunks("demo.insert_sale_batches", kInsertBatchHead, "", 8,
                           std::move(batch_rows), statements);
    OMC_ASSIGN_OR_RETURN(auto counts, tx.ExecuteBatch(statements));
    (void)counts;
    return static_cast<int64_t>(all.size());
}

}  // namespace omc::app
