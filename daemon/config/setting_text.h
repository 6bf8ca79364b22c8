#pragma once
// What a key accepts, checked and in words, from its row of the key table: check_value() is the
// one check of a value against the row (range, choices, syntax), and accepted_values() says the
// same rule for docs and for its own messages. Also values as TOML literals (docs, the reload
// diff, messages).
#include <string>

#include "config/config_keys.h"
#include "pipeline/link_rules.h"

namespace extrema::config {

// The shortest text that reads back as the same double: "10", "0.5", "-20", "1e-06".
using pipeline::format_number;

// The value as TOML writes it: true, 96, 10.0, "info", ["a", "b"].
std::string toml_literal(const SettingValue& value);

// The key's value in a default-constructed LinkConfig, as a TOML literal.
std::string default_literal(const KeySpec& key);

// Range, choices and syntax of a value of the key's type. Throws std::invalid_argument naming
// the problem and ending with accepted_values().
void check_value(const KeySpec& key, const SettingValue& value);

// What the key accepts, in words: "an integer from 96 to 127", "a number >= 1 ms or \"inf\"",
// "one of \"send\", \"receive\", \"duplex\"", "\"host:port\"", ...
std::string accepted_values(const KeySpec& key);

// The TOML type's name for docs: "boolean", "integer", "float", "string", "array of strings".
std::string type_name(const KeySpec& key);

}  // namespace extrema::config
