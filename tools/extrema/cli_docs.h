#pragma once
// Documents rendered from the parsers themselves (extrema's CLI::App, extremad's CLI::App and the
// config key table), so the README synopsis, the man pages and the completions cannot drift
// from --help and docs/config.md. cli_docs_main.cpp writes them; tests hold README to them.
#include <CLI/CLI.hpp>
#include <string>
#include <string_view>

namespace extrema::cli {

// The README's synopsis block sits between these lines.
inline constexpr std::string_view kSynopsisBegin =
    "<!-- BEGIN generated synopsis (extrema_docs readme README.md) -->";
inline constexpr std::string_view kSynopsisEnd = "<!-- END generated synopsis -->";

// One line per command, as a fenced code block.
std::string render_synopsis_block(const CLI::App& extrema);
// `readme` with the text between the markers replaced; throws if a marker is missing.
std::string update_readme_synopsis(std::string_view readme, const CLI::App& extrema);

std::string render_extrema_man(const CLI::App& extrema);    // extrema(1)
std::string render_extremad_man(const CLI::App& extremad);  // extremad(8)
std::string render_config_man();                            // extremad.toml(5)

// Completion scripts: every command, option and choice of the parser.
std::string render_bash_completion(const CLI::App& app);
std::string render_zsh_completion(const CLI::App& app);

}  // namespace extrema::cli
