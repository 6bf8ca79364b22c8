#pragma once
// Interleaved multichannel audio in, an .xtr stream out: one encoder and one record stream per
// channel (docs/format.md). Blocks of any size; the result does not depend on them.
#include <cstdint>
#include <span>
#include <vector>

#include "extrema/codec/encoder.h"
#include "extrema/codec/xtr_format.h"

namespace extrema::codec {

class XtrEncoder {
  public:
    // Throws std::invalid_argument for a channel count outside 1..kMaxXtrChannels or a bad config.
    XtrEncoder(int channels, const EncoderConfig& config,
               const CurveBank& bank = CurveBank::standard());

    // Interleaved int16 frames (whole frames only).
    void push(std::span<const std::int16_t> interleaved);
    // Flushes every channel and hands over the stream (rate, bank id, sample count filled in).
    XtrStream finish();

  private:
    std::vector<Encoder> encoders_;
    std::vector<std::int16_t> channel_;  // one channel of the current block
    XtrStream stream_;
};

}  // namespace extrema::codec
