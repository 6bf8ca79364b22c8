#include "progress.h"

#include <unistd.h>

#include <cstdio>

namespace extrema::cli {

// Below this many samples a job ends before a bar is worth drawing (about 10 s of audio).
constexpr std::uint64_t kMinSamplesForBar = 480000;

Progress::Progress(std::string label, std::uint64_t total)
    : label_(std::move(label)),
      total_(total),
      enabled_(::isatty(STDERR_FILENO) == 1 && total >= kMinSamplesForBar),
      start_(std::chrono::steady_clock::now()) {}

Progress::~Progress() {
    if (enabled_ && last_percent_ >= 0 && !finished_) std::fputc('\n', stderr);
}

void Progress::finish() {
    if (!enabled_ || finished_) return;
    last_percent_ = -1;
    update(total_);
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start_;
    std::fprintf(stderr, " in %.1f s\n", took.count());
    finished_ = true;
}

void Progress::update(std::uint64_t done) {
    if (!enabled_ || total_ == 0) return;
    const int percent = static_cast<int>(done * 100 / total_);
    if (percent == last_percent_) return;
    last_percent_ = percent;
    constexpr int kWidth = 30;
    const int filled = percent * kWidth / 100;
    std::fprintf(stderr, "\r%s [%.*s%*s] %3d%%", label_.c_str(), filled,
                 "##############################", kWidth - filled, "", percent);
    std::fflush(stderr);
}

}  // namespace extrema::cli
