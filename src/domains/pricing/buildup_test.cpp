// The build-up's pure parts: CSV records and the layout's checks (row and column in every
// error), periods, and the ordering and totals of a build-up, to the 4th decimal of a pesewa.
#include <gtest/gtest.h>

#include "domains/pricing/buildup.hpp"
#include "platform/base/clock.hpp"

namespace omc::pricing {
namespace {

constexpr const char* kHeader =
    "product,component_code,name,kind,subtotal,position,amount,valid_from,valid_to\r\n";

std::vector<FieldError> ErrorsOf(const std::string& csv) {
    auto records = report::ParseCsv(csv);
    EXPECT_TRUE(records.ok());
    std::vector<FieldError> errors;
    if (records.ok()) ReadCsvComponents(*records, errors);
    return errors;
}

TEST(PricingCsv, ARowOfTheLayoutIsRead) {
    auto records =
        report::ParseCsv(std::string(kHeader) +
                         "premix,recovery,Recovery margin,regulated_margin,ex_refinery,40,"
                         "-530.4720,2023-08-01,\r\n");
    ASSERT_TRUE(records.ok());
    std::vector<FieldError> errors;
    const std::vector<CsvComponent> rows = ReadCsvComponents(*records, errors);
    ASSERT_TRUE(errors.empty()) << errors[0].message;
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].row, 2u);
    EXPECT_EQ(rows[0].product, "premix");
    const PriceComponent& c = rows[0].component;
    EXPECT_EQ(c.code, "RECOVERY");
    EXPECT_EQ(c.kind, ComponentKind::kRegulatedMargin);
    EXPECT_EQ(c.subtotal, Subtotal::kExRefinery);
    EXPECT_EQ(c.position, 40);
    EXPECT_EQ(c.amount, -5'304'720);
    EXPECT_EQ(c.valid_from_days, *ParseDateDays("2023-08-01"));
    EXPECT_FALSE(c.valid_to_days.has_value());
    EXPECT_TRUE(c.in_floor);
}

TEST(PricingCsv, ErrorsNameTheRowAndTheColumn) {
    auto header = ErrorsOf(
        "product,component_code,name,kind,subtotal,position,amnt,valid_from,"
        "valid_to\r\n");
    ASSERT_EQ(header.size(), 1u);
    EXPECT_EQ(header[0].field, "rows[1].amount");
    EXPECT_NE(header[0].message.find("column 7"), std::string::npos) << header[0].message;

    auto short_header = ErrorsOf("product,component_code,name\r\n");
    ASSERT_EQ(short_header.size(), 1u);
    EXPECT_EQ(short_header[0].field, "rows[1].kind");

    auto cells =
        ErrorsOf(std::string(kHeader) +
                 "PMS,EDRL,Energy Debt Recovery Levy,levy,ex_depot,10,49.00,2024-07-16,\r\n"
                 "PMS,RFL,Road Fund Levy,levy,ex_depot,20,48.123456,2024-07-16,\r\n"
                 "PMS,EFL,Energy Fund Levy,fee,ex_depot,30,1,2024-7-16,\r\n"
                 "PMS,SPL,Sanitation levy,levy,ex_depot,40,1e2,2024-07-16,2024-07-01\r\n"
                 "PMS,X,short row\r\n");
    ASSERT_EQ(cells.size(), 6u);
    EXPECT_EQ(cells[0].field, "rows[3].amount");
    EXPECT_NE(cells[0].message.find("row 3, column amount"), std::string::npos);
    EXPECT_EQ(cells[1].field, "rows[4].kind");
    EXPECT_EQ(cells[2].field, "rows[4].valid_from");
    EXPECT_EQ(cells[3].field, "rows[5].amount");
    EXPECT_EQ(cells[4].field, "rows[5].valid_to");
}

TEST(PricingBuildUp, PeriodsOverlapByInclusiveDays) {
    EXPECT_TRUE(PeriodsOverlap(10, 20, 20, std::nullopt));
    EXPECT_FALSE(PeriodsOverlap(10, 19, 20, std::nullopt));
    EXPECT_TRUE(PeriodsOverlap(10, std::nullopt, 1, 10));
    EXPECT_FALSE(PeriodsOverlap(10, std::nullopt, 1, 9));
    EXPECT_TRUE(PeriodsOverlap(1, std::nullopt, 5, std::nullopt));
}

TEST(PricingBuildUp, LinesAreOrderedBySubtotalThenPositionAndAddedUp) {
    BuildUp b;
    auto line = [](std::string code, Subtotal s, int64_t position, int64_t amount,
                   ComponentKind kind = ComponentKind::kRegulatedMargin) {
        return BuildUpLine{.code = std::move(code),
                           .kind = kind,
                           .subtotal = s,
                           .position = position,
                           .amount = amount,
                           .in_floor = DefaultInFloor(kind)};
    };
    b.lines = {line("DEALERS", Subtotal::kExPump, 30, 190'000, ComponentKind::kDealerMargin),
               line("FMM", Subtotal::kExDepot, 10, 90'000),
               line("RECOVERY", Subtotal::kExRefinery, 40, -5'304'720),
               line("CORE", Subtotal::kExRefinery, 10, 8'145'203, ComponentKind::kExRefinery),
               line("UPPF", Subtotal::kExPump, 10, 680'000)};
    ASSERT_TRUE(OrderAndTotal(b).ok());
    ASSERT_EQ(b.lines.size(), 5u);
    EXPECT_EQ(b.lines[0].code, "CORE");
    EXPECT_EQ(b.lines[1].code, "RECOVERY");
    EXPECT_EQ(b.lines[2].code, "FMM");
    EXPECT_EQ(b.lines[3].code, "UPPF");
    EXPECT_EQ(b.lines[4].code, "DEALERS");
    EXPECT_EQ(FormatAmount(b.ex_refinery), "284.0483");
    EXPECT_EQ(FormatAmount(b.ex_depot), "293.0483");
    EXPECT_EQ(FormatAmount(b.ex_pump), "380.0483");
    EXPECT_EQ(FormatAmount(b.floor_base), "361.0483");  // the dealer's margin is not in it
}

TEST(PricingBuildUp, AmountsArePesewasWithFourDecimals) {
    EXPECT_EQ(ParseAmount("479.5038"), 4'795'038);
    EXPECT_EQ(ParseAmount("-530.472"), -5'304'720);
    EXPECT_EQ(ParseAmount("9"), 90'000);
    EXPECT_FALSE(ParseAmount("0.00001").has_value());
    EXPECT_FALSE(ParseAmount("1,000").has_value());
    EXPECT_FALSE(ParseAmount("1000001").has_value());
    EXPECT_EQ(FormatAmount(-5'304'720), "-530.4720");
    EXPECT_EQ(FormatAmount(1302), "0.1302");
    EXPECT_EQ(FormatDay(*ParseDateDays("2025-07-16")), "2025-07-16");
}

TEST(PricingCsv, TheLayoutIsWrittenAndReadBack) {
    PriceComponent c{.product_code = "PREMIX",
                     .code = "RECOVERY",
                     .name = "Recovery margin (subsidy, negative)",
                     .kind = ComponentKind::kRegulatedMargin,
                     .subtotal = Subtotal::kExRefinery,
                     .position = 40,
                     .amount = -5'304'720,
                     .valid_from_days = *ParseDateDays("2023-08-01"),
                     .valid_to_days = *ParseDateDays("2023-08-15"),
                     .in_floor = true,
                     .source_ref = "NPA \"PBU\""};
    const Result<std::string> csv = WriteCsvComponents({c});
    ASSERT_TRUE(csv.ok());
    EXPECT_EQ(*csv,
              "product,component_code,name,kind,subtotal,position,amount,valid_from,valid_to,"
              "in_floor,gra_levy_code,source_ref\r\n"
              "PREMIX,RECOVERY,\"Recovery margin (subsidy, negative)\",regulated_margin,"
              "ex_refinery,40,-530.4720,2023-08-01,2023-08-15,true,,\"NPA \"\"PBU\"\"\"\r\n");
    auto records = report::ParseCsv(*csv);
    ASSERT_TRUE(records.ok());
    std::vector<FieldError> errors;
    const auto rows = ReadCsvComponents(*records, errors);
    ASSERT_TRUE(errors.empty()) << errors[0].field << " " << errors[0].message;
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].product, "PREMIX");
    EXPECT_EQ(rows[0].component.name, c.name);
    EXPECT_EQ(rows[0].component.amount, c.amount);
    EXPECT_EQ(rows[0].component.valid_to_days, c.valid_to_days);
    EXPECT_EQ(rows[0].component.source_ref, c.source_ref);
}

}  // namespace
}  // namespace omc::pricing
