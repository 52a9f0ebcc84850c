// XLSX reading for imports: minizip over the bytes in memory, expat for the XML. See the header
// for what is accepted and refused.
#include "platform/report/xlsx_reader.hpp"

#include <expat.h>
#include <unzip.h>

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>

#include "platform/base/clock.hpp"

namespace omc::report {
namespace {

Error Bad(std::string message) { return InvalidArgument("file", "xlsx: " + std::move(message)); }

// ---- minizip over a buffer ----

struct MemoryFile {
    std::string_view bytes;
    uint64_t pos = 0;
};

voidpf ZCALLBACK MemOpen(voidpf opaque, const void* /*name*/, int mode) {
    if ((mode & ZLIB_FILEFUNC_MODE_WRITE) != 0) return nullptr;
    return opaque;
}
uLong ZCALLBACK MemRead(voidpf /*opaque*/, voidpf stream, void* buf, uLong size) {
    auto* f = static_cast<MemoryFile*>(stream);
    const uint64_t left = f->pos < f->bytes.size() ? f->bytes.size() - f->pos : 0;
    const uint64_t n = std::min<uint64_t>(left, size);
    if (n > 0) std::memcpy(buf, f->bytes.data() + f->pos, n);
    f->pos += n;
    return static_cast<uLong>(n);
}
uLong ZCALLBACK MemWrite(voidpf, voidpf, const void*, uLong) { return 0; }
ZPOS64_T ZCALLBACK MemTell(voidpf /*opaque*/, voidpf stream) {
    return static_cast<MemoryFile*>(stream)->pos;
}
long ZCALLBACK MemSeek(voidpf /*opaque*/, voidpf stream, ZPOS64_T offset, int origin) {
    auto* f = static_cast<MemoryFile*>(stream);
    uint64_t base = 0;
    switch (origin) {
        case ZLIB_FILEFUNC_SEEK_SET:
            base = 0;
            break;
        case ZLIB_FILEFUNC_SEEK_CUR:
            base = f->pos;
            break;
        case ZLIB_FILEFUNC_SEEK_END:
            base = f->bytes.size();
            break;
        default:
            return -1;
    }
    if (offset > f->bytes.size() || base + offset > f->bytes.size()) return -1;
    f->pos = base + offset;
    return 0;
}
int ZCALLBACK MemClose(voidpf, voidpf) { return 0; }
int ZCALLBACK MemError(voidpf, voidpf) { return 0; }

class Archive {
  public:
    explicit Archive(std::string_view bytes) : file_{bytes, 0} {
        zlib_filefunc64_def def{};
        def.zopen64_file = MemOpen;
        def.zread_file = MemRead;
        def.zwrite_file = MemWrite;
        def.ztell64_file = MemTell;
        def.zseek64_file = MemSeek;
        def.zclose_file = MemClose;
        def.zerror_file = MemError;
        def.opaque = &file_;
        zip_ = unzOpen2_64("memory.xlsx", &def);
    }
    ~Archive() {
        if (zip_ != nullptr) unzClose(zip_);
    }
    Archive(const Archive&) = delete;
    Archive& operator=(const Archive&) = delete;
    bool ok() const { return zip_ != nullptr; }

    // The member's bytes; nullopt when absent; an error when damaged or above `limit`.
    Result<std::optional<std::string>> Member(const std::string& name, size_t limit) {
        if (unzLocateFile(zip_, name.c_str(), 0) != UNZ_OK) return std::optional<std::string>();
        if (unzOpenCurrentFile(zip_) != UNZ_OK) return Bad("cannot open " + name);
        std::string out;
        char buffer[16384];
        int n = 0;
        while ((n = unzReadCurrentFile(zip_, buffer, sizeof buffer)) > 0) {
            if (out.size() + static_cast<size_t>(n) > limit) {
                unzCloseCurrentFile(zip_);
                return Bad(name + " is larger than " + std::to_string(limit) + " bytes");
            }
            out.append(buffer, static_cast<size_t>(n));
        }
        const int closed = unzCloseCurrentFile(zip_);
        if (n < 0 || closed != UNZ_OK) return Bad(name + " is damaged");
        return std::optional<std::string>(std::move(out));
    }

  private:
    MemoryFile file_;
    unzFile zip_ = nullptr;
};

// ---- expat ----

using Attributes = std::map<std::string, std::string>;  // by local name

std::string LocalName(const char* name) {
    const char* colon = std::strrchr(name, ':');
    return colon != nullptr ? colon + 1 : name;
}

struct XmlHandlers {
    std::function<void(const std::string&, const Attributes&)> start;
    std::function<void(const std::string&)> end;
    std::function<void(std::string_view)> text;
    std::string error;  // set by a handler to stop with an error
};

struct ParseState {
    XML_Parser parser;
    XmlHandlers* handlers;
};

// Parses `xml`; document type declarations (and so entity expansion) are refused.
Result<void> ParseXml(const std::string& xml, const std::string& what, XmlHandlers& handlers) {
    XML_Parser parser = XML_ParserCreate("UTF-8");
    if (parser == nullptr) return Internal("xlsx: cannot create an XML parser");
    ParseState state{parser, &handlers};
    XML_SetUserData(parser, &state);
    XML_SetElementHandler(
        parser,
        [](void* data, const XML_Char* name, const XML_Char** atts) {
            auto* s = static_cast<ParseState*>(data);
            if (!s->handlers->start) return;
            Attributes attributes;
            for (size_t i = 0; atts[i] != nullptr; i += 2) {
                attributes[LocalName(atts[i])] = atts[i + 1];
            }
            s->handlers->start(LocalName(name), attributes);
            if (!s->handlers->error.empty()) XML_StopParser(s->parser, XML_FALSE);
        },
        [](void* data, const XML_Char* name) {
            auto* s = static_cast<ParseState*>(data);
            if (s->handlers->end) s->handlers->end(LocalName(name));
            if (!s->handlers->error.empty()) XML_StopParser(s->parser, XML_FALSE);
        });
    XML_SetCharacterDataHandler(parser, [](void* data, const XML_Char* text, int len) {
        auto* s = static_cast<ParseState*>(data);
        if (s->handlers->text) s->handlers->text(std::string_view(text, static_cast<size_t>(len)));
    });
    XML_SetStartDoctypeDeclHandler(
        parser, [](void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
            auto* s = static_cast<ParseState*>(data);
            s->handlers->error = "a document type declaration is not accepted";
            XML_StopParser(s->parser, XML_FALSE);
        });
    const XML_Status status = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), XML_TRUE);
    std::string message;
    if (!handlers.error.empty()) {
        message = what + ": " + handlers.error;
    } else if (status != XML_STATUS_OK) {
        message = what + " is not well-formed XML (" + XML_ErrorString(XML_GetErrorCode(parser)) +
                  ", line " + std::to_string(XML_GetCurrentLineNumber(parser)) + ")";
    }
    XML_ParserFree(parser);
    if (!message.empty()) return Bad(message);
    return {};
}

// ---- workbook parts ----

// The path of the first worksheet: workbook.xml's first <sheet r:id>, resolved in the rels.
Result<std::string> FirstSheetPath(Archive& zip, size_t limit) {
    const std::string fallback = "xl/worksheets/sheet1.xml";
    OMC_ASSIGN_OR_RETURN(const std::optional<std::string> workbook,
                         zip.Member("xl/workbook.xml", limit));
    OMC_ASSIGN_OR_RETURN(const std::optional<std::string> rels,
                         zip.Member("xl/_rels/workbook.xml.rels", limit));
    if (!workbook || !rels) return fallback;
    std::optional<std::string> rid;
    XmlHandlers wb;
    wb.start = [&](const std::string& name, const Attributes& a) {
        if (name != "sheet" || rid) return;
        if (auto it = a.find("id"); it != a.end()) rid = it->second;
    };
    OMC_TRY(ParseXml(*workbook, "xl/workbook.xml", wb));
    if (!rid) return fallback;
    std::optional<std::string> target;
    XmlHandlers rh;
    rh.start = [&](const std::string& name, const Attributes& a) {
        if (name != "Relationship" || target) return;
        auto id = a.find("Id");
        auto t = a.find("Target");
        if (id != a.end() && t != a.end() && id->second == *rid) target = t->second;
    };
    OMC_TRY(ParseXml(*rels, "xl/_rels/workbook.xml.rels", rh));
    if (!target) return fallback;
    if (!target->empty() && target->front() == '/') return target->substr(1);
    return "xl/" + *target;
}

Result<std::vector<std::string>> SharedStrings(Archive& zip, size_t limit) {
    std::vector<std::string> out;
    OMC_ASSIGN_OR_RETURN(const std::optional<std::string> xml,
                         zip.Member("xl/sharedStrings.xml", limit));
    if (!xml) return out;
    bool in_si = false;
    bool in_t = false;
    int phonetic = 0;  // inside <rPh>: a reading aid, not the text
    size_t total = 0;
    XmlHandlers h;
    h.start = [&](const std::string& name, const Attributes&) {
        if (name == "si") {
            in_si = true;
            out.emplace_back();
        } else if (name == "rPh") {
            ++phonetic;
        } else if (name == "t" && in_si && phonetic == 0) {
            in_t = true;
        }
    };
    h.end = [&](const std::string& name) {
        if (name == "si") in_si = false;
        if (name == "rPh") --phonetic;
        if (name == "t") in_t = false;
    };
    h.text = [&](std::string_view text) {
        if (!in_t) return;
        total += text.size();
        if (total > limit) {
            h.error = "the shared strings are larger than the limit";
            return;
        }
        out.back().append(text);
    };
    OMC_TRY(ParseXml(*xml, "xl/sharedStrings.xml", h));
    return out;
}

// "B3" -> column 2 (1-based) and row 3; nullopt when malformed.
std::optional<std::pair<int64_t, int64_t>> CellReference(std::string_view ref) {
    size_t i = 0;
    int64_t column = 0;
    while (i < ref.size() && ref[i] >= 'A' && ref[i] <= 'Z') {
        column = column * 26 + (ref[i] - 'A' + 1);
        if (column > 16384) return std::nullopt;
        ++i;
    }
    if (i == 0 || i == ref.size()) return std::nullopt;
    int64_t row = 0;
    for (; i < ref.size(); ++i) {
        if (ref[i] < '0' || ref[i] > '9') return std::nullopt;
        row = row * 10 + (ref[i] - '0');
        if (row > 1'048'576) return std::nullopt;
    }
    if (row == 0) return std::nullopt;
    return std::make_pair(column, row);
}

std::optional<int64_t> PositiveInteger(std::string_view text) {
    if (text.empty() || text.size() > 7) return std::nullopt;
    int64_t v = 0;
    for (char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    return v > 0 ? std::optional<int64_t>(v) : std::nullopt;
}

// The number as written, or, with more than 15 significant digits (a double's noise), rounded
// to 10 decimals without trailing zeros.
std::string CanonicalNumber(const std::string& text) {
    size_t digits = 0;
    bool leading = true;
    for (char c : text) {
        if (c == 'e' || c == 'E') return text;  // exponent form: left as written
        if (c < '0' || c > '9') continue;
        if (leading && c == '0') continue;
        leading = false;
        ++digits;
    }
    if (digits <= 15) return text;
    char buffer[400];  // a double in %.10f is at most 322 characters
    const int n = std::snprintf(buffer, sizeof buffer, "%.10f", std::strtod(text.c_str(), nullptr));
    if (n <= 0 || static_cast<size_t>(n) >= sizeof buffer) return text;
    std::string out(buffer, static_cast<size_t>(n));
    if (out.find('.') != std::string::npos) {
        while (out.back() == '0') out.pop_back();
        if (out.back() == '.') out.pop_back();
    }
    if (out == "-0") out = "0";
    return out;
}

}  // namespace

std::optional<std::string> ExcelSerialToDate(std::string_view text) {
    const std::optional<int64_t> serial = PositiveInteger(text);
    // 1900-01-01 is serial 2 from the 1899-12-30 epoch; 9999-12-31 is 2958465.
    if (!serial || *serial < 2 || *serial > 2'958'465) return std::nullopt;
    constexpr int64_t kUnixEpochSerial = 25'569;  // 1970-01-01
    constexpr int64_t kUsPerDay = int64_t{86'400} * 1'000'000;
    return FormatDate((*serial - kUnixEpochSerial) * kUsPerDay);
}

Result<std::vector<CsvRecord>> ReadXlsx(std::string_view bytes, const XlsxLimits& limits) {
    if (bytes.size() < 4 || bytes.substr(0, 2) != "PK") return Bad("the file is not a zip archive");
    Archive zip(bytes);
    if (!zip.ok()) return Bad("the file is not a readable zip archive");
    OMC_ASSIGN_OR_RETURN(const std::string sheet_path, FirstSheetPath(zip, limits.max_bytes));
    OMC_ASSIGN_OR_RETURN(const std::vector<std::string> shared,
                         SharedStrings(zip, limits.max_bytes));
    OMC_ASSIGN_OR_RETURN(const std::optional<std::string> sheet,
                         zip.Member(sheet_path, limits.max_bytes));
    if (!sheet) return Bad("the workbook has no worksheet");

    std::map<int64_t, std::map<int64_t, std::string>> cells;  // row -> column -> text
    int64_t row = 0;
    int64_t column = 0;
    std::string type;
    std::string value;
    std::string inline_text;
    bool in_cell = false;
    bool in_v = false;
    bool in_is_t = false;
    bool in_is = false;
    int phonetic = 0;
    size_t text_bytes = 0;
    XmlHandlers h;
    auto fail = [&](std::string message) {
        if (h.error.empty()) h.error = std::move(message);
    };
    h.start = [&](const std::string& name, const Attributes& a) {
        if (name == "row") {
            const auto r = a.find("r");
            if (r != a.end()) {
                const std::optional<int64_t> n = PositiveInteger(r->second);
                if (!n) return fail("row reference '" + r->second + "' is not valid");
                row = *n;
            } else {
                ++row;
            }
            if (static_cast<size_t>(row) > limits.max_rows) {
                return fail("more than " + std::to_string(limits.max_rows) + " rows");
            }
            column = 0;
        } else if (name == "c") {
            const auto r = a.find("r");
            if (r != a.end()) {
                const auto ref = CellReference(r->second);
                if (!ref) return fail("cell reference '" + r->second + "' is not valid");
                column = ref->first;
                if (ref->second != row) {
                    // A cell outside its row element: trust the cell's own reference.
                    row = ref->second;
                    if (static_cast<size_t>(row) > limits.max_rows) {
                        return fail("more than " + std::to_string(limits.max_rows) + " rows");
                    }
                }
            } else {
                ++column;
            }
            if (row == 0) row = 1;
            if (static_cast<size_t>(column) > limits.max_columns) {
                return fail("more than " + std::to_string(limits.max_columns) + " columns");
            }
            const auto t = a.find("t");
            type = t != a.end() ? t->second : "n";
            value.clear();
            inline_text.clear();
            in_cell = true;
        } else if (!in_cell) {
            return;
        } else if (name == "v") {
            in_v = true;
        } else if (name == "is") {
            in_is = true;
        } else if (name == "rPh") {
            ++phonetic;
        } else if (name == "t" && in_is && phonetic == 0) {
            in_is_t = true;
        }
    };
    h.end = [&](const std::string& name) {
        if (name == "v") in_v = false;
        if (name == "t") in_is_t = false;
        if (name == "is") in_is = false;
        if (name == "rPh") --phonetic;
        if (name != "c" || !in_cell) return;
        in_cell = false;
        std::string text;
        if (type == "s") {
            const std::optional<int64_t> index =
                value == "0" ? std::optional<int64_t>(0) : PositiveInteger(value);
            if (!index || static_cast<size_t>(*index) >= shared.size()) {
                return fail("shared string index '" + value + "' is not valid");
            }
            text = shared[static_cast<size_t>(*index)];
        } else if (type == "inlineStr") {
            text = inline_text;
        } else if (type == "b") {
            text = value == "1" ? "TRUE" : value == "0" ? "FALSE" : value;
        } else if (type == "n") {
            text = CanonicalNumber(value);
        } else {  // "str" (a formula's text), "e" (an error such as #N/A), "d" (ISO date text)
            text = value;
        }
        if (!text.empty()) cells[row][column] = std::move(text);
    };
    h.text = [&](std::string_view text) {
        if (!in_v && !in_is_t) return;
        text_bytes += text.size();
        if (text_bytes > limits.max_bytes) return fail("the cells are larger than the limit");
        (in_v ? value : inline_text).append(text);
    };
    OMC_TRY(ParseXml(*sheet, sheet_path, h));

    int64_t width = 0;
    for (const auto& [r, columns] : cells) width = std::max(width, columns.rbegin()->first);
    std::vector<CsvRecord> records;
    records.reserve(cells.size());
    for (auto& [r, columns] : cells) {
        CsvRecord record{.row = r, .fields = std::vector<std::string>(static_cast<size_t>(width))};
        for (auto& [c, text] : columns) record.fields[static_cast<size_t>(c - 1)] = std::move(text);
        records.push_back(std::move(record));
    }
    return records;
}

}  // namespace omc::report
