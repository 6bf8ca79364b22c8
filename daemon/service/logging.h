#pragma once
// spdlog set-up for extremad: one stderr sink. Under systemd the journal adds timestamps and the
// unit name itself, so lines carry only a syslog priority prefix ("<4>", which journald turns
// into the entry's priority) and the level; on a terminal they carry a timestamp and colours.
#include <string>
#include <string_view>

namespace extrema::service {

// The level names extremad accepts, in order of verbosity: "trace, debug, info, warn, error,
// critical, off" (for help texts and error messages).
std::string log_level_names();

// Throws std::invalid_argument naming the valid levels unless `name` is one of them. The config
// loader rejects a bad log.level by its own choices list (config_keys.cpp), which test_config
// holds equal to log_level_names().
void check_log_level(std::string_view name);

// True when stderr goes to the journal: JOURNAL_STREAM names stderr's device and inode, or
// INVOCATION_ID says systemd started this process.
bool running_under_systemd() noexcept;

// Replaces spdlog's default logger with a stderr logger at `level`; the line format follows
// `under_systemd` (pass running_under_systemd()). Throws std::invalid_argument on a bad level.
void setup_logging(std::string_view level, bool under_systemd);

// Changes the level of the default logger (SIGHUP reload). Throws std::invalid_argument on a bad
// level and then leaves the current one.
void set_log_level(std::string_view level);

}  // namespace extrema::service
