#include "platform/http/json_text.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <random>
#include <string>
#include <vector>

#include "platform/http/error_to_http.hpp"
#include "platform/http/router.hpp"

namespace omc::http {
namespace {

using Json = nlohmann::json;

// The text every answer used to be written with; DumpJson must match it byte for byte.
std::string Reference(const Json& value) {
    return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

TEST(JsonTextTest, ScalarsMatchNlohmann) {
    const std::vector<Json> values = {
        Json(nullptr),
        Json(true),
        Json(false),
        Json(0),
        Json(-1),
        Json(std::numeric_limits<int64_t>::min()),
        Json(std::numeric_limits<int64_t>::max()),
        Json(std::numeric_limits<uint64_t>::max()),
        Json(0.0),
        Json(-0.0),
        Json(0.1),
        Json(1.0),
        Json(1e300),
        Json(std::numeric_limits<double>::quiet_NaN()),
        Json(std::numeric_limits<double>::infinity()),
        Json(""),
        Json("plain"),
        Json::binary({1, 2, 3}),
    };
    for (const Json& value : values)
        EXPECT_EQ(DumpJson(value), Reference(value)) << Reference(value);
}

TEST(JsonTextTest, EveryAsciiCharacterEscapesLikeNlohmann) {
    for (int c = 0; c < 128; ++c) {
        const std::string text = std::string("a") + static_cast<char>(c) + "b";
        EXPECT_EQ(DumpJson(Json(text)), Reference(Json(text))) << c;
    }
}

TEST(JsonTextTest, Utf8ValidAndBrokenMatchNlohmann) {
    const std::vector<std::string> texts = {
        "Accra \xE2\x82\xB5 100",        // cedi sign, 3 bytes
        "caf\xC3\xA9",                   // 2 bytes
        "\xF0\x9F\x9A\x97 fuel",         // 4 bytes
        "\xEF\xBF\xBF\xF4\x8F\xBF\xBF",  // U+FFFF and U+10FFFF
        "\x80",                          // lone continuation byte
        "\xC0\x80",                      // overlong NUL
        "\xC1\xBF",                      // overlong
        "\xE0\x80\xAF",                  // overlong 3-byte
        "\xED\xA0\x80",                  // surrogate half
        "\xF0\x80\x80\x80",              // overlong 4-byte
        "\xF4\x90\x80\x80",              // above U+10FFFF
        "\xF5\x80\x80\x80",              // invalid lead
        "ok \xE2\x82",                   // truncated at the end
        "\xE2\x82 then text \" and \\",  // truncated in the middle, then escapes
        "\xFF\xFE",                      // never valid
        std::string("nul\0inside", 10),  // an escaped NUL
    };
    for (const std::string& text : texts) {
        EXPECT_EQ(DumpJson(Json(text)), Reference(Json(text))) << Reference(Json(text));
    }
}

TEST(JsonTextTest, ContainersMatchNlohmann) {
    const Json nested = {
        {"b", Json::array()},
        {"a", Json::object()},
        {"z\"key", {1, 2.5, "x", nullptr, true, Json::array({Json::object({{"k", "v"}})})}},
        {"caf\xC3\xA9", {{"inner", "\x01"}}},
        {"", -7},
    };
    EXPECT_EQ(DumpJson(nested), Reference(nested));
    EXPECT_EQ(DumpJson(Json::array()), "[]");
    EXPECT_EQ(DumpJson(Json::object()), "{}");
}

// Random strings biased towards the bytes that matter (controls, quotes, backslashes, UTF-8 lead
// and continuation bytes), as object keys and values, compared with nlohmann's text.
TEST(JsonTextTest, RandomStringsMatchNlohmann) {
    std::mt19937 random(20261121);
    const std::string interesting = std::string("\x00\x01\x1F\x7F\"\\/ aZ", 11) +
                                    "\x80\xBF\xC2\xDF\xE0\xED\xEF\xF0\xF4\xF5\xFF\xA0\x9F\x90\x8F";
    std::uniform_int_distribution<size_t> length(0, 12);
    std::uniform_int_distribution<size_t> pick(0, interesting.size() - 1);
    std::uniform_int_distribution<int> any_byte(0, 255);
    std::bernoulli_distribution use_interesting(0.7);
    for (int round = 0; round < 20000; ++round) {
        std::string text;
        const size_t n = length(random);
        for (size_t i = 0; i < n; ++i) {
            text.push_back(use_interesting(random) ? interesting[pick(random)]
                                                   : static_cast<char>(any_byte(random)));
        }
        const Json value = {{text, text}, {"list", {text, 1}}};
        ASSERT_EQ(DumpJson(value), Reference(value)) << round;
    }
}

TEST(JsonTextTest, AppendJsonStringQuotesAndEscapes) {
    std::string out = "x=";
    AppendJsonString(out, "say \"hi\"\n");
    EXPECT_EQ(out, R"(x="say \"hi\"\n")");
}

// The envelopes are written as text; they must read as the documented JSON, with the metadata
// members in the order clients have always seen.
TEST(JsonTextTest, EnvelopesKeepTheirShape) {
    const Json data = {{"id", "e1"}, {"n", 3}};
    const TimestampUs now = 1'763'737'445'123'456;
    EXPECT_EQ(SuccessEnvelope(data, "req-1", now, std::nullopt),
              R"({"success":true,"data":{"id":"e1","n":3},"metadata":{"timestamp":")"
              R"(2025-11-21T15:04:05.123Z","request_id":"req-1"}})");
    EXPECT_EQ(PaginatedEnvelope(Json::array({data}), "req-2", now, std::string("42")),
              R"({"success":true,"data":[{"id":"e1","n":3}],"metadata":{"pagination":)"
              R"({"next_cursor":"42"},"request_id":"req-2","timestamp":)"
              R"("2025-11-21T15:04:05.123Z"}})");
    EXPECT_EQ(PaginatedEnvelope(Json::array(), "req-3", now, std::nullopt),
              R"({"success":true,"data":[],"metadata":{"pagination":{"next_cursor":null},)"
              R"("request_id":"req-3","timestamp":"2025-11-21T15:04:05.123Z"}})");
}

}  // namespace
}  // namespace omc::http
