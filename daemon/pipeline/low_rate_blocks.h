#pragma once
// network.redundancy_kbps: RFC 2198 redundant blocks re-encoded at a lower rate (docs/wire.md).
// A second extrema encoder (the link's settings, its own target_kbps) is fed the same capture,
// and its records are cut into frames the way the packetizer cuts the link's records into
// packets: a frame ends with the first record that reaches a packet_ms grid line (silence is
// split there), or at flush(). Each frame leads with an anchor holding the second decoder's value
// before it, so it decodes on its own, like a packet.
//
// With the encoder's frame_ms = packet_ms (pipeline/send_path.cpp) every frame spans exactly the
// packet of the same timestamp: that frame, instead of the packet's own payload, is what later
// packets carry as its redundant block (net/red_encoder.h), and a receiver files it by its
// timestamp and plays its records in the lost packet's place as it would a copy. A packet with no
// frame of the same span (the payload cap cut it short) or a frame past a block's 10-bit length
// has no block here: the caller falls back to a copy.
//
// No allocation after construction: the record vector keeps its capacity and the frames are a
// fixed ring.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "extrema/codec/encoder.h"
#include "extrema/codec/record.h"
#include "net/packetizer.h"
#include "net/red_payload.h"

namespace extrema::pipeline {

class LowRateBlocks {
  public:
    // Most samples one push() takes (the record vector is sized for it).
    static constexpr std::size_t kMaxPushSamples = 4096;
    // Frames kept: the caller pushes here first, at most up to the next grid line, before the
    // link's own encoder, whose packets (the DTX gate holding a record back for a frame) trail by
    // at most a couple of frames.
    static constexpr std::size_t kFrames = 8;
    // Records a block holds, the anchor included: the RED header's 10-bit length.
    static constexpr std::size_t kMaxBlockRecords = net::kMaxRedBlockBytes / codec::kRecordBytes;

    // Encodes in `bank`, the link's own (the blocks go under the primary's payload type, which
    // names it). Throws std::invalid_argument for an encoder config out of range or
    // packet_samples = 0.
    LowRateBlocks(const codec::EncoderConfig& config, const codec::CurveBank& bank,
                  std::uint32_t packet_samples);

    // The next capture samples (at most kMaxPushSamples), as the link's encoder gets them.
    void push(std::span<const float> samples);
    // End of the stream: the open segment closes, and the frame in hand with it.
    void flush();

    // The block for the packet that starts at this RTP timestamp and produces `samples` samples:
    // the anchored records of the frame with that span, or empty when there is none.
    std::span<const std::uint8_t> block(std::uint32_t timestamp,
                                        std::uint64_t samples) const noexcept;

    std::uint64_t records_encoded() const noexcept { return records_encoded_; }

  private:
    struct Frame {
        std::uint64_t start = 0;    // stream index of its first sample
        std::uint64_t samples = 0;  // samples its records produce
        std::size_t records = 0;    // written, the anchor included
        bool complete = false;
        bool too_long = false;  // more records than a block holds: no block
        std::array<std::uint8_t, kMaxBlockRecords * codec::kRecordBytes> payload{};
    };

    void take(const codec::Record& record) noexcept;
    void append(const codec::Record& record) noexcept;
    void close() noexcept;
    std::uint64_t grid_line_after(std::uint64_t sample) const noexcept {
        return net::grid_line_after(sample, packet_samples_);
    }

    codec::Encoder encoder_;
    std::uint32_t packet_samples_;
    std::vector<codec::Record> records_;
    std::array<Frame, kFrames> frames_{};  // ring; the open frame is the slot after newest_
    std::size_t newest_ = kFrames - 1;
    bool open_ = false;
    std::uint64_t next_sample_ = 0;  // stream index after the records taken so far
    std::int16_t position_ = 0;      // second decoder's value after them
    std::uint64_t records_encoded_ = 0;
};

}  // namespace extrema::pipeline
