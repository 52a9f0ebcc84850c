#include "platform/auth/qr.hpp"

#include <qrencode.h>

#include <cerrno>
#include <cstring>
#include <memory>

#include "platform/base/assert.hpp"

namespace omc::auth {
namespace {

struct QrcodeFree {
    void operator()(QRcode* code) const { QRcode_free(code); }
};

// libqrencode marks a dark module with bit 0 of its byte; the other bits say which part of the
// symbol the module belongs to.
constexpr unsigned char kDarkBit = 0x01;

}  // namespace

Result<std::string> QrSvg(std::string_view text) {
    if (text.empty()) return InvalidArgument("text", "must not be empty");
    if (text.size() > kMaxQrTextBytes) {
        return InvalidArgument("text",
                               "must be at most " + std::to_string(kMaxQrTextBytes) + " bytes");
    }
    // libqrencode takes a C string: a NUL inside would silently cut the text short.
    if (text.find('\0') != std::string_view::npos) {
        return InvalidArgument("text", "must not contain NUL");
    }
    const std::string text_c(text);
    errno = 0;
    // Version 0: the smallest that fits. QR_MODE_8 with case sensitivity: bytes as they are, with
    // digit and upper-case runs packed more tightly where that is shorter.
    std::unique_ptr<QRcode, QrcodeFree> code(
        QRcode_encodeString(text_c.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
    if (code == nullptr) {
        return Internal(std::string("QRcode_encodeString failed: ") + std::strerror(errno));
    }
    const int width = code->width;
    ERP_INVARIANT(width >= 21 && width <= 177, "QR symbol width outside versions 1 to 40");
    const int size = width + 2 * kQrQuietZoneModules;
    const std::string size_text = std::to_string(size);

    std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + size_text + " " +
                      size_text + "\" shape-rendering=\"crispEdges\">";
    svg += "<rect width=\"" + size_text + "\" height=\"" + size_text + "\" fill=\"#fff\"/>";
    svg += "<path fill=\"#000\" d=\"";
    // One rectangle per horizontal run of dark modules: about a third of the path a square per
    // module would need.
    const unsigned char* data = code->data;
    for (int y = 0; y < width; ++y) {
        for (int x = 0; x < width;) {
            if ((data[y * width + x] & kDarkBit) == 0) {
                ++x;
                continue;
            }
            int run = 1;
            while (x + run < width && (data[y * width + x + run] & kDarkBit) != 0) ++run;
            svg += "M" + std::to_string(x + kQrQuietZoneModules) + " " +
                   std::to_string(y + kQrQuietZoneModules) + "h" + std::to_string(run) + "v1h-" +
                   std::to_string(run) + "z";
            x += run;
        }
    }
    svg += "\"/></svg>";
    return svg;
}

}  // namespace omc::auth
