#pragma once
// Base64 (RFC 4648, standard alphabet, '=' padding) for data: URIs in the report page.
#include <cstdint>
#include <span>
#include <string>

namespace extrema::report {

std::string base64_encode(std::span<const std::uint8_t> bytes);

}  // namespace extrema::report
