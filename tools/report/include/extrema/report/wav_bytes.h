#pragma once
// A 16-bit PCM WAV file in memory (libsndfile's virtual I/O), for the report's <audio> players:
// every browser plays it.
#include <cstdint>
#include <span>
#include <vector>

namespace extrema::report {

// Interleaved int16 frames; throws std::invalid_argument if the sample count is not a whole number
// of frames or the data would not fit a RIFF file (4 GiB).
std::vector<std::uint8_t> wav_bytes(std::span<const std::int16_t> interleaved, int rate_hz,
                                    int channels);

// Normalised floats [-1, 1] to int16 on the codec's full scale (x * codec::kFullScale = 32767,
// rounded, saturated), the scale audio::SoundFileReader reads 16-bit files with: a PCM16 file
// read as float converts back to its own samples exactly.
std::vector<std::int16_t> to_int16(std::span<const float> samples);

}  // namespace extrema::report
