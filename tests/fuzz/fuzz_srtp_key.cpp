// Any text -> parse_srtp_key. It must either throw SrtpKeyError (with a message) or return a key,
// and a key it returns must come back the same when written out again in either encoding.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "net/base64.h"
#include "net/srtp_session.h"

namespace {

using extrema::net::SrtpKey;

std::string to_hex(const SrtpKey& key) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string text;
    for (const std::uint8_t b : key) {
        text += kDigits[b >> 4];
        text += kDigits[b & 15];
    }
    return text;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    SrtpKey key{};
    try {
        key = extrema::net::parse_srtp_key(text, "fuzz");
    } catch (const extrema::net::SrtpKeyError& error) {
        FUZZ_REQUIRE(std::string_view(error.what()).starts_with("fuzz: "));
        return 0;
    }
    FUZZ_REQUIRE(extrema::net::parse_srtp_key(to_hex(key)) == key);
    // A line of hex digits only is read as hex (srtp_session.h): the base64 of some keys is just
    // that (the fuzzer found 0x69a69a...: "aaaa..."), and padding is what tells it apart.
    std::string base64 = extrema::net::base64_encode(key);
    if (base64.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos) base64 += '=';
    FUZZ_REQUIRE(extrema::net::parse_srtp_key("# again\ninline:" + base64 + "\n") == key);
    return 0;
}
