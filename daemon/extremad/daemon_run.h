#pragma once
// extremad's life: parse the command line, load and check the config, open the link, tell
// systemd it is ready, then wait for signals while logging stats and petting the watchdog, and
// finally drain and stop. Exit codes: 0 clean stop (or a file input sent completely), 1 a set-up
// or run-time failure, 2 a bad command line or config.
namespace extrema::daemon {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;
inline constexpr int kExitUsage = 2;

int run_extremad(int argc, char** argv);

}  // namespace extrema::daemon
