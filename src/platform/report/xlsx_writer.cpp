// The XLSX writer: libxlsxwriter writes to a file only (1.1.4 has no memory output), so the
// workbook goes to a private temporary file that is read back and removed.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <xlsxwriter.h>

#include "platform/base/clock.hpp"
#include "platform/base/error.hpp"
#include "platform/report/report.hpp"

namespace omc::report {
namespace {

// Excel counts days from 1899-12-30 (its 1900 leap-year bug included): day 0 of Unix is 25569.
constexpr int64_t kExcelUnixEpochDays = 25569;
constexpr size_t kSheetNameMax = 31;
constexpr double kColumnWidthMin = 8;
constexpr double kColumnWidthMax = 60;

struct Formats {
    lxw_format* title = nullptr;
    lxw_format* header = nullptr;
    lxw_format* bold = nullptr;
    lxw_format* by_type[6] = {};       // data cells, by ColumnType
    lxw_format* bold_by_type[6] = {};  // subtotal and total cells
};

const char* NumberFormat(ColumnType type) {
    switch (type) {
        case ColumnType::kInteger:
            return "0";
        case ColumnType::kMoney:
            return "#,##0.00";
        case ColumnType::kQuantity:
            return "#,##0.000";
        case ColumnType::kUnitPrice:
            return "0.0000";
        case ColumnType::kDate:
            return "yyyy-mm-dd";
        case ColumnType::kText:
            return nullptr;
    }
    return nullptr;
}

double Divisor(ColumnType type) {
    switch (type) {
        case ColumnType::kMoney:
            return 100.0;
        case ColumnType::kQuantity:
            return 1000.0;
        case ColumnType::kUnitPrice:
            return 10000.0;
        default:
            return 1.0;
    }
}

Formats MakeFormats(lxw_workbook* wb) {
    Formats f;
    f.title = workbook_add_format(wb);
    format_set_bold(f.title);
    format_set_font_size(f.title, 14);
    f.header = workbook_add_format(wb);
    format_set_bold(f.header);
    format_set_bottom(f.header, LXW_BORDER_THIN);
    format_set_text_wrap(f.header);
    f.bold = workbook_add_format(wb);
    format_set_bold(f.bold);
    for (int t = 0; t < 6; ++t) {
        const char* number = NumberFormat(static_cast<ColumnType>(t));
        f.by_type[t] = workbook_add_format(wb);
        f.bold_by_type[t] = workbook_add_format(wb);
        format_set_bold(f.bold_by_type[t]);
        format_set_top(f.bold_by_type[t], LXW_BORDER_THIN);
        if (number != nullptr) {
            format_set_num_format(f.by_type[t], number);
            format_set_num_format(f.bold_by_type[t], number);
        }
    }
    return f;
}

std::string SheetName(const std::string& title) {
    std::string name;
    for (char c : title) {
        if (std::string_view("[]:*?/\\").find(c) != std::string_view::npos) continue;
        name += c;
    }
    // Cut at a character boundary: never inside a UTF-8 sequence.
    if (name.size() > kSheetNameMax) {
        size_t cut = kSheetNameMax;
        while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
        name.resize(cut);
    }
    return name.empty() ? "Report" : name;
}

lxw_error WriteCell(lxw_worksheet* ws, lxw_row_t r, lxw_col_t c, const Cell& cell, ColumnType type,
                    lxw_format* format) {
    if (std::holds_alternative<std::monostate>(cell)) {
        return worksheet_write_blank(ws, r, c, format);
    }
    if (const auto* value = std::get_if<int64_t>(&cell)) {
        return worksheet_write_number(ws, r, c, static_cast<double>(*value) / Divisor(type),
                                      format);
    }
    const std::string& text = std::get<std::string>(cell);
    if (type == ColumnType::kDate) {
        const int64_t days = *ParseDateDays(text);  // Validate checked it
        return worksheet_write_number(ws, r, c, static_cast<double>(days + kExcelUnixEpochDays),
                                      format);
    }
    return worksheet_write_string(ws, r, c, text.c_str(), format);
}

// Rough widths in characters: the longest rendered cell or heading of each column.
std::vector<double> ColumnWidths(const Report& report) {
    std::vector<double> widths(report.columns.size(), kColumnWidthMin);
    auto fit = [&](size_t c, const std::string& text) {
        const double w = static_cast<double>(text.size()) + 2;
        if (w > widths[c]) widths[c] = w > kColumnWidthMax ? kColumnWidthMax : w;
    };
    for (size_t c = 0; c < report.columns.size(); ++c) {
        const Column& col = report.columns[c];
        fit(c, col.title.empty() ? col.key : col.title);
    }
    for (const Section& section : report.sections) {
        for (const Row& row : section.rows) {
            for (size_t c = 0; c < row.size(); ++c) {
                fit(c, FormatCell(row[c], report.columns[c].type) + "   ");
            }
        }
    }
    return widths;
}

Result<void> WriteSheet(lxw_workbook* wb, const Report& report) {
    const Formats f = MakeFormats(wb);
    lxw_worksheet* ws = workbook_add_worksheet(wb, SheetName(report.title).c_str());
    if (ws == nullptr) return Internal("xlsx: cannot add the worksheet");
    lxw_row_t r = 0;
    worksheet_write_string(ws, r++, 0, report.title.c_str(), f.title);
    for (const std::string& line : report.subtitle) {
        worksheet_write_string(ws, r++, 0, line.c_str(), nullptr);
    }
    ++r;  // a blank row before the table
    const auto widths = ColumnWidths(report);
    for (size_t c = 0; c < report.columns.size(); ++c) {
        const Column& col = report.columns[c];
        const auto lc = static_cast<lxw_col_t>(c);
        worksheet_set_column(ws, lc, lc, widths[c], nullptr);
        worksheet_write_string(ws, r, lc, (col.title.empty() ? col.key : col.title).c_str(),
                               f.header);
    }
    worksheet_freeze_panes(ws, r + 1, 0);
    ++r;
    auto write_row = [&](const Row& row, bool bold) -> Result<void> {
        for (size_t c = 0; c < row.size(); ++c) {
            const ColumnType type = report.columns[c].type;
            const int t = static_cast<int>(type);
            const lxw_error error = WriteCell(ws, r, static_cast<lxw_col_t>(c), row[c], type,
                                              bold ? f.bold_by_type[t] : f.by_type[t]);
            if (error != LXW_NO_ERROR) {
                return Internal(std::string("xlsx: ") + lxw_strerror(error));
            }
        }
        ++r;
        return {};
    };
    for (const Section& section : report.sections) {
        if (!section.heading.empty()) {
            worksheet_write_string(ws, r++, 0, section.heading.c_str(), f.bold);
        }
        for (const Row& row : section.rows) OMC_TRY(write_row(row, false));
        if (section.subtotal) OMC_TRY(write_row(*section.subtotal, true));
    }
    if (report.totals) OMC_TRY(write_row(*report.totals, true));
    return {};
}

Result<std::string> ReadAndRemove(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::ostringstream bytes;
    bytes << in.rdbuf();
    std::remove(path.c_str());
    if (!in.good() && !in.eof()) return Internal("xlsx: cannot read back " + path);
    return bytes.str();
}

}  // namespace

Result<std::string> WriteXlsx(const Report& report) {
    OMC_TRY(Validate(report));
    const char* tmp = std::getenv("TMPDIR");
    std::string path =
        std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/omc-report-XXXXXX.xlsx";
    const int fd = mkstemps(path.data(), 5);
    if (fd < 0) return Internal("xlsx: cannot create a temporary file");
    close(fd);
    lxw_workbook* wb = workbook_new(path.c_str());
    if (wb == nullptr) {
        std::remove(path.c_str());
        return Internal("xlsx: cannot start the workbook");
    }
    Result<void> written = WriteSheet(wb, report);
    const lxw_error closed = workbook_close(wb);  // frees wb, writes the file
    if (!written.ok()) {
        std::remove(path.c_str());
        return std::move(written).error();
    }
    if (closed != LXW_NO_ERROR) {
        std::remove(path.c_str());
        return Internal(std::string("xlsx: ") + lxw_strerror(closed));
    }
    return ReadAndRemove(path);
}

}  // namespace omc::report
