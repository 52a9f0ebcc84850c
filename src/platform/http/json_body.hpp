// Request-body parsing and validation for every handler. Parse() accepts only a JSON object
// (bounded nesting, valid UTF-8); the typed getters then read fields and, instead of failing on
// the first problem, collect a FieldError per bad field; Finish() returns them all at once as
// one kInvalidArgument (400) whose details name each field by its full path
// ("lines[2].quantity_ml"). Nothing here throws.
//
//   OMC_ASSIGN_OR_RETURN(http::JsonBody body, http::JsonBody::Parse(ctx.request().body));
//   body.RejectUnknown({"tank_id", "level_mm", "lines"});
//   const Uuid tank = body.RequiredUuid("tank_id");
//   const int64_t level_mm = body.RequiredInt64("level_mm", 0, kMaxLevelMm);
//   for (http::JsonBody& line : body.RequiredObjectArray("lines", 1, kMaxLines)) {
//       line.RejectUnknown({"quantity_ml"});
//       line.RequiredInt64("quantity_ml", 1, kMaxQuantityMl);
//   }
//   OMC_TRY(body.Finish());  // only now are the values above meaningful
//
// A getter that records an error returns a neutral value (empty, zero, nil); callers must not
// act on values before Finish() succeeded.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "platform/base/error.hpp"
#include "platform/base/id.hpp"
#include "platform/base/result.hpp"

namespace omc::http {

inline constexpr int kJsonMaxDepth = 32;
// More errors than this are dropped: a hostile body must not make the answer huge.
inline constexpr size_t kJsonMaxFieldErrors = 64;

class JsonBody {
  public:
    // kInvalidArgument with field "body" for malformed JSON (the message gives the byte offset),
    // invalid UTF-8, nesting deeper than kJsonMaxDepth, or a top level that is not an object.
    static Result<JsonBody> Parse(std::string_view body);

    // Strings: length counted in Unicode code points. A required string must not be empty.
    std::string RequiredString(std::string_view name, size_t max_len);
    std::optional<std::string> OptionalString(std::string_view name, size_t max_len);

    // Integers: JSON integers only (no "1.5", no 1e3, no "5"), within [min, max].
    int64_t RequiredInt64(std::string_view name, int64_t min = std::numeric_limits<int64_t>::min(),
                          int64_t max = std::numeric_limits<int64_t>::max());
    std::optional<int64_t> OptionalInt64(std::string_view name,
                                         int64_t min = std::numeric_limits<int64_t>::min(),
                                         int64_t max = std::numeric_limits<int64_t>::max());

    bool RequiredBool(std::string_view name);
    std::optional<bool> OptionalBool(std::string_view name);

    // UUIDs in the canonical 8-4-4-4-12 form.
    Uuid RequiredUuid(std::string_view name);
    std::optional<Uuid> OptionalUuid(std::string_view name);

    // A string that must be one of `allowed`.
    std::string RequiredEnum(std::string_view name,
                             std::initializer_list<std::string_view> allowed);
    std::optional<std::string> OptionalEnum(std::string_view name,
                                            std::initializer_list<std::string_view> allowed);

    // A decimal written as a JSON string ("12.345"), returned as an integer at `scale` decimals
    // (ParseScaled in base/money.hpp): "12.34" at scale 4 is 123400. JSON numbers are refused,
    // since they would pass through a double on many clients.
    int64_t RequiredDecimal(std::string_view name, int scale,
                            int64_t min = std::numeric_limits<int64_t>::min(),
                            int64_t max = std::numeric_limits<int64_t>::max());
    std::optional<int64_t> OptionalDecimal(std::string_view name, int scale,
                                           int64_t min = std::numeric_limits<int64_t>::min(),
                                           int64_t max = std::numeric_limits<int64_t>::max());

    // Nested objects: a view whose getters name fields "name.field". A missing or mistyped
    // required object records the error and returns an empty view (its getters then record
    // nothing more).
    JsonBody RequiredObject(std::string_view name);
    std::optional<JsonBody> OptionalObject(std::string_view name);
    // Arrays of objects: one view per element, named "name[i].field".
    std::vector<JsonBody> RequiredObjectArray(std::string_view name, size_t min_items,
                                              size_t max_items);
    std::vector<JsonBody> OptionalObjectArray(std::string_view name, size_t max_items);
    // Arrays of strings and of UUIDs.
    std::vector<std::string> RequiredStringArray(std::string_view name, size_t min_items,
                                                 size_t max_items, size_t max_len);
    std::vector<Uuid> RequiredUuidArray(std::string_view name, size_t min_items, size_t max_items);

    // Records "unknown field" for every key of this object not in `allowed`.
    void RejectUnknown(std::initializer_list<std::string_view> allowed);
    // Whether `name` is present and not null.
    bool Has(std::string_view name) const;
    // Records a handler-level complaint (a rule across fields) on this object's `name`.
    void AddError(std::string_view name, std::string message);
    // The full path of `name` in this view: "lines[2].quantity_ml".
    std::string FieldPath(std::string_view name) const;

    // Ok when no getter recorded an error; kInvalidArgument "invalid request" with every
    // FieldError otherwise. Shared by all views of one body.
    Result<void> Finish() const;
    bool HasErrors() const;
    // The JSON value this view looks at (an object, or null for an empty view).
    const nlohmann::json& raw() const;

  private:
    struct State;
    JsonBody(std::shared_ptr<State> state, const nlohmann::json* node, std::string prefix);

    // The member `name` when present and not null; records nothing.
    const nlohmann::json* Find(std::string_view name) const;
    // Like Find, but records "is required" when absent.
    const nlohmann::json* FindRequired(std::string_view name);
    std::optional<int64_t> ReadInt64(std::string_view name, const nlohmann::json& value,
                                     int64_t min, int64_t max);
    std::optional<std::string> ReadString(std::string_view name, const nlohmann::json& value,
                                          size_t min_len, size_t max_len);
    std::optional<int64_t> ReadDecimal(std::string_view name, const nlohmann::json& value,
                                       int scale, int64_t min, int64_t max);
    std::optional<std::string> ReadEnum(std::string_view name, const nlohmann::json& value,
                                        std::initializer_list<std::string_view> allowed);
    const nlohmann::json* ReadArray(std::string_view name, const nlohmann::json& value,
                                    size_t min_items, size_t max_items);

    std::shared_ptr<State> state_;
    const nlohmann::json* node_;  // into state_->document; null for an empty view
    std::string prefix_;          // "" at the top, "lines[2]." below
};

}  // namespace omc::http
