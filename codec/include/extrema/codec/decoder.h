#pragma once
// Streaming extrema decoder (SPEC §2). Records go in one at a time; samples come out in blocks of
// any size, so a u32 silence never needs a u32-sized buffer. No allocation after construction.
//
// Decoder state is `pos`, the current value on the int16 scale, 0 at stream start:
//   silence n:       n samples equal to pos;
//   curve id, n, y:  pos + (y - pos) * C_id((i + 1) / n) for i = 0..n-1, then pos = y
//                    (the last sample is exactly y; n = 0 is an anchor: only pos = y).
#include <cstdint>
#include <span>
#include <vector>

#include "extrema/codec/curve_bank.h"
#include "extrema/codec/record.h"

namespace extrema::codec {

// Full scale of the int16 scale: float samples are value / kFullScale (the seed's 2^15 - 1).
inline constexpr float kFullScale = 32767.0f;

class Decoder {
  public:
    explicit Decoder(const CurveBank& bank = CurveBank::standard()) noexcept : bank_(&bank) {}

    // Starts decoding `record`. Any samples left of the previous record are discarded; callers
    // drain with read() first. An anchor or a zero silence takes effect at once.
    void push(const Record& record) noexcept;
    // Samples still to come from the record pushed last.
    std::uint64_t pending() const noexcept { return remaining_; }

    // Writes up to out.size() samples of the current record; returns how many. Float output is
    // int16 scale / 32767, unclamped (swings overshoot: may leave [-1, 1]); int16 is saturated.
    std::size_t read(std::span<float> out) noexcept;
    std::size_t read(std::span<std::int16_t> out) noexcept;
    // Same, on the int16 scale without rounding (what tests compare against end values).
    std::size_t read_raw(std::span<float> out) noexcept;

    std::int16_t position() const noexcept { return pos_; }
    // Forces the held value (loss concealment resynchronises this way).
    void set_position(std::int16_t value) noexcept { pos_ = value; }
    const CurveBank& bank() const noexcept { return *bank_; }
    // The bank of the records pushed from now on (a link names each packet's bank by its payload
    // type); the position carries over. Between records only: pending() must be 0.
    void set_bank(const CurveBank& bank) noexcept { bank_ = &bank; }

  private:
    // Writes the next `count` samples of the current record (at most pending()) on the int16
    // scale, times `scale`.
    void render(float* out, std::size_t count, float scale) noexcept;

    const CurveBank* bank_;
    Record current_{};
    std::int16_t pos_ = 0;    // value after the last completed record
    std::int16_t start_ = 0;  // value the current curve starts from
    std::uint64_t remaining_ = 0;
    std::uint32_t done_ = 0;  // samples of the current curve already produced
};

// Decodes a whole record stream into int16 samples (files, tests).
std::vector<std::int16_t> decode_all(std::span<const Record> records,
                                     const CurveBank& bank = CurveBank::standard());

// Decodes a sequence of records held elsewhere, in blocks of any size.
class StreamDecoder {
  public:
    explicit StreamDecoder(std::span<const Record> records,
                           const CurveBank& bank = CurveBank::standard()) noexcept
        : records_(records), decoder_(bank) {}
    // Fills as much of `out` as the records allow; returns samples written (0 at the end).
    template <typename Sample>
    std::size_t read(std::span<Sample> out) noexcept {
        std::size_t done = 0;
        while (done < out.size()) {
            if (decoder_.pending() == 0) {
                if (next_ == records_.size()) break;
                decoder_.push(records_[next_++]);
                continue;
            }
            done += decoder_.read(out.subspan(done));
        }
        return done;
    }

  private:
    std::span<const Record> records_;
    std::size_t next_ = 0;
    Decoder decoder_;
};

}  // namespace extrema::codec
