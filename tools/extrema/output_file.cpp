#include "output_file.h"

#include <sys/stat.h>

#include <csignal>
#include <stdexcept>
#include <string>

namespace extrema::cli {
namespace {

std::string quoted(const std::filesystem::path& path) {
    return "'" + path.string() + "'";
}

extern "C" void on_fatal_signal(int signal_number) {
    audio::remove_temporaries();  // unlink() only: async-signal-safe
    // Die of the signal, so the parent sees what happened.
    std::signal(signal_number, SIG_DFL);
    std::raise(signal_number);
}

}  // namespace

void add_max_bytes_option(CLI::App& command, std::uint64_t& max_bytes) {
    max_bytes = kDefaultMaxOutputBytes;
    command
        .add_option("--max-bytes", max_bytes,
                    "Refuse output larger than this (bytes, or with a unit: 500MB, 8GiB; "
                    "FLAC counts its uncompressed size)")
        ->transform(CLI::AsSizeValue(false))
        ->default_str("8GiB");
}

void check_audio_output(const AudioOutput& output, std::uint64_t max_bytes) {
    const std::uint64_t bytes =
        audio::sample_data_bytes(output.frames, output.channels, output.format);
    if (bytes > max_bytes) {
        throw std::runtime_error(quoted(output.path) + ": would be " + std::to_string(bytes) +
                                 " bytes of audio, over --max-bytes " + std::to_string(max_bytes) +
                                 "; refusing");
    }
    if (audio::container_for(output.path) == audio::Container::kWav &&
        bytes > audio::kMaxWavDataBytes) {
        throw std::runtime_error(audio::wav_too_large_message(output.path, bytes));
    }
}

void refuse_overwriting_input(const std::filesystem::path& input,
                              const std::filesystem::path& output) {
    struct stat in {
    }, out{};
    if (::stat(input.c_str(), &in) != 0 || ::stat(output.c_str(), &out) != 0) return;
    if (in.st_dev == out.st_dev && in.st_ino == out.st_ino) {
        throw std::runtime_error(quoted(output) + " is the input file " + quoted(input) +
                                 "; refusing to overwrite it");
    }
}

void remove_temporaries_on_signals() {
    struct sigaction action {};
    action.sa_handler = on_fatal_signal;
    sigemptyset(&action.sa_mask);
    for (const int signal_number : {SIGINT, SIGTERM, SIGHUP}) {
        ::sigaction(signal_number, &action, nullptr);
    }
}

}  // namespace extrema::cli
