// libFuzzer target for the request-body layer: any bytes go through JsonBody::Parse and a
// representative set of getters, nested views and Finish(). It must never throw or crash, and
// a failed Parse or Finish is always a kInvalidArgument with at least one field. Run by
// scripts/fuzz.sh.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "platform/http/json_body.hpp"

namespace {

void Check(bool ok) {
    if (!ok) std::abort();
}

void ReadLine(omc::http::JsonBody& line) {
    line.RejectUnknown({"quantity_ml", "product", "price"});
    line.RequiredInt64("quantity_ml", 1, 1'000'000'000);
    line.RequiredEnum("product", {"petrol", "diesel", "lpg"});
    line.OptionalDecimal("price", 4, 0);
}

void Exercise(omc::http::JsonBody& body) {
    body.RejectUnknown({"name", "count", "flag", "id", "kind", "price", "station", "lines", "tags",
                        "ids", "note"});
    body.RequiredString("name", 64);
    body.OptionalString("note", 8);
    body.RequiredInt64("count", -5, 5);
    body.OptionalInt64("count");
    body.RequiredBool("flag");
    body.RequiredUuid("id");
    body.OptionalEnum("kind", {"a", "b"});
    body.RequiredDecimal("price", 2);
    omc::http::JsonBody station = body.RequiredObject("station");
    station.RequiredString("name", 10);
    if (auto nested = station.OptionalObject("address")) nested->OptionalString("street", 20);
    for (omc::http::JsonBody& line : body.RequiredObjectArray("lines", 0, 50)) ReadLine(line);
    body.RequiredStringArray("tags", 0, 10, 10);
    body.RequiredUuidArray("ids", 0, 10);
    body.AddError("custom", "rule");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    try {
        auto parsed = omc::http::JsonBody::Parse(text);
        if (!parsed.ok()) {
            Check(parsed.error().code() == omc::ErrorCode::kInvalidArgument);
            Check(!parsed.error().fields().empty());
            return 0;
        }
        omc::http::JsonBody body = std::move(parsed).value();
        Exercise(body);
        auto finished = body.Finish();
        Check(!finished.ok());  // AddError above always records one
        Check(finished.error().fields().size() <= omc::http::kJsonMaxFieldErrors);
    } catch (...) {
        std::abort();  // the layer promises never to throw
    }
    return 0;
}
