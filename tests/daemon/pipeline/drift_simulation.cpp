#include "drift_simulation.h"

#include <algorithm>
#include <cmath>
#include <deque>
#include <numbers>
#include <random>
#include <span>

namespace extrema::pipeline::test {
namespace {

constexpr double kAmplitude = 0.5;

// Sender side: packet k holds sender samples [k * n, (k + 1) * n) and leaves when its last
// sample has been captured; it arrives a random delay later, never before the one sent before
// it (the FIFO cannot reorder).
class Sender {
  public:
    explicit Sender(const DriftScenario& s)
        : s_(s),
          packet_samples_(static_cast<std::size_t>(std::lround(s.packet_ms * s.rate_hz / 1000.0))),
          random_(s.seed),
          delay_(0.0, s.jitter_ms / 1000.0) {
        plan_next();
    }
    double next_arrival() const { return arrival_; }
    void deliver(std::deque<float>& fifo) {
        const double w = 2.0 * std::numbers::pi * s_.tone_hz / s_.rate_hz;
        for (std::size_t i = 0; i < packet_samples_; ++i, ++sample_) {
            fifo.push_back(
                static_cast<float>(kAmplitude * std::sin(w * static_cast<double>(sample_))));
        }
        ++packet_;
        plan_next();
    }

  private:
    void plan_next() {
        const double sender_rate = s_.rate_hz * (1.0 + s_.sender_ppm * 1e-6);
        const double sent = static_cast<double>((packet_ + 1) * packet_samples_) / sender_rate;
        arrival_ = std::max(arrival_, sent + delay_(random_));
    }

    DriftScenario s_;
    std::size_t packet_samples_;
    std::mt19937 random_;
    std::uniform_real_distribution<double> delay_;
    std::uint64_t packet_ = 0;
    std::uint64_t sample_ = 0;
    double arrival_ = 0.0;
};

// Second differences of the output, across fills.
class Smoothness {
  public:
    void add(std::span<const float> block) {
        for (const float v : block) {
            if (count_ >= 2) worst_ = std::max(worst_, std::abs(v - 2.0 * b_ + a_));
            a_ = b_;
            b_ = v;
            ++count_;
        }
    }
    double worst() const { return worst_; }

  private:
    double a_ = 0.0, b_ = 0.0, worst_ = 0.0;
    std::uint64_t count_ = 0;
};

}  // namespace

DriftRun simulate(const DriftScenario& s, DriftCorrector* corrector) {
    Sender sender(s);
    std::deque<float> fifo;
    DriftRun run;
    Smoothness smoothness;
    const double ms_per_sample = 1000.0 / s.rate_hz;
    const auto second = static_cast<std::uint64_t>(s.rate_hz);
    const auto total = static_cast<std::uint64_t>(s.duration_s * s.rate_hz);
    const auto retarget_at = static_cast<std::uint64_t>(s.retarget_at_s * s.rate_hz);

    auto pull = [&](std::span<float> out) {
        for (float& v : out) {
            if (fifo.empty()) {
                v = 0.0f;
                ++run.starved_samples;
                continue;
            }
            v = fifo.front();
            fifo.pop_front();
        }
    };

    // Pre-roll: playout starts at the first arrival that brings the level to start_ms.
    double now = 0.0;
    while (static_cast<double>(fifo.size()) * ms_per_sample < s.start_ms) {
        now = sender.next_arrival();
        sender.deliver(fifo);
    }
    const double start = now;

    std::vector<float> block;
    std::uint64_t produced = 0;
    double level_sum = 0.0;
    std::uint64_t correcting_samples = 0;
    bool was_correcting = false;
    while (produced < total) {
        std::size_t n = s.fill_samples;
        if (s.timing == FillTiming::kOnArrival) {
            // Wake at the next arrival and fill what our clock consumed since the last fill.
            const double at = sender.next_arrival() - start;
            const auto due = static_cast<std::uint64_t>(std::ceil(std::max(0.0, at) * s.rate_hz));
            n = static_cast<std::size_t>(std::max<std::uint64_t>(due, produced + 1) - produced);
        }
        n = static_cast<std::size_t>(std::min<std::uint64_t>(n, total - produced));
        // Everything that has arrived by the time of this fill is in the buffer.
        const double fill_time = start + static_cast<double>(produced + n) / s.rate_hz;
        while (sender.next_arrival() <= fill_time) sender.deliver(fifo);

        const double level = static_cast<double>(fifo.size());
        block.resize(n);
        if (corrector != nullptr) {
            const double moved = produced >= retarget_at ? s.retarget_ms : 0.0;
            corrector->observe(level, (s.target_ms + moved) / ms_per_sample);
            corrector->process(std::span<float>(block), pull);
            if (corrector->correcting()) {
                correcting_samples += n;
                if (!was_correcting) ++run.engagements;
            }
            was_correcting = corrector->correcting();
        } else {
            pull(block);
        }
        smoothness.add(block);

        // Per-second records; the level holds until the next fill (sample and hold).
        for (std::size_t i = 0; i < n; ++i) {
            level_sum += level;
            if ((produced + i + 1) % second == 0) {
                run.level_ms.push_back(level_sum / static_cast<double>(second) * ms_per_sample);
                run.drift_ppm.push_back(corrector != nullptr ? corrector->drift_ppm() : 0.0);
                level_sum = 0.0;
            }
        }
        produced += n;
    }
    const double w = 2.0 * std::numbers::pi * s.tone_hz / s.rate_hz;
    run.roughness = smoothness.worst() / (kAmplitude * w * w);
    run.correcting_share = static_cast<double>(correcting_samples) / static_cast<double>(total);
    if (!run.level_ms.empty()) {
        run.start_level_ms = run.level_ms.front();
        run.end_level_ms = run.level_ms.back();
    }
    return run;
}

}  // namespace extrema::pipeline::test
