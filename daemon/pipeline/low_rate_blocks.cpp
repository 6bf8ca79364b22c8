#include "pipeline/low_rate_blocks.h"

#include <algorithm>
#include <stdexcept>

namespace extrema::pipeline {

using codec::kRecordBytes;
using codec::Record;

namespace {

std::uint32_t checked_packet(std::uint32_t packet_samples) {
    if (packet_samples == 0) throw std::invalid_argument("a packet must hold at least one sample");
    return packet_samples;
}

}  // namespace

LowRateBlocks::LowRateBlocks(const codec::EncoderConfig& config, const codec::CurveBank& bank,
                             std::uint32_t packet_samples)
    : encoder_(config, bank), packet_samples_(checked_packet(packet_samples)) {
    // A push closes at most one record per two samples, plus the frame ends in it.
    records_.reserve(2 * kMaxPushSamples);
}

void LowRateBlocks::push(std::span<const float> samples) {
    records_.clear();
    encoder_.push(samples, records_);
    records_encoded_ += records_.size();
    for (const Record& record : records_) take(record);
}

void LowRateBlocks::flush() {
    records_.clear();
    encoder_.flush(records_);
    records_encoded_ += records_.size();
    for (const Record& record : records_) take(record);
    if (open_) close();
}

void LowRateBlocks::take(const Record& record) noexcept {
    if (record.is_anchor()) {
        // Like the packetizer: an anchor ends the frame in hand and leads the next one.
        if (open_) close();
        position_ = record.end;
        return;
    }
    if (!record.is_silence()) {
        append(record);
        return;
    }
    // Silence a + b decodes as silence a then b: split at grid lines, as the packetizer does.
    std::uint64_t left = record.samples;
    while (left > 0) {
        const std::uint64_t room = grid_line_after(next_sample_) - next_sample_;
        const auto piece = static_cast<std::uint32_t>(std::min(left, room));
        append(Record::silence(piece));
        left -= piece;
    }
}

void LowRateBlocks::append(const Record& record) noexcept {
    Frame& frame = frames_[(newest_ + 1) % kFrames];
    const auto write = [&frame](const Record& r) {
        codec::pack_record(r, std::span<std::uint8_t>(frame.payload)
                                  .subspan(frame.records * kRecordBytes)
                                  .first<kRecordBytes>());
        ++frame.records;
    };
    if (!open_) {
        frame = Frame{};
        frame.start = next_sample_;
        write(Record::anchor(position_));
        open_ = true;
    }
    if (frame.records == kMaxBlockRecords) {
        frame.too_long = true;
    } else if (!frame.too_long) {
        write(record);
    }
    frame.samples += record.samples;
    next_sample_ += record.samples;
    if (!record.is_silence()) position_ = record.end;
    if (next_sample_ >= grid_line_after(frame.start)) close();
}

void LowRateBlocks::close() noexcept {
    newest_ = (newest_ + 1) % kFrames;
    frames_[newest_].complete = true;
    open_ = false;
}

std::span<const std::uint8_t> LowRateBlocks::block(std::uint32_t timestamp,
                                                   std::uint64_t samples) const noexcept {
    for (const Frame& frame : frames_) {
        if (frame.complete && !frame.too_long &&
            static_cast<std::uint32_t>(frame.start) == timestamp && frame.samples == samples) {
            return std::span<const std::uint8_t>(frame.payload).first(frame.records * kRecordBytes);
        }
    }
    return {};
}

}  // namespace extrema::pipeline
