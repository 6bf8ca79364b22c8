#pragma once
// Base64 (RFC 4648 section 4: standard alphabet, '=' padding) through OpenSSL's EVP block
// functions, for every place that needs it: SRTP key files and the report's data: URIs.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace extrema::net {

// Padded to a multiple of 4 characters.
std::string base64_encode(std::span<const std::uint8_t> bytes);

// The bytes `text` encodes, with or without its '=' padding (keys are often written without it);
// nullopt when it holds anything but the alphabet before the padding, or a length no encoder
// writes.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

}  // namespace extrema::net
