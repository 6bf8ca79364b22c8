#include "extrema/quality/json.h"

#include <fmt/format.h>

#include <cmath>
#include <iterator>

namespace extrema::quality {
namespace {

void append_number(std::string& out, const char* key, double value, int decimals) {
    if (std::isfinite(value)) {
        fmt::format_to(std::back_inserter(out), ", \"{}\": {:.{}f}", key, value, decimals);
    } else {
        fmt::format_to(std::back_inserter(out), ", \"{}\": null", key);
    }
}

}  // namespace

std::string to_json(const Metrics& metrics, std::optional<double> kbps) {
    std::string out = fmt::format("{{\"delay_samples\": {}", metrics.delay_samples);
    // 3 decimals is 0.001 dB, far finer than any audible or measurable difference; STOI moves in
    // the third decimal between codec settings, so it gets two more.
    append_number(out, "snr_db", metrics.snr_db, 3);
    append_number(out, "segsnr_db", metrics.segsnr_db, 3);
    append_number(out, "lsd_db", metrics.lsd_db, 3);
    append_number(out, "stoi", metrics.stoi, 5);
    if (metrics.mos) append_number(out, "mos", *metrics.mos, 3);
    if (kbps) append_number(out, "kbps", *kbps, 3);
    out += "}";
    return out;
}

}  // namespace extrema::quality
