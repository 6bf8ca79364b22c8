#include "bench_speech.h"

#include <samplerate.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <stdexcept>

#include "audio/sound_file.h"

namespace extrema::bench {

const std::vector<float>& speech_float(int rate_hz) {
    static std::map<int, std::vector<float>> cache;
    auto& out = cache[rate_hz];
    if (!out.empty()) return out;
    const auto data = audio::read_sound_file("/usr/share/sounds/alsa/Front_Center.wav");
    std::vector<float> mono(static_cast<std::size_t>(data.info.frames));
    for (std::size_t i = 0; i < mono.size(); ++i)
        mono[i] = data.samples[i * static_cast<std::size_t>(data.info.channels)];
    std::vector<float> resampled = mono;
    if (data.info.rate_hz != rate_hz) {
        const double ratio = static_cast<double>(rate_hz) / data.info.rate_hz;
        resampled.assign(
            static_cast<std::size_t>(std::ceil(static_cast<double>(mono.size()) * ratio)) + 16,
            0.0f);
        SRC_DATA src{};
        src.data_in = mono.data();
        src.input_frames = static_cast<long>(mono.size());
        src.data_out = resampled.data();
        src.output_frames = static_cast<long>(resampled.size());
        src.src_ratio = ratio;
        if (src_simple(&src, SRC_SINC_BEST_QUALITY, 1) != 0)
            throw std::runtime_error("resampling failed");
        resampled.resize(static_cast<std::size_t>(src.output_frames_gen));
    }
    const auto total = static_cast<std::size_t>(kSpeechSeconds * rate_hz);
    out.reserve(total);
    while (out.size() < total) {
        out.insert(out.end(), resampled.begin(),
                   resampled.begin() +
                       static_cast<std::ptrdiff_t>(std::min(resampled.size(), total - out.size())));
    }
    return out;
}

const std::vector<std::int16_t>& speech_int16(int rate_hz) {
    static std::map<int, std::vector<std::int16_t>> cache;
    auto& out = cache[rate_hz];
    if (!out.empty()) return out;
    for (const float v : speech_float(rate_hz)) {
        out.push_back(
            static_cast<std::int16_t>(std::lround(std::clamp(v * 32767.0f, -32768.0f, 32767.0f))));
    }
    return out;
}

}  // namespace extrema::bench
