#pragma once
// Real speech for the perceptual-quality tests: the eight alsa-utils prompts and espeak-ng speech
// generated at test time in two voices. Tools come from tools/scripts/install-deps.sh; their paths
// are found at configure time (tests/quality/CMakeLists.txt).
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace extrema::quality::test {

struct SpeechFile {
    std::string name;
    std::vector<float> samples;  // mono
    int rate_hz = 0;
};

// The prompts found under /usr/share/sounds/alsa plus two espeak-ng sentences written to
// `work_dir` (one of each when EXTREMA_VISQOL_TEST_FEW_FILES is defined: sanitizer builds).
// Throws std::runtime_error if espeak-ng fails.
inline constexpr std::size_t kMaterialFiles =
#ifdef EXTREMA_VISQOL_TEST_FEW_FILES
    2;
#else
    10;
#endif
std::vector<SpeechFile> speech_material(const std::filesystem::path& work_dir);

// `command` through the shell; throws std::runtime_error unless it exits 0.
void run_command(const std::string& command);

}  // namespace extrema::quality::test
