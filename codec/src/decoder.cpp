#include "extrema/codec/decoder.h"

#include <algorithm>
#include <cmath>

namespace extrema::codec {

void Decoder::push(const Record& record) noexcept {
    current_ = record;
    remaining_ = record.samples;
    done_ = 0;
    start_ = pos_;
    if (!record.is_silence()) {
        pos_ = record.end;  // the value after this record; start_ keeps where the curve begins
    }
}

template <typename Convert>
std::size_t Decoder::produce(std::size_t max, Convert&& emit) noexcept {
    const auto count = static_cast<std::size_t>(std::min<std::uint64_t>(max, remaining_));
    if (current_.is_silence()) {
        const auto held = static_cast<float>(pos_);
        for (std::size_t i = 0; i < count; ++i) emit(i, held);
    } else {
        const auto n = current_.samples;
        const auto from = static_cast<float>(start_);
        const float height = static_cast<float>(current_.end) - from;
        const std::span<const float, kBankPoints> curve = bank_->table(current_.id);
        // Sample k (1-based) reads the table at x = k (kBankPoints - 1) / n; the last one (k = n)
        // is the end value exactly, whatever the float rounding, so it is written apart.
        const float step = static_cast<float>(kBankPoints - 1) / static_cast<float>(n);
        const std::size_t interior = std::min<std::size_t>(count, n - 1 - std::min(done_, n - 1));
        for (std::size_t i = 0; i < interior; ++i) {
            const auto k = static_cast<float>(done_ + i + 1);
            const float x = k * step;
            const std::size_t j = std::min(static_cast<std::size_t>(x), kBankPoints - 2);
            const float frac = x - static_cast<float>(j);
            emit(i, from + height * (curve[j] + (curve[j + 1] - curve[j]) * frac));
        }
        if (interior < count) emit(interior, static_cast<float>(current_.end));
        done_ += static_cast<std::uint32_t>(count);
    }
    remaining_ -= count;
    return count;
}

std::size_t Decoder::read_raw(std::span<float> out) noexcept {
    return produce(out.size(), [&](std::size_t i, float v) { out[i] = v; });
}

std::size_t Decoder::read(std::span<float> out) noexcept {
    constexpr float kInvFullScale = 1.0f / kFullScale;
    return produce(out.size(), [&](std::size_t i, float v) { out[i] = v * kInvFullScale; });
}

std::size_t Decoder::read(std::span<std::int16_t> out) noexcept {
    return produce(out.size(), [&](std::size_t i, float v) {
        out[i] = static_cast<std::int16_t>(std::clamp(std::lround(v), -32768L, 32767L));
    });
}

std::vector<std::int16_t> decode_all(std::span<const Record> records, const CurveBank& bank) {
    std::vector<std::int16_t> out(count_samples(records));
    Decoder decoder(bank);
    std::size_t at = 0;
    for (const auto& r : records) {
        decoder.push(r);
        while (decoder.pending() > 0) {
            at += decoder.read(std::span<std::int16_t>(out).subspan(at));
        }
    }
    return out;
}

}  // namespace extrema::codec
