#pragma once
// Metrics as one JSON object with a stable key order:
//   {"delay_samples": 0, "snr_db": 1.234, "segsnr_db": 1.234, "lsd_db": 1.234, "stoi": 0.98765,
//    "mos": 4.123, "kbps": 12.345}
// "mos" only when the metrics carry it (MOS-LQO, 1..5), "kbps" only when given. Fixed decimals (3
// for dB and kbps, 5 for STOI) make the text deterministic and diff-friendly; a non-finite value is
// written as null to stay valid JSON.
#include <optional>
#include <string>

#include "extrema/quality/metrics.h"

namespace extrema::quality {

std::string to_json(const Metrics& metrics, std::optional<double> kbps = std::nullopt);

}  // namespace extrema::quality
