#include "checks.h"

#include <cmath>
#include <string>

#include "extrema/quality/error.h"

namespace extrema::quality::detail {

void require_rate(int rate_hz) {
    if (rate_hz <= 0) {
        throw QualityError("invalid sample rate " + std::to_string(rate_hz) + " Hz");
    }
}

void require_signal(std::span<const float> samples, const char* what) {
    if (samples.empty()) throw QualityError(std::string(what) + " signal is empty");
    for (const float s : samples) {
        if (!std::isfinite(s)) {
            throw QualityError(std::string(what) + " signal has non-finite samples (NaN or inf)");
        }
    }
}

void require_pair(std::span<const float> ref, std::span<const float> test) {
    require_signal(ref, "reference");
    require_signal(test, "test");
    if (ref.size() != test.size()) {
        throw QualityError("signals differ in length (" + std::to_string(ref.size()) + " vs " +
                           std::to_string(test.size()) + " samples); align them first");
    }
}

double energy(std::span<const float> samples) {
    double sum = 0.0;
    for (const float s : samples) sum += double{s} * double{s};
    return sum;
}

void require_not_silent(std::span<const float> ref) {
    if (energy(ref) == 0.0) throw QualityError("reference signal is silent (all zeros)");
}

}  // namespace extrema::quality::detail
