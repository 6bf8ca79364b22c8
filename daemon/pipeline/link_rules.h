#pragma once
// The rules between a link's settings; each key's own range is the key table's
// (config/config_keys.cpp). They have one owner, here: the config loader reports a broken rule
// against the keys it names, and Link refuses a config that breaks one, since a LinkConfig may
// come from code rather than from a file.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/link_config.h"

namespace extrema::pipeline {

struct BrokenRule {
    std::vector<std::string_view> keys;  // setting_keys.h names; the first is the one to change
    std::string problem;                 // names the keys itself
};

// The first rule `config` breaks, in a fixed order, or none.
std::optional<BrokenRule> first_broken_rule(const LinkConfig& config);

// Why network.redundancy_kbps cannot go with encoder.target_kbps (out of its range, or not below
// a target that is set), or "" when it can.
std::string redundancy_kbps_problem(double redundancy_kbps, double target_kbps);

// A number as the config writes it: the shortest text that reads back as the same double.
std::string format_number(double value);

}  // namespace extrema::pipeline
