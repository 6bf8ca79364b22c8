#include "extrema/codec/xtr_format.h"

#include <algorithm>
#include <cstring>

#include "extrema/codec/curve_bank.h"
#include "extrema/codec/little_endian.h"
#include "extrema/codec/sample_rate.h"

namespace extrema::codec {
namespace {

bool has_magic(std::span<const std::uint8_t> bytes) {
    return bytes.size() >= 4 && std::memcmp(bytes.data(), kXtrMagic, 4) == 0;
}

}  // namespace

std::vector<Record> parse_records(std::span<const std::uint8_t> bytes) {
    if (bytes.size() % kRecordBytes != 0) {
        throw FormatError("trailing partial record (" +
                          std::to_string(bytes.size() % kRecordBytes) + " stray bytes at the end)");
    }
    std::vector<Record> records(bytes.size() / kRecordBytes);
    for (std::size_t i = 0; i < records.size(); ++i) {
        records[i] = unpack_record(bytes.subspan(i * kRecordBytes).first<kRecordBytes>());
    }
    return records;
}

std::vector<std::uint8_t> serialize_xtr(const XtrStream& stream) {
    if (stream.channels.empty() || stream.channels.size() > kMaxXtrChannels) {
        throw FormatError("a stream needs 1 to " + std::to_string(kMaxXtrChannels) + " channels");
    }
    std::size_t records = 0;
    for (const auto& channel : stream.channels) {
        if (count_samples(channel) != stream.samples_per_channel) {
            throw FormatError("channel sample counts disagree with the header");
        }
        records += channel.size();
    }
    const std::size_t header = kXtrFixedHeaderBytes + 8 * stream.channels.size();
    std::vector<std::uint8_t> out;
    out.reserve(header + records * kRecordBytes);
    for (const std::uint8_t b : kXtrMagic) out.push_back(b);
    put_le(out, kXtrVersion, 2);
    put_le(out, header, 2);
    put_le(out, stream.sample_rate_hz, 4);
    put_le(out, stream.channels.size(), 2);
    put_le(out, stream.bank_id, 2);
    put_le(out, stream.samples_per_channel, 8);
    for (const auto& channel : stream.channels) put_le(out, channel.size(), 8);
    for (const auto& channel : stream.channels) {
        const std::size_t at = out.size();
        out.resize(at + channel.size() * kRecordBytes);
        pack_records(channel, std::span<std::uint8_t>(out).subspan(at));
    }
    return out;
}

XtrStream parse_xtr(std::span<const std::uint8_t> bytes) {
    XtrStream stream;
    if (!has_magic(bytes)) {
        // The seed's headerless stream.
        stream.raw = true;
        stream.channels.push_back(parse_records(bytes));
        stream.samples_per_channel = count_samples(stream.channels[0]);
        return stream;
    }
    if (bytes.size() < kXtrFixedHeaderBytes) throw FormatError("truncated header");
    const auto version = get_le(bytes, 4, 2);
    if (version != kXtrVersion) {
        throw FormatError("unsupported format version " + std::to_string(version) +
                          " (this build reads " + std::to_string(kXtrVersion) + ")");
    }
    const auto header = get_le(bytes, 6, 2);
    const auto rate = get_le(bytes, 8, 4);
    const auto channels = get_le(bytes, 12, 2);
    stream.bank_id = static_cast<std::uint16_t>(get_le(bytes, 14, 2));
    stream.samples_per_channel = get_le(bytes, 16, 8);
    if (channels < 1 || channels > kMaxXtrChannels) {
        throw FormatError("invalid channel count " + std::to_string(channels));
    }
    if (!valid_sample_rate(static_cast<double>(rate)))
        throw FormatError("invalid sample rate " + std::to_string(rate));
    if (header != kXtrFixedHeaderBytes + 8 * channels)
        throw FormatError("inconsistent header size");
    if (bytes.size() < header) throw FormatError("truncated header");
    if (CurveBank::find(stream.bank_id) == nullptr) {
        throw FormatError("unknown curve bank id " + std::to_string(stream.bank_id));
    }
    stream.sample_rate_hz = static_cast<std::uint32_t>(rate);
    std::size_t at = header;
    const std::size_t body = bytes.size() - header;
    std::uint64_t total_records = 0;
    for (std::size_t c = 0; c < channels; ++c) {
        const auto count = get_le(bytes, kXtrFixedHeaderBytes + 8 * c, 8);
        if (count > body / kRecordBytes) throw FormatError("truncated: records missing");
        total_records += count;
    }
    if (total_records * kRecordBytes > body) throw FormatError("truncated: records missing");
    if (total_records * kRecordBytes < body) {
        throw FormatError("unexpected " + std::to_string(body - total_records * kRecordBytes) +
                          " bytes after the last record");
    }
    for (std::size_t c = 0; c < channels; ++c) {
        const auto count = get_le(bytes, kXtrFixedHeaderBytes + 8 * c, 8);
        stream.channels.push_back(parse_records(bytes.subspan(at, count * kRecordBytes)));
        at += count * kRecordBytes;
        if (count_samples(stream.channels.back()) != stream.samples_per_channel) {
            throw FormatError("channel " + std::to_string(c) + " decodes to " +
                              std::to_string(count_samples(stream.channels.back())) +
                              " samples, header says " +
                              std::to_string(stream.samples_per_channel));
        }
    }
    return stream;
}

}  // namespace extrema::codec
