#pragma once
// docs/config.md's key reference, generated from the key table so the docs cannot drift from the
// code: one Markdown table per section (key, type, accepted values, unit, default, whether SIGHUP
// applies it, flag, meaning). A unit test holds docs/config.md equal to it.
#include <string>
#include <string_view>

namespace extrema::config {

// The lines around the generated part of docs/config.md.
inline constexpr std::string_view kReferenceBegin =
    "<!-- BEGIN generated key reference (daemon/config/config_keys.cpp; ninja config_docs) -->";
inline constexpr std::string_view kReferenceEnd = "<!-- END generated key reference -->";

std::string render_config_reference_markdown();

// `document` with the text between the markers replaced by the generated reference. Throws
// ConfigError if a marker is missing.
std::string update_config_reference(std::string_view document);

}  // namespace extrema::config
