#pragma once
// Internal: a parsed TOML document applied to a LinkConfig, key by key through the table. Every
// problem is collected (unknown sections and keys, wrong types, values out of range) and they are
// reported together, in file order, one per line.
#include <toml++/toml.h>

#include <string_view>

#include "config/config_keys.h"
#include "config/key_origins.h"

namespace extrema::config::detail {

// `origin` names the document in messages (the file path). Records where each key was set.
// Throws ConfigError listing every problem; cross-key rules are left to validate_at().
void apply_document(const toml::table& document, std::string_view origin, LinkConfig& config,
                    KeyOrigins& origins);

// The document's text parsed; a syntax error becomes ConfigError("ORIGIN:LINE:COLUMN: ...").
toml::table parse_document(std::string_view text, std::string_view origin);

}  // namespace extrema::config::detail
