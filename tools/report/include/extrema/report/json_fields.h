#pragma once
// One figure of a flat JSON object (quality::to_json's output) as text, written by the same
// serializer as `extrema eval --json` (json::one_line), so the page shows every figure character
// for character as eval prints it.
#include <string>
#include <string_view>

namespace extrema::report {

// {"a":1.5,"b":null}, "a" -> "1.5". An empty string if `json` is empty (a panel without figures)
// or has no `key`. Throws std::invalid_argument if `json` is not a JSON object.
std::string json_field(std::string_view json, std::string_view key);

}  // namespace extrema::report
