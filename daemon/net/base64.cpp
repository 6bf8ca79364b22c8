#include "net/base64.h"

#include <openssl/evp.h>

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace extrema::net {
namespace {

bool in_alphabet(char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/';
}

// The EVP functions count in int.
constexpr std::size_t kMaxBytes = std::numeric_limits<int>::max() / 4 * 3;

}  // namespace

std::string base64_encode(std::span<const std::uint8_t> bytes) {
    if (bytes.size() > kMaxBytes) throw std::length_error("base64_encode: input too large");
    std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');  // EVP_EncodeBlock ends it with NUL
    const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), bytes.data(),
                                  static_cast<int>(bytes.size()));
    out.resize(static_cast<std::size_t>(n));
    return out;
}

std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text) {
    while (!text.empty() && text.back() == '=') text.remove_suffix(1);
    // A lone character in the last group holds 6 bits: not even one byte.
    if (text.size() % 4 == 1 || text.size() > kMaxBytes ||
        !std::all_of(text.begin(), text.end(), in_alphabet)) {
        return std::nullopt;
    }
    if (text.empty()) return std::vector<std::uint8_t>{};
    // Completed with 'A' (zero bits) rather than '=', so OpenSSL sees whole groups of the
    // alphabet only; the bytes those zero bits make are cut off below.
    std::string groups(text);
    groups.resize((text.size() + 3) / 4 * 4, 'A');
    std::vector<std::uint8_t> out(groups.size() / 4 * 3);
    const int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(groups.data()),
                                  static_cast<int>(groups.size()));
    if (n < 0) return std::nullopt;
    out.resize(text.size() * 6 / 8);
    return out;
}

}  // namespace extrema::net
