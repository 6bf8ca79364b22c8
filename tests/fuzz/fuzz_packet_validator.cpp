// Datagrams from anyone -> PacketValidator (RED packets too) -> JitterBuffer -> playout. No input
// may crash, read out of bounds or hit undefined behaviour; an accepted packet must be consistent
// with its bytes; playout must stay finite and within the codec's full scale.
//
// Input: one byte choosing the read block size, then datagrams, each as
//   [u16 LE length][u8 ms until the next datagram, read out meanwhile][length bytes]
// (a short last datagram takes what is left). A single datagram is thus 3 bytes of framing away.
#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "extrema/codec/decoder.h"
#include "fuzz_check.h"
#include "net/jitter_buffer.h"
#include "net/packet_validator.h"
#include "net/red_payload.h"
#include "net/rtp_header.h"

namespace {

using extrema::codec::kFullScale;
using extrema::codec::kRecordBytes;
using extrema::codec::unpack_record;
using extrema::net::Clock;

constexpr double kRateHz = 48000.0;
// Playout read per input at most: enough for every timeline path, fast enough to fuzz.
constexpr std::size_t kMaxReadSamples = 200000;
constexpr std::array<std::size_t, 6> kBlockSizes = {1, 37, 160, 240, 480, 1024};
// The codec's full scale is 32767, so an end value of -32768 plays as -32768/32767.
constexpr float kLowest = -32768.0f / kFullScale;

extrema::net::ValidatorConfig validator_config() {
    extrema::net::ValidatorConfig config;
    config.sample_rate_hz = kRateHz;
    config.accept_any_peer = true;
    config.red_payload_type = 97;  // RFC 2198 packets too, unwrapped into their blocks
    return config;
}

// What validate() accepted must be what the datagram says.
void check_accepted(std::span<const std::uint8_t> datagram,
                    const extrema::net::ValidatedPacket& packet,
                    const extrema::net::PacketValidator& validator) {
    extrema::net::RtpPacketView view;
    FUZZ_REQUIRE(extrema::net::parse_rtp_packet(datagram, view) ==
                 extrema::net::RtpParseError::kNone);
    auto payload = view.payload;
    if (view.header.payload_type == *validator.config().red_payload_type) {
        // A RED packet: the primary is the records, its blocks the redundant packets.
        extrema::net::RedPayloadView red;
        FUZZ_REQUIRE(extrema::net::parse_red_payload(view.payload, red) ==
                     extrema::net::RedParseError::kNone);
        FUZZ_REQUIRE(packet.header.payload_type == validator.config().payload_type);
        view.header.payload_type = validator.config().payload_type;
        payload = red.primary.data;
        const auto copies = validator.redundant().packets();
        FUZZ_REQUIRE(copies.size() == red.redundant_count);
        for (std::size_t i = 0; i < copies.size(); ++i) {
            FUZZ_REQUIRE(copies[i].header.timestamp ==
                         view.header.timestamp - red.redundant()[i].timestamp_offset);
            FUZZ_REQUIRE(copies[i].header.ssrc == view.header.ssrc);
            FUZZ_REQUIRE(copies[i].record_count * kRecordBytes == red.redundant()[i].data.size());
            FUZZ_REQUIRE(copies[i].samples >= 1 &&
                         copies[i].samples <= validator.max_packet_samples());
        }
    } else {
        FUZZ_REQUIRE(validator.redundant().packets().empty());
    }
    FUZZ_REQUIRE(view.header == packet.header);
    FUZZ_REQUIRE(payload.size() == packet.record_count * kRecordBytes);
    FUZZ_REQUIRE(packet.record_count >= 1 && packet.record_count <= packet.storage.size());
    std::uint64_t samples = 0;
    for (std::size_t i = 0; i < packet.record_count; ++i) {
        const auto record = unpack_record(payload.subspan(i * kRecordBytes).first<kRecordBytes>());
        FUZZ_REQUIRE(record == packet.storage[i]);
        FUZZ_REQUIRE(i == 0 || !record.is_anchor());
        samples += record.samples;
    }
    FUZZ_REQUIRE(samples == packet.samples);
    FUZZ_REQUIRE(samples >= 1 && samples <= validator.max_packet_samples());
    FUZZ_REQUIRE(packet.has_anchor == packet.storage[0].is_anchor());
}

void check_playout(std::span<const float> block) {
    for (const float v : block) {
        FUZZ_REQUIRE(std::isfinite(v));
        FUZZ_REQUIRE(v >= kLowest && v <= 1.0f);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    static const boost::asio::ip::udp::endpoint sender(
        boost::asio::ip::make_address_v4("192.0.2.7"), 5004);
    extrema::net::PacketValidator validator(validator_config());
    extrema::net::JitterBuffer jitter(extrema::net::JitterBufferConfig{});
    extrema::net::ValidatedPacket packet;
    std::vector<float> block(kBlockSizes[data[0] % kBlockSizes.size()]);
    std::span<const std::uint8_t> rest(data + 1, size - 1);
    Clock::time_point now = Clock::time_point{} + std::chrono::hours(1);
    std::size_t read = 0;

    while (rest.size() >= 3) {
        const std::size_t length = std::min<std::size_t>(rest[0] | rest[1] << 8, rest.size() - 3);
        const auto gap_ms = rest[2];
        const auto datagram = rest.subspan(3, length);
        rest = rest.subspan(3 + length);

        if (validator.validate(datagram, sender, now, packet)) {
            check_accepted(datagram, packet, validator);
            jitter.insert(packet, now);
            for (const auto& copy : validator.redundant().packets()) {
                jitter.insert(copy, now, extrema::net::PacketOrigin::kRedundant);
            }
        }
        // Play out what the clock says is due until the next datagram.
        const auto due = static_cast<std::size_t>(gap_ms * kRateHz / 1000.0);
        for (std::size_t done = 0; done < due && read < kMaxReadSamples; done += block.size()) {
            jitter.read(block);
            check_playout(block);
            read += block.size();
        }
        now += std::chrono::milliseconds(gap_ms);
    }
    return 0;
}
