#include "platform/http/json_body.hpp"

#include <string>

#include <gtest/gtest.h>

namespace omc::http {
namespace {

// The field errors of a failed Finish(), as "field: message" lines.
std::vector<std::string> Fields(const Result<void>& r) {
    std::vector<std::string> out;
    if (r.ok()) return out;
    for (const auto& f : r.error().fields()) out.push_back(f.field);
    return out;
}

JsonBody MustParse(std::string_view text) {
    auto body = JsonBody::Parse(text);
    EXPECT_TRUE(body.ok()) << text;
    return std::move(body).value();
}

void ExpectBodyError(std::string_view text, std::string_view message_part) {
    auto body = JsonBody::Parse(text);
    ASSERT_FALSE(body.ok()) << text;
    EXPECT_EQ(body.error().code(), ErrorCode::kInvalidArgument);
    ASSERT_EQ(body.error().fields().size(), 1u);
    EXPECT_EQ(body.error().fields()[0].field, "body");
    EXPECT_NE(body.error().fields()[0].message.find(message_part), std::string::npos)
        << body.error().fields()[0].message;
}

TEST(JsonBody, MalformedJsonNamesTheByteOffset) {
    ExpectBodyError(R"({"a": 1,})", "malformed JSON at byte 9");
    ExpectBodyError("{\"a\": tru}", "malformed JSON at byte");
    ExpectBodyError("", "must be a JSON object");
    ExpectBodyError("{\"a\":1} trailing", "malformed JSON");
}

TEST(JsonBody, DuplicateKeysAreRefused) {
    ExpectBodyError(R"({"amount": 1, "amount": 1000000})", "duplicate key \"amount\"");
    ExpectBodyError(R"({"lines": [{"q": 1, "q": 2}]})", "duplicate key \"q\"");
    // The same key in sibling objects is fine.
    JsonBody ok = MustParse(R"({"a": {"q": 1}, "b": {"q": 2}, "c": [{"q": 3}, {"q": 4}]})");
    EXPECT_TRUE(ok.Finish().ok());
}

TEST(JsonBody, TopLevelMustBeAnObject) {
    ExpectBodyError("[1,2]", "must be a JSON object");
    ExpectBodyError("\"text\"", "must be a JSON object");
    ExpectBodyError("42", "must be a JSON object");
    ExpectBodyError("null", "must be a JSON object");
}

TEST(JsonBody, InvalidUtf8IsRefused) {
    ExpectBodyError("{\"name\": \"\xff\xfe\"}", "malformed JSON");
    ExpectBodyError("{\"name\": \"\xc3\"}", "malformed JSON");
}

TEST(JsonBody, DeepNestingIsRefused) {
    std::string deep;
    for (int i = 0; i < 40; ++i) deep += "{\"a\":";
    deep += "1";
    for (int i = 0; i < 40; ++i) deep += "}";
    ExpectBodyError(deep, "nested deeper than 32");
    // A million brackets: refused before the parser allocates anything.
    ExpectBodyError("{\"a\":" + std::string(1'000'000, '['), "nested deeper than 32");
    // Brackets inside strings do not count.
    JsonBody ok = MustParse("{\"a\": \"" + std::string(100, '[') + "\"}");
    EXPECT_EQ(ok.RequiredString("a", 200), std::string(100, '['));
    EXPECT_TRUE(ok.Finish().ok());
}

TEST(JsonBody, MissingRequiredFieldsAreAllReported) {
    JsonBody body = MustParse("{}");
    body.RequiredString("name", 10);
    body.RequiredInt64("volume_ml", 1, 100);
    body.RequiredUuid("tank_id");
    body.RequiredBool("active");
    auto r = body.Finish();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code(), ErrorCode::kInvalidArgument);
    EXPECT_EQ(r.error().message(), "invalid request");
    EXPECT_EQ(Fields(r), (std::vector<std::string>{"name", "volume_ml", "tank_id", "active"}));
    EXPECT_EQ(r.error().fields()[0].message, "is required");
}

TEST(JsonBody, NullCountsAsMissing) {
    JsonBody body = MustParse(R"({"name": null, "note": null})");
    body.RequiredString("name", 10);
    EXPECT_FALSE(body.OptionalString("note", 10).has_value());
    EXPECT_EQ(Fields(body.Finish()), (std::vector<std::string>{"name"}));
}

TEST(JsonBody, UnknownFieldsAreNamed) {
    JsonBody body = MustParse(R"({"name": "x", "tenant_id": "evil", "extra": 1})");
    body.RejectUnknown({"name"});
    EXPECT_EQ(Fields(body.Finish()), (std::vector<std::string>{"extra", "tenant_id"}));
}

TEST(JsonBody, WrongTypes) {
    JsonBody body = MustParse(
        R"({"name": 5, "count": "5", "flag": "true", "id": 7, "kind": 1, "price": 12.5})");
    body.RequiredString("name", 10);
    body.RequiredInt64("count");
    body.RequiredBool("flag");
    body.RequiredUuid("id");
    body.RequiredEnum("kind", {"a", "b"});
    body.RequiredDecimal("price", 2);
    auto r = body.Finish();
    ASSERT_FALSE(r.ok());
    ASSERT_EQ(r.error().fields().size(), 6u);
    EXPECT_EQ(r.error().fields()[0].message, "must be a string");
    EXPECT_EQ(r.error().fields()[1].message, "must be an integer");
    EXPECT_EQ(r.error().fields()[2].message, "must be true or false");
    EXPECT_EQ(r.error().fields()[4].message, "must be one of: a, b");
    EXPECT_NE(r.error().fields()[5].message.find("decimal string"), std::string::npos);
}

TEST(JsonBody, FloatsWhereIntegersBelong) {
    for (const char* text : {R"({"v": 1.5})", R"({"v": 1.0})", R"({"v": 1e3})", R"({"v": -0.5})"}) {
        JsonBody body = MustParse(text);
        EXPECT_EQ(body.RequiredInt64("v"), 0) << text;
        auto r = body.Finish();
        ASSERT_FALSE(r.ok()) << text;
        EXPECT_EQ(r.error().fields()[0].message, "must be an integer") << text;
    }
}

TEST(JsonBody, HugeIntegersAreRefused) {
    // 1e30 is parsed as a double; 18446744073709551615 as an unsigned; both are out of int64.
    for (const char* text :
         {R"({"v": 1e30})", R"({"v": 18446744073709551615})", R"({"v": 9223372036854775808})",
          R"({"v": -9223372036854775809})", R"({"v": 123456789012345678901234567890})"}) {
        JsonBody body = MustParse(text);
        body.RequiredInt64("v");
        EXPECT_FALSE(body.Finish().ok()) << text;
    }
    JsonBody edges = MustParse(R"({"max": 9223372036854775807, "min": -9223372036854775808})");
    EXPECT_EQ(edges.RequiredInt64("max"), INT64_MAX);
    EXPECT_EQ(edges.RequiredInt64("min"), INT64_MIN);
    EXPECT_TRUE(edges.Finish().ok());
}

TEST(JsonBody, IntegerRanges) {
    JsonBody body = MustParse(R"({"zero": 0, "negative": -5, "ok": 7, "big": 101})");
    body.RequiredInt64("zero", 1, 100);
    body.RequiredInt64("negative", 1, 100);
    EXPECT_EQ(body.RequiredInt64("ok", 1, 100), 7);
    body.RequiredInt64("big", 1, 100);
    EXPECT_FALSE(body.OptionalInt64("absent", 1, 100).has_value());
    auto r = body.Finish();
    EXPECT_EQ(Fields(r), (std::vector<std::string>{"zero", "negative", "big"}));
    EXPECT_EQ(r.error().fields()[0].message, "must be between 1 and 100");
}

TEST(JsonBody, Uuids) {
    JsonBody body = MustParse(R"({"good": "0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B",
        "short": "0190a1b2-c3d4", "braces": "{0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b}",
        "nodash": "0190a1b2c3d47e5f8a9b0c1d2e3f4a5b00000"})");
    EXPECT_EQ(body.RequiredUuid("good").ToString(), "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
    body.RequiredUuid("short");
    body.OptionalUuid("braces");
    body.RequiredUuid("nodash");
    EXPECT_EQ(Fields(body.Finish()), (std::vector<std::string>{"short", "braces", "nodash"}));
}

TEST(JsonBody, StringLengthsInCodePoints) {
    JsonBody body = MustParse(R"({"cedi": "GH₵₵₵", "long": "abcdefghijk", "empty": ""})");
    EXPECT_EQ(body.RequiredString("cedi", 5), "GH₵₵₵");  // 5 code points, 11 bytes
    body.RequiredString("long", 10);
    body.RequiredString("empty", 10);
    EXPECT_EQ(body.OptionalString("empty", 10), std::string());
    auto r = body.Finish();
    EXPECT_EQ(Fields(r), (std::vector<std::string>{"long", "empty"}));
    EXPECT_EQ(r.error().fields()[0].message, "must be at most 10 characters");
    EXPECT_EQ(r.error().fields()[1].message, "must not be empty");
}

TEST(JsonBody, QuotesAndSqlAreJustData) {
    const std::string text =
        R"({"name": "Robert'); DROP TABLE tanks;--", "q": "say \"hi\" \\ \u0000"})";
    JsonBody body = MustParse(text);
    EXPECT_EQ(body.RequiredString("name", 100), "Robert'); DROP TABLE tanks;--");
    EXPECT_EQ(body.RequiredString("q", 100), std::string("say \"hi\" \\ \0", 12));
    EXPECT_TRUE(body.Finish().ok());
}

TEST(JsonBody, Enums) {
    JsonBody body = MustParse(R"({"fuel": "diesel", "bad": "DIESEL"})");
    EXPECT_EQ(body.RequiredEnum("fuel", {"petrol", "diesel", "lpg"}), "diesel");
    body.RequiredEnum("bad", {"petrol", "diesel", "lpg"});
    EXPECT_EQ(body.OptionalEnum("absent", {"x"}), std::nullopt);
    EXPECT_EQ(Fields(body.Finish()), (std::vector<std::string>{"bad"}));
}

TEST(JsonBody, Decimals) {
    JsonBody body = MustParse(
        R"({"price": "12.345", "round": "12.3456", "exp": "1e3", "neg": "-0.5", "big": "99999999999999999999"})");
    EXPECT_EQ(body.RequiredDecimal("price", 4), 123450);
    body.RequiredDecimal("round", 3);
    body.RequiredDecimal("exp", 2);
    body.RequiredDecimal("neg", 2, 0);
    body.RequiredDecimal("big", 2);
    auto r = body.Finish();
    EXPECT_EQ(Fields(r), (std::vector<std::string>{"round", "exp", "neg", "big"}));
}

TEST(JsonBody, NestedPathsInFieldErrors) {
    JsonBody body = MustParse(R"({
        "station": {"name": "Accra 1", "region": 5, "bogus": true},
        "lines": [
            {"quantity_ml": 1000},
            {"quantity_ml": 2000},
            {"quantity_ml": 1.5},
            "not an object"
        ]})");
    JsonBody station = body.RequiredObject("station");
    station.RejectUnknown({"name", "region"});
    EXPECT_EQ(station.RequiredString("name", 50), "Accra 1");
    station.RequiredString("region", 50);
    std::vector<JsonBody> lines = body.RequiredObjectArray("lines", 1, 10);
    ASSERT_EQ(lines.size(), 3u);
    int64_t total = 0;
    for (JsonBody& line : lines) total += line.RequiredInt64("quantity_ml", 1, 1'000'000);
    EXPECT_EQ(total, 3000);
    auto r = body.Finish();
    EXPECT_EQ(Fields(r), (std::vector<std::string>{"station.bogus", "station.region", "lines[3]",
                                                   "lines[2].quantity_ml"}));
}

TEST(JsonBody, MissingNestedObjectReportsOnce) {
    JsonBody body = MustParse(R"({"lines": [], "station": 3})");
    JsonBody missing = body.RequiredObject("address");
    missing.RequiredString("street", 10);  // nothing more: its parent already complained
    body.RequiredObject("station").RequiredString("name", 10);
    body.RequiredObjectArray("lines", 1, 5);
    body.OptionalObjectArray("absent", 5);
    auto r = body.Finish();
    EXPECT_EQ(Fields(r), (std::vector<std::string>{"address", "station", "lines"}));
    EXPECT_EQ(r.error().fields()[2].message, "must have at least 1 item(s)");
}

TEST(JsonBody, ArrayLimits) {
    JsonBody body = MustParse(R"({"tags": ["a", "b", "c"], "ids": ["x"],
        "many": [{}, {}, {}, {}]})");
    body.RequiredStringArray("tags", 1, 2, 10);
    body.RequiredUuidArray("ids", 1, 5);
    body.RequiredObjectArray("many", 0, 3);
    EXPECT_EQ(Fields(body.Finish()), (std::vector<std::string>{"tags", "ids[0]", "many"}));
}

TEST(JsonBody, ErrorCountIsBounded) {
    std::string text = "{";
    for (int i = 0; i < 500; ++i)
        text += (i ? "," : "") + std::string("\"f") + std::to_string(i) + "\":1";
    text += "}";
    JsonBody body = MustParse(text);
    body.RejectUnknown({});
    auto r = body.Finish();
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().fields().size(), kJsonMaxFieldErrors);
}

TEST(JsonBody, HandlerLevelErrorsJoinTheList) {
    JsonBody body = MustParse(R"({"from": 5, "to": 3})");
    const int64_t from = body.RequiredInt64("from");
    const int64_t to = body.RequiredInt64("to");
    if (to < from) body.AddError("to", "must not be before from");
    EXPECT_EQ(Fields(body.Finish()), (std::vector<std::string>{"to"}));
}

}  // namespace
}  // namespace omc::http
