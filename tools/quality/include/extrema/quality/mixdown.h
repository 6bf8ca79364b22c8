#pragma once
// Multichannel audio is evaluated as one mono signal: the average of all channels. Averaging (not
// summing) keeps the level of a correlated stereo pair, so SNR and LSD stay comparable with mono.
#include <span>
#include <vector>

namespace extrema::quality {

// Average of `channels` interleaved channels, one value per frame. Throws QualityError if
// channels < 1 or the sample count is not a whole number of frames.
std::vector<float> mix_to_mono(std::span<const float> interleaved, int channels);

}  // namespace extrema::quality
