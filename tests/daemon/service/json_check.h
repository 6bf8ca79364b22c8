#pragma once
// A strict JSON syntax check (RFC 8259) for the tests: the stats records must parse anywhere,
// and the project has no JSON parser to lean on.
#include <string_view>

namespace extrema::service::testing {

// True when `text` is exactly one JSON value, with optional surrounding whitespace.
bool is_valid_json(std::string_view text);

}  // namespace extrema::service::testing
