// Answering a report over HTTP in the format the caller asks for: `?format=json|csv|xlsx|pdf`,
// or, when there is no such parameter, the path's suffix (".../export.csv"); JSON otherwise.
//
//   OMC_ASSIGN_OR_RETURN(const report::Format format, report::RequestedFormat(ctx.request()));
//   ... build the Report (and the JSON) ...
//   if (format == report::Format::kJson) return http::Answer(json);
//   return report::FileReply(report, format, "npa-sales-2026-01");
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "platform/base/result.hpp"
#include "platform/http/router.hpp"
#include "platform/report/report.hpp"

namespace omc::report {

enum class Format { kJson, kCsv, kXlsx, kPdf };

// The format asked for; kInvalidArgument ("format") for anything but json, csv, xlsx, pdf.
Result<Format> RequestedFormat(const http::Request& request);

std::string_view FormatName(Format format);   // "csv"
std::string_view ContentType(Format format);  // "text/csv; charset=utf-8", ...

// The report as a file: raw body, Content-Type, and
// Content-Disposition: attachment; filename="<stem>.<ext>" (the stem keeps only A-Z a-z 0-9 . _ -,
// other characters become '-'). `format` must not be kJson.
Result<http::Reply> FileReply(const Report& report, Format format, std::string_view filename_stem);

// A generic JSON form of a report, for modules with no JSON shape of their own:
// {"title", "subtitle":[...], "columns":[{"key","title","type"}], "sections":[{"heading",
//  "rows":[{key: value}], "subtotal":{...}|null}], "totals":{...}|null}. Values follow the API
// number forms: money, quantities and unit prices as decimal strings ("1234.56"), integers as
// JSON numbers, empty cells as null.
nlohmann::json ToJson(const Report& report);

}  // namespace omc::report
