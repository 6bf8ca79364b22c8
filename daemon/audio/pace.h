#pragma once
// Pace: how fast a link's media time runs against the steady clock. 1 everywhere a person
// listens (the daemon has no setting for it); the loopback harness runs file links N times
// faster, so an hour of audio is tested in minutes. Every wait that stands for a span of audio
// (a source's block deadlines, a file sink's playout, the network tick, the capture wake-up, the
// impairment proxy's delays) goes through wall(), and every reading of the clock that stands for
// audio (the playout position, packet arrival times for the jitter statistics and the SSRC
// timeout) through media(): one factor, applied in one object, so the whole link stays
// consistent and plays the same samples at any speed. Waits that stand for the machine (a
// wake-up margin, a file sync, a poll for room) stay on the steady clock.
#include <chrono>
#include <stdexcept>
#include <string>

namespace extrema::audio {

class Pace {
  public:
    using Clock = std::chrono::steady_clock;

    // Fastest pace accepted. A link at N times real time does N times the work a second (codec,
    // wake-ups, packets), and the host's scheduling delays, which do not speed up, weigh N times
    // as much audio: at 20 x the loopback harness's allowance for them (20 ms of the steady
    // clock) is 400 ms of audio, still within the jitter buffer's 64 packets of 10 ms.
    // docs/loopback.md has the runs that show what a 2-core machine sustains.
    static constexpr double kMaxSpeed = 20.0;

    // Largest clock error drifted() takes, ppm: five times a crystal's +-100 ppm and the drift
    // corrector's full correction range (pipeline/drift_corrector.h, max_correction_ppm).
    static constexpr double kMaxClockPpm = 1000.0;

    // `speed` x real time, 1..kMaxSpeed: std::invalid_argument otherwise.
    explicit Pace(double speed = 1.0) : speed_(speed) {
        if (!(speed >= 1.0 && speed <= kMaxSpeed)) {
            throw std::invalid_argument("pace must be 1.." + std::to_string(kMaxSpeed) +
                                        " x real time, not " + std::to_string(speed));
        }
    }

    // This pace on a clock `ppm` parts per million fast (negative: slow), |ppm| <=
    // kMaxClockPpm (std::invalid_argument otherwise): every span of media time passes
    // (1 + ppm 1e-6) times as fast. The loopback harness gives its sender such a clock
    // (--drift-ppm), so that the receiver's drift correction has a real drift to follow.
    Pace drifted(double ppm) const {
        if (!(ppm >= -kMaxClockPpm && ppm <= kMaxClockPpm)) {
            throw std::invalid_argument("clock drift must be within +-" +
                                        std::to_string(kMaxClockPpm) + " ppm, not " +
                                        std::to_string(ppm));
        }
        Pace pace;
        pace.speed_ = speed_ * (1.0 + ppm * 1e-6);
        return pace;
    }

    double speed() const noexcept { return speed_; }
    // Real time on an exact clock: a drifted pace is not, even at speed 1.
    bool real_time() const noexcept { return speed_ == 1.0; }

    // Steady-clock time that a span of media time takes.
    template <typename Rep, typename Period>
    Clock::duration wall(std::chrono::duration<Rep, Period> media) const noexcept {
        return std::chrono::duration_cast<Clock::duration>(
            std::chrono::duration<double, Period>(static_cast<double>(media.count()) / speed_));
    }

    // Media time that a span of the steady clock stands for.
    std::chrono::duration<double> media(Clock::duration wall) const noexcept {
        return std::chrono::duration<double>(wall) * speed_;
    }

    // A steady-clock reading as media time since `origin` (the same instant on both clocks).
    Clock::time_point media_time(Clock::time_point origin, Clock::time_point now) const noexcept {
        return origin + std::chrono::duration_cast<Clock::duration>(media(now - origin));
    }

  private:
    double speed_;
};

}  // namespace extrema::audio
