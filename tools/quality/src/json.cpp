#include "extrema/quality/json.h"

namespace extrema::quality {

json::Object json_object(const Metrics& metrics, std::optional<double> kbps) {
    // 3 decimals is 0.001 dB, far finer than any audible or measurable difference; STOI moves in
    // the third decimal between codec settings, so it gets two more.
    json::Object out = {{"delay_samples", metrics.delay_samples},
                        {"snr_db", json::rounded(metrics.snr_db, 3)},
                        {"segsnr_db", json::rounded(metrics.segsnr_db, 3)},
                        {"lsd_db", json::rounded(metrics.lsd_db, 3)},
                        {"stoi", json::rounded(metrics.stoi, 5)}};
    if (metrics.mos) out["mos"] = json::rounded(*metrics.mos, 3);
    if (kbps) out["kbps"] = json::rounded(*kbps, 3);
    return out;
}

std::string to_json(const Metrics& metrics, std::optional<double> kbps) {
    return json::one_line(json_object(metrics, kbps));
}

}  // namespace extrema::quality
