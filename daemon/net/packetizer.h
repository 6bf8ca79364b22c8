#pragma once
// Packs the encoder's records into RTP packets (docs/wire.md). The records are the stream from
// sample 0 on, in order and contiguous, so the sample index of every record is implicit: the
// packetizer counts it and stamps each packet with the index of its first sample.
//
// No allocation after construction: records are packed straight into one preallocated send
// buffer, which is handed to the sink (to protect with SRTP in place, then send) and reused.
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "extrema/codec/record.h"
#include "extrema/codec/sample_rate.h"
#include "net/rtp_header.h"
#include "net/stream_defaults.h"

namespace extrema::net {

// The packet grid: the first multiple of `packet_samples` after stream index `sample` (the
// packetizer's packets, and the low-rate redundant blocks cut to match them, end there).
inline std::uint64_t grid_line_after(std::uint64_t sample, std::uint32_t packet_samples) noexcept {
    return (sample / packet_samples + 1) * packet_samples;
}

struct PacketizerConfig {
    // Rate of the encoded stream; converts packet_ms to samples.
    double sample_rate_hz = codec::kDefaultSampleRateHz;
    // The link sets the next four from its keys (net/stream_defaults.h).
    double packet_ms = kDefaultPacketMs;  // audio per packet
    std::size_t max_payload_bytes =
        kDefaultMaxPayloadBytes;                           // payload cap, at most kMaxPayloadBytes
    std::uint8_t payload_type = kDefaultPayloadType;       // of the records' bank
    std::uint8_t cn_payload_type = kDefaultCnPayloadType;  // RFC 3389 comfort noise
    // Start each packet with an anchor holding the decoder's value before it, so every packet
    // decodes on its own: after a loss the receiver resumes exactly instead of from a wrong
    // value. Costs 5 bytes per packet (4 kbit/s at 100 packets/s).
    bool lead_with_anchor = true;
    // Fixed SSRC and first sequence number (tests); by default both are random per session
    // (RFC 3550 §5.1), from std::random_device.
    std::optional<std::uint32_t> ssrc;
    std::optional<std::uint16_t> first_sequence;
};

// A finished packet. `buffer` is the whole send buffer: the packet is its first `size_bytes`, and
// at least kSrtpTrailerRoomBytes more follow, so the sink may protect it in place and grow
// size_bytes. Valid only during the sink call.
struct OutgoingPacket {
    std::span<std::uint8_t> buffer;
    std::size_t size_bytes = 0;
    RtpHeader header;
    std::uint64_t samples = 0;   // samples the packet's records produce
    std::size_t records = 0;     // including the leading anchor
    bool silence_only = false;   // only silence records (the anchor aside)
    bool comfort_noise = false;  // an RFC 3389 CN packet (send_comfort_noise): no records

    std::span<std::uint8_t> bytes() const noexcept { return buffer.first(size_bytes); }
};

class Packetizer {
  public:
    using Sink = std::function<void(OutgoingPacket& packet)>;

    // Throws std::invalid_argument for a config out of range.
    Packetizer(const PacketizerConfig& config, Sink sink);

    // Takes the next records of the stream; calls the sink for every packet completed.
    //  - Packets end on a grid of packet_ms from sample 0: a packet is sent once its records
    //    reach the next grid line, or before a record that would push its payload over the cap.
    //    An encoder with frame_ms = packet_ms closes a record at each grid line, so each packet
    //    then covers exactly packet_ms and leaves as soon as its audio is captured.
    //  - A silence is split at grid lines (silence a + b decodes exactly like silence a then b),
    //    so silent packets cover exactly packet_ms however long the encoder's silence record is (up
    //    to 2^32 samples) and no receiver cap is ever exceeded by silence.
    //  - A curve covering packet_ms or more cannot be split (its shape depends on its length):
    //    the packet in hand is sent first, then the curve alone in its own packet. Live senders
    //    bound curves with the encoder's max_segment_ms, which must stay within the receiver's
    //    max_packet_ms.
    //  - An anchor from the encoder ends the packet in hand and leads the next one.
    void push(std::span<const codec::Record> records);
    void push(const codec::Record& record);
    // Sends the records in hand, if they produce any samples (end of stream, or a pause).
    void flush();

    // DTX (discontinuous transmission): the stream goes on through a pause without packets.
    //  - skip: the packet in hand is sent, then the stream index advances over these records
    //    (or samples) and the decoder value follows the records, but nothing is sent; the next
    //    packet of records opens a talk spurt (marker bit, RFC 3551 §4.1), its anchor holds
    //    the value the skipped records left, as if they had been sent, and it ends on the
    //    stream's packet_ms grid (so it may be shorter than packet_ms).
    //  - send_comfort_noise: the packet in hand is sent, then one RFC 3389 packet (payload type
    //    cn_payload_type, at most kMaxCnPayloadBytes) stamped with the current sample index, in
    //    the same SSRC and sequence space. It produces no samples on the stream.
    void skip(std::span<const codec::Record> records);
    void skip(std::uint64_t samples);
    void send_comfort_noise(std::span<const std::uint8_t> payload);
    static constexpr std::size_t kMaxCnPayloadBytes = 64;
    std::uint64_t skipped_samples() const noexcept { return skipped_samples_; }
    std::uint64_t comfort_noise_sent() const noexcept { return comfort_noise_sent_; }

    std::uint32_t ssrc() const noexcept { return ssrc_; }
    std::uint16_t next_sequence() const noexcept { return sequence_; }
    // Stream sample index just after the last record pushed.
    std::uint64_t next_sample() const noexcept { return next_sample_; }
    std::uint32_t packet_samples() const noexcept { return packet_samples_; }
    // Stream sample index of the next grid line: the earliest the records of the packet in hand
    // (or the next one) can complete it.
    std::uint64_t packet_end_sample() const noexcept { return grid_line_after(next_sample_); }
    std::size_t max_records() const noexcept { return max_records_; }
    std::uint64_t packets_sent() const noexcept { return packets_sent_; }
    std::uint64_t payload_bytes_sent() const noexcept { return payload_bytes_sent_; }
    const PacketizerConfig& config() const noexcept { return config_; }

  private:
    std::uint64_t grid_line_after(std::uint64_t sample) const noexcept {
        return net::grid_line_after(sample, packet_samples_);
    }
    void append(const codec::Record& record);
    void begin_packet();
    void write_record(const codec::Record& record);
    void send();

    PacketizerConfig config_;
    Sink sink_;
    std::vector<std::uint8_t> buffer_;  // header + payload cap + SRTP room
    std::uint32_t packet_samples_ = 0;  // packet_ms in samples
    std::size_t max_records_ = 0;       // payload cap in records

    std::uint32_t ssrc_ = 0;
    std::uint16_t sequence_ = 0;
    std::uint64_t next_sample_ = 0;  // stream index after the records pushed so far
    std::int16_t position_ = 0;      // decoder value after the records pushed so far

    // The packet in hand.
    std::size_t records_ = 0;         // records written, anchor included; 0 = no packet
    std::uint64_t samples_ = 0;       // samples they produce
    std::uint64_t first_sample_ = 0;  // stream index of the packet's first sample
    bool silence_only_ = true;

    bool sent_any_ = false;
    bool spurt_pending_ = false;  // samples were skipped: the next packet of records is marked
    std::uint64_t skipped_samples_ = 0;
    std::uint64_t comfort_noise_sent_ = 0;
    bool previous_silence_only_ = false;
    std::uint64_t packets_sent_ = 0;
    std::uint64_t payload_bytes_sent_ = 0;
};

}  // namespace extrema::net
