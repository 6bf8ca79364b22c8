#pragma once
// The whole LinkConfig checked at once: every key against its row of the table (range, choices,
// syntax), then the rules between keys (a sender needs a peer, a file input needs a file, honest
// packets fit the receiver's cap, ...). The loader and the command-line overrides both end here.
#include "config/config_keys.h"

namespace extrema::config {

// Throws ConfigError(keys, problem) for the first problem: keys() lists the keys involved.
void validate(const LinkConfig& config);

}  // namespace extrema::config
