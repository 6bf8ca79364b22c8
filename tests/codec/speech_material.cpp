#include "speech_material.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

#include "audio/sound_file.h"

namespace extrema::test {
namespace {

// Frames below this level (relative to full scale) at either end count as silence.
constexpr double kSilenceDbfs = -50.0;

double frame_rms(const std::vector<std::int16_t>& s, std::size_t at, std::size_t n) {
    double energy = 0.0;
    for (std::size_t i = at; i < at + n; ++i) energy += static_cast<double>(s[i]) * s[i];
    return std::sqrt(energy / static_cast<double>(n));
}

std::vector<std::int16_t> trim(const std::vector<std::int16_t>& s, double rate_hz) {
    const auto frame = static_cast<std::size_t>(rate_hz / 100.0);
    const double floor = 32767.0 * std::pow(10.0, kSilenceDbfs / 20.0);
    std::size_t first = 0, last = s.size() / frame;
    while (first < last && frame_rms(s, first * frame, frame) < floor) ++first;
    while (last > first && frame_rms(s, (last - 1) * frame, frame) < floor) --last;
    return {s.begin() + static_cast<std::ptrdiff_t>(first * frame),
            s.begin() + static_cast<std::ptrdiff_t>(last * frame)};
}

}  // namespace

std::vector<Speech> alsa_prompts() {
    std::vector<Speech> out;
    for (const char* name : {"Front_Center", "Front_Left", "Front_Right", "Rear_Center",
                             "Rear_Left", "Rear_Right", "Side_Left", "Side_Right"}) {
        audio::SoundInfo info;
        const auto samples = audio::read_sound_file_int16(
            std::string("/usr/share/sounds/alsa/") + name + ".wav", info);
        out.push_back({name, static_cast<double>(info.rate_hz), trim(samples, info.rate_hz)});
    }
    return out;
}

Speech espeak(const std::string& text, const std::string& voice, int words_per_minute) {
    char path_template[] = "/tmp/extrema_espeak_XXXXXX";
    const int fd = mkstemp(path_template);
    if (fd < 0) throw std::runtime_error("cannot create a temporary file");
    close(fd);
    const std::filesystem::path path(path_template);
    const std::string command = "espeak-ng -v " + voice + " -s " +
                                std::to_string(words_per_minute) + " -w " + path.string() + " \"" +
                                text + "\" 2>/dev/null";
    const int status = std::system(command.c_str());
    Speech speech;
    try {
        if (status != 0) throw std::runtime_error("espeak-ng failed: " + command);
        audio::SoundInfo info;
        const auto samples = audio::read_sound_file_int16(path, info);
        speech = {"espeak-" + voice + "-" + std::to_string(words_per_minute),
                  static_cast<double>(info.rate_hz), trim(samples, info.rate_hz)};
    } catch (...) {
        std::filesystem::remove(path);
        throw;
    }
    std::filesystem::remove(path);
    return speech;
}

Speech join(const std::vector<Speech>& clips) {
    Speech out{"joined", clips.at(0).rate_hz, {}};
    for (const auto& c : clips) {
        if (c.rate_hz != out.rate_hz) throw std::invalid_argument("clips differ in rate");
        out.samples.insert(out.samples.end(), c.samples.begin(), c.samples.end());
    }
    return out;
}

std::vector<std::int16_t> at_level(const std::vector<std::int16_t>& clip, double peak_frame_dbfs) {
    constexpr std::size_t kFrame = 441;
    double loudest = 0.0;
    for (std::size_t at = 0; at + kFrame <= clip.size(); at += kFrame)
        loudest = std::max(loudest, frame_rms(clip, at, kFrame));
    const double gain = 32767.0 * std::pow(10.0, peak_frame_dbfs / 20.0) / loudest;
    std::vector<std::int16_t> out(clip.size());
    for (std::size_t i = 0; i < clip.size(); ++i) {
        out[i] =
            static_cast<std::int16_t>(std::lround(std::clamp(clip[i] * gain, -32768.0, 32767.0)));
    }
    return out;
}

}  // namespace extrema::test
