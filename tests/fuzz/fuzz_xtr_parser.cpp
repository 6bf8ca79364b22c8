// Any file -> parse_xtr (an .xtr file, or the seed's headerless record stream) -> decoding.
// parse_xtr must either throw FormatError or return a stream that is consistent with its bytes:
// every channel decodes to exactly the sample count the header states, and serialising it gives
// the same bytes back. Parsing allocates in proportion to the file; a hostile header cannot make
// it allocate more (a u32 silence is 5 bytes for 2^32 samples, so decoding is streamed, and
// whole only up to a cap per input).
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "extrema/codec/curve_bank.h"
#include "extrema/codec/decoder.h"
#include "extrema/codec/xtr_format.h"
#include "fuzz_check.h"

namespace {

using namespace extrema::codec;

// Samples decoded per input at most, over all channels: 2^18 keeps each input within a ms or so.
constexpr std::uint64_t kDecodeBudget = std::uint64_t{1} << 18;

// Streams the channel in blocks and counts what comes out.
std::uint64_t decoded_length(std::span<const Record> records, const CurveBank& bank) {
    StreamDecoder decoder(records, bank);
    std::vector<std::int16_t> block(4096);
    std::uint64_t total = 0;
    while (const std::size_t got = decoder.read(std::span<std::int16_t>(block))) total += got;
    return total;
}

// Without decoding: each record must announce exactly its own length to the decoder.
void check_record_lengths(std::span<const Record> records, const CurveBank& bank) {
    Decoder decoder(bank);
    for (const Record& record : records) {
        decoder.push(record);
        FUZZ_REQUIRE(decoder.pending() == record.samples);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    XtrStream stream;
    try {
        stream = parse_xtr(bytes);
    } catch (const FormatError&) {
        return 0;  // refused with a reason: fine. Anything else thrown is a crash.
    }

    FUZZ_REQUIRE(!stream.channels.empty() && stream.channels.size() <= kMaxXtrChannels);
    std::size_t records = 0;
    for (const auto& channel : stream.channels) {
        FUZZ_REQUIRE(count_samples(channel) == stream.samples_per_channel);
        records += channel.size();
    }
    const CurveBank* bank = CurveBank::find(stream.bank_id);
    FUZZ_REQUIRE(bank != nullptr);

    if (stream.raw) {
        // The seed's stream: records only, all of the file.
        FUZZ_REQUIRE(stream.channels.size() == 1);
        FUZZ_REQUIRE(stream.sample_rate_hz == kSeedRawRateHz);
        FUZZ_REQUIRE(records * kRecordBytes == size);
        std::vector<std::uint8_t> again(size);
        pack_records(stream.channels[0], again);
        FUZZ_REQUIRE(std::equal(again.begin(), again.end(), bytes.begin()));
    } else {
        // Nothing in a valid file is lost or invented: it serialises back to the same bytes.
        const std::vector<std::uint8_t> again = serialize_xtr(stream);
        FUZZ_REQUIRE(again.size() == size && std::equal(again.begin(), again.end(), bytes.begin()));
    }

    const std::uint64_t total = stream.samples_per_channel * stream.channels.size();
    const bool small = stream.samples_per_channel <= kDecodeBudget && total <= kDecodeBudget;
    for (const auto& channel : stream.channels) {
        if (small) {
            FUZZ_REQUIRE(decoded_length(channel, *bank) == stream.samples_per_channel);
        } else {
            check_record_lengths(channel, *bank);
        }
    }
    return 0;
}
