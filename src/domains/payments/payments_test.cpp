// The pure parts of payments: the breaker, the backoff, amounts on the wire, the callback and
// status bodies, the simulator's test numbers and the reconciliation's matching.
#include <gtest/gtest.h>

#include "domains/payments/breaker.hpp"
#include "domains/payments/provider.hpp"
#include "domains/payments/reconciliation.hpp"
#include "domains/payments/simulator.hpp"

namespace omc::payments {
namespace {

constexpr TimestampUs kMs = 1'000;

TEST(Breaker, OpensAfterConsecutiveFailuresAndProbesOnceAfterTheCooldown) {
    Breakers b;
    const std::string key = "t/mtn";
    EXPECT_TRUE(b.Allow(key, 0, 1000));
    b.OnFailure(key, 0, 3, 1000);
    b.OnFailure(key, 0, 3, 1000);
    b.OnSuccess(key);  // a success resets the count
    b.OnFailure(key, 0, 3, 1000);
    b.OnFailure(key, 0, 3, 1000);
    EXPECT_EQ(b.Snapshot(key).state, BreakerState::kClosed);
    b.OnFailure(key, 10 * kMs, 3, 1000);
    EXPECT_EQ(b.Snapshot(key).state, BreakerState::kOpen);
    EXPECT_EQ(b.OpenCount(), 1);
    EXPECT_FALSE(b.Allow(key, 500 * kMs, 1000));
    EXPECT_FALSE(b.Allow(key, 1009 * kMs, 1000));
    // The cool-down has passed: one probe, the others wait for it.
    EXPECT_TRUE(b.Allow(key, 1010 * kMs, 1000));
    EXPECT_EQ(b.Snapshot(key).state, BreakerState::kHalfOpen);
    EXPECT_FALSE(b.Allow(key, 1011 * kMs, 1000));
    // The probe fails: open again for a whole cool-down.
    b.OnFailure(key, 1020 * kMs, 3, 1000);
    EXPECT_EQ(b.Snapshot(key).state, BreakerState::kOpen);
    EXPECT_EQ(b.Snapshot(key).opened_total, 2);
    EXPECT_FALSE(b.Allow(key, 2000 * kMs, 1000));
    EXPECT_TRUE(b.Allow(key, 2020 * kMs, 1000));
    b.OnSuccess(key);
    EXPECT_EQ(b.Snapshot(key).state, BreakerState::kClosed);
    EXPECT_TRUE(b.Allow(key, 2021 * kMs, 1000));
    EXPECT_EQ(b.OpenCount(), 0);
    // Keys are apart.
    EXPECT_EQ(b.Snapshot("other/mtn").state, BreakerState::kClosed);
}

TEST(Backoff, DoublesWithJitterUpToTheCap) {
    EXPECT_EQ(BackoffMs(0, 2000, 60000, 0.0), 1000);
    EXPECT_EQ(BackoffMs(0, 2000, 60000, 0.999999), 1999);
    EXPECT_EQ(BackoffMs(1, 2000, 60000, 0.0), 2000);
    EXPECT_EQ(BackoffMs(3, 2000, 60000, 0.5), 12000);
    EXPECT_EQ(BackoffMs(5, 2000, 60000, 0.0), 30000);
    EXPECT_EQ(BackoffMs(40, 2000, 60000, 0.0), 30000);  // capped, no overflow
    EXPECT_LT(BackoffMs(40, 2000, 60000, 1.0), 60000);
}

TEST(Amounts, AreStringsOnTheWire) {
    EXPECT_EQ(AmountText(15000), "150");
    EXPECT_EQ(AmountText(15050), "150.50");
    EXPECT_EQ(AmountText(5), "0.05");
    EXPECT_EQ(ParseAmount("150"), 15000);
    EXPECT_EQ(ParseAmount("150.5"), 15050);
    EXPECT_EQ(ParseAmount("0.05"), 5);
    EXPECT_FALSE(ParseAmount("150."));
    EXPECT_FALSE(ParseAmount("1.005"));
    EXPECT_FALSE(ParseAmount("-1"));
    EXPECT_FALSE(ParseAmount(""));
    EXPECT_FALSE(ParseAmount("1e3"));
}

TEST(Ids, ReferencesAreUuidV4) {
    const Uuid id = NewUuidV4();
    EXPECT_TRUE(IsUuidV4(id.ToString()));
    EXPECT_NE(NewUuidV4(), id);
    EXPECT_FALSE(IsUuidV4("0190b7e4-7c1a-7000-8000-000000000000"));  // v7
    EXPECT_FALSE(IsUuidV4("not-a-uuid"));
}

TEST(Base64, RoundTrips) {
    for (std::string text : {"", "a", "ab", "abc", "user:key", "5f3c2b1a:omc-sim-api-key"}) {
        EXPECT_EQ(Base64Decode(Base64(text)), text);
    }
    EXPECT_EQ(Base64("user:key"), "dXNlcjprZXk=");
    EXPECT_FALSE(Base64Decode("abc"));
    EXPECT_FALSE(Base64Decode("a=bc"));
}

TEST(StatusBody, ReadsTheProvidersFields) {
    auto ok = ParseStatusBody(
        R"({"amount":"150","currency":"GHS","financialTransactionId":"123456","externalId":"x",)"
        R"("payer":{"partyIdType":"MSISDN","partyId":"233241234567"},"status":"SUCCESSFUL"})");
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok->status, PayStatus::kSuccessful);
    EXPECT_EQ(ok->financial_transaction_id, "123456");
    auto failed = ParseStatusBody(R"({"status":"FAILED","reason":"APPROVAL_REJECTED"})");
    ASSERT_TRUE(failed.ok());
    EXPECT_EQ(failed->status, PayStatus::kFailed);
    EXPECT_EQ(failed->reason, "APPROVAL_REJECTED");
    // A reason as an object (seen in some versions of the API).
    auto object_reason =
        ParseStatusBody(R"({"status":"FAILED","reason":{"code":"PAYER_NOT_FOUND","message":"x"}})");
    EXPECT_EQ(object_reason->reason, "PAYER_NOT_FOUND");
    EXPECT_EQ(ParseStatusBody(R"({"status":"CREATED"})")->status, PayStatus::kPending);
    EXPECT_FALSE(ParseStatusBody(R"({"status":"MAYBE"})").ok());
    EXPECT_FALSE(ParseStatusBody("not json").ok());
}

TEST(Simulator, MapsTheSandboxTestNumbers) {
    EXPECT_EQ(SimOutcomeFor("46733123450").reason, "INTERNAL_PROCESSING_ERROR");
    EXPECT_EQ(SimOutcomeFor("46733123451").reason, "APPROVAL_REJECTED");
    EXPECT_EQ(SimOutcomeFor("46733123452").reason, "EXPIRED");
    EXPECT_EQ(SimOutcomeFor("46733123453").status, "PENDING");
    EXPECT_EQ(SimOutcomeFor("46733123454").status, "SUCCESSFUL");
    EXPECT_EQ(SimOutcomeFor("46733123454").delay_factor, 5);
    EXPECT_EQ(SimOutcomeFor("46733123455").reason, "PAYER_NOT_FOUND");
    EXPECT_EQ(SimOutcomeFor("46733123464").status, "FAILED");
    EXPECT_EQ(SimOutcomeFor("233241234567").status, "SUCCESSFUL");
    EXPECT_EQ(SimOutcomeFor("46733123465").status, "SUCCESSFUL");
}

IntentFacts Facts(const char* ref, int64_t amount, const char* status,
                  const char* sale_state = "recorded") {
    IntentFacts f;
    f.id = NewUuidV4();
    f.sale_id = NewUuidV4();
    f.reference = ref;
    f.amount = amount;
    f.status = status;
    f.sale_state = status == std::string("successful") ? sale_state : "none";
    return f;
}
StatementLine Line(const char* ref, int64_t amount, const char* status, const char* ftid = "") {
    StatementLine l;
    l.reference = ref;
    l.amount = amount;
    l.status = status;
    l.financial_transaction_id = ftid;
    l.currency = "GHS";
    return l;
}

TEST(Reconcile, ListsEveryKindOfMismatch) {
    const std::vector<IntentFacts> day = {Facts("r-ok", 1000, "successful"),
                                          Facts("r-amount", 2000, "successful"),
                                          Facts("r-nostatement", 3000, "successful"),
                                          Facts("r-pending", 4000, "pending"),
                                          Facts("r-refused", 5000, "successful", "error"),
                                          Facts("r-failed", 6000, "failed"),
                                          Facts("r-failed-here", 7000, "failed")};
    IntentFacts by_ftid = Facts("r-ftid", 800, "successful");
    by_ftid.financial_transaction_id = "F-1";
    const std::vector<IntentFacts> others = {by_ftid};
    const std::vector<StatementLine> lines = {
        Line("r-ok", 1000, "SUCCESSFUL"),          Line("r-amount", 2100, "SUCCESSFUL"),
        Line("r-pending", 4000, "SUCCESSFUL"),     Line("r-stray", 900, "SUCCESSFUL"),
        Line("r-refused", 5000, "SUCCESSFUL"),     Line("r-failed", 6000, "FAILED"),
        Line("r-failed-here", 7000, "SUCCESSFUL"), Line("other", 800, "SUCCESSFUL", "F-1"),
        Line("r-stray-failed", 50, "FAILED")};
    const ReconcileResult r = Reconcile(lines, day, others);
    EXPECT_EQ(r.matched, 3);  // r-ok, r-failed, by ftid
    std::map<std::string, std::string> kinds;
    for (const Mismatch& m : r.mismatches) {
        kinds[m.line ? m.line->reference : m.intent->reference] = m.kind;
    }
    EXPECT_EQ(kinds, (std::map<std::string, std::string>{{"r-amount", "amount_differs"},
                                                         {"r-pending", "status_differs"},
                                                         {"r-stray", "missing_sale"},
                                                         {"r-refused", "missing_sale"},
                                                         {"r-failed-here", "status_differs"},
                                                         {"r-nostatement", "missing_statement"}}));
    EXPECT_EQ(r.statement_amount, 1000 + 2100 + 4000 + 900 + 5000 + 7000 + 800);
    EXPECT_EQ(r.sales_amount, 1000 + 2000 + 3000);
}

TEST(Reconcile, StatementErrorsNameRowAndColumn) {
    auto bad = ParseStatement("reference,amount,currency,status\nr1,12.345,GHS,SUCCESSFUL\n");
    ASSERT_FALSE(bad.ok());
    std::string text = bad.error().message();
    for (const FieldError& f : bad.error().fields()) text += " " + f.field + ": " + f.message;
    EXPECT_NE(text.find("row 2, column amount"), std::string::npos) << text;
    auto status = ParseStatement("reference,amount,currency,status\nr1,12.34,GHS,DONE\n");
    ASSERT_FALSE(status.ok());
    auto good = ParseStatement(
        "reference,financial_transaction_id,external_id,amount,currency,status,completed_at\r\n"
        "r1,F1,e1,150,GHS,SUCCESSFUL,2026-11-22T05:00:00Z\r\n");
    ASSERT_TRUE(good.ok());
    EXPECT_EQ((*good)[0].amount, 15000);
    EXPECT_EQ((*good)[0].row, 2);
}

}  // namespace
}  // namespace omc::payments
