// JSON text for answers, written straight into a string. Every answer's envelope goes through
// here, and nlohmann's serializer (a UTF-8 state machine per byte, a virtual call per write)
// was the largest single cost of a small read. The output is byte for byte what
//   value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
// returns, so clients, stored idempotent answers and tests see no difference; the rare values
// this writer does not handle itself (floating-point numbers, binary, strings that are not valid
// UTF-8) are handed to nlohmann, which keeps that promise by construction. json_text_test.cpp
// and json_text_fuzz.cpp compare the two.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace omc::http {

// Appends `value` as compact JSON text. Never throws on a string that is not valid UTF-8: the
// bad bytes become U+FFFD, as nlohmann's `replace` error handler does.
void AppendJson(std::string& out, const nlohmann::json& value);

// Appends `text` as a quoted JSON string, escaped as AppendJson escapes a string value.
void AppendJsonString(std::string& out, std::string_view text);

// The whole text of `value`: AppendJson into a fresh string.
std::string DumpJson(const nlohmann::json& value);

}  // namespace omc::http
