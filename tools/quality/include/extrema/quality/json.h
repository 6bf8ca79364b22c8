#pragma once
// Metrics as one JSON object with a stable key order:
//   {"delay_samples":0,"snr_db":1.234,"segsnr_db":1.234,"lsd_db":1.234,"stoi":0.98765,
//    "mos":4.123,"kbps":12.345}
// "mos" only when the metrics carry it (MOS-LQO, 1..5), "kbps" only when given. Rounded to 3
// decimals for dB, MOS and kbps, 5 for STOI, so the text is deterministic and diff-friendly; a
// non-finite value is null to stay valid JSON.
#include <optional>
#include <string>

#include "extrema/quality/metrics.h"
#include "service/json_text.h"

namespace extrema::quality {

json::Object json_object(const Metrics& metrics, std::optional<double> kbps = std::nullopt);

// json_object's text on one line.
std::string to_json(const Metrics& metrics, std::optional<double> kbps = std::nullopt);

}  // namespace extrema::quality
