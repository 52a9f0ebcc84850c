#include "platform/http/request.hpp"

#include <array>

namespace omc::http {
namespace {

struct MethodEntry {
    Method method;
    std::string_view name;
};

constexpr std::array<MethodEntry, 7> kMethods = {{
    {Method::kGet, "GET"},
    {Method::kPost, "POST"},
    {Method::kPut, "PUT"},
    {Method::kPatch, "PATCH"},
    {Method::kDelete, "DELETE"},
    {Method::kHead, "HEAD"},
    {Method::kOptions, "OPTIONS"},
}};

char LowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
        if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
    }
    return true;
}

int HexDigit(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// Decodes application/x-www-form-urlencoded text: "%41" -> 'A', '+' -> ' '. A '%' not followed
// by two hex digits is kept as it is (lenient, like most servers), never read past the end.
std::string FormDecode(std::string_view in) {
    std::string out;
    out.reserve(in.size());
    for (size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c == '%' && i + 2 < in.size()) {
            const int hi = HexDigit(in[i + 1]);
            const int lo = HexDigit(in[i + 2]);
            if (hi < 0 || lo < 0) {
                out.push_back(c);
                continue;
            }
            out.push_back(static_cast<char>(hi * 16 + lo));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

}  // namespace

std::string_view MethodName(Method method) {
    for (const auto& entry : kMethods) {
        if (entry.method == method) return entry.name;
    }
    return "GET";
}

std::optional<Method> ParseMethod(std::string_view name) {
    for (const auto& entry : kMethods) {
        if (entry.name == name) return entry.method;
    }
    return std::nullopt;
}

std::optional<std::string_view> Request::Header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (EqualsIgnoreCase(key, name)) return std::string_view(value);
    }
    return std::nullopt;
}

std::optional<std::string> Request::QueryParam(std::string_view name) const {
    std::string_view rest = query;
    while (!rest.empty()) {
        const size_t amp = rest.find('&');
        const std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
        if (pair.empty()) continue;
        const size_t eq = pair.find('=');
        const std::string_view raw_key = pair.substr(0, eq);
        const std::string_view raw_value =
            eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
        if (FormDecode(raw_key) == name) return FormDecode(raw_value);
    }
    return std::nullopt;
}

}  // namespace omc::http
