#pragma once
// Reading extremad's TOML config (docs/config.md): start from the defaults of LinkConfig, apply
// every key present, then validate() the whole. Every problem throws ConfigError with a message
// of the form "FILE:LINE:COLUMN: key 'section.name': problem" (several problems: one per line);
// unknown sections and keys are errors, never ignored.
#include <filesystem>
#include <string_view>

#include "config/config_keys.h"

namespace extrema::config {

class ConfigOverrides;

// The config in `toml_text`; `origin` names it in messages (usually the file path).
LinkConfig parse_config(std::string_view toml_text, std::string_view origin);

// The config in `file`. A missing, unreadable or oversized file throws ConfigError naming it.
LinkConfig load_config(const std::filesystem::path& file);

// The config in `file` with the command-line flags applied over it, validated once both are in:
// a flag may complete a file (e.g. --peer). Problems point at the line or the flag that set the
// key. Used at start-up and again on SIGHUP, so flags keep beating the file after a reload.
LinkConfig load_config(const std::filesystem::path& file, const ConfigOverrides& overrides);

// Largest config file read, bytes: far above any real one, and /dev/zero cannot hang us.
inline constexpr std::size_t kMaxConfigFileBytes = 1 << 20;

}  // namespace extrema::config
