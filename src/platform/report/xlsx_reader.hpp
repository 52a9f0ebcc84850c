// Reading XLSX uploads for imports: the FIRST worksheet of an Office Open XML workbook, given as
// bytes, as the same records ParseCsv returns (header first, each with its spreadsheet row
// number), so an import validates an XLSX and a CSV file with the same code.
//
// The archive is opened in memory with minizip and its XML parsed with expat. The first sheet is
// found through xl/workbook.xml and xl/_rels/workbook.xml.rels (falling back to
// xl/worksheets/sheet1.xml); shared strings (including rich-text runs) come from
// xl/sharedStrings.xml. Cells are placed by their reference ("B3"); missing cells are "". Every
// record has as many fields as the widest row (a sheet has no row-length rule).
//
// Cell text: shared strings, inline strings and formula strings as written; booleans "TRUE" /
// "FALSE"; numbers as the text of <v>, except a number written from a double with more than 15
// significant digits ("479.50380000000001"), which is rounded to 10 decimals and stripped of
// trailing zeros ("479.5038"). Dates stay serial numbers (the reader does not know which columns
// are dates): see ExcelSerialToDate.
//
// Refused (kInvalidArgument, field "file"): bytes that are not a zip archive, a workbook without
// a worksheet, malformed XML, and more than XlsxLimits (uncompressed bytes of any member read,
// rows, columns) — a zip bomb stops at the byte limit, it is never inflated further.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/base/result.hpp"
#include "platform/report/csv_reader.hpp"

namespace omc::report {

struct XlsxLimits {
    size_t max_bytes = 5 * 1024 * 1024;  // uncompressed, per member read
    size_t max_rows = 10'000;            // rows of the sheet, header included
    size_t max_columns = 256;
};

Result<std::vector<CsvRecord>> ReadXlsx(std::string_view bytes, const XlsxLimits& limits = {});

// "45139" (days since 1899-12-30, the spreadsheet date serial) -> "2023-08-01"; nullopt when the
// text is not all digits or out of range (years 1900..9999).
std::optional<std::string> ExcelSerialToDate(std::string_view text);

}  // namespace omc::report
