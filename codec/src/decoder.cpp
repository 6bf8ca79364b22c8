#include "extrema/codec/decoder.h"

#include "extrema/codec/simd_path.h"

#include <algorithm>
#include <array>
#include <cmath>

#if defined(__x86_64__)
#include <immintrin.h>
#endif

namespace extrema::codec {
namespace {

// A run of interior samples of one curve: k = first .. first + count - 1 of the table read at the
// step of the curve's length, from `from` by `height`, times `scale`.
struct Run {
    const float* curve;
    float step, from, height, scale;
    std::uint32_t first;
};

// render_point() one sample at a time.
void render_portable(const Run& run, std::size_t count, float* out) noexcept {
    for (std::size_t i = 0; i < count; ++i) {
        const auto k = static_cast<float>(run.first + i);
        out[i] = (run.from + run.height * render_point(run.curve, k, run.step)) * run.scale;
    }
}

#if defined(__x86_64__)
// The same with AVX2, 8 samples per pass: the same float operations in the same order (no fused
// multiply-add), so the same values. k < 2^16 converts exactly from int32, and x < 1023 truncates
// to the same index as the scalar cast.
__attribute__((target("avx2"))) void render_avx2(const Run& run, std::size_t count,
                                                 float* out) noexcept {
    const __m256 step = _mm256_set1_ps(run.step);
    const __m256 from = _mm256_set1_ps(run.from);
    const __m256 height = _mm256_set1_ps(run.height);
    const __m256 scale = _mm256_set1_ps(run.scale);
    const __m256i last = _mm256_set1_epi32(static_cast<int>(kBankPoints - 2));
    __m256i k = _mm256_add_epi32(_mm256_set1_epi32(static_cast<int>(run.first)),
                                 _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
    std::size_t i = 0;
    for (; i + 8 <= count; i += 8) {
        const __m256 x = _mm256_mul_ps(_mm256_cvtepi32_ps(k), step);
        const __m256i j = _mm256_min_epi32(_mm256_cvttps_epi32(x), last);
        const __m256 frac = _mm256_sub_ps(x, _mm256_cvtepi32_ps(j));
        const __m256 a = _mm256_i32gather_ps(run.curve, j, 4);
        const __m256 b = _mm256_i32gather_ps(run.curve + 1, j, 4);
        const __m256 value = _mm256_add_ps(a, _mm256_mul_ps(_mm256_sub_ps(b, a), frac));
        const __m256 sample = _mm256_add_ps(from, _mm256_mul_ps(height, value));
        _mm256_storeu_ps(out + i, _mm256_mul_ps(sample, scale));
        k = _mm256_add_epi32(k, _mm256_set1_epi32(8));
    }
    Run rest = run;
    rest.first += static_cast<std::uint32_t>(i);
    render_portable(rest, count - i, out + i);
}
#endif

// Long curves on the current SIMD path (looked up once per record, not per sample).
void render_long(const Run& run, std::size_t count, float* out) noexcept {
#if defined(__x86_64__)
    if (simd_path() >= SimdPath::kAvx2) return render_avx2(run, count, out);
#endif
    render_portable(run, count, out);
}

}  // namespace

void Decoder::push(const Record& record) noexcept {
    current_ = record;
    remaining_ = record.samples;
    done_ = 0;
    start_ = pos_;
    if (!record.is_silence()) {
        pos_ = record.end;  // the value after this record; start_ keeps where the curve begins
    }
}

void Decoder::render(float* out, std::size_t count, float scale) noexcept {
    if (current_.is_silence()) {
        std::fill(out, out + count, static_cast<float>(pos_) * scale);
    } else {
        const auto n = current_.samples;
        const auto from = static_cast<float>(start_);
        const float height = static_cast<float>(current_.end) - from;
        // Sample k (1-based) is render_point(k) but the last one (k = n): the end value exactly,
        // whatever the float rounding, so it is written apart.
        const std::size_t interior = std::min<std::size_t>(count, n - 1 - std::min(done_, n - 1));
        if (interior == 0) {
            // Only the end value is left (always so for a one-sample curve).
        } else if (n <= kPrerenderedSamples) {
            const float* curve = bank_->prerendered(current_.id, n) + done_;
            for (std::size_t i = 0; i < interior; ++i) out[i] = (from + height * curve[i]) * scale;
        } else {
            const float step = static_cast<float>(kBankPoints - 1) / static_cast<float>(n);
            render_long({bank_->table(current_.id).data(), step, from, height, scale, done_ + 1},
                        interior, out);
        }
        if (interior < count) out[interior] = static_cast<float>(current_.end) * scale;
        done_ += static_cast<std::uint32_t>(count);
    }
    remaining_ -= count;
}

std::size_t Decoder::read_raw(std::span<float> out) noexcept {
    const auto count = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), remaining_));
    render(out.data(), count, 1.0f);  // exact: v * 1 is v
    return count;
}

std::size_t Decoder::read(std::span<float> out) noexcept {
    const auto count = static_cast<std::size_t>(std::min<std::uint64_t>(out.size(), remaining_));
    render(out.data(), count, 1.0f / kFullScale);
    return count;
}

std::size_t Decoder::read(std::span<std::int16_t> out) noexcept {
    // Rendered through a stack chunk, then rounded.
    std::array<float, 256> chunk;
    std::size_t done = 0;
    while (done < out.size() && remaining_ > 0) {
        const std::size_t count =
            read_raw(std::span(chunk).first(std::min(chunk.size(), out.size() - done)));
        for (std::size_t i = 0; i < count; ++i) {
            out[done + i] =
                static_cast<std::int16_t>(std::clamp(std::lround(chunk[i]), -32768L, 32767L));
        }
        done += count;
    }
    return done;
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
