#include "extrema/codec/record.h"

#include <cassert>

namespace extrema::codec {

void pack_record(const Record& record, std::span<std::uint8_t, kRecordBytes> out) noexcept {
    out[0] = record.id;
    if (record.is_silence()) {
        const std::uint32_t n = record.samples;
        out[1] = static_cast<std::uint8_t>(n);
        out[2] = static_cast<std::uint8_t>(n >> 8);
        out[3] = static_cast<std::uint8_t>(n >> 16);
        out[4] = static_cast<std::uint8_t>(n >> 24);
        return;
    }
    const auto length = static_cast<std::uint16_t>(record.samples);
    const auto end = static_cast<std::uint16_t>(record.end);
    out[1] = static_cast<std::uint8_t>(length);
    out[2] = static_cast<std::uint8_t>(length >> 8);
    out[3] = static_cast<std::uint8_t>(end);
    out[4] = static_cast<std::uint8_t>(end >> 8);
}

Record unpack_record(std::span<const std::uint8_t, kRecordBytes> in) noexcept {
    if (in[0] == kSilenceId) {
        const std::uint32_t n = std::uint32_t{in[1]} | std::uint32_t{in[2]} << 8 |
                                std::uint32_t{in[3]} << 16 | std::uint32_t{in[4]} << 24;
        return Record::silence(n);
    }
    const auto length = static_cast<std::uint16_t>(in[1] | in[2] << 8);
    const auto end = static_cast<std::int16_t>(static_cast<std::uint16_t>(in[3] | in[4] << 8));
    return Record::curve(in[0], length, end);
}

void pack_records(std::span<const Record> records, std::span<std::uint8_t> out) noexcept {
    assert(out.size() >= records.size() * kRecordBytes);
    for (std::size_t i = 0; i < records.size(); ++i) {
        pack_record(records[i], out.subspan(i * kRecordBytes).first<kRecordBytes>());
    }
}

}  // namespace extrema::codec
