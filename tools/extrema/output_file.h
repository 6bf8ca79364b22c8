#pragma once
// Checks a command makes before it writes a file: the output is not one of its inputs, and the
// audio it will write fits its container and the --max-bytes limit. Plus the signal handlers that
// remove a run's temporaries when it is interrupted.
#include <CLI/CLI.hpp>

#include <cstdint>
#include <filesystem>

#include "audio/sound_file.h"

namespace extrema::cli {

// --max-bytes default: 8 GiB. A day of 48 kHz mono 16-bit audio (7.7 GiB) fits; a few bytes of
// .xtr silences or .xsvd factors that decode to hundreds of gigabytes do not.
inline constexpr std::uint64_t kDefaultMaxOutputBytes = std::uint64_t{8} << 30;

// Adds --max-bytes (accepts 8GiB, 500MB, 1073741824, ...) bound to `max_bytes`.
void add_max_bytes_option(CLI::App& command, std::uint64_t& max_bytes);

struct AudioOutput {
    std::filesystem::path path;
    int channels = 1;
    std::uint64_t frames = 0;  // per channel
    audio::SampleFormat format = audio::SampleFormat::kPcm16;
};

// Throws std::runtime_error naming the file if the audio would pass `max_bytes` or, in a .wav,
// the 4 GiB a RIFF header can describe (the message suggests .w64, .rf64 or .flac).
void check_audio_output(const AudioOutput& output, std::uint64_t max_bytes);

// Throws std::runtime_error if `output` is the file `input` (same device and inode: any spelling
// of the path, a symbolic or a hard link): writing it would destroy the input.
void refuse_overwriting_input(const std::filesystem::path& input,
                              const std::filesystem::path& output);

// SIGINT, SIGTERM, SIGHUP: remove the temporaries of the writers (audio::remove_temporaries),
// then die of the signal as before.
void remove_temporaries_on_signals();

}  // namespace extrema::cli
