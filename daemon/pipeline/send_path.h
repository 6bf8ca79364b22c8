#pragma once
// The sender's half of a link, minus the socket: capture samples in, protected RTP datagrams out.
//
//   samples -> [compressor] -> extrema encoder (max_segment_ms cap) -> [DTX gate] -> packetizer
//           -> [RFC 2198 redundancy, CN packets aside] -> [SRTP] -> transmit(datagram)
//
// With network.redundancy_kbps a second encoder (pipeline/low_rate_blocks.h) gets the same
// compressed samples, and its records of each packet's span, not the packet's own, are what the
// later packets carry as its redundant block. It is made at the start, when redundancy is on (or
// auto), and runs from then on, so a SIGHUP back to redundancy finds it in step: a link started
// without redundancy sends copies.
//
// With encoder.dtx the gate (pipeline/dtx_gate.h) sends nothing but RFC 3389 comfort noise
// through the pauses; the encoder still gets every sample.
//
// Runs on the link's network thread only. Steady state allocates nothing: the record vector and
// the packet buffer keep their capacity, the compressor and the encoder work in place.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <vector>

#include "extrema/codec/encoder.h"
#include "extrema/dsp/compressor.h"
#include "net/packetizer.h"
#include "net/red_encoder.h"
#include "net/redundancy_policy.h"
#include "net/rtcp_session.h"
#include "net/srtp_session.h"
#include "pipeline/dtx_gate.h"
#include "pipeline/link_config.h"
#include "pipeline/link_stats.h"
#include "pipeline/low_rate_blocks.h"

namespace extrema::pipeline {

class SendPath {
  public:
    // Hands one finished datagram to the socket; returns false if it could not be sent (counted).
    using Transmit = std::function<bool(std::span<const std::uint8_t> datagram)>;

    // Throws std::invalid_argument (bad encoder/packetizer/compressor settings) or
    // net::SrtpKeyError (unusable key file).
    SendPath(const LinkConfig& config, Transmit transmit);

    // Encodes these mono samples (normalised floats) and sends every packet they complete.
    // Applies the compressor in place first when it is on.
    void push(std::span<float> samples);
    // Samples pushed so far that the next packet needs before it can be complete (at least 1):
    // the capture the network thread waits for.
    std::uint64_t samples_until_packet() const noexcept;
    // End of the stream: closes the open segment and sends what is in hand.
    void flush();

    // SIGHUP: swap the compressor settings (or turn it on/off) between two blocks.
    void set_compressor(const CompressorSettings& settings);

    // DTLS-SRTP (network.dtls): the keys of a new session; packets are held back (counted as
    // unkeyed) until the first ones come.
    void set_srtp_key(const net::SrtpKey& key);

    // SIGHUP (network.redundancy): `count` redundant blocks per packet (0..kMaxRedundantBlocks),
    // or automatic from the peer's loss reports, from the next packet on. A link that started
    // without redundancy sized its packets for the whole cap: those that still fill it go plain
    // (counted as redundant_plain). check_redundancy() throws std::invalid_argument, before
    // anything changes, for equal payload types or a count out of range; so does this.
    void check_redundancy(int count, bool automatic) const;
    void set_redundancy(int count, bool automatic);

    // The fraction lost (0..1) of a report block the peer sent on our stream: with
    // network.redundancy = auto it sets the redundancy from the next packet on. Observed
    // whatever the mode, so that a SIGHUP to auto starts from what the reports said.
    void on_loss_report(double fraction_lost) noexcept;
    std::size_t redundancy() const noexcept { return redundancy_; }

    // What an RTCP sender report tells of this stream: packets and payload bytes sent so far, the
    // RTP clock now (the sample index after the last sample pushed), and the SSRC.
    net::RtcpSession::Sent rtcp_sent() const noexcept;
    std::uint32_t ssrc() const noexcept { return packetizer_.ssrc(); }
    std::uint64_t wire_bytes() const noexcept { return wire_bytes_; }

    // Adds this path's counters to `stats` (frames_captured and device figures are the link's).
    void fill_stats(SendStats& stats) const noexcept;

  private:
    void encode(std::span<float> samples);
    void on_packet(net::OutgoingPacket& packet);
    void route(std::span<const codec::Record> records);

    double rate_hz_;
    std::optional<dsp::Compressor> compressor_;
    codec::Encoder encoder_;
    net::Packetizer packetizer_;
    std::optional<DtxGate> dtx_;  // encoder.dtx only
    net::RedEncoderConfig red_config_;
    std::optional<net::RedEncoder> red_;  // once redundancy (or auto) was on
    // network.redundancy_kbps > 0 with redundancy on (or auto) at the start: the blocks' encoder.
    std::optional<LowRateBlocks> low_rate_;
    std::uint64_t red_copies_ = 0;  // RED-era packets whose block had to be a copy
    std::size_t redundancy_ = 0;    // redundant blocks per packet now
    bool redundancy_auto_ = false;
    net::RedundancyPolicy policy_;
    std::unique_ptr<net::SrtpSession> srtp_;
    bool awaits_keys_ = false;  // SRTP keys come from DTLS: send nothing until they do
    Transmit transmit_;
    std::vector<codec::Record> records_;
    std::uint64_t samples_pushed_ = 0;
    std::uint64_t records_encoded_ = 0;
    std::uint64_t packets_ = 0;
    std::uint64_t wire_bytes_ = 0;
    std::uint64_t payload_bytes_ = 0;  // RTP payload of the packets sent (SRTP excluded)
    std::uint64_t send_errors_ = 0;
    std::uint64_t unkeyed_ = 0;
};

// The codec's settings for a link (also what an offline encode of the same input must use).
codec::EncoderConfig encoder_config(const LinkConfig& config);
// The bank it encodes with (encoder.bank), and the payload type that names that bank.
const codec::CurveBank& curve_bank(const LinkConfig& config);
std::uint8_t records_payload_type(const LinkConfig& config);

}  // namespace extrema::pipeline
