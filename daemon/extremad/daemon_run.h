#pragma once
// extremad's life: parse the command line, load and check the config, open the link, tell
// systemd it is ready, then wait for signals while logging stats and petting the watchdog, and
// finally drain and stop. Exit codes: 0 clean stop (or a file input sent completely), 1 a set-up
// or run-time failure, 2 a bad command line or config.
#include <CLI/CLI.hpp>
#include <string>

#include "config/config_flags.h"

namespace extrema::daemon {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

// What extremad's command line holds besides the config keys' flags.
struct CommandLine {
    std::string mode;
    std::string config_file;
    std::string check_config_file;
    bool sdp = false;  // print the session's SDP and exit
    config::ConfigOverrides overrides;
};

// extremad's whole command line: MODE, --config, --check-config, --sdp and one flag per config
// key.
// The man page and the shell completions are rendered from it too.
void add_extremad_options(CLI::App& app, CommandLine& line);

int run_extremad(int argc, char** argv);

}  // namespace extrema::daemon
