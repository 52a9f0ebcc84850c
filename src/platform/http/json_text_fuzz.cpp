// libFuzzer target for the answer writer: any bytes, as a string value and (when they parse) as a
// JSON document, must come out of DumpJson exactly as nlohmann's dump with the replace handler
// writes them, and never throw. Run by scripts/fuzz.sh.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "platform/http/json_text.hpp"

namespace {

using Json = nlohmann::json;

void CheckSame(const Json& value) {
    const std::string expected = value.dump(-1, ' ', false, Json::error_handler_t::replace);
    if (omc::http::DumpJson(value) != expected) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    CheckSame(Json(text));
    CheckSame(Json::object({{text, text}}));
    const Json parsed = Json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (!parsed.is_discarded()) CheckSame(parsed);
    return 0;
}
