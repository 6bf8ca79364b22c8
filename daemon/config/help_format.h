#pragma once
// How `extrema` and `extremad` describe themselves: --help, the README synopsis, the man pages
// and the shell completions are all rendered from the parser (CLI::App), so none of them can
// drift from it. Shared by both binaries, so it lives beside the daemon's config flags.
#include <CLI/CLI.hpp>
#include <string>
#include <vector>

namespace extrema::cli {

// Help text is wrapped to this width (a terminal's classic width).
inline constexpr std::size_t kHelpColumns = 80;

// The value placeholder shown after an option: "MS", "HZ", "peaks|seed", "N"; empty for a flag.
std::string metavar(const CLI::Option& option);
// The option's names, long first: "--rank, -k"; a flag's negation too: "--open, --no-open".
std::string option_names(const CLI::Option& option);
// "range 0..384000, default 0" or whichever of the two is known; empty if neither.
std::string option_facts(const CLI::Option& option);
// The full command path: "extrema svd encode".
std::string command_path(const CLI::App& app);
// One-line synopsis of a leaf command: "extrema encode INPUT OUTPUT [--threshold LSB] ...".
std::string synopsis(const CLI::App& command);
// The commands a user can run, depth first (the leaves: "svd encode", not "svd").
std::vector<const CLI::App*> leaf_commands(const CLI::App& app);
// The visible options of a command, without --help.
std::vector<const CLI::Option*> visible_options(const CLI::App& command);
// `text` wrapped at `width`, every line indented by `indent` (the first by `first_indent`).
std::string wrap(const std::string& text, std::size_t indent, std::size_t first_indent,
                 std::size_t width = kHelpColumns);
// The example lines of a command (its footer, one command per line).
std::vector<std::string> examples(const CLI::App& command);

// --help: description, usage, commands or arguments and options (each with its range and
// default; options of a named group, such as extremad's "Config [network]", under their own
// heading, in the order the groups first appear), and the command's examples at the end.
class HelpFormatter : public CLI::FormatterBase {
  public:
    std::string make_help(const CLI::App* app, std::string name,
                          CLI::AppFormatMode mode) const override;
};

}  // namespace extrema::cli
