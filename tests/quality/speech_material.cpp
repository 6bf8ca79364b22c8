#include "speech_material.h"

#include <cstdlib>
#include <stdexcept>

#include "audio/sound_file.h"
#include "extrema/quality/mixdown.h"

namespace extrema::quality::test {
namespace {

SpeechFile load(const std::filesystem::path& path) {
    const audio::SoundData data = audio::read_sound_file(path);
    return {path.stem().string(), mix_to_mono(data.samples, data.info.channels), data.info.rate_hz};
}

}  // namespace

void run_command(const std::string& command) {
    const std::string full = command + " </dev/null";
    if (std::system(full.c_str()) != 0) throw std::runtime_error("command failed: " + command);
}

std::vector<SpeechFile> speech_material(const std::filesystem::path& work_dir) {
    std::vector<SpeechFile> files;
#ifdef EXTREMA_VISQOL_TEST_FEW_FILES
    const auto prompts = {"Front_Center"};
    const auto voices = {"en-us"};
#else
    const auto prompts = {"Front_Center", "Front_Left", "Front_Right", "Rear_Center",
                          "Rear_Left",    "Rear_Right", "Side_Left",   "Side_Right"};
    const auto voices = {"en-us", "en-gb+f3"};
#endif
    for (const char* prompt : prompts) {
        const std::filesystem::path p =
            std::filesystem::path("/usr/share/sounds/alsa") / (std::string(prompt) + ".wav");
        if (std::filesystem::exists(p)) files.push_back(load(p));
    }
    const char* sentence =
        "The quick brown fox jumps over the lazy dog, while seven sailors sing softly.";
    for (const char* voice : voices) {
        const auto wav = work_dir / (std::string("espeak-") + voice + ".wav");
        run_command(std::string("'") + EXTREMA_TEST_ESPEAK + "' -v " + voice + " -w '" +
                    wav.string() + "' '" + sentence + "'");
        files.push_back(load(wav));
    }
    return files;
}

}  // namespace extrema::quality::test
