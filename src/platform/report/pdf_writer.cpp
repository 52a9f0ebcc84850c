// The PDF writer (libharu). The layout is fixed so that the page count is known before drawing
// ("Page n of N") and testable (PdfPageCount): every table line (section heading, row, subtotal,
// total) is one kLineHeight high.
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include <hpdf.h>

#include "platform/base/error.hpp"
#include "platform/report/report.hpp"

namespace omc::report {
namespace {

constexpr float kPageWidth = 841.89F;  // A4 landscape, points
constexpr float kPageHeight = 595.28F;
constexpr float kMargin = 36;
constexpr float kTitleSize = 14;
constexpr float kTitleHeight = 22;
constexpr float kSubtitleSize = 9;
constexpr float kSubtitleHeight = 13;
constexpr float kTitleGap = 8;
constexpr float kBodySize = 8;
constexpr float kLineHeight = 12;
constexpr float kHeaderHeight = 16;
constexpr float kFooterHeight = 18;
constexpr float kCellPadding = 3;

enum class LineKind { kHeading, kRow, kSubtotal, kTotal };
struct Line {
    LineKind kind;
    const std::string* heading = nullptr;
    const Row* row = nullptr;
};

std::vector<Line> Lines(const Report& report) {
    std::vector<Line> lines;
    for (const Section& s : report.sections) {
        if (!s.heading.empty()) lines.push_back({LineKind::kHeading, &s.heading, nullptr});
        for (const Row& row : s.rows) lines.push_back({LineKind::kRow, nullptr, &row});
        if (s.subtotal) lines.push_back({LineKind::kSubtotal, nullptr, &*s.subtotal});
    }
    if (report.totals) lines.push_back({LineKind::kTotal, nullptr, &*report.totals});
    return lines;
}

float TitleBlockHeight(const Report& report) {
    return kTitleHeight + kSubtitleHeight * static_cast<float>(report.subtitle.size()) + kTitleGap;
}

int LinesPerPage(float title_block) {
    const float table = kPageHeight - 2 * kMargin - kFooterHeight - kHeaderHeight - title_block;
    return std::max(1, static_cast<int>(table / kLineHeight));
}

// The lines each page holds: page one under the title block, the others full.
std::vector<std::pair<size_t, size_t>> Paginate(const Report& report, size_t line_count) {
    std::vector<std::pair<size_t, size_t>> pages;
    size_t next = 0;
    int capacity = LinesPerPage(TitleBlockHeight(report));
    do {
        const size_t end = std::min(line_count, next + static_cast<size_t>(capacity));
        pages.emplace_back(next, end);
        next = end;
        capacity = LinesPerPage(0);
    } while (next < line_count);
    return pages;
}

struct ErrorState {
    HPDF_STATUS first = HPDF_OK;
    HPDF_STATUS detail = 0;
};

void OnError(HPDF_STATUS error, HPDF_STATUS detail, void* user) {
    auto* state = static_cast<ErrorState*>(user);
    if (state->first == HPDF_OK) {
        state->first = error;
        state->detail = detail;
    }
}

// Latin-1 text for the built-in fonts: "₵" becomes "GHS", other characters outside Latin-1 "?".
std::string ToLatin1(const std::string& utf8) {
    std::string out;
    for (size_t i = 0; i < utf8.size();) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c < 0x80) {
            out += static_cast<char>(c);
            ++i;
            continue;
        }
        size_t len = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
        if (i + len > utf8.size()) len = 1;
        if (len == 2) {
            const unsigned code =
                ((c & 0x1FU) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3FU);
            out += static_cast<char>(code);
        } else if (utf8.compare(i, len, "\xE2\x82\xB5") == 0) {
            out += "S";  // "GH₵" -> "GHS"
        } else {
            out += '?';
        }
        i += len;
    }
    return out;
}

class PdfDraw {
  public:
    PdfDraw(HPDF_Doc pdf, const Report& report, const PdfOptions& options)
        : pdf_(pdf), report_(report) {
        if (access(options.font_path.c_str(), R_OK) == 0 &&
            access(options.bold_font_path.c_str(), R_OK) == 0) {
            HPDF_UseUTFEncodings(pdf_);
            const char* regular =
                HPDF_LoadTTFontFromFile(pdf_, options.font_path.c_str(), HPDF_TRUE);
            const char* bold =
                HPDF_LoadTTFontFromFile(pdf_, options.bold_font_path.c_str(), HPDF_TRUE);
            if (regular != nullptr && bold != nullptr) {
                regular_ = HPDF_GetFont(pdf_, regular, "UTF-8");
                bold_ = HPDF_GetFont(pdf_, bold, "UTF-8");
                utf8_ = true;
            }
        }
        if (regular_ == nullptr || bold_ == nullptr) {
            regular_ = HPDF_GetFont(pdf_, "Helvetica", "WinAnsiEncoding");
            bold_ = HPDF_GetFont(pdf_, "Helvetica-Bold", "WinAnsiEncoding");
            utf8_ = false;
        }
    }

    void Draw() {
        const std::vector<Line> lines = Lines(report_);
        const auto pages = Paginate(report_, lines.size());
        Widths();
        for (size_t p = 0; p < pages.size(); ++p) {
            HPDF_Page page = HPDF_AddPage(pdf_);
            HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_LANDSCAPE);
            float y = kPageHeight - kMargin;
            if (p == 0) y = DrawTitle(page, y);
            y = DrawHeader(page, y);
            for (size_t i = pages[p].first; i < pages[p].second; ++i)
                y = DrawLine(page, lines[i], y);
            DrawFooter(page, p + 1, pages.size());
        }
    }

  private:
    std::string Text(const std::string& utf8) const { return utf8_ ? utf8 : ToLatin1(utf8); }

    float Width(HPDF_Font font, float size, const std::string& text) const {
        const std::string t = Text(text);
        const HPDF_TextWidth w = HPDF_Font_TextWidth(
            font, reinterpret_cast<const HPDF_BYTE*>(t.data()), static_cast<HPDF_UINT>(t.size()));
        return static_cast<float>(w.width) * size / 1000.0F;
    }

    static std::string Heading(const Column& c) { return c.title.empty() ? c.key : c.title; }

    // Natural widths, scaled down together when they overflow the page.
    void Widths() {
        widths_.assign(report_.columns.size(), 0);
        for (size_t c = 0; c < report_.columns.size(); ++c) {
            widths_[c] = Width(bold_, kBodySize, Heading(report_.columns[c]));
        }
        auto fit = [&](const Row& row, HPDF_Font font) {
            for (size_t c = 0; c < row.size(); ++c) {
                const float w = Width(font, kBodySize, FormatCell(row[c], report_.columns[c].type));
                widths_[c] = std::max(widths_[c], w);
            }
        };
        for (const Section& s : report_.sections) {
            for (const Row& row : s.rows) fit(row, regular_);
            if (s.subtotal) fit(*s.subtotal, bold_);
        }
        if (report_.totals) fit(*report_.totals, bold_);
        float total = 0;
        for (float& w : widths_) {
            w += 2 * kCellPadding;
            total += w;
        }
        const float available = kPageWidth - 2 * kMargin;
        if (total > available) {
            for (float& w : widths_) w *= available / total;
        }
    }

    void Show(HPDF_Page page, HPDF_Font font, float size, float x, float y,
              const std::string& text) {
        const std::string t = Text(text);
        HPDF_Page_BeginText(page);
        HPDF_Page_SetFontAndSize(page, font, size);
        HPDF_Page_TextOut(page, x, y, t.c_str());
        HPDF_Page_EndText(page);
    }

    // `text` cut (at a character boundary) until it fits `width`, with an ellipsis.
    std::string Fit(HPDF_Font font, const std::string& text, float width) const {
        if (Width(font, kBodySize, text) <= width) return text;
        const std::string ellipsis = utf8_ ? "\xE2\x80\xA6" : "...";
        std::string cut = text;
        while (!cut.empty()) {
            size_t end = cut.size() - 1;
            while (end > 0 && (static_cast<unsigned char>(cut[end]) & 0xC0) == 0x80) --end;
            cut.resize(end);
            if (Width(font, kBodySize, cut + ellipsis) <= width) break;
        }
        return cut + ellipsis;
    }

    void Cell(HPDF_Page page, HPDF_Font font, size_t c, float x, float y, const std::string& text,
              bool right) {
        const float inner = widths_[c] - 2 * kCellPadding;
        const std::string fitted = Fit(font, text, inner);
        const float w = Width(font, kBodySize, fitted);
        Show(page, font, kBodySize, right ? x + widths_[c] - kCellPadding - w : x + kCellPadding, y,
             fitted);
    }

    float DrawTitle(HPDF_Page page, float y) {
        y -= kTitleHeight;
        Show(page, bold_, kTitleSize, kMargin, y + 6, report_.title);
        for (const std::string& line : report_.subtitle) {
            y -= kSubtitleHeight;
            Show(page, regular_, kSubtitleSize, kMargin, y + 3, line);
        }
        return y - kTitleGap;
    }

    float DrawHeader(HPDF_Page page, float y) {
        y -= kHeaderHeight;
        HPDF_Page_SetGrayFill(page, 0.9F);
        HPDF_Page_Rectangle(page, kMargin, y, kPageWidth - 2 * kMargin, kHeaderHeight);
        HPDF_Page_Fill(page);
        HPDF_Page_SetGrayFill(page, 0);
        float x = kMargin;
        for (size_t c = 0; c < report_.columns.size(); ++c) {
            const bool right = report_.columns[c].type != ColumnType::kText &&
                               report_.columns[c].type != ColumnType::kDate;
            Cell(page, bold_, c, x, y + 5, Heading(report_.columns[c]), right);
            x += widths_[c];
        }
        return y;
    }

    float DrawLine(HPDF_Page page, const Line& line, float y) {
        y -= kLineHeight;
        if (line.kind == LineKind::kHeading) {
            Show(page, bold_, kBodySize, kMargin + kCellPadding, y + 3, *line.heading);
            return y;
        }
        const bool bold = line.kind != LineKind::kRow;
        if (bold) {
            HPDF_Page_SetLineWidth(page, 0.5F);
            HPDF_Page_MoveTo(page, kMargin, y + kLineHeight);
            HPDF_Page_LineTo(page, kPageWidth - kMargin, y + kLineHeight);
            HPDF_Page_Stroke(page);
        }
        float x = kMargin;
        for (size_t c = 0; c < report_.columns.size(); ++c) {
            const ColumnType type = report_.columns[c].type;
            const bool right = type != ColumnType::kText && type != ColumnType::kDate;
            Cell(page, bold ? bold_ : regular_, c, x, y + 3, FormatCell((*line.row)[c], type),
                 right);
            x += widths_[c];
        }
        return y;
    }

    void DrawFooter(HPDF_Page page, size_t number, size_t count) {
        const std::string text = "Page " + std::to_string(number) + " of " + std::to_string(count);
        const float w = Width(regular_, kBodySize, text);
        Show(page, regular_, kBodySize, kPageWidth - kMargin - w, kMargin, text);
        Show(page, regular_, kBodySize, kMargin, kMargin, Fit(regular_, report_.title, 500));
    }

    HPDF_Doc pdf_;
    const Report& report_;
    HPDF_Font regular_ = nullptr;
    HPDF_Font bold_ = nullptr;
    bool utf8_ = false;
    std::vector<float> widths_;
};

}  // namespace

int PdfPageCount(const Report& report) {
    return static_cast<int>(Paginate(report, Lines(report).size()).size());
}

Result<std::string> WritePdf(const Report& report, const PdfOptions& options) {
    OMC_TRY(Validate(report));
    ErrorState state;
    HPDF_Doc pdf = HPDF_New(OnError, &state);
    if (pdf == nullptr) return Internal("pdf: cannot start the document");
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, report.title.c_str());
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "OMC ERP");
    PdfDraw(pdf, report, options).Draw();
    std::string bytes;
    if (state.first == HPDF_OK) HPDF_SaveToStream(pdf);
    // Reading the stream to its end reports HPDF_STREAM_EOF through the handler: the state is
    // taken before.
    const ErrorState seen = state;
    if (seen.first == HPDF_OK) {
        HPDF_UINT32 size = HPDF_GetStreamSize(pdf);
        bytes.resize(size);
        HPDF_ReadFromStream(pdf, reinterpret_cast<HPDF_BYTE*>(bytes.data()), &size);
        bytes.resize(size);
    }
    HPDF_Free(pdf);
    if (seen.first != HPDF_OK) {
        return Internal("pdf: libharu error " + std::to_string(seen.first) + " detail " +
                        std::to_string(seen.detail));
    }
    return bytes;
}

}  // namespace omc::report
