#pragma once
// Speech for the rate-control tests, read or generated at test time (nothing binary committed):
// the eight ALSA prompts (package alsa-utils) and espeak-ng sentences (package espeak-ng).
#include <cstdint>
#include <string>
#include <vector>

namespace extrema::test {

struct Speech {
    std::string name;
    double rate_hz = 0.0;
    std::vector<std::int16_t> samples;
};

// The ALSA voice prompts (not Noise.wav), each trimmed of its leading and trailing silence.
std::vector<Speech> alsa_prompts();
// espeak-ng speaking `text` with `voice` at `words_per_minute`, trimmed like the prompts; throws
// std::runtime_error when espeak-ng is missing or fails.
Speech espeak(const std::string& text, const std::string& voice, int words_per_minute);
// The clips joined end to end, each resampled by nothing: all must share one rate.
Speech join(const std::vector<Speech>& clips);
// `clip` scaled so that its loudest 10 ms frame has this RMS level.
std::vector<std::int16_t> at_level(const std::vector<std::int16_t>& clip, double peak_frame_dbfs);

}  // namespace extrema::test
