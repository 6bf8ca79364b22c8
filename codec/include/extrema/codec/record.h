#pragma once
// The extrema stream's 5-byte record (format version 1, SPEC §2). All integers little-endian.
//
//   curve:   [id 1..255][u16 length in samples][s16 end value]
//   silence: [0]        [u32 count of samples]
#include <cstddef>
#include <cstdint>
#include <span>

namespace extrema::codec {

inline constexpr std::size_t kRecordBytes = 5;
inline constexpr std::uint8_t kSilenceId = 0;
inline constexpr std::uint32_t kMaxCurveSamples = 0xFFFF;        // u16 length field
inline constexpr std::uint32_t kMaxSilenceSamples = 0xFFFFFFFF;  // u32 count field

struct Record {
    std::uint8_t id = kSilenceId;  // 0: silence; 1..255: curve id in the bank
    std::uint32_t samples = 0;     // silence: count; curve: length (0 = anchor), <= 65535
    std::int16_t end = 0;          // curve: end value (int16 scale); silence: unused, 0

    static constexpr Record silence(std::uint32_t count) { return {kSilenceId, count, 0}; }
    static constexpr Record curve(std::uint8_t curve_id, std::uint16_t length,
                                  std::int16_t end_value) {
        return {curve_id, length, end_value};
    }
    // A zero-length curve: emits nothing and sets the decoder's value, so that a packet can be
    // decoded without its predecessors. The curve id is irrelevant; 1 by convention.
    static constexpr Record anchor(std::int16_t end_value) { return {1, 0, end_value}; }

    constexpr bool is_silence() const { return id == kSilenceId; }
    constexpr bool is_anchor() const { return id != kSilenceId && samples == 0; }
    bool operator==(const Record&) const = default;
};

void pack_record(const Record& record, std::span<std::uint8_t, kRecordBytes> out) noexcept;
Record unpack_record(std::span<const std::uint8_t, kRecordBytes> in) noexcept;

// Packs records back to back into `out`, which must hold records.size() * kRecordBytes bytes.
void pack_records(std::span<const Record> records, std::span<std::uint8_t> out) noexcept;
// Sum of the samples the records produce.
std::uint64_t count_samples(std::span<const Record> records) noexcept;

}  // namespace extrema::codec
