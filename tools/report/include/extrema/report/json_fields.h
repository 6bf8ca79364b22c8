#pragma once
// Splits a flat JSON object of numbers (quality::to_json's output) into its keys and the exact
// text of each value, so the page shows every figure character for character as `extrema eval
// --json` prints it, without formatting it a second time.
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace extrema::report {

// {"a": 1.5, "b": null} -> {("a", "1.5"), ("b", "null")}. Throws std::invalid_argument if the text
// is not such an object (nested values and strings are not expected from to_json).
std::vector<std::pair<std::string, std::string>> json_fields(std::string_view json);

// The text of `key`'s value, or an empty string if absent.
std::string json_field(const std::vector<std::pair<std::string, std::string>>& fields,
                       std::string_view key);

}  // namespace extrema::report
