#pragma once
// A LinkConfig in a few lines of words, for the start-up log and --check-config:
//   mode send: 48000 Hz, tone 1000 Hz at -20 dBFS -> 127.0.0.1:5006
//   encoder: threshold 50 LSB, low-pass off, records <= 5 ms
//   ...
#include <string>

#include "config/config_keys.h"

namespace extrema::config {

// Lines end with '\n'. Only the parts the mode uses: no capture line for a receiver.
std::string describe(const LinkConfig& config);

}  // namespace extrema::config
