#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "platform/report/csv_reader.hpp"
#include "platform/report/period.hpp"
#include "platform/report/report.hpp"
#include "platform/report/report_reply.hpp"
#include "testing/zip_member.hpp"

namespace omc::report {
namespace {

Report Sample() {
    Report r;
    r.title = "NPA sales — January 2026";
    r.subtitle = {"Period: 2026-01-01 to 2026-01-31", "Amounts in GH₵"};
    r.columns = {{"station", "Station", ColumnType::kText},
                 {"date", "Date", ColumnType::kDate},
                 {"count", "Sales", ColumnType::kInteger},
                 {"volume_litres", "Volume (L)", ColumnType::kQuantity},
                 {"price", "Price (GHp/L)", ColumnType::kUnitPrice},
                 {"amount", "Amount (GH₵)", ColumnType::kMoney}};
    Section& a = r.AddSection("Greater Accra");
    a.rows.push_back({std::string("Tema, \"Main\""), std::string("2026-01-02"), int64_t{3},
                      int64_t{12345}, int64_t{14950000}, int64_t{123456}});
    a.rows.push_back({std::string("Osu"), std::monostate{}, int64_t{-1}, int64_t{-500},
                      int64_t{4795000}, int64_t{-5}});
    a.subtotal = Row{std::string("Subtotal"), std::monostate{}, int64_t{2},
                     int64_t{11845},          std::monostate{}, int64_t{123451}};
    r.AddSection("Ashanti").rows.push_back({std::string("Kumasi\nNorth"), std::string("2026-01-31"),
                                            int64_t{1}, int64_t{1000}, int64_t{0}, int64_t{100}});
    r.totals = Row{std::string("Total"), std::monostate{}, int64_t{3},
                   int64_t{12845},       std::monostate{}, int64_t{123551}};
    return r;
}

TEST(ReportCsv, ExactBytes) {
    const Result<std::string> csv = WriteCsv(Sample());
    ASSERT_TRUE(csv.ok()) << csv.error().message();
    EXPECT_EQ(*csv,
              "section,station,date,count,volume_litres,price,amount\r\n"
              "Greater Accra,\"Tema, \"\"Main\"\"\",2026-01-02,3,12.345,1495.0000,1234.56\r\n"
              "Greater Accra,Osu,,-1,-0.500,479.5000,-0.05\r\n"
              "Ashanti,\"Kumasi\nNorth\",2026-01-31,1,1.000,0.0000,1.00\r\n");
}

TEST(ReportCsv, UngroupedHasNoSectionColumn) {
    Report r;
    r.columns = {{"name", "", ColumnType::kText}, {"amount", "", ColumnType::kMoney}};
    r.AddRow({std::string("GH₵ line"), int64_t{100}});
    const Result<std::string> csv = WriteCsv(r);
    ASSERT_TRUE(csv.ok());
    EXPECT_EQ(*csv, "name,amount\r\nGH₵ line,1.00\r\n");
}

TEST(ReportValidate, RefusesMisshapenRows) {
    Report r;
    r.columns = {{"a", "", ColumnType::kMoney}};
    r.AddRow({std::string("x")});
    EXPECT_FALSE(WriteCsv(r).ok());
    r.sections.back().rows = {{int64_t{1}, int64_t{2}}};
    EXPECT_FALSE(WriteCsv(r).ok());
    Report d;
    d.columns = {{"d", "", ColumnType::kDate}};
    d.AddRow({std::string("2026-02-30")});
    EXPECT_FALSE(WritePdf(d).ok());
}

using omc::testing::ZipMember;

TEST(ReportXlsx, NumericCellsWithFormats) {
    const Result<std::string> xlsx = WriteXlsx(Sample());
    ASSERT_TRUE(xlsx.ok()) << xlsx.error().message();
    ASSERT_GT(xlsx->size(), 4U);
    EXPECT_EQ(xlsx->substr(0, 4), std::string("PK\x03\x04", 4));
    const std::string sheet = ZipMember(*xlsx, "xl/worksheets/sheet1.xml");
    ASSERT_FALSE(sheet.empty());
    // Numbers are numeric cells (no t="s"), at their scale.
    EXPECT_NE(sheet.find("><v>1234.56</v></c>"), std::string::npos) << sheet;
    EXPECT_NE(sheet.find("><v>12.345</v></c>"), std::string::npos);
    EXPECT_NE(sheet.find("><v>1495</v></c>"), std::string::npos);
    EXPECT_NE(sheet.find("><v>-0.05</v></c>"), std::string::npos);
    EXPECT_NE(sheet.find("><v>1235.51</v></c>"), std::string::npos);
    // 2026-01-02 is Excel day 46024.
    EXPECT_NE(sheet.find("><v>46024</v></c>"), std::string::npos);
    EXPECT_NE(sheet.find("<pane "), std::string::npos);  // the frozen header
    const std::string strings = ZipMember(*xlsx, "xl/sharedStrings.xml");
    EXPECT_NE(strings.find("Amount (GH₵)"), std::string::npos);
    EXPECT_NE(strings.find("Greater Accra"), std::string::npos);
    EXPECT_NE(strings.find("Tema, \"Main\""), std::string::npos);
    const std::string styles = ZipMember(*xlsx, "xl/styles.xml");
    EXPECT_NE(styles.find("formatCode=\"#,##0.00\""), std::string::npos);
    EXPECT_NE(styles.find("formatCode=\"0.0000\""), std::string::npos);
    EXPECT_NE(styles.find("formatCode=\"yyyy-mm-dd\""), std::string::npos);
    const std::string workbook = ZipMember(*xlsx, "xl/workbook.xml");
    EXPECT_NE(workbook.find("name=\"NPA sales — January 2026\""), std::string::npos);
}

int CountOf(const std::string& text, const std::string& what) {
    int n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
}

TEST(ReportPdf, OnePageWithEmbeddedFont) {
    const Result<std::string> pdf = WritePdf(Sample());
    ASSERT_TRUE(pdf.ok()) << pdf.error().message();
    EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
    EXPECT_EQ(PdfPageCount(Sample()), 1);
    EXPECT_NE(pdf->find("/Count 1"), std::string::npos);
    EXPECT_NE(pdf->find("/FontFile2"), std::string::npos);  // the TrueType font is embedded
    EXPECT_NE(pdf->find("DejaVuSans"), std::string::npos);
    const size_t box = pdf->find("/MediaBox");
    ASSERT_NE(box, std::string::npos);
    EXPECT_EQ(pdf->substr(box, 35), "/MediaBox [ 0 0 841.89001 595.276 ]");  // A4 landscape
}

TEST(ReportPdf, PageBreaksRepeatTheHeader) {
    Report r = Sample();
    for (int i = 0; i < 200; ++i) {
        r.sections[1].rows.push_back({std::string("Station ") + std::to_string(i),
                                      std::string("2026-01-31"), int64_t{i}, int64_t{1000},
                                      int64_t{0}, int64_t{100}});
    }
    const int pages = PdfPageCount(r);
    // 207 lines: 37 under the title block on page one, 41 on each further page.
    EXPECT_EQ(pages, 6);
    const Result<std::string> pdf = WritePdf(r);
    ASSERT_TRUE(pdf.ok()) << pdf.error().message();
    EXPECT_NE(pdf->find("/Count " + std::to_string(pages)), std::string::npos);
    EXPECT_EQ(CountOf(*pdf, "/Type /Page\n") + CountOf(*pdf, "/Type /Page\r"), pages);
}

TEST(ReportPdf, WithoutTheFontFallsBackToHelvetica) {
    PdfOptions options;
    options.font_path = "/nonexistent.ttf";
    const Result<std::string> pdf = WritePdf(Sample(), options);
    ASSERT_TRUE(pdf.ok()) << pdf.error().message();
    EXPECT_EQ(pdf->substr(0, 5), "%PDF-");
    EXPECT_NE(pdf->find("Helvetica"), std::string::npos);
}

// ---- the CSV reader ----

const std::vector<CsvColumnSpec> kColumns = {
    {"product", true}, {"amount", true}, {"volume", true}, {"from", false}};

TEST(ReportCsvRead, ReadsQuotedFieldsAnyOrderAndBom) {
    const std::string text =
        "\xEF\xBB\xBFvolume,product,amount\r\n"
        "1.5,\"Premix, \"\"blue\"\"\",12.50\r\n"
        "\r\n"
        "2,\"two\nlines\",-0.01\n";
    Result<CsvTable> table = CsvTable::Read(text, kColumns);
    ASSERT_TRUE(table.ok()) << table.error().message();
    ASSERT_EQ(table->rows().size(), 2U);
    const CsvRow& first = table->rows()[0];
    EXPECT_EQ(first.row(), 2);
    EXPECT_EQ(first.Text("product"), "Premix, \"blue\"");
    EXPECT_EQ(*first.Money("amount"), 1250);
    EXPECT_EQ(*first.Quantity("volume"), 1500);
    EXPECT_FALSE(first.Has("from"));
    const CsvRow& second = table->rows()[1];
    EXPECT_EQ(second.row(), 4);
    EXPECT_EQ(second.Text("product"), "two\nlines");
    EXPECT_EQ(*second.Money("amount"), -1);
}

std::string ErrorText(const Error& e) {
    std::string out = e.message();
    for (const auto& f : e.fields()) out += " | " + f.field + ": " + f.message;
    return out;
}

TEST(ReportCsvRead, ErrorsNameRowAndColumn) {
    auto error_of = [](const std::string& text) {
        Result<CsvTable> t = CsvTable::Read(text, kColumns);
        return t.ok() ? std::string("ok") : ErrorText(t.error());
    };
    EXPECT_EQ(error_of("product,amount\r\n"),
              "invalid request | csv: row 1, column volume: missing");
    EXPECT_EQ(error_of("product,amount,volume,price\r\n"),
              "invalid request | csv: row 1, column price: unknown column");
    EXPECT_EQ(error_of("product,amount,volume\r\nA,1,2\r\nB,1\r\n"),
              "invalid request | csv: row 3: 2 fields, the header has 3");
    EXPECT_EQ(error_of("product,amount,volume\r\nA,\"1\r\n"),
              "invalid request | csv: row 2: a quoted field is not closed");
    EXPECT_EQ(error_of("product,amount,volume\r\nA,\"1\"x,2\r\n"),
              "invalid request | csv: row 2: field 2: text after a closing quote");

    Result<CsvTable> t =
        CsvTable::Read("product,amount,volume\r\nA,1.234,2\r\nB,x,2\r\n", kColumns);
    ASSERT_TRUE(t.ok());
    Result<int64_t> amount = t->rows()[0].Money("amount");
    ASSERT_FALSE(amount.ok());
    EXPECT_EQ(ErrorText(amount.error()),
              "invalid request | csv: row 2, column amount: \"1.234\" is not an amount with at "
              "most 2 decimals");
    EXPECT_FALSE(t->rows()[1].Money("amount").ok());
    EXPECT_FALSE(t->rows()[0].Date("product").ok());
}

TEST(ReportCsvRead, RowLimit) {
    CsvLimits limits;
    limits.max_rows = 2;
    EXPECT_TRUE(CsvTable::Read("product,amount,volume\nA,1,1\nB,1,1\n", kColumns, limits).ok());
    EXPECT_FALSE(
        CsvTable::Read("product,amount,volume\nA,1,1\nB,1,1\nC,1,1\n", kColumns, limits).ok());
}

TEST(ReportCsvRead, RoundTripsTheWriter) {
    Report r;
    r.columns = {{"product", "", ColumnType::kText},
                 {"amount", "", ColumnType::kMoney},
                 {"volume", "", ColumnType::kQuantity}};
    r.AddRow({std::string("Diesel, \"AGO\""), int64_t{-123456}, int64_t{1}});
    const Result<std::string> csv = WriteCsv(r);
    ASSERT_TRUE(csv.ok());
    Result<CsvTable> t = CsvTable::Read(*csv, kColumns);
    ASSERT_TRUE(t.ok()) << ErrorText(t.error());
    EXPECT_EQ(t->rows()[0].Text("product"), "Diesel, \"AGO\"");
    EXPECT_EQ(*t->rows()[0].Money("amount"), -123456);
    EXPECT_EQ(*t->rows()[0].Quantity("volume"), 1);
}

// ---- the HTTP helper ----

TEST(ReportReply, FormatFromQueryOrSuffix) {
    http::Request request;
    request.path = "/api/v1/reports/npa/sales";
    EXPECT_EQ(*RequestedFormat(request), Format::kJson);
    request.query = "month=2026-01&format=xlsx";
    EXPECT_EQ(*RequestedFormat(request), Format::kXlsx);
    request.query = "format=doc";
    EXPECT_FALSE(RequestedFormat(request).ok());
    request.query.clear();
    request.path = "/api/v1/things/export.pdf";
    EXPECT_EQ(*RequestedFormat(request), Format::kPdf);
}

TEST(ReportReply, FileHeaders) {
    const Result<http::Reply> reply = FileReply(Sample(), Format::kCsv, "npa sales/2026-01");
    ASSERT_TRUE(reply.ok());
    EXPECT_EQ(reply->content_type, "text/csv; charset=utf-8");
    ASSERT_EQ(reply->headers.size(), 1U);
    EXPECT_EQ(reply->headers[0].second, "attachment; filename=\"npa-sales-2026-01.csv\"");
    const Result<http::Reply> pdf = FileReply(Sample(), Format::kPdf, "x");
    ASSERT_TRUE(pdf.ok());
    EXPECT_EQ(pdf->content_type, "application/pdf");
    EXPECT_EQ(pdf->raw_body->substr(0, 4), "%PDF");
}

TEST(ReportReply, GenericJson) {
    const nlohmann::json j = ToJson(Sample());
    EXPECT_EQ(j["sections"][0]["rows"][0]["amount"], "1234.56");
    EXPECT_EQ(j["sections"][0]["rows"][0]["count"], 3);
    EXPECT_TRUE(j["sections"][0]["rows"][1]["date"].is_null());
    EXPECT_EQ(j["totals"]["volume_litres"], "12.845");
    EXPECT_EQ(j["columns"][4]["type"], "unit_price");
}

}  // namespace
}  // namespace omc::report

namespace omc::report {
namespace {

TEST(ReportPeriod, MonthBoundsInUtc) {
    const Result<Period> jan = MonthPeriod("2026-01");
    ASSERT_TRUE(jan.ok());
    EXPECT_EQ(jan->first_day, "2026-01-01");
    EXPECT_EQ(jan->last_day, "2026-01-31");
    EXPECT_EQ(FormatTimestamp(jan->from_us), "2026-01-01T00:00:00.000Z");
    EXPECT_EQ(FormatTimestamp(jan->to_us), "2026-02-01T00:00:00.000Z");
    const Result<Period> dec = MonthPeriod("2025-12");
    ASSERT_TRUE(dec.ok());
    EXPECT_EQ(dec->to_us, jan->from_us);
    EXPECT_EQ(MonthPeriod("2024-02")->last_day, "2024-02-29");
    for (const char* bad : {"2026-13", "2026-1", "26-01", "2026-01-01", "abcd-ef", ""}) {
        EXPECT_FALSE(MonthPeriod(bad).ok()) << bad;
    }
}

}  // namespace
}  // namespace omc::report
