// The pure rules: allocation (explicit and oldest first), aging buckets, the three-way match.
#include "domains/arap/model.hpp"

#include <gtest/gtest.h>

#include "domains/arap/arap_reports.hpp"

namespace omc::arap {
namespace {

Uuid Id(uint8_t n) {
    std::array<uint8_t, 16> bytes{};
    bytes[15] = n;
    return Uuid(bytes);
}

std::vector<OpenDocument> Open() {
    return {{Id(2), "2026-02-10", 2, 30'000},
            {Id(1), "2026-01-10", 1, 10'000},
            {Id(3), "2026-02-10", 3, 5'000}};
}

TEST(ArapAllocate, OldestFirstByDueDateThenNumberKeepingTheRest) {
    auto a = Allocate(42'000, Open(), std::nullopt);
    ASSERT_TRUE(a.ok());
    ASSERT_EQ(a->size(), 3u);
    EXPECT_EQ((*a)[0].document_id, Id(1));
    EXPECT_EQ((*a)[0].amount, 10'000);
    EXPECT_EQ((*a)[1].document_id, Id(2));
    EXPECT_EQ((*a)[1].amount, 30'000);
    EXPECT_EQ((*a)[2].amount, 2'000);  // the last only in part
    auto more = Allocate(100'000, Open(), std::nullopt);
    int64_t total = 0;
    for (const Allocation& x : *more) total += x.amount;
    EXPECT_EQ(total, 45'000);  // 55 000 stays with the payment as credit
}

TEST(ArapAllocate, ExplicitAllocationsAreCheckedOneByOneAndInTotal) {
    using V = std::vector<Allocation>;
    auto ok = Allocate(15'000, Open(), V{{Id(3), 5'000}, {Id(2), 10'000}});
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok->size(), 2u);
    auto over_doc = Allocate(50'000, Open(), V{{Id(3), 5'001}});
    ASSERT_FALSE(over_doc.ok());
    EXPECT_EQ(over_doc.error().code(), ErrorCode::kUnprocessable);
    EXPECT_EQ(over_doc.error().fields()[0].field, "allocations[0].amount");
    auto over_payment = Allocate(14'999, Open(), V{{Id(3), 5'000}, {Id(2), 10'000}});
    EXPECT_EQ(over_payment.error().fields()[0].field, "allocations");
    auto unknown = Allocate(1'000, Open(), V{{Id(9), 1'000}});
    EXPECT_EQ(unknown.error().fields()[0].field, "allocations[0].invoice_id");
    auto twice = Allocate(2'000, Open(), V{{Id(1), 1'000}, {Id(1), 1'000}});
    EXPECT_EQ(twice.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(twice.error().fields()[0].field, "allocations[1].invoice_id");
}

TEST(ArapAging, BucketEdges) {
    EXPECT_EQ(AgingBucket(-5), 0u);  // not yet due
    EXPECT_EQ(AgingBucket(0), 0u);
    EXPECT_EQ(AgingBucket(30), 0u);
    EXPECT_EQ(AgingBucket(31), 1u);
    EXPECT_EQ(AgingBucket(60), 1u);
    EXPECT_EQ(AgingBucket(61), 2u);
    EXPECT_EQ(AgingBucket(90), 2u);
    EXPECT_EQ(AgingBucket(91), 3u);
}

TEST(ArapAging, PartiesBucketsCreditsAndTotals) {
    AgingInput in{.title = "Receivables aging", .party_key = "customer", .as_of = "2026-04-30"};
    in.documents = {{Id(1), "Alpha", "2026-04-15", 10'000},  // 15 days
                    {Id(1), "Alpha", "2026-03-01", 20'000},  // 60 days
                    {Id(2), "Bravo", "2026-01-01", 5'000},   // 119 days
                    {Id(2), "Bravo", "2026-02-01", 0}};      // settled: left out
    in.credits = {{Id(2), "Bravo", "", 1'500}};
    const AgingOutput out = BuildAging(in);
    ASSERT_EQ(out.json["rows"].size(), 2u);
    EXPECT_EQ(out.json["rows"][0]["buckets"]["0_30"], "100.00");
    EXPECT_EQ(out.json["rows"][0]["buckets"]["31_60"], "200.00");
    EXPECT_EQ(out.json["rows"][1]["buckets"]["over_90"], "50.00");
    EXPECT_EQ(out.json["rows"][1]["balance"], "35.00");
    EXPECT_EQ(out.json["totals"]["balance"], "335.00");
    EXPECT_TRUE(report::Validate(out.report).ok());
}

TEST(ArapStatement, OpeningRunningAndClosingBalances) {
    StatementInput in{.title = "Customer statement",
                      .party_name = "Alpha",
                      .from = "2026-02-01",
                      .to = "2026-02-28",
                      .debit_kind = "invoice",
                      .rows = {}};
    in.rows = {{"2026-01-31", "invoice", "INV-000001", 10'000},
               {"2026-02-03", "payment", "CHQ 1", 4'000},
               {"2026-02-28", "invoice", "INV-000002", 2'500}};
    const StatementOutput out = BuildStatement(in);
    EXPECT_EQ(out.json["opening_balance"], "100.00");
    EXPECT_EQ(out.json["lines"][0]["balance"], "60.00");
    EXPECT_EQ(out.json["closing_balance"], "85.00");
    EXPECT_TRUE(report::Validate(out.report).ok());
}

TEST(ArapMatch, QuantityOrderAndPriceWithinTolerances) {
    const MatchTolerances t{.quantity_bp = 50, .price_bp = 10, .refuse = true};
    MatchInput in{.order_quantity_milli = 20'000'000,
                  .order_unit_price = 125'000,
                  .invoiced_before_milli = 0,
                  .invoice_quantity_milli = 10'050'000,  // exactly +0.5 %
                  .invoice_unit_price = 125'125,         // exactly +0.1 %
                  .delivered_milli = 10'000'000};
    EXPECT_TRUE(MatchInvoice(in, t).empty());
    in.invoice_quantity_milli = 10'050'001;
    in.invoice_unit_price = 125'126;
    const auto m = MatchInvoice(in, t);
    ASSERT_EQ(m.size(), 2u);
    EXPECT_EQ(m[0].field, "quantity");
    EXPECT_EQ(m[1].field, "unit_price");
    in = MatchInput{.order_quantity_milli = 20'000'000,
                    .order_unit_price = 125'000,
                    .invoiced_before_milli = 15'000'000,
                    .invoice_quantity_milli = 10'000'000,
                    .invoice_unit_price = 125'000,
                    .delivered_milli = 10'000'000};
    const auto order = MatchInvoice(in, t);
    ASSERT_EQ(order.size(), 1u);
    EXPECT_EQ(order[0].field, "purchase_order_id");
}

}  // namespace
}  // namespace omc::arap
