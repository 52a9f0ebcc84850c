// A tabular report, the one shape every module's export takes (NPA returns, the VAT return, the
// price build-up, UPPF claims), and the three writers that turn it into bytes: CSV, XLSX and PDF.
//
// A report is a title, a few subtitle lines (period, station, "generated at"), typed columns and
// rows, grouped into sections (one section with an empty heading when the report is not
// grouped), each section with an optional subtotal row, and an optional grand total row.
// Numbers stay integers at their stored scale until a writer renders them:
//
//   kText       UTF-8 text                               CSV as is     XLSX string  PDF left
//   kInteger    int64                                     "42"          0            right
//   kMoney      int64 pesewas                             "1234.56"     #,##0.00     right
//   kQuantity   int64 thousandths (mL of a litre, g/kg)   "12.345"      #,##0.000    right
//   kUnitPrice  int64 ten-thousandths of a pesewa         "479.5000"    0.0000       right
//               (NPA's scale: rendered in pesewas per unit with 4 decimals)
//   kDate       "YYYY-MM-DD" text                         as is         yyyy-mm-dd   left
//
// A cell may be empty (std::monostate). Totals are given by the caller (they are the domain's
// sums, computed in integers), never by a spreadsheet formula.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "platform/base/result.hpp"

namespace omc::report {

enum class ColumnType { kText, kInteger, kMoney, kQuantity, kUnitPrice, kDate };

struct Column {
    std::string key;    // the CSV header and the import name: "volume_litres"
    std::string title;  // the XLSX/PDF heading: "Volume (L)"; empty means `key`
    ColumnType type = ColumnType::kText;
};

// Empty, an integer at the column's scale, or text (kText and kDate columns).
using Cell = std::variant<std::monostate, int64_t, std::string>;
using Row = std::vector<Cell>;  // one cell per column

struct Section {
    std::string heading;  // empty: no heading row (an ungrouped report)
    std::vector<Row> rows;
    std::optional<Row> subtotal;
};

struct Report {
    std::string title;
    std::vector<std::string> subtitle;  // e.g. "Period: 2026-01-01 to 2026-01-31"
    std::vector<Column> columns;
    std::vector<Section> sections;
    std::optional<Row> totals;
    // The CSV header of the section column written when a section has a heading.
    std::string section_key = "section";

    // Appends a row to the last section (creating an unnamed one if there is none).
    void AddRow(Row row);
    // Starts a new section with `heading`.
    Section& AddSection(std::string heading);
    bool Grouped() const;
    size_t RowCount() const;  // data rows over all sections
};

// Checks the report's shape: at least one column, every row (and subtotal, total) has one cell
// per column, integer cells only in numeric columns, text only in kText/kDate columns, dates
// that parse. kInvalidArgument naming the first bad cell ("report").
Result<void> Validate(const Report& report);

// The text of a cell as CSV and PDF show it ("1234.56", "12.345", "479.5000"); "" for empty.
std::string FormatCell(const Cell& cell, ColumnType type);

// ---- writers ----

// CSV, RFC 4180: UTF-8 without a byte-order mark, CRLF line ends, a field quoted only when it
// holds a comma, a double quote, CR or LF (quotes doubled). Layout, for machines and for
// re-import with ReadCsv: one header line of column keys, then one line per data row in section
// order. A grouped report gets a first column `section_key` holding each row's section heading.
// Title, subtitle, subtotals and totals are not written (they are in XLSX and PDF).
Result<std::string> WriteCsv(const Report& report);

// XLSX (libxlsxwriter), one worksheet named after the title (first 31 characters, without
// []:*?/\): the title in bold, the subtitle lines, a blank row, the header row (bold, frozen),
// then per section a bold heading row, its rows and a bold subtotal row, and a bold total row.
// Numbers are numeric cells with the formats above; dates are date cells.
Result<std::string> WriteXlsx(const Report& report);

// PDF (libharu), A4 landscape: the title and subtitle on the first page, the header row
// repeated on every page, section headings, subtotals and totals in bold, "Page n of N" in the
// footer. Column widths follow their content and are scaled down to the page width; text that
// does not fit is cut with "…". Text is set in DejaVu Sans (fonts-dejavu-core), embedded, so
// "GH₵" prints; when the font file is missing, the built-in Helvetica is used and characters
// outside Latin-1 print as "?", with "₵" written "GHS".
struct PdfOptions {
    std::string font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    std::string bold_font_path = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
};
Result<std::string> WritePdf(const Report& report, const PdfOptions& options = {});

// The number of pages WritePdf makes for `report` (the layout is fixed: title block on page
// one, then a fixed number of lines per page).
int PdfPageCount(const Report& report);

}  // namespace omc::report
