#pragma once
// Every config key as a command-line flag (--packet-ms, --peer, --compressor, ...), given on the
// command line to override the config file. The flags come from the key table; their values go
// through the same conversion and checks as values in the file.
#include <CLI/CLI.hpp>

#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "config/config_keys.h"

namespace extrema::config {

// Values given on the command line, as typed, for the keys they set.
class ConfigOverrides {
  public:
    struct Entry {
        const KeySpec* key = nullptr;
        std::string source;              // named in messages: "flag --packet-ms"
        std::vector<std::string> texts;  // as typed; empty = not given
    };

    // Sets `key` ("mode", "network.peer") from text as a user typed it, e.g. from a positional
    // MODE argument; `source` names it in messages ("the MODE argument"). Applied after the
    // flags, so it wins over them. Throws ConfigError for an unknown key.
    void set(std::string_view key, std::string text, std::string source);

    // The keys given, in the order they apply (for the start-up log).
    std::vector<std::string> given_keys() const;
    bool empty() const { return given_keys().empty(); }

    const std::deque<Entry>& entries() const noexcept { return entries_; }

  private:
    friend void add_config_flags(CLI::App& app, ConfigOverrides& overrides);
    // A deque keeps each entry in place as more are added: CLI11 writes into `texts`.
    std::deque<Entry> entries_;
};

// Adds one long option per key to `app`: "--packet-ms 20", "--allow a,b" (or repeated), and for
// booleans "--compressor", "--no-compressor" or "--compressor=false". The values land in
// `overrides`, which must stay in place until app.parse() returns (copies are fine after).
void add_config_flags(CLI::App& app, ConfigOverrides& overrides);

// Applies the given flags over `config`, then validate()s the whole. Throws ConfigError naming
// the flag ("flag --packet-ms: key 'network.packet_ms': 500 is out of range ..."). With a config
// file, prefer load_config(file, overrides): its messages can point at the file's lines too.
void apply_overrides(const ConfigOverrides& overrides, LinkConfig& config);

}  // namespace extrema::config
