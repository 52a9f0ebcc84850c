#include "platform/auth/qr.hpp"

#include <qrencode.h>

#include <algorithm>
#include <memory>
#include <string_view>

#include <gtest/gtest.h>

#include "platform/auth/totp.hpp"

namespace omc::auth {
namespace {

constexpr char kUri[] =
    "otpauth://totp/OMC%20ERP:kofi%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
    "&issuer=OMC%20ERP&algorithm=SHA1&digits=6&period=30";

struct Reference {
    int width = 0;
    int dark_modules = 0;
};

// What libqrencode itself says about `text`, encoded the way QrSvg encodes it.
Reference EncodeDirectly(const std::string& text) {
    std::unique_ptr<QRcode, void (*)(QRcode*)> code(
        QRcode_encodeString(text.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1), QRcode_free);
    EXPECT_NE(code, nullptr);
    if (code == nullptr) return {};
    Reference ref{code->width, 0};
    for (int i = 0; i < code->width * code->width; ++i) ref.dark_modules += code->data[i] & 1;
    return ref;
}

struct Drawn {
    int view_box = -1;
    int dark_modules = 0;
    int min_coordinate = 1 << 30;
    int max_coordinate_end = -1;  // one past the right or bottom edge of any run
};

// Reads an unsigned decimal at `pos`, advancing it; -1 if there is none.
int ReadNumber(const std::string& s, size_t& pos) {
    const size_t start = pos;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') ++pos;
    return pos == start ? -1 : std::stoi(s.substr(start, pos - start));
}

bool Expect(const std::string& s, size_t& pos, std::string_view token) {
    if (s.compare(pos, token.size(), token) != 0) return false;
    pos += token.size();
    return true;
}

// Reads the SVG back: the square viewBox and the "M x y h n v1 h-n z" runs of the path. (By hand:
// libstdc++'s std::regex recurses per character and overflows the stack on a long path.)
Drawn Parse(const std::string& svg) {
    Drawn drawn;
    size_t pos = svg.find("viewBox=\"0 0 ");
    EXPECT_NE(pos, std::string::npos);
    if (pos == std::string::npos) return drawn;
    pos += std::string_view("viewBox=\"0 0 ").size();
    const int box_w = ReadNumber(svg, pos);
    EXPECT_TRUE(Expect(svg, pos, " "));
    const int box_h = ReadNumber(svg, pos);
    EXPECT_EQ(box_w, box_h);
    drawn.view_box = box_w;

    constexpr std::string_view kPathStart = "<path fill=\"#000\" d=\"";
    pos = svg.find(kPathStart);
    EXPECT_NE(pos, std::string::npos);
    if (pos == std::string::npos) return drawn;
    pos += kPathStart.size();
    while (pos < svg.size() && svg[pos] != '"') {
        int x = -1, y = -1, n = -1, back = -1;
        const bool ok = Expect(svg, pos, "M") && (x = ReadNumber(svg, pos)) >= 0 &&
                        Expect(svg, pos, " ") && (y = ReadNumber(svg, pos)) >= 0 &&
                        Expect(svg, pos, "h") && (n = ReadNumber(svg, pos)) > 0 &&
                        Expect(svg, pos, "v1h-") && (back = ReadNumber(svg, pos)) == n &&
                        Expect(svg, pos, "z");
        EXPECT_TRUE(ok) << "the path holds only runs; stopped at " << pos;
        if (!ok) return drawn;
        drawn.dark_modules += n;
        drawn.min_coordinate = std::min({drawn.min_coordinate, x, y});
        drawn.max_coordinate_end = std::max({drawn.max_coordinate_end, x + n, y + 1});
    }
    EXPECT_TRUE(Expect(svg, pos, "\"/></svg>"));
    EXPECT_EQ(pos, svg.size());
    return drawn;
}

TEST(QrTest, SvgIsOneSelfContainedElement) {
    auto svg = QrSvg(kUri);
    ASSERT_TRUE(svg.ok());
    EXPECT_EQ(svg->rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
    EXPECT_TRUE(svg->ends_with("</svg>"));
    EXPECT_NE(svg->find("shape-rendering=\"crispEdges\""), std::string::npos);
    EXPECT_EQ(svg->find('\n'), std::string::npos);
    // Small enough to send inline in a JSON answer.
    EXPECT_LT(svg->size(), 12'000u);
}

TEST(QrTest, MatchesWhatLibqrencodeEncodes) {
    for (const std::string& text :
         {std::string(kUri), std::string("a"), std::string("0123456789"),
          std::string("Ɛyɛ dɛ sɛ wobɛba ɔkyena"), std::string(kMaxQrTextBytes, 'x')}) {
        auto svg = QrSvg(text);
        ASSERT_TRUE(svg.ok()) << text;
        const Reference ref = EncodeDirectly(text);
        const Drawn drawn = Parse(*svg);
        EXPECT_EQ(drawn.view_box, ref.width + 2 * kQrQuietZoneModules) << text;
        EXPECT_EQ(drawn.dark_modules, ref.dark_modules) << text;
        // Everything dark sits inside the quiet zone.
        EXPECT_GE(drawn.min_coordinate, kQrQuietZoneModules);
        EXPECT_LE(drawn.max_coordinate_end, ref.width + kQrQuietZoneModules);
    }
}

TEST(QrTest, EnrolmentUriNeedsAModestSymbol) {
    // About 125 bytes: version 8 at level M holds 152, so 49 modules, 57 with the quiet zone.
    // Small enough for any phone camera to read off a laptop screen.
    const std::string uri = OtpauthUri("OMC ERP", "kofi@example.com", GenerateTotpSecret());
    ASSERT_LT(uri.size(), 152u);
    auto svg = QrSvg(uri);
    ASSERT_TRUE(svg.ok());
    EXPECT_LE(Parse(*svg).view_box, 49 + 2 * kQrQuietZoneModules);
}

TEST(QrTest, SameTextSameSvg) {
    auto a = QrSvg(kUri);
    auto b = QrSvg(kUri);
    auto other = QrSvg(std::string(kUri) + "x");
    ASSERT_TRUE(a.ok() && b.ok() && other.ok());
    EXPECT_EQ(*a, *b);
    EXPECT_NE(*a, *other);
}

TEST(QrTest, RefusesEmptyOversizedAndNulText) {
    for (const std::string& text :
         {std::string(), std::string(kMaxQrTextBytes + 1, 'x'), std::string("abc\0def", 7)}) {
        auto svg = QrSvg(text);
        ASSERT_FALSE(svg.ok()) << text.size();
        EXPECT_EQ(svg.error().code(), ErrorCode::kInvalidArgument);
        ASSERT_EQ(svg.error().fields().size(), 1u);
        EXPECT_EQ(svg.error().fields()[0].field, "text");
    }
}

}  // namespace
}  // namespace omc::auth
