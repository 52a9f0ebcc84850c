// Pricing windows, floors, price lists and station prices through the API, on both engines:
// deadlines over weekends and holidays, the floor refusal, every workflow move (409 for the
// wrong ones), scheduling into station_prices so that a sale at 23:59 of the old window and at
// 00:00 of the new one take the right prices, the late flag, price history and the export.
#include <gtest/gtest.h>

#include "domains/pricing/window_proposals.hpp"

#include "domains/forecourt/forecourt_fixture.hpp"
#include "domains/pricing/windows.hpp"

namespace omc::pricing {
namespace {

using http::Method;
using nlohmann::json;
using omc::testing::ApiResponse;

TimestampUs At(const char* text) { return *ParseTimestamp(text); }

class PricingWindowApiTest : public forecourt::testing::ForecourtApiTest {
  protected:
    void SetUp() override {
        ForecourtApiTest::SetUp();
        clock_.SetNowUs(At("2026-12-10T10:00:00Z"));  // a Thursday in window 2026-12-1
        SignIn();
        std::tie(std::ignore, station_) = AddRegionAndStation(tenant_a_, "ACC1");
        std::tie(std::ignore, other_station_) = AddRegionAndStation(tenant_a_, "KSI1");
        f_ = FitOut(admin_, station_);  // PMS at GH₵ 14.95 on the network from now
        manager_user_ =
            AddUser(tenant_a_, "efua-manager", identity::Role::kStationManager, {station_});
        attendant_ = AddUser(tenant_a_, "kwame-attendant", identity::Role::kOperator, {station_});
        SignIn();
    }

    // Tokens live 15 minutes: sign in again after moving the clock.
    void SignIn() {
        admin_ = TokenFor("alpha-admin");
        if (manager_user_.id != Uuid()) manager_ = TokenFor("efua-manager");
        if (attendant_.id != Uuid()) operator_ = TokenFor("kwame-attendant");
    }
    void MoveTo(const char* time) {
        clock_.SetNowUs(At(time));
        SignIn();
    }

    ApiResponse Floor(const std::string& window, const std::string& price) {
        return As(admin_, Method::kPost, "/api/v1/pricing/floors",
                  {{"window", window}, {"product_id", f_.product}, {"unit_price", price}});
    }
    ApiResponse Propose(const std::string& window, json lines) {
        return As(admin_, Method::kPost, "/api/v1/pricing/proposals",
                  {{"window", window}, {"lines", std::move(lines)}});
    }
    json NetworkLine(const std::string& price) {
        return json::array({{{"product_id", f_.product}, {"unit_price", price}}});
    }
    ApiResponse Move(const std::string& id, const std::string& action, json body = nullptr) {
        return As(admin_, Method::kPost, "/api/v1/pricing/proposals/" + id + "/" + action, body);
    }
    json Window(const std::string& id) {
        ApiResponse r = As(admin_, Method::kGet, "/api/v1/pricing/windows/" + id);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return r.status == 200 ? r.data() : json();
    }

    ApiResponse OpenShift() {
        return As(
            manager_, Method::kPost, "/api/v1/shifts",
            {{"station_id", station_.ToString()},
             {"attendants",
              json::array({{{"pump_id", f_.pump}, {"attendant_id", attendant_.id.ToString()}}})},
             {"totalizers", json::array({{{"nozzle_id", f_.nozzle}, {"totalizer", "1000.000"}}})}});
    }
    ApiResponse Sale(const std::string& litres, const char* sold_at) {
        return As(operator_, Method::kPost, "/api/v1/transactions",
                  {{"id", ids_.NewV7().ToString()},
                   {"station_id", station_.ToString()},
                   {"nozzle_id", f_.nozzle},
                   {"quantity", litres},
                   {"payment_method", "cash"},
                   {"sold_at", sold_at}});
    }

    std::string admin_, manager_, operator_;
    Uuid station_, other_station_;
    forecourt::testing::FittedStation f_;
    identity::User manager_user_, attendant_;
};

TEST_F(PricingWindowApiTest, WindowsShowTheirDatesAndDeadlines) {
    ApiResponse r = As(admin_, Method::kGet, "/api/v1/pricing/windows?from=2026-12-10&count=4");
    ASSERT_EQ(r.status, 200) << r.raw.body;
    ASSERT_EQ(r.data().size(), 4u);
    const json& now = r.data()[0];
    EXPECT_EQ(now["id"], "2026-12-1");
    EXPECT_EQ(now["first_day"], "2026-12-01");
    EXPECT_EQ(now["last_day"], "2026-12-15");
    EXPECT_EQ(now["current"], true);
    EXPECT_EQ(now["status"], "closed");
    // Tue 1 Dec: Monday 30 Nov noon.
    EXPECT_EQ(now["submission_deadline"], "2026-11-30T12:00:00.000Z");
    const json& next = r.data()[1];
    EXPECT_EQ(next["id"], "2026-12-2");
    EXPECT_EQ(next["last_day"], "2026-12-31");
    EXPECT_EQ(next["starts_at"], "2026-12-16T00:00:00.000Z");
    EXPECT_EQ(next["ends_at"], "2027-01-01T00:00:00.000Z");
    EXPECT_EQ(next["submission_deadline"], "2026-12-15T12:00:00.000Z");
    EXPECT_EQ(next["status"], "open");
    EXPECT_EQ(next["deadline_passed"], false);
    // Fri 1 Jan 2027: Thursday 31 Dec (Christmas and the observed Boxing Day are before it).
    EXPECT_EQ(r.data()[2]["id"], "2027-01-1");
    EXPECT_EQ(r.data()[2]["submission_deadline"], "2026-12-31T12:00:00.000Z");
    // Sat 16 Jan 2027: Friday 15th.
    EXPECT_EQ(r.data()[3]["submission_deadline"], "2027-01-15T12:00:00.000Z");
    // February of a leap year and a window given by its first day.
    EXPECT_EQ(Window("2028-02-16")["last_day"], "2028-02-29");
    EXPECT_EQ(Window("2027-02-2")["last_day"], "2027-02-28");
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/pricing/windows/2026-12-3").status, 400);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/pricing/windows?count=49").status, 400);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/pricing/windows?count=0").status, 400);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/pricing/windows?from=0001-01-01").status, 400);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/pricing/proposals?status=done").status, 400);
}

TEST_F(PricingWindowApiTest, AHolidayMondayMovesTheDeadlineOverTheWeekend) {
    // Window 2026-06-2 starts Tuesday 16 June 2026: the deadline is Monday the 15th at noon.
    EXPECT_EQ(Window("2026-06-2")["submission_deadline"], "2026-06-15T12:00:00.000Z");
    // Declared a holiday, Monday goes, and so do Sunday and Saturday: Friday 12th.
    ApiResponse added = As(admin_, Method::kPost, "/api/v1/pricing/holidays",
                           {{"date", "2026-06-15"}, {"name", "Declared holiday"}});
    ASSERT_EQ(added.status, 201) << added.raw.body;
    EXPECT_EQ(Window("2026-06-2")["submission_deadline"], "2026-06-12T12:00:00.000Z");
    EXPECT_EQ(As(admin_, Method::kPost, "/api/v1/pricing/holidays",
                 {{"date", "2026-06-15"}, {"name", "Again"}})
                  .status,
              409);
    // Window 2026-09-2 (Wed 16 Sep) is untouched by Founders' Day on Mon 21 Sep; window
    // 2026-04-1 (Wed 1 Apr) by Good Friday 3 Apr.
    EXPECT_EQ(Window("2026-09-2")["submission_deadline"], "2026-09-15T12:00:00.000Z");
    // Window 2026-04-2 (Thu 16 Apr): Wednesday 15th.
    EXPECT_EQ(Window("2026-04-2")["submission_deadline"], "2026-04-15T12:00:00.000Z");
    // Removing the day restores Monday.
    ApiResponse removed = As(admin_, Method::kDelete, "/api/v1/pricing/holidays/2026-06-15");
    ASSERT_EQ(removed.status, 200) << removed.raw.body;
    EXPECT_EQ(Window("2026-06-2")["submission_deadline"], "2026-06-15T12:00:00.000Z");
    EXPECT_EQ(As(admin_, Method::kDelete, "/api/v1/pricing/holidays/2026-06-15").status, 404);
}

TEST_F(PricingWindowApiTest, TheSeededCalendarIsEditablePerTenant) {
    ApiResponse y2026 = As(admin_, Method::kGet, "/api/v1/pricing/holidays?year=2026");
    ASSERT_EQ(y2026.status, 200) << y2026.raw.body;
    std::vector<std::string> dates;
    for (const json& h : y2026.data()) dates.push_back(h["date"]);
    EXPECT_EQ(dates, (std::vector<std::string>{
                         "2026-01-01", "2026-01-07", "2026-03-06", "2026-03-20", "2026-03-23",
                         "2026-04-03", "2026-04-06", "2026-05-01", "2026-05-27", "2026-07-01",
                         "2026-09-21", "2026-12-04", "2026-12-25", "2026-12-26", "2026-12-28"}));
    EXPECT_EQ(y2026.data()[3]["name"], "Eid al-Fitr");
    EXPECT_EQ(y2026.data()[3]["tentative"], true);
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/pricing/holidays?year=2025").data().size(), 14u);
    // Eid al-Fitr announced for Saturday 21 March instead: the tentative Friday is removed
    // (masked for this tenant only) and the announced day added.
    ASSERT_EQ(As(admin_, Method::kDelete, "/api/v1/pricing/holidays/2026-03-20").status, 200);
    ASSERT_EQ(As(admin_, Method::kPost, "/api/v1/pricing/holidays",
                 {{"date", "2026-03-21"}, {"name", "Eid al-Fitr (announced)"}})
                  .status,
              201);
    ApiResponse march =
        As(admin_, Method::kGet, "/api/v1/pricing/holidays?from=2026-03-01&to=2026-03-31");
    ASSERT_EQ(march.data().size(), 3u) << march.raw.body;
    EXPECT_EQ(march.data()[1]["date"], "2026-03-21");
    EXPECT_EQ(march.data()[1]["source"], "tenant");
    // Tenant B still sees the national calendar.
    const std::string admin_b = TokenFor("bravo-admin");
    ApiResponse b =
        As(admin_b, Method::kGet, "/api/v1/pricing/holidays?from=2026-03-01&to=2026-03-31");
    ASSERT_EQ(b.data().size(), 3u);
    EXPECT_EQ(b.data()[1]["date"], "2026-03-20");
    // Bad input.
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/pricing/holidays?year=26").status, 400);
    ApiResponse bad = As(admin_, Method::kPost, "/api/v1/pricing/holidays",
                         {{"date", "2026-02-30"}, {"name", "x"}});
    EXPECT_EQ(bad.status, 400);
    EXPECT_EQ(bad.ErrorField(), "date");
}

TEST_F(PricingWindowApiTest, APriceBelowTheFloorIsRefusedNamingTheFloor) {
    ASSERT_EQ(Floor("2026-12-2", "13.02").status, 201);
    ApiResponse again = Floor("2026-12-16", "13.50");
    EXPECT_EQ(again.status, 409);
    EXPECT_EQ(again.ErrorField(), "product_id");
    ApiResponse low =
        Propose("2026-12-2", json::array({{{"product_id", f_.product}, {"unit_price", "15.00"}},
                                          {{"product_id", f_.product},
                                           {"station_id", station_.ToString()},
                                           {"unit_price", "13.019999"}}}));
    ASSERT_EQ(low.status, 422) << low.raw.body;
    EXPECT_EQ(low.ErrorField(), "lines[1].unit_price");
    const std::string message = low.body["error"]["details"][0]["message"];
    EXPECT_NE(message.find("13.02"), std::string::npos) << message;
    EXPECT_NE(message.find("13.019999"), std::string::npos) << message;
    EXPECT_EQ(CountRows(tenant_a_, "pricing_proposals"), 0);
    // At the floor is allowed.
    EXPECT_EQ(Propose("2026-12-2", NetworkLine("13.02")).status, 201);
    // A floor NPA sets after the proposal is checked again on approval.
    ApiResponse jan = Propose("2027-01-1", NetworkLine("13.10"));
    ASSERT_EQ(jan.status, 201);
    ASSERT_EQ(Floor("2027-01-1", "13.20").status, 201);
    ApiResponse approve = Move(jan.data()["id"], "approve");
    EXPECT_EQ(approve.status, 422);
    EXPECT_EQ(approve.ErrorField(), "lines[0].unit_price");
    ApiResponse floors = As(admin_, Method::kGet, "/api/v1/pricing/floors?window=2026-12-2");
    ASSERT_EQ(floors.data().size(), 1u);
    EXPECT_EQ(floors.data()[0]["unit_price"], "13.02");
    EXPECT_EQ(floors.data()[0]["window"], "2026-12-2");
}

TEST_F(PricingWindowApiTest, TheWorkflowMovesOnlyForward) {
    // A window that has started takes no proposal.
    ApiResponse past = Propose("2026-12-1", NetworkLine("15.00"));
    EXPECT_EQ(past.status, 422);
    EXPECT_EQ(past.ErrorField(), "window");
    ApiResponse first = Propose("2026-12-2", NetworkLine("15.50"));
    ApiResponse second = Propose("2026-12-2", NetworkLine("15.60"));
    ASSERT_EQ(first.status, 201) << first.raw.body;
    ASSERT_EQ(second.status, 201);
    const std::string a = first.data()["id"];
    const std::string b = second.data()["id"];
    EXPECT_EQ(first.data()["status"], "proposed");
    EXPECT_EQ(Window("2026-12-2")["status"], "proposed");
    // Scheduling before approval, and rejecting without a reason.
    EXPECT_EQ(Move(a, "schedule").status, 409);
    ApiResponse no_reason = Move(b, "reject", json::object());
    EXPECT_EQ(no_reason.status, 400);
    EXPECT_EQ(no_reason.ErrorField(), "reason");
    // A StationManager may read but not approve.
    EXPECT_EQ(As(manager_, Method::kPost, "/api/v1/pricing/proposals/" + a + "/approve").status,
              403);
    ASSERT_EQ(Move(a, "approve").status, 200);
    EXPECT_EQ(Move(a, "approve").status, 409);
    // One approved list per window.
    ApiResponse other = Move(b, "approve");
    EXPECT_EQ(other.status, 409);
    EXPECT_EQ(other.ErrorField(), "window");
    ApiResponse rejected = Move(b, "reject", {{"reason", "margin too thin"}});
    ASSERT_EQ(rejected.status, 200);
    EXPECT_EQ(rejected.data()["status"], "rejected");
    EXPECT_EQ(rejected.data()["reason"], "margin too thin");
    EXPECT_EQ(Move(b, "withdraw", {{"reason", "x"}}).status, 409);
    ApiResponse scheduled = Move(a, "schedule");
    ASSERT_EQ(scheduled.status, 200) << scheduled.raw.body;
    EXPECT_EQ(scheduled.data()["status"], "scheduled");
    EXPECT_EQ(Move(a, "withdraw", {{"reason", "too late"}}).status, 409);
    EXPECT_EQ(Move(a, "schedule").status, 409);
    EXPECT_EQ(Window("2026-12-2")["status"], "scheduled");
    // Both lists are kept, the rejected one with its reason.
    ApiResponse all = As(admin_, Method::kGet, "/api/v1/pricing/proposals?window=2026-12-2");
    ASSERT_EQ(all.data().size(), 2u);
    // A withdrawn list keeps its reason too.
    ApiResponse jan = Propose("2027-01-1", NetworkLine("15.70"));
    ApiResponse approved = Move(jan.data()["id"], "approve");
    ASSERT_EQ(approved.status, 200);
    MoveTo("2026-12-10T11:30:00.000Z");
    ApiResponse withdrawn = Move(jan.data()["id"], "withdraw", {{"reason", "crude fell"}});
    ASSERT_EQ(withdrawn.status, 200);
    EXPECT_EQ(withdrawn.data()["reason"], "crude fell");
    // ... and its approval: who approved it and when, beside who withdrew it and when.
    EXPECT_EQ(withdrawn.data()["decided_by"], approved.data()["decided_by"]);
    EXPECT_EQ(withdrawn.data()["decided_at"], "2026-12-10T10:00:00.000Z");
    EXPECT_EQ(withdrawn.data()["withdrawn_at"], "2026-12-10T11:30:00.000Z");
    EXPECT_EQ(withdrawn.data()["withdrawn_by"], approved.data()["decided_by"]);
    ApiResponse reread = As(admin_, Method::kGet,
                            "/api/v1/pricing/proposals/" + jan.data()["id"].get<std::string>());
    EXPECT_EQ(reread.data()["decided_at"], "2026-12-10T10:00:00.000Z");
    EXPECT_EQ(reread.data()["withdrawn_at"], "2026-12-10T11:30:00.000Z");
    EXPECT_TRUE(approved.data()["withdrawn_at"].is_null());
    EXPECT_EQ(Move(jan.data()["id"], "approve").status, 409);
    // Events: created x3, approved x2, rejected, scheduled, withdrawn.
    EXPECT_EQ(CountRows(tenant_a_, "outbox_events", "type = 'pricing.prices_scheduled'"), 1);
    EXPECT_EQ(CountRows(tenant_a_, "outbox_events", "type LIKE 'pricing.proposal_%'"), 7);
}

TEST_F(PricingWindowApiTest, SalesTakeTheOldPriceAt2359AndTheNewOneAtMidnight) {
    ASSERT_EQ(Floor("2026-12-2", "13.02").status, 201);
    ApiResponse p = Propose("2026-12-2", NetworkLine("15.55"));
    ASSERT_EQ(p.status, 201) << p.raw.body;
    const std::string id = p.data()["id"];
    ASSERT_EQ(Move(id, "approve").status, 200);
    ApiResponse s = Move(id, "schedule");
    ASSERT_EQ(s.status, 200) << s.raw.body;
    ASSERT_EQ(s.data()["prices"].size(), 1u);  // the network row only
    EXPECT_EQ(s.data()["prices"][0]["station_id"], nullptr);
    // Submitted on Thursday 10th, before Tuesday's noon deadline.
    ApiResponse submitted = As(admin_, Method::kPost, "/api/v1/pricing/windows/2026-12-2/submit");
    ASSERT_EQ(submitted.status, 200) << submitted.raw.body;
    EXPECT_EQ(submitted.data()["submission_late"], false);
    EXPECT_EQ(submitted.data()["submitted_at"], "2026-12-10T10:00:00.000Z");

    MoveTo("2026-12-15T22:00:00Z");
    ASSERT_EQ(OpenShift().status, 201);
    MoveTo("2026-12-16T00:05:00Z");
    ApiResponse old_price = Sale("10.000", "2026-12-15T23:59:00Z");
    ASSERT_EQ(old_price.status, 201) << old_price.raw.body;
    EXPECT_EQ(old_price.data()["unit_price"], "14.95");
    EXPECT_EQ(old_price.data()["amount"], "149.50");
    ApiResponse last_micro = Sale("1.000", "2026-12-15T23:59:59.999999Z");
    EXPECT_EQ(last_micro.data()["unit_price"], "14.95");
    ApiResponse new_price = Sale("10.000", "2026-12-16T00:00:00Z");
    ASSERT_EQ(new_price.status, 201) << new_price.raw.body;
    EXPECT_EQ(new_price.data()["unit_price"], "15.55");
    EXPECT_EQ(new_price.data()["amount"], "155.50");
    ApiResponse by_amount = As(operator_, Method::kPost, "/api/v1/transactions",
                               {{"id", ids_.NewV7().ToString()},
                                {"station_id", station_.ToString()},
                                {"nozzle_id", f_.nozzle},
                                {"amount", "100.00"},
                                {"payment_method", "cash"},
                                {"sold_at", "2026-12-16T00:01:00Z"}});
    ASSERT_EQ(by_amount.status, 201) << by_amount.raw.body;
    EXPECT_EQ(by_amount.data()["quantity"], "6.431");  // 100 / 15.55 = 6.43086.. L

    // The sweep marks the list in force once, with its event.
    EXPECT_EQ(Window("2026-12-2")["status"], "scheduled");
    ApiResponse swept = As(admin_, Method::kPost, "/api/v1/pricing/windows/activate");
    ASSERT_EQ(swept.status, 200) << swept.raw.body;
    ASSERT_EQ(swept.data()["activated"].size(), 1u);
    EXPECT_EQ(swept.data()["activated"][0]["window"], "2026-12-2");
    EXPECT_EQ(
        As(admin_, Method::kPost, "/api/v1/pricing/windows/activate").data()["activated"].size(),
        0u);
    const json window = Window("2026-12-2");
    EXPECT_EQ(window["status"], "in_force");
    EXPECT_EQ(window["current"], true);
    EXPECT_EQ(CountRows(tenant_a_, "outbox_events", "type = 'pricing.prices_in_force'"), 1);
    // A window in force takes no more proposals.
    EXPECT_EQ(Propose("2026-12-2", NetworkLine("16.00")).status, 422);
}

// The App's background sweep (every minute) does for every tenant what the activate route does
// for one: a scheduled list comes into force once its window has started, with its event.
TEST_F(PricingWindowApiTest, TheBackgroundSweepBringsScheduledListsIntoForce) {
    ApiResponse p = Propose("2026-12-2", NetworkLine("15.55"));
    ASSERT_EQ(p.status, 201) << p.raw.body;
    ASSERT_EQ(Move(p.data()["id"], "approve").status, 200);
    ASSERT_EQ(Move(p.data()["id"], "schedule").status, 200);
    // Before the window: nothing to do.
    auto early = SweepPricesInForce(*database_, ids_, clock_);
    ASSERT_TRUE(early.ok()) << early.error().detail();
    EXPECT_EQ(*early, 0);
    EXPECT_EQ(Window("2026-12-2")["status"], "scheduled");
    MoveTo("2026-12-16T00:00:30Z");
    auto swept = SweepPricesInForce(*database_, ids_, clock_);
    ASSERT_TRUE(swept.ok()) << swept.error().detail();
    EXPECT_EQ(*swept, 1);
    EXPECT_EQ(Window("2026-12-2")["status"], "in_force");
    EXPECT_EQ(CountRows(tenant_a_, "outbox_events", "type = 'pricing.prices_in_force'"), 1);
    auto again = SweepPricesInForce(*database_, ids_, clock_);
    ASSERT_TRUE(again.ok());
    EXPECT_EQ(*again, 0);
    EXPECT_EQ(CountRows(tenant_a_, "outbox_events", "type = 'pricing.prices_in_force'"), 1);
}

TEST_F(PricingWindowApiTest, ALateSubmissionIsFlagged) {
    ApiResponse p = Propose("2026-12-2", NetworkLine("15.55"));
    ASSERT_EQ(Move(p.data()["id"], "approve").status, 200);
    ApiResponse none = As(admin_, Method::kPost, "/api/v1/pricing/windows/2027-01-1/submit");
    EXPECT_EQ(none.status, 409);
    MoveTo("2026-12-15T12:00:01Z");  // a second past Tuesday's noon
    ApiResponse late = As(admin_, Method::kPost, "/api/v1/pricing/windows/2026-12-2/submit");
    ASSERT_EQ(late.status, 200) << late.raw.body;
    EXPECT_EQ(late.data()["submission_late"], true);
    EXPECT_EQ(late.data()["deadline_passed"], true);
    EXPECT_EQ(As(admin_, Method::kPost, "/api/v1/pricing/windows/2026-12-2/submit").status, 409);
    ApiResponse got =
        As(admin_, Method::kGet, "/api/v1/pricing/proposals/" + p.data()["id"].get<std::string>());
    EXPECT_EQ(got.data()["submission_late"], true);
    EXPECT_EQ(got.data()["submitted_at"], "2026-12-15T12:00:01.000Z");
}

TEST_F(PricingWindowApiTest, ZonesAndStationsGetTheirOwnRowsAndHistoryAnswers) {
    // Station KSI1 once had a price of its own: a new network price must reach it too.
    ASSERT_EQ(As(admin_, Method::kPost, "/api/v1/prices",
                 {{"product_id", f_.product},
                  {"station_id", other_station_.ToString()},
                  {"unit_price", "15.10"}})
                  .status,
              201);
    const Uuid third = AddRegionAndStation(tenant_a_, "TML1").second;
    ApiResponse zone = As(admin_, Method::kPost, "/api/v1/pricing/zones",
                          {{"code", "north"},
                           {"name", "Northern zone"},
                           {"station_ids", json::array({third.ToString()})}});
    ASSERT_EQ(zone.status, 201) << zone.raw.body;
    EXPECT_EQ(zone.data()["code"], "NORTH");
    const std::string zone_id = zone.data()["id"];
    ApiResponse taken = As(admin_, Method::kPost, "/api/v1/pricing/zones",
                           {{"code", "south"},
                            {"name", "Southern"},
                            {"station_ids", json::array({third.ToString()})}});
    EXPECT_EQ(taken.status, 409);
    EXPECT_EQ(taken.ErrorField(), "station_ids[0]");
    EXPECT_EQ(CountRows(tenant_a_, "pricing_zones"), 1);

    ApiResponse p = Propose(
        "2026-12-2",
        json::array({{{"product_id", f_.product}, {"unit_price", "15.50"}},
                     {{"product_id", f_.product}, {"zone_id", zone_id}, {"unit_price", "15.80"}},
                     {{"product_id", f_.product},
                      {"station_id", station_.ToString()},
                      {"unit_price", "15.45"}}}));
    ASSERT_EQ(p.status, 201) << p.raw.body;
    ASSERT_EQ(Move(p.data()["id"], "approve").status, 200);
    ApiResponse s = Move(p.data()["id"], "schedule");
    ASSERT_EQ(s.status, 200) << s.raw.body;
    // Network, ACC1 (its line), KSI1 (its old own price, now the network's), TML1 (zone).
    EXPECT_EQ(s.data()["prices"].size(), 4u);
    const auto price_at = [&](const Uuid& station, const char* at) {
        ApiResponse r = As(admin_, Method::kGet,
                           "/api/v1/pricing/history?station_id=" + station.ToString() +
                               "&product_id=" + f_.product + "&at=" + at);
        EXPECT_EQ(r.status, 200) << r.raw.body;
        return r.status == 200 ? r.data()["in_force"]["unit_price"].get<std::string>() : "";
    };
    EXPECT_EQ(price_at(station_, "2026-12-15T23:59:59Z"), "14.95");
    EXPECT_EQ(price_at(station_, "2026-12-16T14:05:00Z"), "15.45");
    EXPECT_EQ(price_at(other_station_, "2026-12-15T23:59:59Z"), "15.10");
    EXPECT_EQ(price_at(other_station_, "2026-12-16T14:05:00Z"), "15.50");
    EXPECT_EQ(price_at(third, "2026-12-16T14:05:00Z"), "15.80");

    // "What did this pump charge at 14:05 on the 16th?", by nozzle, with the changes.
    ApiResponse h = As(admin_, Method::kGet,
                       "/api/v1/pricing/history?nozzle_id=" + f_.nozzle +
                           "&at=2026-12-16T14:05:00Z&from=2026-12-01T00:00:00Z");
    ASSERT_EQ(h.status, 200) << h.raw.body;
    EXPECT_EQ(h.data()["station_id"], station_.ToString());
    EXPECT_EQ(h.data()["window"], "2026-12-2");
    EXPECT_EQ(h.data()["in_force"]["unit_price"], "15.45");
    EXPECT_EQ(h.data()["in_force"]["scope"], "station");
    EXPECT_EQ(h.data()["in_force"]["effective_from"], "2026-12-16T00:00:00.000Z");
    ASSERT_EQ(h.data()["changes"].size(), 2u) << h.raw.body;
    EXPECT_EQ(h.data()["changes"][0]["unit_price"], "14.95");
    EXPECT_EQ(h.data()["changes"][0]["effective_from"], "2026-12-10T10:00:00.000Z");
    EXPECT_EQ(h.data()["changes"][1]["unit_price"], "15.45");
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/pricing/history?station_id=" + station_.ToString())
                  .status,
              400);

    // Zone edits: TML1 moves out, KSI1 in.
    ApiResponse edited = As(admin_, Method::kPatch, "/api/v1/pricing/zones/" + zone_id,
                            {{"station_ids", json::array({other_station_.ToString()})}});
    ASSERT_EQ(edited.status, 200) << edited.raw.body;
    EXPECT_EQ(edited.data()["station_ids"], json::array({other_station_.ToString()}));
}

TEST_F(PricingWindowApiTest, TheNpaSubmissionExportsInItsLayout) {
    ASSERT_EQ(Floor("2026-12-2", "13.02").status, 201);
    ApiResponse p =
        Propose("2026-12-2", json::array({{{"product_id", f_.product}, {"unit_price", "15.50"}},
                                          {{"product_id", f_.product},
                                           {"station_id", station_.ToString()},
                                           {"unit_price", "15.45"}}}));
    ASSERT_EQ(p.status, 201) << p.raw.body;
    EXPECT_EQ(As(admin_, Method::kGet, "/api/v1/pricing/windows/2026-12-2/submission").status, 409);
    ASSERT_EQ(Move(p.data()["id"], "approve").status, 200);
    ASSERT_EQ(As(admin_, Method::kPost, "/api/v1/pricing/windows/2026-12-2/submit").status, 200);
    ApiResponse csv =
        As(admin_, Method::kGet, "/api/v1/pricing/windows/2026-12-2/submission?format=csv");
    ASSERT_EQ(csv.status, 200) << csv.raw.body;
    EXPECT_EQ(csv.raw.content_type, "text/csv; charset=utf-8");
    EXPECT_EQ(csv.Header("Content-Disposition"),
              "attachment; filename=\"npa-prices-2026-12-2.csv\"");
    EXPECT_EQ(csv.raw.body,
              "window,first_day,last_day,product_code,product_name,unit,scope,zone_code,"
              "station_code,station_name,npa_licence_no,ex_pump_price_ghp,floor_ghp,"
              "regulated_ghp,marketer_margin_ghp,dealer_margin_ghp,submission_deadline,"
              "submitted_at,late\r\n"
              "2026-12-2,2026-12-16,2026-12-31,PMS,Premium motor spirit,L,network,,,,,1550.0000,"
              "1302.0000,,,,2026-12-15T12:00:00.000Z,2026-12-10T10:00:00.000Z,no\r\n"
              "2026-12-2,2026-12-16,2026-12-31,PMS,Premium motor spirit,L,station,,S-ACC1,"
              "S-ACC1,,1545.0000,1302.0000,,,,2026-12-15T12:00:00.000Z,"
              "2026-12-10T10:00:00.000Z,no\r\n");
    // The same rows as a workbook: a zip (XLSX) holding the prices as numbers.
    ApiResponse xlsx =
        As(admin_, Method::kGet, "/api/v1/pricing/windows/2026-12-2/submission?format=xlsx");
    ASSERT_EQ(xlsx.status, 200) << xlsx.raw.body;
    EXPECT_EQ(xlsx.raw.content_type,
              "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    EXPECT_EQ(xlsx.raw.body.substr(0, 2), "PK");
    EXPECT_EQ(xlsx.Header("Content-Disposition"),
              "attachment; filename=\"npa-prices-2026-12-2.xlsx\"");
    ApiResponse as_json =
        As(admin_, Method::kGet, "/api/v1/pricing/windows/2026-12-2/submission?format=json");
    ASSERT_EQ(as_json.status, 200);
    EXPECT_EQ(as_json.data()["sections"][0]["rows"][1]["ex_pump_price_ghp"], "1545.0000");
    EXPECT_EQ(
        As(admin_, Method::kGet, "/api/v1/pricing/windows/2026-12-2/submission?format=ods").status,
        400);
}

TEST_F(PricingWindowApiTest, MarginsOnTopOfTheBuildUpGiveTheExPumpPrice) {
    // A build-up for PMS from 1 Dec 2026, in pesewas per litre: ex-refinery 900, levies 200,
    // UPPF 90 (regulated), and NPA's indicative marketer 30 and dealer 20 margins, which the
    // OMC's own margins replace. Regulated part: 1190 GHp = GH₵ 11.90.
    const auto component = [&](const char* code, const char* kind, const char* subtotal,
                               int position, const char* amount) {
        ApiResponse r = As(admin_, Method::kPost, "/api/v1/pricing/components",
                           {{"product", "PMS"},
                            {"code", code},
                            {"name", code},
                            {"kind", kind},
                            {"subtotal", subtotal},
                            {"position", position},
                            {"amount", amount},
                            {"valid_from", "2026-12-01"}});
        EXPECT_EQ(r.status, 201) << r.raw.body;
    };
    component("XREF", "ex_refinery", "ex_refinery", 1, "900.0000");
    component("LEVIES", "levy", "ex_depot", 10, "200.0000");
    component("UPPF", "regulated_margin", "ex_pump", 10, "90.0000");
    component("MKT", "omc_margin", "ex_pump", 20, "30.0000");
    component("DLR", "dealer_margin", "ex_pump", 30, "20.0000");
    ASSERT_EQ(Floor("2026-12-2", "12.31").status, 201);
    const auto margins = [&](const char* marketer, const char* dealer) {
        return json::array({{{"product_id", f_.product},
                             {"marketer_margin", marketer},
                             {"dealer_margin", dealer}}});
    };
    // 11.90 + 0.20 + 0.15 = 12.25: below the floor of 12.31, named on the margin.
    ApiResponse low = Propose("2026-12-2", margins("0.20", "0.15"));
    ASSERT_EQ(low.status, 422) << low.raw.body;
    EXPECT_EQ(low.ErrorField(), "lines[0].marketer_margin");
    ApiResponse p = Propose("2026-12-2", margins("0.3525", "0.25"));
    ASSERT_EQ(p.status, 201) << p.raw.body;
    const json& line = p.data()["lines"][0];
    EXPECT_EQ(line["mode"], "margins");
    EXPECT_EQ(line["regulated_unit_price"], "11.90");
    EXPECT_EQ(line["marketer_margin"], "0.3525");
    EXPECT_EQ(line["dealer_margin"], "0.25");
    EXPECT_EQ(line["unit_price"], "12.5025");  // 1250.25 GHp/L
    ASSERT_EQ(Move(p.data()["id"], "approve").status, 200);
    ApiResponse s = Move(p.data()["id"], "schedule");
    ASSERT_EQ(s.status, 200) << s.raw.body;
    EXPECT_EQ(s.data()["prices"][0]["unit_price"], "12.5025");
    ApiResponse csv =
        As(admin_, Method::kGet, "/api/v1/pricing/windows/2026-12-2/submission?format=csv");
    ASSERT_EQ(csv.status, 200);
    EXPECT_NE(csv.raw.body.find(",1250.2500,1231.0000,1190.0000,35.2500,25.0000,"),
              std::string::npos)
        << csv.raw.body;
}

TEST_F(PricingWindowApiTest, BadProposalsNameTheirField) {
    struct Case {
        json body;
        int status;
        std::string field;
    };
    const std::string product = f_.product;
    const std::vector<Case> cases = {
        {{{"window", "2026-12-3"}, {"lines", NetworkLine("15")}}, 400, "window"},
        {{{"window", "2026-12-2"}, {"lines", json::array()}}, 400, "lines"},
        {{{"window", "2026-12-2"},
          {"lines", json::array({{{"product_id", product}, {"unit_price", 15}}})}},
         400,
         "lines[0].unit_price"},
        {{{"window", "2026-12-2"}, {"lines", json::array({{{"product_id", product}}})}},
         400,
         "lines[0].unit_price"},
        {{{"window", "2026-12-2"},
          {"lines", json::array({{{"product_id", product}, {"marketer_margin", "0.30"}}})}},
         400,
         "lines[0].dealer_margin"},
        {{{"window", "2026-12-2"},
          {"lines", json::array({{{"product_id", product}, {"unit_price", "15"}},
                                 {{"product_id", product}, {"unit_price", "16"}}})}},
         400,
         "lines[1].product_id"},
        {{{"window", "2026-12-2"},
          {"lines",
           json::array({{{"product_id", ids_.NewV7().ToString()}, {"unit_price", "15"}}})}},
         422,
         "lines[0].product_id"},
        {{{"window", "2026-12-2"},
          {"lines", json::array({{{"product_id", product},
                                  {"station_id", ids_.NewV7().ToString()},
                                  {"unit_price", "15"}}})}},
         422,
         "lines[0].station_id"},
        // Margins need a build-up on the window's first day (this tenant has none).
        {{{"window", "2026-12-2"},
          {"lines", json::array({{{"product_id", product},
                                  {"marketer_margin", "0.30"},
                                  {"dealer_margin", "0.20"}}})}},
         422,
         "lines[0].marketer_margin"},
    };
    for (const Case& c : cases) {
        ApiResponse r = As(admin_, Method::kPost, "/api/v1/pricing/proposals", c.body);
        EXPECT_EQ(r.status, c.status) << c.body.dump() << " " << r.raw.body;
        if (r.status == c.status) {
            EXPECT_EQ(r.ErrorField(), c.field) << c.body.dump();
        }
    }
    EXPECT_EQ(CountRows(tenant_a_, "pricing_proposals"), 0);
    EXPECT_EQ(CountRows(tenant_a_, "pricing_proposal_lines"), 0);
}

}  // namespace
}  // namespace omc::pricing
