#pragma once
// JSON output through nlohmann-json, the same way everywhere (stats records, `extrema ... --json`):
// ordered objects keep keys in the order they were added, so records diff and grep well.
#include <string>

#include <nlohmann/json.hpp>

namespace extrema::json {

using Object = nlohmann::ordered_json;

// `value` rounded to `decimals` digits, so the text carries no false precision and does not
// change with the last bits of a computation. Non-finite values are null (JSON has no NaN or
// infinity); a value that rounds to zero is 0, not -0.
Object rounded(double value, int decimals);

// One line, no newline. Bytes that are not UTF-8 (a file name, a device name) become U+FFFD
// rather than an exception.
std::string one_line(const Object& value);

}  // namespace extrema::json
