// Any bytes, read as back-to-back 5-byte records -> Decoder and StreamDecoder. SPEC §2's exact
// end value: the last sample of every curve is its end value exactly, and the decoder holds it;
// a curve's samples stay between its start and end values (the bank's shapes are monotone
// within [0, 1]); every record produces exactly its length; and decoding in blocks of any size
// gives the same samples as record by record, in float and in int16 alike.
#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "extrema/codec/decoder.h"
#include "extrema/codec/record.h"
#include "fuzz_check.h"

namespace {

using namespace extrema::codec;

// Samples checked per input at most (a silence record alone may claim 2^32 - 1): one of the
// longest curves fits, so every record length is reached, yet an input takes a few ms at most.
constexpr std::size_t kBudget = std::size_t{1} << 16;
constexpr std::array<std::size_t, 5> kBlockSizes = {1, 7, 64, 1000, 4096};
// Block reads per input at most: small blocks get a smaller budget.
constexpr std::size_t kMaxReads = 4096;

// Record by record: the reference samples (int16 scale, unrounded) and the per-record checks.
std::vector<float> decode_checked(std::span<const Record> records, std::size_t budget) {
    std::vector<float> samples;
    Decoder decoder;
    float position = 0.0f;  // the decoder's value, 0 at stream start
    for (const Record& record : records) {
        if (samples.size() >= budget) break;
        decoder.push(record);
        FUZZ_REQUIRE(decoder.pending() == record.samples);
        const std::size_t length =
            static_cast<std::size_t>(std::min<std::uint64_t>(record.samples, budget));
        const std::size_t at = samples.size();
        samples.resize(at + length);
        FUZZ_REQUIRE(decoder.read_raw(std::span<float>(samples).subspan(at)) == length);
        const std::span<const float> produced(samples.data() + at, length);
        if (record.is_silence()) {
            for (const float v : produced) FUZZ_REQUIRE(v == position);
            if (length == record.samples) FUZZ_REQUIRE(decoder.pending() == 0);
            continue;
        }
        const auto end = static_cast<float>(record.end);
        const float low = std::min(position, end);
        const float high = std::max(position, end);
        for (const float v : produced) FUZZ_REQUIRE(v >= low && v <= high);
        FUZZ_REQUIRE(decoder.position() == record.end);
        if (length == record.samples) {  // read in full (the budget may cut the last one)
            if (length > 0) FUZZ_REQUIRE(produced.back() == end);  // the exact end value
            FUZZ_REQUIRE(decoder.pending() == 0);
        }
        position = end;
    }
    return samples;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::vector<Record> records(size / kRecordBytes);
    for (std::size_t i = 0; i < records.size(); ++i) {
        records[i] = unpack_record(std::span<const std::uint8_t, kRecordBytes>(data + 5 * i, 5));
        std::array<std::uint8_t, kRecordBytes> packed{};
        pack_record(records[i], packed);
        FUZZ_REQUIRE(std::equal(packed.begin(), packed.end(), data + 5 * i));
    }
    // Keep to the records within the budget, so the streamed decode below stays comparable.
    const std::size_t block = kBlockSizes[size % kBlockSizes.size()];
    const std::size_t budget = std::min(kBudget, block * kMaxReads);
    std::size_t kept = 0;
    std::uint64_t claimed = 0;
    while (kept < records.size() && claimed + records[kept].samples <= budget) {
        claimed += records[kept++].samples;
    }
    const std::span<const Record> stream(records.data(), kept);
    const std::vector<float> reference = decode_checked(records, budget);
    FUZZ_REQUIRE(reference.size() >= claimed);

    // The same records streamed in blocks of one size, as float and as int16.
    StreamDecoder as_float(stream);
    StreamDecoder as_int(stream);
    std::vector<float> f(block);
    std::vector<std::int16_t> s(block);
    constexpr float kInverse = 1.0f / kFullScale;
    std::size_t at = 0;
    while (true) {
        const std::size_t got = as_float.read(std::span<float>(f));
        FUZZ_REQUIRE(as_int.read(std::span<std::int16_t>(s)) == got);
        if (got == 0) break;
        FUZZ_REQUIRE(at + got <= claimed);
        for (std::size_t i = 0; i < got; ++i, ++at) {
            FUZZ_REQUIRE(f[i] == reference[at] * kInverse);
            FUZZ_REQUIRE(s[i] == static_cast<std::int16_t>(std::lround(reference[at])));
        }
    }
    FUZZ_REQUIRE(at == claimed);
    return 0;
}
