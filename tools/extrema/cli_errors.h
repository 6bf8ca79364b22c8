#pragma once
// How `extrema` ends: one line on stderr starting "extrema: ", and an exit code that says whose
// mistake it was. Documented in --help and extrema(1).
#include <CLI/CLI.hpp>

namespace extrema::cli {

enum ExitCode : int {
    kExitOk = 0,
    kExitRuntimeError = 1,  // a file, a device or the network failed, or the input is bad
    kExitUsageError = 2,    // the command line is wrong: nothing was read or written
};

// Parses and runs the command line against `app` (built by build_extrema_app). Misspelt
// commands and options get a "did you mean" before CLI11 sees them; CLI11's errors and the
// commands' exceptions become one "extrema: " line and the exit codes above. A bare `extrema`
// prints the full usage.
int run_command_line(CLI::App& app, int argc, char** argv);

}  // namespace extrema::cli
