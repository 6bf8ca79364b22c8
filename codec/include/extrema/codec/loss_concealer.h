#pragma once
// Packet-loss concealment after ITU-T G.711 Appendix I (the low-complexity frame-erasure
// concealment), at any stream rate, on normalised float samples.
//
// The concealer keeps the last samples played. When audio is missing it estimates the pitch
// period of that history by normalised cross-correlation and replays it (waveform substitution):
// one period for the first 10 ms, two from 10 ms, three from 20 ms (so a long erasure does not
// buzz), each change cross-faded over a quarter period; the substitute is attenuated linearly by
// 20 % per 10 ms after the first 10 ms and is silence from 60 ms on. When real audio returns, its
// first samples are overlap-added with the continued substitute over a quarter period plus 4 ms
// per 10 ms of erasure (at most 10 ms).
//
// One change from the Appendix: it delays the output by a quarter of the longest period so it
// can rewrite the last real samples at the start of an erasure. A receiver that plays the
// sender's timeline sample for sample has already played them, so here the start is merged
// forward instead: the substitute carries the offset between the last real sample and the sample
// before its own start, decaying to zero over a quarter period, so it begins where the real
// signal ended.
//
// Pure and real-time safe: no allocation after construction, no I/O, deterministic.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace extrema::codec {

class LossConcealer {
  public:
    // Throws std::invalid_argument for a rate the codec does not take (sample_rate.h).
    explicit LossConcealer(double sample_rate_hz);

    // Real samples, in order, as they are about to be played. After an erasure the first ones
    // are merged in place with the substitute (overlap-add); all then join the history.
    void receive(std::span<float> samples) noexcept;

    // Fills `out` with the continuation of the erasure in progress, or starts one. Any length.
    void conceal(std::span<float> out) noexcept;

    // Forgets the history (as if silence had been played) and any erasure.
    void reset() noexcept;

    bool concealing() const noexcept { return erasure_ > 0 && !merging_; }
    // Pitch period (samples) of the current or last erasure.
    std::size_t pitch_samples() const noexcept { return pitch_; }
    std::size_t min_pitch_samples() const noexcept { return pitch_min_; }
    std::size_t max_pitch_samples() const noexcept { return pitch_max_; }
    // Samples of erasure after which the output is silence (60 ms).
    std::size_t silence_after_samples() const noexcept { return 6 * frame_; }
    // Samples of one 10 ms step of the schedule.
    std::size_t frame_samples() const noexcept { return frame_; }
    // Longest merge into the real samples after an erasure (10 ms): from there on they are
    // played untouched.
    std::size_t max_merge_samples() const noexcept { return frame_; }

  private:
    void start_erasure() noexcept;
    std::size_t find_pitch() noexcept;
    void build_cycle(std::size_t periods) noexcept;
    float next_substitute() noexcept;
    float gain_at(std::size_t erased) const noexcept;
    void push_history(std::span<const float> samples) noexcept;

    // Lengths in samples at the stream rate (see the constructor for the scaling).
    std::size_t pitch_min_;
    std::size_t pitch_max_;
    std::size_t corr_len_;
    std::size_t decimation_;
    std::size_t frame_;
    std::size_t overlap_step_;
    std::size_t history_len_;

    std::vector<float> history_;       // last history_len_ samples played, oldest first
    std::vector<float> pitch_buf_;     // the history frozen at the erasure's start, tail reworked
    std::vector<float> last_quarter_;  // the frozen history's original last quarter period
    std::vector<float> old_cycle_;     // the old cycle's next samples when a period is added
    std::vector<float> decimated_;     // scratch for the coarse pitch search

    std::size_t erasure_ = 0;  // samples concealed in the current erasure (0: none)
    std::size_t pitch_ = 0;
    std::size_t quarter_ = 0;  // overlap length: a quarter of the pitch period
    std::size_t periods_ = 0;  // periods in the cycle now being replayed
    std::size_t cycle_start_ = 0;
    std::size_t cycle_len_ = 0;
    std::size_t offset_ = 0;     // read position within the cycle
    float start_offset_ = 0.0f;  // the start merge's offset (see the file comment)
    std::size_t old_left_ = 0;   // samples of old_cycle_ still to cross-fade from
    std::size_t old_next_ = 0;

    bool merging_ = false;  // real audio returned: overlap-adding its first samples
    std::size_t merge_len_ = 0;
    std::size_t merge_done_ = 0;
};

}  // namespace extrema::codec
