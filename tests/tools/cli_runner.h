#pragma once
// Runs the extrema binary with arguments; captures exit status and combined output. Brings in
// TempDir and read_text (temp_dir.h), which every CLI test uses alongside.
#include <string>

#include "temp_dir.h"

namespace extrema::test {

struct CliResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr together
};

// A shell command line (pipes, redirections), and the extrema binary with arguments.
CliResult run_shell(const std::string& command);
CliResult run_cli(const std::string& args);

}  // namespace extrema::test
