// Any file -> parse_xsvd -> decoding. parse_xsvd must either throw XsvdFormatError or return a
// file consistent with its bytes: it serialises back to the same bytes, and decoding streams
// pieces of bounded size that add up to the stated length. A small file can declare a long
// signal (rank 1 of a long block), so each input decodes at most a fixed budget of samples.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "extrema/lowrank/svd_codec.h"
#include "extrema/lowrank/xsvd_format.h"
#include "fuzz_check.h"

namespace {

using namespace extrema::lowrank;

// Samples decoded per input at most, over all channels: 2^18 keeps each input fast.
constexpr std::uint64_t kDecodeBudget = std::uint64_t{1} << 18;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    XsvdFile file;
    try {
        file = parse_xsvd(bytes);
    } catch (const XsvdFormatError&) {
        return 0;  // refused with a reason: fine. Anything else thrown is a crash.
    }
    const XsvdHeader& h = file.header;
    FUZZ_REQUIRE(std::uint64_t{h.rows()} * h.block_frames <= kMaxXsvdBlockValues);
    FUZZ_REQUIRE(xsvd_file_bytes(h) == size);
    FUZZ_REQUIRE(parse_xsvd_header(bytes).samples_per_channel == h.samples_per_channel);
    const std::vector<std::uint8_t> again = serialize_xsvd(file);
    FUZZ_REQUIRE(again.size() == size && std::equal(again.begin(), again.end(), bytes.begin()));

    SvdDecoder decoder(file);
    std::vector<float> piece;
    const std::uint64_t total = h.samples_per_channel * h.channels;
    std::uint64_t decoded = 0;
    while (decoded <= kDecodeBudget && decoder.next(piece)) {
        FUZZ_REQUIRE(piece.size() % h.channels == 0);
        FUZZ_REQUIRE(piece.size() <=
                     SvdDecoder::kMaxPieceSamples + std::size_t{h.n_fft} * h.channels);
        for (const float v : piece) FUZZ_REQUIRE(!std::isnan(v));
        decoded += piece.size();
        FUZZ_REQUIRE(decoded <= total);
    }
    if (decoded <= kDecodeBudget) FUZZ_REQUIRE(decoded == total);
    return 0;
}
