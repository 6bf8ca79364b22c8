#pragma once
// Internal: one key's value from its source to its checked SettingValue. A TOML node and a flag's
// text take the same road: the text first becomes the TOML node it spells, then both go through
// convert_node(), so a flag is accepted exactly when the same value in the file would be. The
// check itself is check_value() (setting_text.h), with the words of what the key accepts.
#include <toml++/toml.h>

#include <memory>
#include <string>
#include <vector>

#include "config/config_keys.h"

namespace extrema::config::detail {

// The node as the key's type (integers widen to floats; whole floats narrow to integers), then
// check_value(). Throws std::invalid_argument with the problem, which lists what is accepted.
SettingValue convert_node(const KeySpec& key, const toml::node& node);

// The TOML node a flag's text spells for this key: "96" an integer, "10.5" or "inf" a float,
// "true"/"off" a boolean (boolean keys), each text an element (array keys), else a string. The
// last text wins for single-valued keys.
std::unique_ptr<toml::node> flag_node(const KeySpec& key, const std::vector<std::string>& texts);

// "integer 5", "string \"abc\"", "a table", ... for messages.
std::string describe_node(const toml::node& node);

}  // namespace extrema::config::detail
