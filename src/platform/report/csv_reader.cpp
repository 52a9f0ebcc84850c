#include "platform/report/csv_reader.hpp"

#include <algorithm>
#include <string>

#include "platform/base/clock.hpp"
#include "platform/base/error.hpp"
#include "platform/base/money.hpp"

namespace omc::report {
namespace {

Error CsvError(int64_t row, std::string message) {
    return InvalidArgument("csv", "row " + std::to_string(row) + ": " + std::move(message));
}

std::string_view Trim(std::string_view text) {
    while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
    return text;
}

bool IsBlank(const std::vector<std::string>& fields) {
    return fields.size() == 1 && Trim(fields[0]).empty();
}

}  // namespace

Result<std::vector<CsvRecord>> ParseCsv(std::string_view text, const CsvLimits& limits) {
    if (text.size() > limits.max_bytes) {
        return InvalidArgument("csv", "larger than " + std::to_string(limits.max_bytes) + " bytes");
    }
    if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
    std::vector<CsvRecord> records;
    CsvRecord current{.row = 1, .fields = {""}};
    bool quoted = false;       // inside a quoted field
    bool after_quote = false;  // a quoted field just closed
    int64_t row = 1;
    auto finish_record = [&]() -> Result<void> {
        if (!IsBlank(current.fields)) {
            if (!records.empty() && records.size() - 1 >= limits.max_rows) {
                return CsvError(current.row,
                                "more than " + std::to_string(limits.max_rows) + " data rows");
            }
            records.push_back(std::move(current));
        }
        ++row;
        current = CsvRecord{.row = row, .fields = {""}};
        after_quote = false;
        return {};
    };
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        std::string& field = current.fields.back();
        if (quoted) {
            if (c != '"') {
                field += c;
            } else if (i + 1 < text.size() && text[i + 1] == '"') {
                field += '"';
                ++i;
            } else {
                quoted = false;
                after_quote = true;
            }
            continue;
        }
        if (c == ',') {
            current.fields.emplace_back();
            after_quote = false;
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            continue;  // the '\n' ends the record
        } else if (c == '\n' || c == '\r') {
            OMC_TRY(finish_record());
        } else if (after_quote) {
            return CsvError(current.row, "field " + std::to_string(current.fields.size()) +
                                             ": text after a closing quote");
        } else if (c == '"') {
            if (!Trim(field).empty()) {
                return CsvError(current.row, "field " + std::to_string(current.fields.size()) +
                                                 ": a quote inside an unquoted field");
            }
            field.clear();
            quoted = true;
        } else {
            field += c;
        }
    }
    if (quoted) return CsvError(current.row, "a quoted field is not closed");
    OMC_TRY(finish_record());
    return records;
}

// ---- CsvTable ----

Result<CsvTable> CsvTable::Read(std::string_view text, const std::vector<CsvColumnSpec>& columns,
                                const CsvLimits& limits) {
    OMC_ASSIGN_OR_RETURN(std::vector<CsvRecord> records, ParseCsv(text, limits));
    if (records.empty()) return InvalidArgument("csv", "row 1: no header row");
    auto header = std::make_shared<std::vector<std::string>>();
    for (const std::string& name : records.front().fields) {
        const std::string trimmed(Trim(name));
        if (trimmed.empty()) {
            return InvalidArgument("csv", "row 1, column " + std::to_string(header->size() + 1) +
                                              ": blank column name");
        }
        if (std::find(header->begin(), header->end(), trimmed) != header->end()) {
            return InvalidArgument("csv", "row 1, column " + trimmed + ": repeated");
        }
        const bool known = std::any_of(columns.begin(), columns.end(),
                                       [&](const CsvColumnSpec& s) { return s.name == trimmed; });
        if (!known) {
            return InvalidArgument("csv", "row 1, column " + trimmed + ": unknown column");
        }
        header->push_back(trimmed);
    }
    for (const CsvColumnSpec& spec : columns) {
        if (spec.required &&
            std::find(header->begin(), header->end(), spec.name) == header->end()) {
            return InvalidArgument("csv", "row 1, column " + spec.name + ": missing");
        }
    }
    CsvTable table;
    table.header_ = header;
    for (size_t r = 1; r < records.size(); ++r) {
        CsvRecord& record = records[r];
        if (record.fields.size() != header->size()) {
            return CsvError(record.row, std::to_string(record.fields.size()) +
                                            " fields, the header has " +
                                            std::to_string(header->size()));
        }
        CsvRow row;
        row.header_ = header;
        row.row_ = record.row;
        row.fields_ = std::move(record.fields);
        table.rows_.push_back(std::move(row));
    }
    return table;
}

// ---- CsvRow ----

std::string_view CsvRow::Text(std::string_view column) const {
    for (size_t i = 0; i < header_->size(); ++i) {
        if ((*header_)[i] == column) return Trim(fields_[i]);
    }
    return {};
}

bool CsvRow::Has(std::string_view column) const { return !Text(column).empty(); }

Error CsvRow::Invalid(std::string_view column, std::string_view message) const {
    return InvalidArgument("csv", "row " + std::to_string(row_) + ", column " +
                                      std::string(column) + ": " + std::string(message));
}

Result<std::string> CsvRow::RequiredText(std::string_view column) const {
    const std::string_view text = Text(column);
    if (text.empty()) return Invalid(column, "required");
    return std::string(text);
}

Result<int64_t> CsvRow::Scaled(std::string_view column, int scale, std::string_view what) const {
    const std::string_view text = Text(column);
    if (text.empty()) return Invalid(column, "required");
    Result<int64_t> value = ParseScaled(text, scale);
    if (!value.ok()) {
        return Invalid(column, "\"" + std::string(text) + "\" is not " + std::string(what));
    }
    return value;
}

Result<int64_t> CsvRow::Integer(std::string_view column) const {
    return Scaled(column, 0, "a whole number");
}
Result<int64_t> CsvRow::Money(std::string_view column) const {
    return Scaled(column, 2, "an amount with at most 2 decimals");
}
Result<int64_t> CsvRow::Quantity(std::string_view column) const {
    return Scaled(column, 3, "a quantity with at most 3 decimals");
}
Result<int64_t> CsvRow::UnitPrice(std::string_view column) const {
    return Scaled(column, 4, "a unit price with at most 4 decimals");
}

Result<std::string> CsvRow::Date(std::string_view column) const {
    const std::string_view text = Text(column);
    if (text.empty()) return Invalid(column, "required");
    if (!ParseDateDays(text)) {
        return Invalid(column, "\"" + std::string(text) + "\" is not a date YYYY-MM-DD");
    }
    return std::string(text);
}

Result<std::optional<int64_t>> CsvRow::OptionalMoney(std::string_view column) const {
    if (!Has(column)) return std::optional<int64_t>();
    OMC_ASSIGN_OR_RETURN(const int64_t value, Money(column));
    return std::optional<int64_t>(value);
}

Result<std::optional<std::string>> CsvRow::OptionalDate(std::string_view column) const {
    if (!Has(column)) return std::optional<std::string>();
    OMC_ASSIGN_OR_RETURN(std::string value, Date(column));
    return std::optional<std::string>(std::move(value));
}

}  // namespace omc::report
