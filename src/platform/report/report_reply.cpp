#include "platform/report/report_reply.hpp"

#include <string>

#include "platform/base/error.hpp"

namespace omc::report {
namespace {

std::optional<Format> ParseFormat(std::string_view name) {
    if (name == "json") return Format::kJson;
    if (name == "csv") return Format::kCsv;
    if (name == "xlsx") return Format::kXlsx;
    if (name == "pdf") return Format::kPdf;
    return std::nullopt;
}

bool EndsWith(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

std::string_view TypeName(ColumnType type) {
    switch (type) {
        case ColumnType::kText:
            return "text";
        case ColumnType::kInteger:
            return "integer";
        case ColumnType::kMoney:
            return "money";
        case ColumnType::kQuantity:
            return "quantity";
        case ColumnType::kUnitPrice:
            return "unit_price";
        case ColumnType::kDate:
            return "date";
    }
    return "text";
}

nlohmann::json RowJson(const Report& report, const Row& row) {
    nlohmann::json out = nlohmann::json::object();
    for (size_t c = 0; c < report.columns.size() && c < row.size(); ++c) {
        const Column& column = report.columns[c];
        const Cell& cell = row[c];
        if (std::holds_alternative<std::monostate>(cell)) {
            out[column.key] = nullptr;
        } else if (column.type == ColumnType::kInteger && std::holds_alternative<int64_t>(cell)) {
            out[column.key] = std::get<int64_t>(cell);
        } else {
            out[column.key] = FormatCell(cell, column.type);
        }
    }
    return out;
}

}  // namespace

Result<Format> RequestedFormat(const http::Request& request) {
    if (const auto name = request.QueryParam("format")) {
        if (const auto format = ParseFormat(*name)) return *format;
        return InvalidArgument("format", "must be json, csv, xlsx or pdf");
    }
    for (const Format f : {Format::kCsv, Format::kXlsx, Format::kPdf}) {
        if (EndsWith(request.path, "." + std::string(FormatName(f)))) return f;
    }
    return Format::kJson;
}

std::string_view FormatName(Format format) {
    switch (format) {
        case Format::kJson:
            return "json";
        case Format::kCsv:
            return "csv";
        case Format::kXlsx:
            return "xlsx";
        case Format::kPdf:
            return "pdf";
    }
    return "json";
}

std::string_view ContentType(Format format) {
    switch (format) {
        case Format::kJson:
            return "application/json";
        case Format::kCsv:
            return "text/csv; charset=utf-8";
        case Format::kXlsx:
            return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        case Format::kPdf:
            return "application/pdf";
    }
    return "application/octet-stream";
}

Result<http::Reply> FileReply(const Report& report, Format format, std::string_view filename_stem) {
    std::string bytes;
    switch (format) {
        case Format::kCsv: {
            OMC_ASSIGN_OR_RETURN(bytes, WriteCsv(report));
            break;
        }
        case Format::kXlsx: {
            OMC_ASSIGN_OR_RETURN(bytes, WriteXlsx(report));
            break;
        }
        case Format::kPdf: {
            OMC_ASSIGN_OR_RETURN(bytes, WritePdf(report));
            break;
        }
        case Format::kJson:
            return Internal("report: FileReply asked for JSON");
    }
    std::string stem;
    for (char c : filename_stem) {
        const bool plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                           (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
        stem += plain ? c : '-';
    }
    if (stem.empty()) stem = "report";
    http::Reply reply;
    reply.raw_body = std::move(bytes);
    reply.content_type = std::string(ContentType(format));
    reply.headers.emplace_back("Content-Disposition", "attachment; filename=\"" + stem + "." +
                                                          std::string(FormatName(format)) + "\"");
    return reply;
}

nlohmann::json ToJson(const Report& report) {
    nlohmann::json columns = nlohmann::json::array();
    for (const Column& c : report.columns) {
        columns.push_back({{"key", c.key},
                           {"title", c.title.empty() ? c.key : c.title},
                           {"type", TypeName(c.type)}});
    }
    nlohmann::json sections = nlohmann::json::array();
    for (const Section& s : report.sections) {
        nlohmann::json rows = nlohmann::json::array();
        for (const Row& row : s.rows) rows.push_back(RowJson(report, row));
        sections.push_back({{"heading", s.heading},
                            {"rows", std::move(rows)},
                            {"subtotal", s.subtotal ? RowJson(report, *s.subtotal) : nullptr}});
    }
    return {{"title", report.title},
            {"subtitle", report.subtitle},
            {"columns", std::move(columns)},
            {"sections", std::move(sections)},
            {"totals", report.totals ? RowJson(report, *report.totals) : nullptr}};
}

}  // namespace omc::report
