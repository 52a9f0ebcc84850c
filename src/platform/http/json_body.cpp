#include "platform/http/json_body.hpp"

#include <algorithm>
#include <unordered_set>

#include <fmt/format.h>

#include "platform/base/assert.hpp"
#include "platform/base/money.hpp"

namespace omc::http {
namespace {

using Json = nlohmann::json;

const Json& NullJson() {
    static const Json kNull;
    return kNull;
}

Error BodyError(std::string message) {
    return Error(ErrorCode::kInvalidArgument, "invalid request", {{"body", std::move(message)}});
}

// Finds the first byte where [ and { nest deeper than `max_depth`, outside strings. Runs before
// the parser so a hostile body is refused before anything is allocated for it.
std::optional<size_t> FindTooDeep(std::string_view body, int max_depth) {
    int depth = 0;
    bool in_string = false;
    for (size_t i = 0; i < body.size(); ++i) {
        const char c = body[i];
        if (in_string) {
            if (c == '\\') {
                ++i;
            } else if (c == '"') {
                in_string = false;
            }
            continue;
        }
        if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > max_depth) return i;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return std::nullopt;
}

// Builds the document through nlohmann's own DOM builder while refusing duplicate keys: with
// duplicates, what one reader (a proxy, an audit log) sees as the value is not what we would use.
class StrictSax {
  public:
    explicit StrictSax(Json& root) : dom_(root, false) {}

    bool null() { return dom_.null(); }
    bool boolean(bool v) { return dom_.boolean(v); }
    bool number_integer(Json::number_integer_t v) { return dom_.number_integer(v); }
    bool number_unsigned(Json::number_unsigned_t v) { return dom_.number_unsigned(v); }
    bool number_float(Json::number_float_t v, const std::string& s) {
        return dom_.number_float(v, s);
    }
    bool string(std::string& v) { return dom_.string(v); }
    bool binary(Json::binary_t& v) { return dom_.binary(v); }
    bool start_object(size_t n) {
        keys_.emplace_back();
        return dom_.start_object(n);
    }
    bool key(std::string& k) {
        if (!keys_.back().insert(k).second) {
            duplicate_ = k;
            return false;
        }
        return dom_.key(k);
    }
    bool end_object() {
        keys_.pop_back();
        return dom_.end_object();
    }
    bool start_array(size_t n) { return dom_.start_array(n); }
    bool end_array() { return dom_.end_array(); }
    bool parse_error(size_t position, const std::string&, const nlohmann::detail::exception& e) {
        error_at_ = position;
        error_detail_ = e.what();
        return false;
    }

    const std::optional<std::string>& duplicate() const { return duplicate_; }
    std::optional<size_t> error_at() const { return error_at_; }
    const std::string& error_detail() const { return error_detail_; }

  private:
    nlohmann::detail::json_sax_dom_parser<Json> dom_;
    std::vector<std::unordered_set<std::string>> keys_;
    std::optional<std::string> duplicate_;
    std::optional<size_t> error_at_;
    std::string error_detail_;
};

size_t CodePoints(std::string_view text) {
    return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
        return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    }));
}

std::string JoinAllowed(std::initializer_list<std::string_view> allowed) {
    std::string out;
    for (std::string_view a : allowed) {
        if (!out.empty()) out += ", ";
        out += a;
    }
    return out;
}

std::string RangeMessage(int64_t min, int64_t max) {
    constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
    constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
    if (min == kMin && max == kMax) return "must be a 64-bit integer";
    if (max == kMax) return fmt::format("must be at least {}", min);
    if (min == kMin) return fmt::format("must be at most {}", max);
    return fmt::format("must be between {} and {}", min, max);
}

}  // namespace

struct JsonBody::State {
    Json document;
    std::vector<FieldError> errors;
    bool truncated = false;

    void Add(std::string field, std::string message) {
        if (errors.size() >= kJsonMaxFieldErrors) {
            truncated = true;
            return;
        }
        errors.push_back({std::move(field), std::move(message)});
    }
};

JsonBody::JsonBody(std::shared_ptr<State> state, const Json* node, std::string prefix)
    : state_(std::move(state)), node_(node), prefix_(std::move(prefix)) {}

Result<JsonBody> JsonBody::Parse(std::string_view body) {
    if (body.empty()) return BodyError("must be a JSON object");
    if (auto at = FindTooDeep(body, kJsonMaxDepth)) {
        return BodyError(
            fmt::format("nested deeper than {} levels at byte {}", kJsonMaxDepth, *at));
    }
    auto state = std::make_shared<State>();
    try {
        StrictSax sax(state->document);
        const bool ok = Json::sax_parse(body.begin(), body.end(), &sax);
        if (sax.duplicate()) {
            // The key came out of the parser, so it is valid UTF-8 and safe to echo.
            return BodyError(fmt::format("duplicate key \"{}\"", sax.duplicate()->substr(0, 64)));
        }
        if (!ok || sax.error_at()) {
            return BodyError(fmt::format("malformed JSON at byte {}", sax.error_at().value_or(0)))
                .WithDetail(sax.error_detail());
        }
    } catch (const std::exception& e) {
        return BodyError("malformed JSON").WithDetail(e.what());
    }
    if (!state->document.is_object()) return BodyError("must be a JSON object");
    const Json* root = &state->document;
    return JsonBody(std::move(state), root, "");
}

std::string JsonBody::FieldPath(std::string_view name) const {
    std::string path = prefix_;
    path += name;
    return path;
}

void JsonBody::AddError(std::string_view name, std::string message) {
    state_->Add(FieldPath(name), std::move(message));
}

bool JsonBody::HasErrors() const { return !state_->errors.empty() || state_->truncated; }

Result<void> JsonBody::Finish() const {
    if (!HasErrors()) return Ok();
    return Error(ErrorCode::kInvalidArgument, "invalid request", state_->errors);
}

const Json& JsonBody::raw() const { return node_ != nullptr ? *node_ : NullJson(); }

const Json* JsonBody::Find(std::string_view name) const {
    if (node_ == nullptr || !node_->is_object()) return nullptr;
    auto it = node_->find(name);
    if (it == node_->end() || it->is_null()) return nullptr;
    return &*it;
}

const Json* JsonBody::FindRequired(std::string_view name) {
    if (node_ == nullptr) return nullptr;  // an empty view: its parent already complained
    const Json* value = Find(name);
    if (value == nullptr) AddError(name, "is required");
    return value;
}

bool JsonBody::Has(std::string_view name) const { return Find(name) != nullptr; }

void JsonBody::RejectUnknown(std::initializer_list<std::string_view> allowed) {
    if (node_ == nullptr || !node_->is_object()) return;
    for (const auto& item : node_->items()) {
        const std::string& key = item.key();
        if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
            AddError(key, "unknown field");
        }
    }
}

// ---- scalars ----

std::optional<int64_t> JsonBody::ReadInt64(std::string_view name, const Json& value, int64_t min,
                                           int64_t max) {
    ERP_ASSERT(min <= max, "integer range is not empty");
    int64_t v = 0;
    if (value.is_number_integer() && !value.is_number_unsigned()) {
        v = value.get<int64_t>();
    } else if (value.is_number_unsigned()) {
        const uint64_t u = value.get<uint64_t>();
        if (u > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
            AddError(name, RangeMessage(min, max));
            return std::nullopt;
        }
        v = static_cast<int64_t>(u);
    } else {
        // Floats (1.5, 1e3, and integers too large for 64 bits, which the parser stores as
        // doubles), strings, booleans, arrays, objects.
        AddError(name, "must be an integer");
        return std::nullopt;
    }
    if (v < min || v > max) {
        AddError(name, RangeMessage(min, max));
        return std::nullopt;
    }
    return v;
}

std::optional<std::string> JsonBody::ReadString(std::string_view name, const Json& value,
                                                size_t min_len, size_t max_len) {
    if (!value.is_string()) {
        AddError(name, "must be a string");
        return std::nullopt;
    }
    const std::string& s = value.get_ref<const std::string&>();
    const size_t len = CodePoints(s);
    if (len < min_len) {
        AddError(name, "must not be empty");
        return std::nullopt;
    }
    if (len > max_len) {
        AddError(name, fmt::format("must be at most {} characters", max_len));
        return std::nullopt;
    }
    return s;
}

std::optional<int64_t> JsonBody::ReadDecimal(std::string_view name, const Json& value, int scale,
                                             int64_t min, int64_t max) {
    if (!value.is_string()) {
        AddError(name, "must be a decimal string such as \"12.5\"");
        return std::nullopt;
    }
    Result<int64_t> parsed = ParseScaled(value.get_ref<const std::string&>(), scale);
    if (!parsed.ok()) {
        const auto& fields = parsed.error().fields();
        const std::string why = fields.empty() ? parsed.error().message() : fields[0].message;
        AddError(name,
                 fmt::format("must be a decimal with at most {} decimal places ({})", scale, why));
        return std::nullopt;
    }
    if (*parsed < min || *parsed > max) {
        AddError(name, fmt::format("must be between {} and {}", FormatScaled(min, scale),
                                   FormatScaled(max, scale)));
        return std::nullopt;
    }
    return *parsed;
}

std::optional<std::string> JsonBody::ReadEnum(std::string_view name, const Json& value,
                                              std::initializer_list<std::string_view> allowed) {
    if (value.is_string()) {
        const std::string& s = value.get_ref<const std::string&>();
        if (std::find(allowed.begin(), allowed.end(), s) != allowed.end()) return s;
    }
    AddError(name, "must be one of: " + JoinAllowed(allowed));
    return std::nullopt;
}

std::string JsonBody::RequiredString(std::string_view name, size_t max_len) {
    const Json* value = FindRequired(name);
    if (value == nullptr) return {};
    return ReadString(name, *value, 1, max_len).value_or(std::string());
}

std::optional<std::string> JsonBody::OptionalString(std::string_view name, size_t max_len) {
    const Json* value = Find(name);
    if (value == nullptr) return std::nullopt;
    return ReadString(name, *value, 0, max_len);
}

int64_t JsonBody::RequiredInt64(std::string_view name, int64_t min, int64_t max) {
    const Json* value = FindRequired(name);
    if (value == nullptr) return 0;
    return ReadInt64(name, *value, min, max).value_or(0);
}

std::optional<int64_t> JsonBody::OptionalInt64(std::string_view name, int64_t min, int64_t max) {
    const Json* value = Find(name);
    if (value == nullptr) return std::nullopt;
    return ReadInt64(name, *value, min, max);
}

bool JsonBody::RequiredBool(std::string_view name) {
    const Json* value = FindRequired(name);
    if (value == nullptr) return false;
    return OptionalBool(name).value_or(false);
}

std::optional<bool> JsonBody::OptionalBool(std::string_view name) {
    const Json* value = Find(name);
    if (value == nullptr) return std::nullopt;
    if (!value->is_boolean()) {
        AddError(name, "must be true or false");
        return std::nullopt;
    }
    return value->get<bool>();
}

Uuid JsonBody::RequiredUuid(std::string_view name) {
    if (FindRequired(name) == nullptr) return Uuid();
    return OptionalUuid(name).value_or(Uuid());
}

std::optional<Uuid> JsonBody::OptionalUuid(std::string_view name) {
    const Json* value = Find(name);
    if (value == nullptr) return std::nullopt;
    std::optional<Uuid> id;
    if (value->is_string()) id = Uuid::Parse(value->get_ref<const std::string&>());
    if (!id) AddError(name, "must be a UUID (8-4-4-4-12 hex digits)");
    return id;
}

std::string JsonBody::RequiredEnum(std::string_view name,
                                   std::initializer_list<std::string_view> allowed) {
    const Json* value = FindRequired(name);
    if (value == nullptr) return {};
    return ReadEnum(name, *value, allowed).value_or(std::string());
}

std::optional<std::string> JsonBody::OptionalEnum(std::string_view name,
                                                  std::initializer_list<std::string_view> allowed) {
    const Json* value = Find(name);
    if (value == nullptr) return std::nullopt;
    return ReadEnum(name, *value, allowed);
}

int64_t JsonBody::RequiredDecimal(std::string_view name, int scale, int64_t min, int64_t max) {
    const Json* value = FindRequired(name);
    if (value == nullptr) return 0;
    return ReadDecimal(name, *value, scale, min, max).value_or(0);
}

std::optional<int64_t> JsonBody::OptionalDecimal(std::string_view name, int scale, int64_t min,
                                                 int64_t max) {
    const Json* value = Find(name);
    if (value == nullptr) return std::nullopt;
    return ReadDecimal(name, *value, scale, min, max);
}

// ---- nested values ----

JsonBody JsonBody::RequiredObject(std::string_view name) {
    const Json* value = FindRequired(name);
    if (value == nullptr) return JsonBody(state_, nullptr, FieldPath(name) + ".");
    if (!value->is_object()) {
        AddError(name, "must be an object");
        return JsonBody(state_, nullptr, FieldPath(name) + ".");
    }
    return JsonBody(state_, value, FieldPath(name) + ".");
}

std::optional<JsonBody> JsonBody::OptionalObject(std::string_view name) {
    const Json* value = Find(name);
    if (value == nullptr) return std::nullopt;
    if (!value->is_object()) {
        AddError(name, "must be an object");
        return std::nullopt;
    }
    return JsonBody(state_, value, FieldPath(name) + ".");
}

const Json* JsonBody::ReadArray(std::string_view name, const Json& value, size_t min_items,
                                size_t max_items) {
    if (!value.is_array()) {
        AddError(name, "must be an array");
        return nullptr;
    }
    if (value.size() < min_items) {
        AddError(name, fmt::format("must have at least {} item(s)", min_items));
        return nullptr;
    }
    if (value.size() > max_items) {
        AddError(name, fmt::format("must have at most {} items", max_items));
        return nullptr;
    }
    return &value;
}

std::vector<JsonBody> JsonBody::RequiredObjectArray(std::string_view name, size_t min_items,
                                                    size_t max_items) {
    const Json* value = FindRequired(name);
    if (value == nullptr) return {};
    const Json* array = ReadArray(name, *value, min_items, max_items);
    if (array == nullptr) return {};
    std::vector<JsonBody> out;
    out.reserve(array->size());
    for (size_t i = 0; i < array->size(); ++i) {
        const std::string element = fmt::format("{}[{}]", name, i);
        const Json& item = (*array)[i];
        if (!item.is_object()) {
            AddError(element, "must be an object");
            continue;
        }
        out.push_back(JsonBody(state_, &item, FieldPath(element) + "."));
    }
    return out;
}

std::vector<JsonBody> JsonBody::OptionalObjectArray(std::string_view name, size_t max_items) {
    if (Find(name) == nullptr) return {};
    return RequiredObjectArray(name, 0, max_items);
}

std::vector<std::string> JsonBody::RequiredStringArray(std::string_view name, size_t min_items,
                                                       size_t max_items, size_t max_len) {
    const Json* value = FindRequired(name);
    if (value == nullptr) return {};
    const Json* array = ReadArray(name, *value, min_items, max_items);
    if (array == nullptr) return {};
    std::vector<std::string> out;
    out.reserve(array->size());
    for (size_t i = 0; i < array->size(); ++i) {
        auto s = ReadString(fmt::format("{}[{}]", name, i), (*array)[i], 1, max_len);
        if (s) out.push_back(std::move(*s));
    }
    return out;
}

std::vector<Uuid> JsonBody::RequiredUuidArray(std::string_view name, size_t min_items,
                                              size_t max_items) {
    const Json* value = FindRequired(name);
    if (value == nullptr) return {};
    const Json* array = ReadArray(name, *value, min_items, max_items);
    if (array == nullptr) return {};
    std::vector<Uuid> out;
    out.reserve(array->size());
    for (size_t i = 0; i < array->size(); ++i) {
        const Json& item = (*array)[i];
        std::optional<Uuid> id;
        if (item.is_string()) id = Uuid::Parse(item.get_ref<const std::string&>());
        if (!id) {
            AddError(fmt::format("{}[{}]", name, i), "must be a UUID (8-4-4-4-12 hex digits)");
            continue;
        }
        out.push_back(*id);
    }
    return out;
}

}  // namespace omc::http
