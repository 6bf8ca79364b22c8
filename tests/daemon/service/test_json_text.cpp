// json::rounded and json::one_line: figures rounded, non-finite numbers as null, no -0, key order
// kept, strings that parse back to themselves, and bytes that are not UTF-8 replaced, not thrown.
#include "service/json_text.h"

#include <gtest/gtest.h>

#include <limits>

namespace extrema::json {
namespace {

TEST(JsonText, RoundsFiguresAndWritesNonFiniteAsNull) {
    EXPECT_EQ(one_line(rounded(13.2004, 3)), "13.2");
    EXPECT_EQ(one_line(rounded(0.987654, 5)), "0.98765");
    EXPECT_EQ(one_line(rounded(-2.5e-4, 3)), "0.0");  // not -0.0
    EXPECT_TRUE(rounded(std::numeric_limits<double>::quiet_NaN(), 3).is_null());
    EXPECT_TRUE(rounded(-std::numeric_limits<double>::infinity(), 1).is_null());
}

TEST(JsonText, KeepsKeyOrderOnOneLine) {
    const Object record = {{"name", "link"},
                           {"packets", 18446744073709551615ull},
                           {"kbps", rounded(13.2, 3)},
                           {"flags", {{"ok", true}, {"bad", false}}},
                           {"empty", Object::object()}};
    EXPECT_EQ(one_line(record), R"({"name":"link","packets":18446744073709551615,"kbps":13.2,)"
                                R"("flags":{"ok":true,"bad":false},"empty":{}})");
}

TEST(JsonText, StringsParseBackToThemselves) {
    const std::string odd =
        std::string("a \"quoted\" \\ path, tab\t new\nline \x01\x1f caf\xc3\xa9");
    const std::string text = one_line({{"file", odd}});
    EXPECT_EQ(text.find('\n'), std::string::npos);
    EXPECT_EQ(Object::parse(text).at("file").get<std::string>(), odd);
}

TEST(JsonText, ReplacesBytesThatAreNotUtf8) {
    const std::string text = one_line({{"name", "card \xff\xfe"}});
    EXPECT_EQ(Object::parse(text).at("name").get<std::string>(), "card \xef\xbf\xbd\xef\xbf\xbd");
}

}  // namespace
}  // namespace extrema::json
