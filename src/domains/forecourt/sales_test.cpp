// The sale's JSON text (event payload and answer) is byte for byte the JSON tree's text.
#include <gtest/gtest.h>

#include "domains/forecourt/sales.hpp"

namespace omc::forecourt {
namespace {

Uuid Id(std::string_view text) { return *Uuid::Parse(text); }

TEST(SaleJsonTextTest, IsTheTextOfTheJsonTreeWithEveryFieldSet) {
    Sale s;
    s.id = Id("0190a4c2-0000-7000-8000-000000000001");
    s.station_id = Id("0190a4c2-0000-7000-8000-000000000002");
    s.receipt_no = 1234567;
    s.kind = SaleKind::kRefund;
    s.product_id = Id("0190a4c2-0000-7000-8000-000000000003");
    s.nozzle_id = Id("0190a4c2-0000-7000-8000-000000000004");
    s.tank_id = Id("0190a4c2-0000-7000-8000-000000000005");
    s.shift_id = Id("0190a4c2-0000-7000-8000-000000000006");
    s.attendant_id = Id("0190a4c2-0000-7000-8000-000000000007");
    s.quantity_milli = -12'345;
    s.unit_price = 149'512'345;
    s.amount = -1'846;
    s.payment_method = "momo";
    s.payment_ref = "MTN \"ref\" \\ 1\n\x01 ₵ \xff";  // quotes, control, non-ASCII, bad UTF-8
    s.customer_id = Id("0190a4c2-0000-7000-8000-000000000008");
    s.sold_at_us = 1'763'700'000'123'456;
    s.recorded_at_us = 1'763'700'001'000'000;
    s.recorded_by = "0190a4c2-0000-7000-8000-000000000009";
    s.reverses_id = Id("0190a4c2-0000-7000-8000-00000000000a");
    s.reason = "pump\tjammed";
    s.approved_by = "manager";
    EXPECT_EQ(SaleJsonText(s),
              SaleJson(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

TEST(SaleJsonTextTest, WritesNullForEveryFieldLeftOut) {
    Sale s;
    s.id = Id("0190a4c2-0000-7000-8000-000000000001");
    s.station_id = Id("0190a4c2-0000-7000-8000-000000000002");
    s.receipt_no = 1;
    s.product_id = Id("0190a4c2-0000-7000-8000-000000000003");
    s.quantity_milli = 1;
    s.unit_price = 1;
    s.amount = 1;
    s.payment_method = "cash";
    s.recorded_by = "u";
    const std::string text = SaleJsonText(s);
    EXPECT_EQ(text, SaleJson(s).dump());
    EXPECT_NE(text.find("\"nozzle_id\":null"), std::string::npos);
    EXPECT_EQ(nlohmann::json::parse(text)["amount"], "0.01");
}

}  // namespace
}  // namespace omc::forecourt
