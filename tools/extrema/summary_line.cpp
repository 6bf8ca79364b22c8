#include "summary_line.h"

#include <fmt/core.h>

#include <cstdio>

namespace extrema::cli {

std::string summary_line(const std::string& output, const WrittenAudio& written,
                         const std::string& detail) {
    const double seconds = written.rate_hz > 0 ? static_cast<double>(written.samples_per_channel) /
                                                     static_cast<double>(written.rate_hz)
                                               : 0.0;
    const double kbps =
        seconds > 0 ? static_cast<double>(written.bytes) * 8.0 / seconds / 1000.0 : 0.0;
    std::string line =
        fmt::format("{}: {:.2f} s, {} Hz, {} channel{}, {:.1f} kbps",
                    output == "-" ? "standard output" : output, seconds, written.rate_hz,
                    written.channels, written.channels == 1 ? "" : "s", kbps);
    if (!detail.empty()) line += ", " + detail;
    return line;
}

void print_summary(bool output_is_stdout, const std::string& output, const WrittenAudio& written,
                   const std::string& detail) {
    std::fprintf(output_is_stdout ? stderr : stdout, "%s\n",
                 summary_line(output, written, detail).c_str());
}

}  // namespace extrema::cli
