// Reading CSV uploads (RFC 4180) for imports: the header is checked against the columns the
// import expects, and every complaint names the row and the column, counted as a spreadsheet
// shows them (row 1 is the header; a quoted line break does not start a new row).
//
// Accepted: UTF-8 with or without a byte-order mark, CRLF or LF line ends, quoted fields with
// doubled quotes and embedded line breaks, a last line with or without its line end. Refused
// (kInvalidArgument, field "csv"): a quote inside an unquoted field, text after a closing quote,
// an unclosed quote, a row with more or fewer fields than the header, blank header names, and
// more than CsvLimits rows or bytes. Blank lines are skipped.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/base/result.hpp"

namespace omc::report {

struct CsvLimits {
    size_t max_bytes = 10 * 1024 * 1024;
    size_t max_rows = 100'000;  // data rows
};

// The raw records of `text`, header first, each with its row number.
struct CsvRecord {
    int64_t row = 0;  // 1 for the header
    std::vector<std::string> fields;
};
Result<std::vector<CsvRecord>> ParseCsv(std::string_view text, const CsvLimits& limits = {});

struct CsvColumnSpec {
    std::string name;
    bool required = true;
};

// One data row: its fields by column name, and typed readers whose errors are kInvalidArgument
// with the field "csv" and the message "row 7, column amount: ...".
class CsvRow {
  public:
    int64_t row() const { return row_; }
    // The field's text (trimmed of surrounding spaces); "" when the column is absent.
    std::string_view Text(std::string_view column) const;
    bool Has(std::string_view column) const;  // present and not blank
    // A non-empty text field.
    Result<std::string> RequiredText(std::string_view column) const;
    Result<int64_t> Integer(std::string_view column) const;
    // Decimal text at a scale: Money("12.50") == 1250 pesewas; Quantity("1.5") == 1500
    // thousandths; UnitPrice("479.5") == 4795000 ten-thousandths of a pesewa. No rounding: more
    // decimals than the scale is an error.
    Result<int64_t> Money(std::string_view column) const;
    Result<int64_t> Quantity(std::string_view column) const;
    Result<int64_t> UnitPrice(std::string_view column) const;
    // "YYYY-MM-DD", returned as given.
    Result<std::string> Date(std::string_view column) const;
    // Optional forms: nullopt when blank or absent.
    Result<std::optional<int64_t>> OptionalMoney(std::string_view column) const;
    Result<std::optional<std::string>> OptionalDate(std::string_view column) const;

    // An error about this row's `column`.
    Error Invalid(std::string_view column, std::string_view message) const;

  private:
    friend class CsvTable;
    Result<int64_t> Scaled(std::string_view column, int scale, std::string_view what) const;
    std::shared_ptr<const std::vector<std::string>> header_;
    int64_t row_ = 0;
    std::vector<std::string> fields_;
};

class CsvTable {
  public:
    // Parses `text` and checks its header: every required column present, no unknown and no
    // repeated column (order free).
    static Result<CsvTable> Read(std::string_view text, const std::vector<CsvColumnSpec>& columns,
                                 const CsvLimits& limits = {});
    const std::vector<std::string>& header() const { return *header_; }
    const std::vector<CsvRow>& rows() const { return rows_; }

  private:
    std::shared_ptr<const std::vector<std::string>> header_;
    std::vector<CsvRow> rows_;
};

}  // namespace omc::report
