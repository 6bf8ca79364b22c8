#include "test_signals.h"

#include <cmath>
#include <filesystem>
#include <numbers>
#include <random>

#include <samplerate.h>

#include <stdexcept>

#include "audio/sound_file.h"
#include "extrema/quality/activity.h"
#include "extrema/quality/mixdown.h"

namespace extrema::quality::test {

std::optional<Speech> load_speech() {
    const std::filesystem::path path = EXTREMA_TEST_SPEECH_WAV;
    if (!std::filesystem::exists(path)) return std::nullopt;
    const audio::SoundData data = audio::read_sound_file(path);
    return Speech{mix_to_mono(data.samples, data.info.channels), data.info.rate_hz};
}

std::vector<float> white_noise(std::size_t count, std::uint32_t seed) {
    std::mt19937 gen(seed);
    auto uniform = [&gen] { return (static_cast<double>(gen()) + 0.5) / 4294967296.0; };
    std::vector<float> out(count);
    for (std::size_t i = 0; i < count; i += 2) {
        const double radius = std::sqrt(-2.0 * std::log(uniform()));
        const double angle = 2.0 * std::numbers::pi * uniform();
        out[i] = static_cast<float>(radius * std::cos(angle));
        if (i + 1 < count) out[i + 1] = static_cast<float>(radius * std::sin(angle));
    }
    return out;
}

std::vector<float> add_noise_at_snr(std::span<const float> signal, double snr_db,
                                    std::uint32_t seed) {
    const std::vector<float> noise = white_noise(signal.size(), seed);
    double signal_energy = 0.0;
    double noise_energy = 0.0;
    for (std::size_t i = 0; i < signal.size(); ++i) {
        signal_energy += double{signal[i]} * signal[i];
        noise_energy += double{noise[i]} * noise[i];
    }
    const double gain = std::sqrt(signal_energy / noise_energy * std::pow(10.0, -snr_db / 10.0));
    std::vector<float> out(signal.size());
    for (std::size_t i = 0; i < signal.size(); ++i) {
        out[i] = static_cast<float>(signal[i] + gain * noise[i]);
    }
    return out;
}

std::vector<float> speech_band_noise(std::size_t count, int rate_hz, std::uint32_t seed) {
    constexpr int kBandRateHz = 10000;  // STOI's analysis rate
    const double ratio = static_cast<double>(rate_hz) / kBandRateHz;
    const std::vector<float> narrow = white_noise(
        static_cast<std::size_t>(std::ceil(static_cast<double>(count) / ratio)) + 64, seed);
    std::vector<float> out(static_cast<std::size_t>(static_cast<double>(narrow.size()) * ratio) +
                           64);
    SRC_DATA data{};
    data.data_in = narrow.data();
    data.data_out = out.data();
    data.input_frames = static_cast<long>(narrow.size());
    data.output_frames = static_cast<long>(out.size());
    data.src_ratio = ratio;
    if (src_simple(&data, SRC_SINC_BEST_QUALITY, 1) != 0 ||
        static_cast<std::size_t>(data.output_frames_gen) < count) {
        throw std::runtime_error("speech_band_noise: resampling failed");
    }
    out.resize(count);
    return out;
}

std::vector<float> add_noise_at_active_snr(std::span<const float> signal,
                                           std::span<const float> noise, int rate_hz,
                                           double snr_db) {
    if (noise.size() < signal.size()) throw std::runtime_error("noise shorter than signal");
    const std::size_t frame = static_cast<std::size_t>(rate_hz) / 50;  // 20 ms
    std::vector<double> energies(signal.size() / frame, 0.0);
    for (std::size_t f = 0; f < energies.size(); ++f) {
        for (std::size_t i = f * frame; i < (f + 1) * frame; ++i) {
            energies[f] += double{signal[i]} * signal[i];
        }
    }
    const std::vector<bool> active = active_frames(energies);
    double active_energy = 0.0;
    std::size_t active_samples = 0;
    for (std::size_t f = 0; f < energies.size(); ++f) {
        if (!active[f]) continue;
        active_energy += energies[f];
        active_samples += frame;
    }
    double noise_energy = 0.0;
    for (const float v : noise) noise_energy += double{v} * v;
    const double speech_power = active_energy / static_cast<double>(active_samples);
    const double noise_power = noise_energy / static_cast<double>(noise.size());
    const double gain = std::sqrt(speech_power / noise_power * std::pow(10.0, -snr_db / 10.0));
    std::vector<float> out(signal.size());
    for (std::size_t i = 0; i < signal.size(); ++i) {
        out[i] = static_cast<float>(signal[i] + gain * noise[i]);
    }
    return out;
}

std::vector<float> sine(std::size_t count, double freq_hz, int rate_hz, double amplitude) {
    std::vector<float> out(count);
    for (std::size_t i = 0; i < count; ++i) {
        out[i] = static_cast<float>(amplitude * std::sin(2.0 * std::numbers::pi * freq_hz *
                                                         static_cast<double>(i) / rate_hz));
    }
    return out;
}

std::vector<float> scaled(std::span<const float> signal, double gain) {
    std::vector<float> out(signal.size());
    for (std::size_t i = 0; i < signal.size(); ++i) out[i] = static_cast<float>(signal[i] * gain);
    return out;
}

}  // namespace extrema::quality::test
