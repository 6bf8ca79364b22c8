#include "extrema/report/wav_bytes.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "extrema/codec/decoder.h"
#include "extrema/codec/little_endian.h"

namespace extrema::report {
namespace {

void put_tag(std::vector<std::uint8_t>& out, const char (&tag)[5]) {
    out.insert(out.end(), tag, tag + 4);
}

}  // namespace

std::vector<std::uint8_t> wav_bytes(std::span<const std::int16_t> interleaved, int rate_hz,
                                    int channels) {
    if (channels < 1 || channels > 0xFFFF || rate_hz < 1 ||
        interleaved.size() % static_cast<std::size_t>(channels) != 0) {
        throw std::invalid_argument("wav_bytes: bad rate, channel count or sample count");
    }
    constexpr std::uint64_t kMaxData = 0xFFFFFFFFull - 36;
    const std::uint64_t data_bytes = interleaved.size() * 2;
    if (data_bytes > kMaxData) throw std::invalid_argument("wav_bytes: over 4 GiB of samples");
    const auto ch = static_cast<std::uint32_t>(channels);
    const auto rate = static_cast<std::uint32_t>(rate_hz);
    std::vector<std::uint8_t> out;
    out.reserve(44 + data_bytes);
    put_tag(out, "RIFF");
    codec::put_le(out, static_cast<std::uint32_t>(36 + data_bytes), 4);
    put_tag(out, "WAVE");
    put_tag(out, "fmt ");
    codec::put_le(out, 16, 4);  // PCMWAVEFORMAT
    codec::put_le(out, 1, 2);   // WAVE_FORMAT_PCM
    codec::put_le(out, ch, 2);
    codec::put_le(out, rate, 4);
    codec::put_le(out, rate * ch * 2, 4);  // bytes per second
    codec::put_le(out, ch * 2, 2);         // block align
    codec::put_le(out, 16, 2);             // bits per sample
    put_tag(out, "data");
    codec::put_le(out, static_cast<std::uint32_t>(data_bytes), 4);
    for (const std::int16_t s : interleaved) codec::put_le(out, static_cast<std::uint16_t>(s), 2);
    return out;
}

std::vector<std::int16_t> to_int16(std::span<const float> samples) {
    std::vector<std::int16_t> out(samples.size());
    std::transform(samples.begin(), samples.end(), out.begin(), [](float x) {
        const double v =
            std::clamp(std::nearbyint(static_cast<double>(x) * codec::kFullScale), -32768.0,
                       32767.0);
        return static_cast<std::int16_t>(std::isfinite(v) ? v : 0.0);
    });
    return out;
}

}  // namespace extrema::report
