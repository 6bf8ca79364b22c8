#include "extrema/codec/record.h"

#include <cassert>

#include "extrema/codec/little_endian.h"

namespace extrema::codec {

void pack_record(const Record& record, std::span<std::uint8_t, kRecordBytes> out) noexcept {
    out[0] = record.id;
    if (record.is_silence()) {
        set_le(out, 1, record.samples, 4);
        return;
    }
    set_le(out, 1, static_cast<std::uint16_t>(record.samples), 2);
    set_le(out, 3, static_cast<std::uint16_t>(record.end), 2);
}

Record unpack_record(std::span<const std::uint8_t, kRecordBytes> in) noexcept {
    if (in[0] == kSilenceId) return Record::silence(static_cast<std::uint32_t>(get_le(in, 1, 4)));
    const auto length = static_cast<std::uint16_t>(get_le(in, 1, 2));
    const auto end = static_cast<std::int16_t>(static_cast<std::uint16_t>(get_le(in, 3, 2)));
    return Record::curve(in[0], length, end);
}

void pack_records(std::span<const Record> records, std::span<std::uint8_t> out) noexcept {
    assert(out.size() >= records.size() * kRecordBytes);
    for (std::size_t i = 0; i < records.size(); ++i) {
        pack_record(records[i], out.subspan(i * kRecordBytes).first<kRecordBytes>());
    }
}

std::uint64_t count_samples(std::span<const Record> records) noexcept {
    std::uint64_t total = 0;
    for (const auto& r : records) total += r.samples;
    return total;
}

}  // namespace extrema::codec
