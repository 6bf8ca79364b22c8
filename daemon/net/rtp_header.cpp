#include "net/rtp_header.h"

namespace extrema::net {
namespace {

constexpr std::size_t kCsrcBytes = 4;
constexpr std::size_t kExtensionHeaderBytes = 4;

std::uint16_t read_u16(std::span<const std::uint8_t> in) noexcept {
    return static_cast<std::uint16_t>(in[0] << 8 | in[1]);
}
std::uint32_t read_u32(std::span<const std::uint8_t> in) noexcept {
    return std::uint32_t{in[0]} << 24 | std::uint32_t{in[1]} << 16 | std::uint32_t{in[2]} << 8 |
           std::uint32_t{in[3]};
}

}  // namespace

void pack_rtp_header(const RtpHeader& header,
                     std::span<std::uint8_t, kRtpHeaderBytes> out) noexcept {
    out[0] = kRtpVersion << 6;
    out[1] =
        static_cast<std::uint8_t>((header.marker ? 0x80 : 0x00) | (header.payload_type & 0x7F));
    out[2] = static_cast<std::uint8_t>(header.sequence >> 8);
    out[3] = static_cast<std::uint8_t>(header.sequence);
    for (int i = 0; i < 4; ++i) {
        const int shift = 24 - 8 * i;
        out[4 + i] = static_cast<std::uint8_t>(header.timestamp >> shift);
        out[8 + i] = static_cast<std::uint8_t>(header.ssrc >> shift);
    }
}

RtpParseError parse_rtp_packet(std::span<const std::uint8_t> datagram,
                               RtpPacketView& out) noexcept {
    if (datagram.size() < kRtpHeaderBytes) return RtpParseError::kTruncatedHeader;
    const std::uint8_t b0 = datagram[0];
    if ((b0 >> 6) != kRtpVersion) return RtpParseError::kBadVersion;
    const bool padding = (b0 & 0x20) != 0;
    out.has_extension = (b0 & 0x10) != 0;
    out.csrc_count = b0 & 0x0F;
    out.header.marker = (datagram[1] & 0x80) != 0;
    out.header.payload_type = datagram[1] & 0x7F;
    out.header.sequence = read_u16(datagram.subspan(2));
    out.header.timestamp = read_u32(datagram.subspan(4));
    out.header.ssrc = read_u32(datagram.subspan(8));

    std::size_t at = kRtpHeaderBytes + kCsrcBytes * out.csrc_count;
    if (at > datagram.size()) return RtpParseError::kCsrcBeyondPacket;

    out.extension_profile = 0;
    out.extension = {};
    if (out.has_extension) {
        if (datagram.size() - at < kExtensionHeaderBytes)
            return RtpParseError::kExtensionBeyondPacket;
        out.extension_profile = read_u16(datagram.subspan(at));
        const std::size_t words = read_u16(datagram.subspan(at + 2));
        at += kExtensionHeaderBytes;
        if (datagram.size() - at < 4 * words) return RtpParseError::kExtensionBeyondPacket;
        out.extension = datagram.subspan(at, 4 * words);
        at += 4 * words;
    }

    std::size_t end = datagram.size();
    out.padding_bytes = 0;
    if (padding) {
        // The last byte counts the padding including itself (RFC 3550 §5.1), so 0 is invalid.
        const std::uint8_t count = datagram.back();
        if (count == 0 || count > end - at) return RtpParseError::kBadPadding;
        out.padding_bytes = count;
        end -= count;
    }
    out.payload = datagram.subspan(at, end - at);
    return RtpParseError::kNone;
}

}  // namespace extrema::net
