// QR codes as SVG, for showing an otpauth:// enrolment URI (totp.hpp) to an authenticator app.
// SVG rather than PNG: text that scales crisply, needs no image library and can be put straight
// into a JSON answer or a page (about 9 KB for an enrolment URI).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "platform/base/result.hpp"

namespace omc::auth {

// The longest text QrSvg encodes. An otpauth URI is under 200 bytes; 1000 bytes still scans
// from a screen at error-correction level M, and it keeps the symbol (and the SVG) bounded.
inline constexpr size_t kMaxQrTextBytes = 1000;
// Light modules around the symbol that scanners need to find its edges (ISO/IEC 18004: 4).
inline constexpr int kQrQuietZoneModules = 4;

// `text` as a QR code (libqrencode, error-correction level M, the smallest version that fits) in
// a self-contained SVG: a white square of (width + 2 * kQrQuietZoneModules) modules with one black
// path of horizontal runs, viewBox in modules, so the caller sizes it with CSS. The same text
// always gives the same SVG. kInvalidArgument (field "text") for empty text, text over
// kMaxQrTextBytes or text containing NUL; kInternal if libqrencode fails.
Result<std::string> QrSvg(std::string_view text);

}  // namespace omc::auth
