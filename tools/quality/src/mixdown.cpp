#include "extrema/quality/mixdown.h"

#include <string>

#include "extrema/quality/error.h"

namespace extrema::quality {

std::vector<float> mix_to_mono(std::span<const float> interleaved, int channels) {
    if (channels < 1) throw QualityError("invalid channel count " + std::to_string(channels));
    const auto count = static_cast<std::size_t>(channels);
    if (interleaved.size() % count != 0) {
        throw QualityError("sample count " + std::to_string(interleaved.size()) +
                           " is not a whole number of " + std::to_string(channels) +
                           "-channel frames");
    }
    std::vector<float> mono(interleaved.size() / count);
    for (std::size_t frame = 0; frame < mono.size(); ++frame) {
        // Accumulate in double: the mean of many channels should not depend on their order.
        double sum = 0.0;
        for (std::size_t c = 0; c < count; ++c) sum += interleaved[frame * count + c];
        mono[frame] = static_cast<float>(sum / static_cast<double>(count));
    }
    return mono;
}

}  // namespace extrema::quality
