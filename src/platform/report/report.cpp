#include "platform/report/report.hpp"

#include <string>

#include "platform/base/clock.hpp"
#include "platform/base/error.hpp"
#include "platform/base/money.hpp"

namespace omc::report {

void Report::AddRow(Row row) {
    if (sections.empty()) sections.emplace_back();
    sections.back().rows.push_back(std::move(row));
}

Section& Report::AddSection(std::string heading) {
    sections.push_back(Section{.heading = std::move(heading), .rows = {}, .subtotal = {}});
    return sections.back();
}

bool Report::Grouped() const {
    for (const Section& s : sections) {
        if (!s.heading.empty()) return true;
    }
    return false;
}

size_t Report::RowCount() const {
    size_t n = 0;
    for (const Section& s : sections) n += s.rows.size();
    return n;
}

namespace {

bool IsTextType(ColumnType type) { return type == ColumnType::kText || type == ColumnType::kDate; }

Result<void> ValidateRow(const Report& report, const Row& row, const std::string& where) {
    if (row.size() != report.columns.size()) {
        return InvalidArgument("report", where + ": " + std::to_string(row.size()) + " cells for " +
                                             std::to_string(report.columns.size()) + " columns");
    }
    for (size_t c = 0; c < row.size(); ++c) {
        const Column& column = report.columns[c];
        const Cell& cell = row[c];
        if (std::holds_alternative<std::monostate>(cell)) continue;
        const bool text = std::holds_alternative<std::string>(cell);
        if (text != IsTextType(column.type)) {
            return InvalidArgument(
                "report", where + ", column " + column.key + ": " +
                              (text ? "text in a numeric column" : "a number in a text column"));
        }
        if (column.type == ColumnType::kDate && !ParseDateDays(std::get<std::string>(cell))) {
            return InvalidArgument("report", where + ", column " + column.key + ": not a date");
        }
    }
    return {};
}

int ScaleOf(ColumnType type) {
    switch (type) {
        case ColumnType::kMoney:
            return 2;
        case ColumnType::kQuantity:
            return 3;
        case ColumnType::kUnitPrice:
            return 4;
        default:
            return 0;
    }
}

std::string CsvField(const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
    std::string out = "\"";
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    return out + "\"";
}

}  // namespace

Result<void> Validate(const Report& report) {
    if (report.columns.empty()) return InvalidArgument("report", "no columns");
    for (size_t s = 0; s < report.sections.size(); ++s) {
        const Section& section = report.sections[s];
        for (size_t r = 0; r < section.rows.size(); ++r) {
            OMC_TRY(
                ValidateRow(report, section.rows[r],
                            "section " + std::to_string(s + 1) + " row " + std::to_string(r + 1)));
        }
        if (section.subtotal) {
            OMC_TRY(ValidateRow(report, *section.subtotal,
                                "section " + std::to_string(s + 1) + " subtotal"));
        }
    }
    if (report.totals) OMC_TRY(ValidateRow(report, *report.totals, "totals"));
    return {};
}

std::string FormatCell(const Cell& cell, ColumnType type) {
    if (const auto* text = std::get_if<std::string>(&cell)) return *text;
    if (const auto* value = std::get_if<int64_t>(&cell)) {
        const int scale = ScaleOf(type);
        return scale == 0 ? std::to_string(*value) : FormatScaled(*value, scale);
    }
    return "";
}

Result<std::string> WriteCsv(const Report& report) {
    OMC_TRY(Validate(report));
    const bool grouped = report.Grouped();
    std::string out;
    if (grouped) out += CsvField(report.section_key) + ',';
    for (size_t c = 0; c < report.columns.size(); ++c) {
        if (c > 0) out += ',';
        out += CsvField(report.columns[c].key);
    }
    out += "\r\n";
    for (const Section& section : report.sections) {
        for (const Row& row : section.rows) {
            if (grouped) out += CsvField(section.heading) + ',';
            for (size_t c = 0; c < row.size(); ++c) {
                if (c > 0) out += ',';
                out += CsvField(FormatCell(row[c], report.columns[c].type));
            }
            out += "\r\n";
        }
    }
    return out;
}

}  // namespace omc::report
