#pragma once
// Receive stage 3: the concealer. Makes up the spans of the timeline no packet covers (a loss,
// a packet that ends short, or nothing arrived yet: an underrun) with codec::LossConcealer
// (G.711 Appendix I: the last pitch periods repeated, attenuated after 10 ms, silence from
// 60 ms), and overlap-adds the first decoded samples after such a span with the substitute. The
// timeline is unchanged: what it conceals is exactly the span it is given.
// No allocation after construction; single-threaded.
#include <cstdint>
#include <span>

#include "extrema/codec/loss_concealer.h"

namespace extrema::net {

struct ConcealerCounters {
    std::uint64_t gaps = 0;               // concealment episodes (a missing or short packet)
    std::uint64_t underruns = 0;          // read() calls that ran out of buffered audio
    std::uint64_t concealed_samples = 0;  // samples made up by concealment
};

class Concealer {
  public:
    // Throws std::invalid_argument for a rate the codec does not take.
    explicit Concealer(double sample_rate_hz) : concealer_(sample_rate_hz) {}

    // Decoded samples, in place: after a gap their first ones are merged with the substitute;
    // all join the history.
    void receive(std::span<float> decoded) noexcept {
        concealer_.receive(decoded);
        concealing_ = false;
    }
    // Fills `out` with the substitute. `underrun`: nothing is buffered at all (counted once per
    // read, see begin_read()), rather than a gap before the next packet.
    void conceal(std::span<float> out, bool underrun) noexcept {
        if (underrun && !underrun_counted_) {
            ++counters_.underruns;
            underrun_counted_ = true;
        }
        if (!concealing_) ++counters_.gaps;
        concealing_ = true;
        concealer_.conceal(out);
        counters_.concealed_samples += out.size();
    }
    // A new read() of the output: underruns are counted once per call.
    void begin_read() noexcept { underrun_counted_ = false; }
    // The last sample given out was concealed.
    bool concealing() const noexcept { return concealing_; }
    // Forgets the history and any erasure (counters are kept).
    void reset() noexcept {
        concealer_.reset();
        concealing_ = false;
    }
    const ConcealerCounters& counters() const noexcept { return counters_; }

  private:
    codec::LossConcealer concealer_;
    bool concealing_ = false;
    bool underrun_counted_ = false;
    ConcealerCounters counters_;
};

}  // namespace extrema::net
