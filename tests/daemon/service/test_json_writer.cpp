// JsonObject and json_string: key order kept, strings escaped, non-finite numbers as null, and
// the result valid JSON (checked by an independent strict syntax check).
#include "service/json_writer.h"

#include <gtest/gtest.h>

#include <limits>

#include "json_check.h"

namespace extrema::service {
namespace {

using testing::is_valid_json;

TEST(JsonWriter, EscapesStrings) {
    EXPECT_EQ(json_string("plain"), R"("plain")");
    EXPECT_EQ(json_string(R"(a "quoted" \ path)"), R"("a \"quoted\" \\ path")");
    EXPECT_EQ(json_string("tab\tnew\nline\r"), R"("tab\tnew\nline\r")");
    EXPECT_EQ(json_string(std::string_view("\x01\x1f", 2)), R"("\u0001\u001f")");
    EXPECT_EQ(json_string("caf\xc3\xa9"), "\"caf\xc3\xa9\"");  // UTF-8 passes through
    EXPECT_TRUE(is_valid_json(json_string("all \x01 the \" odd \\ bits\n")));
}

TEST(JsonWriter, BuildsAnObjectInOrder) {
    JsonObject inner;
    inner.add_bool("ok", true).add_bool("bad", false);
    JsonObject outer;
    outer.add_string("name", "link \"a\"")
        .add_uint("packets", 18446744073709551615ull)
        .add_number("kbps", 13.2, 3)
        .add_number("drift", -0.0004, 3)
        .add_object("flags", inner)
        .add_object("empty", JsonObject{});
    EXPECT_EQ(outer.str(), R"({"name":"link \"a\"","packets":18446744073709551615,"kbps":13.200,)"
                           R"("drift":0.000,"flags":{"ok":true,"bad":false},"empty":{}})");
    EXPECT_TRUE(is_valid_json(outer.str()));
}

TEST(JsonWriter, WritesNonFiniteNumbersAsNull) {
    JsonObject object;
    object.add_number("nan", std::numeric_limits<double>::quiet_NaN(), 3)
        .add_number("inf", std::numeric_limits<double>::infinity(), 1);
    EXPECT_EQ(object.str(), R"({"nan":null,"inf":null})");
    EXPECT_TRUE(is_valid_json(object.str()));
}

TEST(JsonCheck, RejectsWhatIsNotJson) {
    for (const char* bad : {"", "{", "{\"a\":}", "{\"a\":1,}", "{a:1}", "[1 2]", "01", "1.", "nan",
                            "\"\t\"", "\"\\x\"", "{} {}", "-", "1e"}) {
        EXPECT_FALSE(is_valid_json(bad)) << bad;
    }
    for (const char* good : {"{}", "[]", "0", "-1.5e+3", " {\"a\":[1,true,null,\"\\u00e9\"]} "}) {
        EXPECT_TRUE(is_valid_json(good)) << good;
    }
}

}  // namespace
}  // namespace extrema::service
