#pragma once
// What a SIGHUP changes. Live: log.level, log.stats_interval_s, log.stats_json, every
// compressor.* key, receiver.jitter_target_ms and network.redundancy (the "reloadable" column
// of the key table).
// Every other key shapes sockets, devices, threads or the wire format, so a change to it is
// logged as needing a restart and the running value stays.
#include <string>
#include <vector>

#include "config/config_keys.h"

namespace extrema::config {

struct KeyChange {
    std::string key;     // "log.level"
    std::string before;  // TOML literals: "\"info\""
    std::string after;
};

struct ReloadPlan {
    std::vector<KeyChange> reloadable;     // applied to the running link
    std::vector<KeyChange> needs_restart;  // ignored until a restart; logged as such
    bool empty() const noexcept { return reloadable.empty() && needs_restart.empty(); }
};

// The keys whose values differ between the running config and the freshly loaded one.
ReloadPlan diff_for_reload(const LinkConfig& running, const LinkConfig& fresh);

// `running` with the reloadable keys of `fresh`: what the link runs after the SIGHUP. Both
// inputs are valid; the one rule tying a live key to a restart key (redundancy needs
// red_payload_type != payload_type) is checked on the result: a ConfigError naming
// network.redundancy refuses the reload.
LinkConfig merge_reloadable(const LinkConfig& running, const LinkConfig& fresh);

// The dotted names of the keys SIGHUP applies, in table order.
std::vector<std::string> reloadable_keys();

}  // namespace extrema::config
