#pragma once
// Internal: where each key's value came from ("extremad.toml:12:1", "flag --peer"), so that a
// problem found later (validate()) points at the line or flag that set one of its keys.
#include <functional>
#include <map>
#include <string>

#include "config/config_keys.h"

namespace extrema::config {
class ConfigOverrides;
}

namespace extrema::config::detail {

struct KeyOrigins {
    // Where keys that kept their default are "from": the file name, or "" without a file.
    std::string fallback;
    std::map<std::string, std::string, std::less<>> by_key;
};

// validate(config); a ConfigError it throws is rethrown as "WHERE: key 'KEY': problem", WHERE
// being the origin of the first involved key that has one.
void validate_at(const LinkConfig& config, const KeyOrigins& origins);

// Applies the values given on the command line (no cross-key validation) and records their
// flags as origins. Throws ConfigError listing every bad flag.
void apply_flags(const ConfigOverrides& overrides, LinkConfig& config, KeyOrigins& origins);

}  // namespace extrema::config::detail
