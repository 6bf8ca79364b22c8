#include "net/red_encoder.h"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "net/rtp_header.h"

namespace extrema::net {
namespace {

RedEncoderConfig checked(const RedEncoderConfig& config) {
    if (config.payload_type > kMaxPayloadType || config.red_payload_type > kMaxPayloadType) {
        throw std::invalid_argument("payload types must be 0..127");
    }
    if (config.payload_type == config.red_payload_type) {
        throw std::invalid_argument("the RED payload type must differ from the records' (" +
                                    std::to_string(config.payload_type) + ")");
    }
    if (config.max_payload_bytes < kRedPrimaryHeaderBytes + codec::kRecordBytes ||
        config.max_payload_bytes > kMaxPayloadBytes) {
        throw std::invalid_argument("max payload must be " +
                                    std::to_string(kRedPrimaryHeaderBytes + codec::kRecordBytes) +
                                    ".." + std::to_string(kMaxPayloadBytes) + " bytes");
    }
    return config;
}

}  // namespace

RedEncoder::RedEncoder(const RedEncoderConfig& config) : config_(checked(config)) {}

void RedEncoder::remember(std::uint32_t timestamp, std::span<const std::uint8_t> payload) noexcept {
    newest_ = (newest_ + 1) % history_.size();
    Past& past = history_[newest_];
    past.timestamp = timestamp;
    past.bytes = std::min(payload.size(), past.payload.size());
    std::copy_n(payload.begin(), past.bytes, past.payload.begin());
}

void RedEncoder::process(OutgoingPacket& packet, std::size_t level,
                         std::span<const std::uint8_t> history) noexcept {
    const auto primary_data = packet.bytes().subspan(kRtpHeaderBytes);
    if (history.empty()) history = primary_data;
    level = std::min(level, kMaxRedundantBlocks);
    if (level == 0) {
        remember(packet.header.timestamp, history);
        return;
    }
    const RedBlock primary{config_.payload_type, 0, primary_data};
    // Candidates newest first; the payload takes them while they fit, then they go oldest first.
    std::array<RedBlock, kMaxRedundantBlocks> chosen{};
    std::size_t count = 0;
    std::size_t bytes = kRedPrimaryHeaderBytes + primary_data.size();
    bool full = false;     // once a block is left out, the older ones are too: no holes
    bool no_room = false;  // a block was left out for the cap alone
    for (std::size_t back = 0; back < level; ++back) {
        const Past& past = history_[(newest_ + history_.size() - back) % history_.size()];
        if (past.bytes == 0) break;  // nothing was sent that long ago
        const std::uint32_t offset = packet.header.timestamp - past.timestamp;
        const std::size_t cost = kRedBlockHeaderBytes + past.bytes;
        const bool over_cap = bytes + cost > config_.max_payload_bytes;
        if (!full && over_cap) no_room = true;
        full = full || offset == 0 || offset > kMaxRedTimestampOffset ||
               past.bytes > kMaxRedBlockBytes || over_cap;
        if (full) {
            ++blocks_dropped_;
            continue;
        }
        chosen[count++] = RedBlock{config_.payload_type, offset,
                                   std::span<const std::uint8_t>(past.payload).first(past.bytes)};
        bytes += cost;
    }
    // A RED packet that repairs nothing only costs its header, and one whose primary fills the
    // cap (a packetizer sized before redundancy came on by SIGHUP) would not fit at all.
    if (count == 0 && (no_room || bytes > config_.max_payload_bytes)) {
        ++plain_for_cap_;
        remember(packet.header.timestamp, history);
        return;
    }
    std::reverse(chosen.begin(), chosen.begin() + static_cast<std::ptrdiff_t>(count));

    RtpHeader header = packet.header;
    header.payload_type = config_.red_payload_type;
    pack_rtp_header(header, std::span<std::uint8_t>(buffer_).first<kRtpHeaderBytes>());
    const std::size_t written =
        write_red_payload(std::span<const RedBlock>(chosen).first(count), primary,
                          std::span<std::uint8_t>(buffer_).subspan(kRtpHeaderBytes));
    blocks_sent_ += count;
    // The history copies the primary (or `history`) before the packet points at our buffer.
    remember(packet.header.timestamp, history);
    packet.header = header;
    packet.buffer = buffer_;
    packet.size_bytes = kRtpHeaderBytes + written;
}

}  // namespace extrema::net
