// The XLSX reader: the report writer's own workbooks read back, hand-made workbooks (shared and
// inline strings, rich text, missing cells), and files that must be refused without a crash.
#include "platform/report/xlsx_reader.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>
#include <zip.h>

#include "platform/report/report.hpp"

namespace omc::report {
namespace {

using Members = std::vector<std::pair<std::string, std::string>>;

// A zip archive holding `members`, deflated, as bytes.
std::string Zip(const Members& members) {
    const std::string path = ::testing::TempDir() + "xlsx_reader_test.zip";
    zipFile zip = zipOpen(path.c_str(), APPEND_STATUS_CREATE);
    EXPECT_NE(zip, nullptr);
    for (const auto& [name, text] : members) {
        zip_fileinfo info{};
        zipOpenNewFileInZip(zip, name.c_str(), &info, nullptr, 0, nullptr, 0, nullptr, Z_DEFLATED,
                            Z_DEFAULT_COMPRESSION);
        zipWriteInFileInZip(zip, text.data(), static_cast<unsigned>(text.size()));
        zipCloseFileInZip(zip);
    }
    zipClose(zip, nullptr);
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    std::remove(path.c_str());
    return bytes.str();
}

std::string Sheet(const std::string& rows) {
    return R"(<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>)" +
           rows + "</sheetData></worksheet>";
}

// A workbook whose first sheet is xl/worksheets/data.xml (found through the relationships).
Members Workbook(const std::string& sheet, const std::string& shared = "") {
    Members m = {
        {"xl/workbook.xml",
         R"(<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Data" sheetId="1" r:id="rId7"/><sheet name="Other" sheetId="2" r:id="rId8"/></sheets></workbook>)"},
        {"xl/_rels/workbook.xml.rels",
         R"(<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId8" Type="worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId7" Type="worksheet" Target="worksheets/data.xml"/></Relationships>)"},
        {"xl/worksheets/data.xml", sheet},
        {"xl/worksheets/sheet1.xml",
         Sheet(R"(<row r="1"><c r="A1" t="inlineStr"><is><t>wrong sheet</t></is></c></row>)")}};
    if (!shared.empty()) m.push_back({"xl/sharedStrings.xml", shared});
    return m;
}

void ExpectFileError(const Result<std::vector<CsvRecord>>& r, const std::string& says) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    ASSERT_FALSE(r.error().fields().empty()) << r.error().message();
    EXPECT_EQ(r.error().fields()[0].field, "file");
    EXPECT_NE(r.error().fields()[0].message.find(says), std::string::npos)
        << r.error().fields()[0].message;
}

TEST(ReportXlsxReader, ReadsBackTheReportWritersWorkbook) {
    Report r;
    r.title = "Price build-up";
    r.subtitle = {"Amounts in pesewas per litre"};
    r.columns = {{"product", "", ColumnType::kText},     {"position", "", ColumnType::kInteger},
                 {"amount", "", ColumnType::kUnitPrice}, {"total", "", ColumnType::kMoney},
                 {"valid_from", "", ColumnType::kDate},  {"valid_to", "", ColumnType::kDate}};
    r.AddRow({std::string("premix"), int64_t{3}, int64_t{4795038}, int64_t{-1250},
              std::string("2023-08-01"), std::monostate{}});
    r.AddRow({std::string("Tema \"Main\" & <Co>"), int64_t{-7}, int64_t{123456789}, int64_t{5},
              std::string("2024-02-29"), std::string("9999-12-31")});
    const Result<std::string> xlsx = WriteXlsx(r);
    ASSERT_TRUE(xlsx.ok()) << xlsx.error().message();
    const Result<std::vector<CsvRecord>> read = ReadXlsx(*xlsx);
    ASSERT_TRUE(read.ok()) << read.error().message();
    ASSERT_EQ(read->size(), 5U);  // title, subtitle, header, 2 rows (the blank row 3 skipped)
    using F = std::vector<std::string>;
    EXPECT_EQ((*read)[0].row, 1);
    EXPECT_EQ((*read)[0].fields, F({"Price build-up", "", "", "", "", ""}));
    EXPECT_EQ((*read)[1].row, 2);
    EXPECT_EQ((*read)[2].row, 4);
    EXPECT_EQ((*read)[2].fields,
              F({"product", "position", "amount", "total", "valid_from", "valid_to"}));
    EXPECT_EQ((*read)[3].row, 5);
    // 479.5038 is not exact as a double: written as 479.50380000000001, read back canonical.
    EXPECT_EQ((*read)[3].fields, F({"premix", "3", "479.5038", "-12.5", "45139", ""}));
    EXPECT_EQ((*read)[4].fields,
              F({"Tema \"Main\" & <Co>", "-7", "12345.6789", "0.05", "45351", "2958465"}));
    EXPECT_EQ(ExcelSerialToDate("45139"), "2023-08-01");
    EXPECT_EQ(ExcelSerialToDate("45351"), "2024-02-29");
    EXPECT_EQ(ExcelSerialToDate("2958465"), "9999-12-31");
    EXPECT_EQ(ExcelSerialToDate("2958466"), std::nullopt);
    EXPECT_EQ(ExcelSerialToDate("45139.5"), std::nullopt);
    EXPECT_EQ(ExcelSerialToDate("2023-08-01"), std::nullopt);
    EXPECT_EQ(ExcelSerialToDate(""), std::nullopt);
}

TEST(ReportXlsxReader, SharedInlineRichAndMissingCells) {
    const std::string shared =
        R"(<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>product</t></si><si><r><rPr><b/></rPr><t>pre</t></r><r><t xml:space="preserve">mix </t></r><rPh><t>ignored</t></rPh></si><si><t>amount</t></si></sst>)";
    const std::string sheet = Sheet(
        R"(<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="s"><v>2</v></c></row>)"
        R"(<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r></is></c>)"
        R"(<c r="C3"><v>1.5</v></c><c r="D3" t="b"><v>1</v></c><c r="E3" t="str"><f>A1</f><v>formula</v></c></row>)"
        R"(<row><c><v>7</v></c><c t="n"><v>0.30000000000000004</v></c></row>)");
    const Result<std::vector<CsvRecord>> read = ReadXlsx(Zip(Workbook(sheet, shared)));
    ASSERT_TRUE(read.ok()) << read.error().message();
    using F = std::vector<std::string>;
    ASSERT_EQ(read->size(), 3U);
    EXPECT_EQ((*read)[0].row, 1);
    EXPECT_EQ((*read)[0].fields, F({"product", "", "amount", "", ""}));  // B1 missing
    EXPECT_EQ((*read)[1].row, 3);
    EXPECT_EQ((*read)[1].fields, F({"premix ", "inline", "1.5", "TRUE", "formula"}));
    EXPECT_EQ((*read)[2].row, 4);  // a row without r follows the one before
    EXPECT_EQ((*read)[2].fields, F({"7", "0.3", "", "", ""}));
}

TEST(ReportXlsxReader, FallsBackToSheet1WithoutAWorkbookPart) {
    const Result<std::vector<CsvRecord>> read = ReadXlsx(
        Zip({{"xl/worksheets/sheet1.xml",
              Sheet(R"(<row r="2"><c r="B2" t="inlineStr"><is><t>only</t></is></c></row>)")}}));
    ASSERT_TRUE(read.ok()) << read.error().message();
    ASSERT_EQ(read->size(), 1U);
    EXPECT_EQ((*read)[0].row, 2);
    EXPECT_EQ((*read)[0].fields, (std::vector<std::string>{"", "only"}));
}

TEST(ReportXlsxReader, RefusesWhatIsNotAWorkbook) {
    ExpectFileError(ReadXlsx("product,amount\npremix,1\n"), "not a zip");
    ExpectFileError(ReadXlsx(""), "not a zip");
    ExpectFileError(ReadXlsx(Zip({{"hello.txt", "hello"}})), "no worksheet");
    const std::string whole = Zip(Workbook(Sheet(R"(<row r="1"><c r="A1"><v>1</v></c></row>)")));
    for (const size_t keep : {size_t{4}, size_t{30}, whole.size() / 2, whole.size() - 10}) {
        const Result<std::vector<CsvRecord>> read = ReadXlsx(whole.substr(0, keep));
        ASSERT_FALSE(read.ok()) << "kept " << keep;
        EXPECT_EQ(read.error().fields().at(0).field, "file");
    }
    // Corrupt the compressed data of every member: damaged, never a crash.
    std::string flipped = whole;
    for (size_t i = 40; i + 40 < flipped.size() / 2; i += 7)
        flipped[i] = static_cast<char>(~flipped[i]);
    EXPECT_FALSE(ReadXlsx(flipped).ok());
}

TEST(ReportXlsxReader, RefusesMalformedXmlAndDocumentTypes) {
    ExpectFileError(ReadXlsx(Zip(Workbook(Sheet("<row r=\"1\"><c r=\"A1\"><v>1</v></row>")))),
                    "not well-formed");
    ExpectFileError(
        ReadXlsx(Zip(Workbook("<?xml version=\"1.0\"?><!DOCTYPE lol [<!ENTITY a \"aaaa\">]>"
                              "<worksheet><sheetData/></worksheet>"))),
        "document type");
    ExpectFileError(ReadXlsx(Zip(Workbook(Sheet(R"(<row r="1"><c r="1A"><v>1</v></c></row>)")))),
                    "cell reference");
    ExpectFileError(
        ReadXlsx(Zip(Workbook(Sheet(R"(<row r="1"><c r="A1" t="s"><v>3</v></c></row>)")))),
        "shared string index");
}

TEST(ReportXlsxReader, RefusesAboveTheLimits) {
    // A zip bomb: 50 MB of one letter deflates to about 50 KB; reading stops at the limit.
    const std::string bomb = Zip(Workbook(Sheet(std::string(50 * 1024 * 1024, ' '))));
    EXPECT_LT(bomb.size(), 200'000U);
    ExpectFileError(ReadXlsx(bomb), "larger than");
    ExpectFileError(
        ReadXlsx(Zip(Workbook(Sheet(R"(<row r="10001"><c r="A10001"><v>1</v></c></row>)")))),
        "more than 10000 rows");
    ExpectFileError(ReadXlsx(Zip(Workbook(Sheet(R"(<row r="1"><c r="ZZ1"><v>1</v></c></row>)")))),
                    "more than 256 columns");
    const Result<std::vector<CsvRecord>> small =
        ReadXlsx(Zip(Workbook(Sheet(R"(<row r="3"><c r="A3"><v>1</v></c></row>)"))),
                 {.max_bytes = 5'000, .max_rows = 2});
    ExpectFileError(small, "more than 2 rows");
}

}  // namespace
}  // namespace omc::report
