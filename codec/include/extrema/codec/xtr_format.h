#pragma once
// The .xtr file (docs/format.md): a header, then each channel's record stream in turn.
//
//   offset  size  field
//   0       4     magic "XTR" 0x1A
//   4       2     format version (1)
//   6       2     header size in bytes (24 + 8 * channels)
//   8       4     sample rate, Hz
//   12      2     channel count (1..kMaxXtrChannels)
//   14      2     curve bank id
//   16      8     samples per channel
//   24      8*C   record count of each channel
//   ...           records of channel 0, then channel 1, ... (5 bytes each, SPEC §2)
//
// A file without the magic is the seed's raw stream: records only, 44100 Hz, mono, standard bank.
// Pure byte handling: callers do the file I/O.
#include <cstdint>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "extrema/codec/record.h"

namespace extrema::codec {

inline constexpr std::uint8_t kXtrMagic[4] = {'X', 'T', 'R', 0x1A};
inline constexpr std::uint16_t kXtrVersion = 1;
inline constexpr std::size_t kXtrFixedHeaderBytes = 24;
inline constexpr std::uint16_t kMaxXtrChannels = 256;
inline constexpr std::uint32_t kSeedRawRateHz = 44100;  // the seed's fixed rate

class FormatError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct XtrStream {
    std::uint32_t sample_rate_hz = kSeedRawRateHz;
    std::uint16_t bank_id = 1;
    std::uint64_t samples_per_channel = 0;
    bool raw = false;                           // read from a headerless seed stream
    std::vector<std::vector<Record>> channels;  // one record stream per channel
};

// Serialises a stream with its header. Throws FormatError if the channels' sample counts differ.
std::vector<std::uint8_t> serialize_xtr(const XtrStream& stream);
// Parses and validates a whole file's bytes. Throws FormatError with a one-line reason on a bad
// magic, version, header, unknown bank, truncated data, trailing partial record, or sample counts
// that disagree with the header.
XtrStream parse_xtr(std::span<const std::uint8_t> bytes);
// Parses back-to-back records; throws FormatError on a trailing partial record.
std::vector<Record> parse_records(std::span<const std::uint8_t> bytes);

}  // namespace extrema::codec
