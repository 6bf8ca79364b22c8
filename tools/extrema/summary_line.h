#pragma once
// The one line a file command prints when it succeeds: what it wrote, how long, how dense.
//   speech.xtr: 2.09 s, 48000 Hz, 1 channel, 179.2 kbps, 11732 records
// On stdout, or on stderr when stdout carries the output itself ("-").
#include <cstdint>
#include <string>

namespace extrema::cli {

struct WrittenAudio {
    std::uint64_t samples_per_channel = 0;
    std::uint32_t rate_hz = 0;
    std::uint64_t bytes = 0;  // of the file written
    int channels = 0;
};

std::string summary_line(const std::string& output, const WrittenAudio& written,
                         const std::string& detail);
void print_summary(bool output_is_stdout, const std::string& output, const WrittenAudio& written,
                   const std::string& detail);

}  // namespace extrema::cli
