// base64_encode and base64_decode: the RFC 4648 section 10 test vectors both ways, padding
// optional on input, and everything outside the alphabet refused.
#include "net/base64.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace extrema::net {
namespace {

std::vector<std::uint8_t> bytes_of(const std::string& text) {
    return {text.begin(), text.end()};
}

TEST(Base64, EncodesAndDecodesTheRfcVectors) {
    const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                           {"f", "Zg=="},
                                                           {"fo", "Zm8="},
                                                           {"foo", "Zm9v"},
                                                           {"foob", "Zm9vYg=="},
                                                           {"fooba", "Zm9vYmE="},
                                                           {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, coded] : vectors) {
        EXPECT_EQ(base64_encode(bytes_of(plain)), coded) << plain;
        EXPECT_EQ(base64_decode(coded), bytes_of(plain)) << coded;
    }
    const std::vector<std::uint8_t> all = {0x00, 0xff, 0xfe, 0x80, 0x7f};
    EXPECT_EQ(base64_encode(all), "AP/+gH8=");
    EXPECT_EQ(base64_decode("AP/+gH8="), all);
}

TEST(Base64, ReadsTextWithoutItsPadding) {
    EXPECT_EQ(base64_decode("Zg"), bytes_of("f"));
    EXPECT_EQ(base64_decode("Zm9vYmE"), bytes_of("fooba"));
}

TEST(Base64, RefusesWhatNoEncoderWrites) {
    for (const char* bad : {"Z", "Zm9vY", "Zm 9v", "Zm9v\n", "Zm-v", "Zm_v", "=Zm9", "Zg=a"}) {
        EXPECT_FALSE(base64_decode(bad).has_value()) << bad;
    }
}

}  // namespace
}  // namespace extrema::net
