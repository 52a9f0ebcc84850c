#include "platform/http/json_text.hpp"

#include <array>
#include <charconv>

namespace omc::http {
namespace {

using Json = nlohmann::json;

// What nlohmann writes for `value` with the settings every answer uses.
void AppendWithNlohmann(std::string& out, const Json& value) {
    out += value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

// The bytes a string may carry bare: printable ASCII (0x7F included, as nlohmann leaves it)
// other than '"' and '\\'. Everything else is escaped or starts a multi-byte sequence.
constexpr std::array<bool, 256> kPlain = [] {
    std::array<bool, 256> plain{};
    for (int c = 0x20; c < 0x80; ++c) plain[c] = c != '"' && c != '\\';
    return plain;
}();

bool IsContinuation(unsigned char c) { return c >= 0x80 && c <= 0xBF; }

// The length of the well-formed UTF-8 sequence that starts at text[i] (Unicode 15, table 3-7:
// no overlong forms, no surrogates, nothing above U+10FFFF), or 0 when the bytes there are not
// one. nlohmann's decoder accepts exactly these sequences and copies them unchanged.
size_t Utf8SequenceLength(std::string_view text, size_t i) {
    const auto at = [&](size_t k) {
        return i + k < text.size() ? static_cast<unsigned char>(text[i + k]) : 0;
    };
    const unsigned char lead = at(0);
    if (lead >= 0xC2 && lead <= 0xDF) return IsContinuation(at(1)) ? 2 : 0;
    if (lead >= 0xE0 && lead <= 0xEF) {
        const unsigned char low = lead == 0xE0 ? 0xA0 : 0x80;
        const unsigned char high = lead == 0xED ? 0x9F : 0xBF;
        const bool ok = at(1) >= low && at(1) <= high && IsContinuation(at(2));
        return ok ? 3 : 0;
    }
    if (lead >= 0xF0 && lead <= 0xF4) {
        const unsigned char low = lead == 0xF0 ? 0x90 : 0x80;
        const unsigned char high = lead == 0xF4 ? 0x8F : 0xBF;
        const bool ok =
            at(1) >= low && at(1) <= high && IsContinuation(at(2)) && IsContinuation(at(3));
        return ok ? 4 : 0;
    }
    return 0;
}

// The escape nlohmann writes for an ASCII character that cannot appear bare in a string.
void AppendEscape(std::string& out, unsigned char c) {
    static constexpr char kHex[] = "0123456789abcdef";
    switch (c) {
        case '\b':
            out += "\\b";
            return;
        case '\t':
            out += "\\t";
            return;
        case '\n':
            out += "\\n";
            return;
        case '\f':
            out += "\\f";
            return;
        case '\r':
            out += "\\r";
            return;
        case '"':
            out += "\\\"";
            return;
        case '\\':
            out += "\\\\";
            return;
        default:
            break;
    }
    const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
    out.append(escape, sizeof(escape));
}

template <typename Integer>
void AppendInteger(std::string& out, Integer value) {
    char digits[24];
    const auto [end, ec] = std::to_chars(digits, digits + sizeof(digits), value);
    out.append(digits, static_cast<size_t>(end - digits));
}

}  // namespace

void AppendJsonString(std::string& out, std::string_view text) {
    const size_t start = out.size();
    out.push_back('"');
    size_t copied = 0;  // text[copied, i) is plain and not yet appended
    size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (kPlain[c]) {
            ++i;
            continue;
        }
        if (c >= 0x80) {
            const size_t length = Utf8SequenceLength(text, i);
            if (length == 0) {
                // Broken UTF-8 (data stored by an older version): nlohmann's replacement rules
                // decide how many bytes each U+FFFD stands for, so it writes the whole string.
                out.resize(start);
                AppendWithNlohmann(out, Json(std::string(text)));
                return;
            }
            i += length;
            continue;
        }
        out.append(text.data() + copied, i - copied);
        AppendEscape(out, c);
        copied = ++i;
    }
    out.append(text.data() + copied, text.size() - copied);
    out.push_back('"');
}

void AppendJson(std::string& out, const Json& value) {
    switch (value.type()) {
        case Json::value_t::null:
            out += "null";
            return;
        case Json::value_t::boolean:
            out += *value.get_ptr<const Json::boolean_t*>() ? "true" : "false";
            return;
        case Json::value_t::number_integer:
            AppendInteger(out, *value.get_ptr<const Json::number_integer_t*>());
            return;
        case Json::value_t::number_unsigned:
            AppendInteger(out, *value.get_ptr<const Json::number_unsigned_t*>());
            return;
        case Json::value_t::string:
            AppendJsonString(out, *value.get_ptr<const Json::string_t*>());
            return;
        case Json::value_t::object: {
            const auto& object = *value.get_ptr<const Json::object_t*>();
            out.push_back('{');
            bool first = true;
            for (const auto& [key, member] : object) {
                if (!first) out.push_back(',');
                first = false;
                AppendJsonString(out, key);
                out.push_back(':');
                AppendJson(out, member);
            }
            out.push_back('}');
            return;
        }
        case Json::value_t::array: {
            const auto& array = *value.get_ptr<const Json::array_t*>();
            out.push_back('[');
            for (size_t i = 0; i < array.size(); ++i) {
                if (i > 0) out.push_back(',');
                AppendJson(out, array[i]);
            }
            out.push_back(']');
            return;
        }
        case Json::value_t::number_float:  // shortest round-trip digits: nlohmann's own
        case Json::value_t::binary:
        case Json::value_t::discarded:
            AppendWithNlohmann(out, value);
            return;
    }
    AppendWithNlohmann(out, value);
}

std::string DumpJson(const Json& value) {
    std::string out;
    AppendJson(out, value);
    return out;
}

}  // namespace omc::http
