#pragma once
// The whole `extrema` command line as one CLI::App: main() runs it, and the synopsis in README,
// the man page and the shell completions are rendered from it (tools/extrema/cli_docs_main.cpp).
#include <CLI/CLI.hpp>

namespace extrema::cli {

void build_extrema_app(CLI::App& app);

}  // namespace extrema::cli
