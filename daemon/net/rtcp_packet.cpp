#include "net/rtcp_packet.h"

#include <algorithm>

namespace extrema::net {
namespace {

constexpr std::uint8_t kVersion = 2;
constexpr std::size_t kHeaderBytes = 4;
constexpr std::size_t kSenderInfoBytes = 20;
constexpr std::size_t kBlockBytes = 24;

std::uint32_t read32(std::span<const std::uint8_t> at) noexcept {
    return std::uint32_t{at[0]} << 24 | std::uint32_t{at[1]} << 16 | std::uint32_t{at[2]} << 8 |
           std::uint32_t{at[3]};
}

void write16(std::uint8_t* at, std::uint16_t value) noexcept {
    at[0] = static_cast<std::uint8_t>(value >> 8);
    at[1] = static_cast<std::uint8_t>(value);
}

void write32(std::uint8_t* at, std::uint32_t value) noexcept {
    write16(at, static_cast<std::uint16_t>(value >> 16));
    write16(at + 2, static_cast<std::uint16_t>(value));
}

// Header of a packet of `bytes` (a multiple of 4): V=2, P=0.
void write_header(std::uint8_t* at, std::size_t count, std::uint8_t type,
                  std::size_t bytes) noexcept {
    at[0] = static_cast<std::uint8_t>(kVersion << 6 | count);
    at[1] = type;
    write16(at + 2, static_cast<std::uint16_t>(bytes / 4 - 1));
}

std::size_t report_bytes(const RtcpCompound& compound) noexcept {
    return kHeaderBytes + 4 + (compound.sender ? kSenderInfoBytes : 0) +
           compound.blocks.size() * kBlockBytes;
}

// SDES with one chunk: SSRC, the CNAME item (type, length, text), then at least one null byte
// that ends the item list, up to the next 32-bit boundary (RFC 3550 §6.5).
std::size_t sdes_bytes(const RtcpCompound& compound) noexcept {
    const std::size_t chunk = 4 + 2 + compound.cname.size() + 1;
    return kHeaderBytes + (chunk + 3) / 4 * 4;
}

constexpr std::size_t kByeBytes = kHeaderBytes + 4;

void write_block(std::uint8_t* at, const ReportBlock& block) noexcept {
    write32(at, block.ssrc);
    // Cumulative loss is 24-bit signed: clamp to its range (RFC 3550 A.3).
    const std::int32_t lost = std::clamp(block.cumulative_lost, -0x800000, 0x7fffff);
    write32(at + 4, std::uint32_t{block.fraction_lost} << 24 |
                        (static_cast<std::uint32_t>(lost) & 0xffffffU));
    write32(at + 8, block.extended_highest_sequence);
    write32(at + 12, block.jitter);
    write32(at + 16, block.lsr);
    write32(at + 20, block.dlsr);
}

ReportBlock read_block(std::span<const std::uint8_t> at) noexcept {
    ReportBlock block;
    block.ssrc = read32(at);
    block.fraction_lost = at[4];
    const std::uint32_t lost = read32(at.subspan(4)) & 0xffffffU;
    // Sign-extend the 24-bit field.
    block.cumulative_lost = static_cast<std::int32_t>(lost & 0x800000U ? lost | 0xff000000U : lost);
    block.extended_highest_sequence = read32(at.subspan(8));
    block.jitter = read32(at.subspan(12));
    block.lsr = read32(at.subspan(16));
    block.dlsr = read32(at.subspan(20));
    return block;
}

void take_blocks(std::span<const std::uint8_t> blocks, std::size_t count,
                 RtcpReport& out) noexcept {
    for (std::size_t i = 0; i < count && out.block_count < out.storage.size(); ++i) {
        out.storage[out.block_count++] = read_block(blocks.subspan(i * kBlockBytes));
    }
}

// SDES body: `count` chunks, each an SSRC and items up to a null type byte, padded to 32 bits.
RtcpParseError parse_sdes(std::span<const std::uint8_t> body, std::size_t count,
                          RtcpReport& out) noexcept {
    std::size_t at = 0;
    for (std::size_t chunk = 0; chunk < count; ++chunk) {
        if (body.size() - at < 4) return RtcpParseError::kBadSdes;
        const std::uint32_t ssrc = read32(body.subspan(at));
        at += 4;
        while (true) {
            if (at >= body.size()) return RtcpParseError::kBadSdes;  // no terminating null
            const std::uint8_t type = body[at];
            if (type == 0) break;
            if (body.size() - at < 2) return RtcpParseError::kBadSdes;
            const std::size_t length = body[at + 1];
            if (body.size() - at - 2 < length) return RtcpParseError::kBadSdes;
            if (type == kSdesCname && ssrc == out.ssrc && length > 0) {
                std::copy_n(body.begin() + static_cast<std::ptrdiff_t>(at + 2), length,
                            out.cname_storage.begin());
                out.cname_bytes = length;
                out.has_cname = true;
            }
            at += 2 + length;
        }
        // The null and the padding after it, to the next 32-bit boundary.
        at = (at / 4 + 1) * 4;
        if (at > body.size()) return RtcpParseError::kBadSdes;
    }
    return RtcpParseError::kNone;
}

}  // namespace

const char* to_string(RtcpParseError error) noexcept {
    switch (error) {
        case RtcpParseError::kNone:
            return "none";
        case RtcpParseError::kTruncated:
            return "truncated";
        case RtcpParseError::kBadVersion:
            return "bad_version";
        case RtcpParseError::kNotReportFirst:
            return "not_report_first";
        case RtcpParseError::kBadPadding:
            return "bad_padding";
        case RtcpParseError::kBadCount:
            return "bad_count";
        case RtcpParseError::kBadSdes:
            return "bad_sdes";
        case RtcpParseError::kSecondSender:
            return "second_sender";
        case RtcpParseError::kCount:
            break;
    }
    return "unknown";
}

std::size_t rtcp_size(const RtcpCompound& compound) noexcept {
    return report_bytes(compound) + sdes_bytes(compound) + (compound.bye ? kByeBytes : 0);
}

std::size_t build_rtcp(const RtcpCompound& compound, std::span<std::uint8_t> out) noexcept {
    if (compound.blocks.size() > kMaxReportBlocks || compound.cname.empty() ||
        compound.cname.size() > kMaxCnameBytes) {
        return 0;
    }
    const std::size_t total = rtcp_size(compound);
    if (out.size() < total) return 0;
    std::fill_n(out.begin(), total, std::uint8_t{0});
    std::uint8_t* at = out.data();

    const std::size_t report = report_bytes(compound);
    write_header(at, compound.blocks.size(),
                 compound.sender ? kRtcpSenderReport : kRtcpReceiverReport, report);
    write32(at + 4, compound.ssrc);
    std::uint8_t* next = at + 8;
    if (compound.sender) {
        const SenderInfo& info = *compound.sender;
        write32(next, static_cast<std::uint32_t>(info.ntp_timestamp >> 32));
        write32(next + 4, static_cast<std::uint32_t>(info.ntp_timestamp));
        write32(next + 8, info.rtp_timestamp);
        write32(next + 12, info.packet_count);
        write32(next + 16, info.octet_count);
        next += kSenderInfoBytes;
    }
    for (const ReportBlock& block : compound.blocks) {
        write_block(next, block);
        next += kBlockBytes;
    }
    at += report;

    const std::size_t sdes = sdes_bytes(compound);
    write_header(at, 1, kRtcpSourceDescription, sdes);
    write32(at + 4, compound.ssrc);
    at[8] = kSdesCname;
    at[9] = static_cast<std::uint8_t>(compound.cname.size());
    std::copy(compound.cname.begin(), compound.cname.end(), at + 10);  // nulls follow (filled)
    at += sdes;

    if (compound.bye) {
        write_header(at, 1, kRtcpBye, kByeBytes);
        write32(at + 4, compound.ssrc);
    }
    return total;
}

RtcpParseError parse_rtcp(std::span<const std::uint8_t> datagram, RtcpReport& out) noexcept {
    out = RtcpReport{};
    std::size_t at = 0;
    bool first = true;
    while (at < datagram.size()) {
        const std::span<const std::uint8_t> rest = datagram.subspan(at);
        if (rest.size() < kHeaderBytes) return RtcpParseError::kTruncated;
        if (rest[0] >> 6 != kVersion) return RtcpParseError::kBadVersion;
        const bool padded = (rest[0] & 0x20) != 0;
        const std::size_t count = rest[0] & 0x1f;
        const std::uint8_t type = rest[1];
        const std::size_t bytes = (std::size_t{rest[2]} << 8 | rest[3]) * 4 + 4;
        if (bytes > rest.size()) return RtcpParseError::kTruncated;
        std::span<const std::uint8_t> body = rest.subspan(kHeaderBytes, bytes - kHeaderBytes);
        if (padded) {
            // Only the last packet may pad, and its count byte counts itself (RFC 3550 §6.4.1).
            const std::size_t pad = body.empty() ? 0 : body.back();
            if (bytes != rest.size() || pad == 0 || pad > body.size()) {
                return RtcpParseError::kBadPadding;
            }
            body = body.first(body.size() - pad);
        }
        if (first && type != kRtcpSenderReport && type != kRtcpReceiverReport) {
            return RtcpParseError::kNotReportFirst;
        }
        switch (type) {
            case kRtcpSenderReport:
            case kRtcpReceiverReport: {
                const bool sender = type == kRtcpSenderReport;
                if (sender && out.has_sender_info) return RtcpParseError::kSecondSender;
                const std::size_t fixed = 4 + (sender ? kSenderInfoBytes : 0);
                if (body.size() < fixed + count * kBlockBytes) return RtcpParseError::kBadCount;
                if (first) out.ssrc = read32(body);
                if (sender) {
                    if (!first) return RtcpParseError::kSecondSender;  // an SR leads or is absent
                    out.has_sender_info = true;
                    out.sender_info.ntp_timestamp =
                        std::uint64_t{read32(body.subspan(4))} << 32 | read32(body.subspan(8));
                    out.sender_info.rtp_timestamp = read32(body.subspan(12));
                    out.sender_info.packet_count = read32(body.subspan(16));
                    out.sender_info.octet_count = read32(body.subspan(20));
                }
                take_blocks(body.subspan(fixed), count, out);
                break;
            }
            case kRtcpSourceDescription: {
                const RtcpParseError error = parse_sdes(body, count, out);
                if (error != RtcpParseError::kNone) return error;
                break;
            }
            case kRtcpBye: {
                if (body.size() < count * 4) return RtcpParseError::kBadCount;
                for (std::size_t i = 0; i < count; ++i) {
                    if (read32(body.subspan(i * 4)) == out.ssrc) out.bye = true;
                }
                // An optional reason (length byte, text) may follow; it is not used.
                break;
            }
            default:
                ++out.ignored_packets;  // RFC 3550 §6.1: unknown types are ignored
                break;
        }
        first = false;
        at += bytes;
    }
    if (first) return RtcpParseError::kTruncated;  // empty datagram
    return RtcpParseError::kNone;
}

}  // namespace extrema::net
