#include "extrema/quality/visqol.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

#include "checks.h"
#include "envelope.h"
#include "extrema/quality/align.h"
#include "extrema/quality/error.h"
#include "extrema/quality/resample.h"
#include "gammatone.h"
#include "nsim.h"
#include "visqol_model.h"

namespace extrema::quality {
namespace {

using namespace visqol;

// Shares of the running time, for the progress callback: two spectrograms, then the patches.
constexpr double kRefShare = 0.3;
constexpr double kDegShare = 0.3;

constexpr std::size_t kMinFrames = kFirstPatchFrame + kPatchFrames;
constexpr std::size_t kMinSamples = kFrameSamples + (kMinFrames - 1) * kHopSamples;
constexpr std::size_t kPatchSamples = kPatchFrames * kHopSamples;

std::string seconds(std::size_t samples) {
    char text[32];
    std::snprintf(text, sizeof text, "%.2f s", static_cast<double>(samples) / kRateHz);
    return text;
}

// test shifted by -delay (delay > 0: test is late): the front dropped or padded with zeros.
std::vector<float> shift(const std::vector<float>& test, std::int64_t delay) {
    if (delay >= 0) {
        const auto skip = std::min(test.size(), static_cast<std::size_t>(delay));
        return {test.begin() + static_cast<std::ptrdiff_t>(skip), test.end()};
    }
    std::vector<float> out(static_cast<std::size_t>(-delay), 0.0F);
    out.insert(out.end(), test.begin(), test.end());
    return out;
}

// Delay of test relative to ref from their upper envelopes (align.h's convention).
std::int64_t envelope_delay(std::span<const float> ref, std::span<const float> test,
                            double max_lag_s) {
    const std::vector<float> re = upper_envelope(ref);
    const std::vector<float> te = upper_envelope(test);
    return estimate_delay_samples(re, te, kRateHz, max_lag_s);
}

// Scales test to the reference's RMS level (visqol's sound-pressure-level match).
void match_level(std::span<const float> ref, std::vector<float>& test) {
    const double test_energy = detail::energy(test);
    const double gain = std::sqrt(detail::energy(ref) / static_cast<double>(ref.size()) /
                                  (test_energy / static_cast<double>(test.size())));
    for (float& v : test) v = static_cast<float>(v * gain);
}

// Per 320-sample chunk of the reference: voiced or not (visqol_model.h, voice activity).
std::vector<bool> voice_activity(std::span<const float> ref) {
    float peak = 0.0F;
    for (const float v : ref) peak = std::max(peak, std::abs(v));
    if (peak == 0.0F) throw QualityError("reference signal is silent at 16 kHz");
    const std::size_t chunks = ref.size() / kHopSamples;
    std::vector<bool> loud(chunks, false);
    for (std::size_t c = 0; c < chunks; ++c) {
        double sum = 0.0;
        for (std::size_t i = 0; i < kHopSamples; ++i) {
            const double scaled =
                std::clamp(static_cast<double>(ref[c * kHopSamples + i]) / peak * kVadFullScale,
                           -kVadFullScale, kVadFullScale - 1.0);
            const double as_int16 = std::trunc(scaled);
            sum += as_int16 * as_int16;
        }
        loud[c] = std::sqrt(sum / kHopSamples) >= kVadRmsThreshold;
    }
    std::vector<bool> voiced(chunks, false);
    for (std::size_t c = 0; c < chunks; ++c) {
        bool any = c + 1 < kVadSilentChunks;  // the first chunks count as voiced
        for (std::size_t back = 0; back < kVadSilentChunks && back <= c; ++back) {
            any = any || loud[c - back];
        }
        voiced[c] = any;
    }
    return voiced;
}

// Start frames of the reference patches to score: on the model's patch grid, with voice activity
// in the frames they cover, and starting within the degraded spectrogram's reach.
std::vector<std::size_t> reference_patches(std::span<const float> ref, std::size_t ref_frames,
                                           std::size_t deg_frames) {
    const std::vector<bool> voiced = voice_activity(ref);
    std::vector<std::size_t> starts;
    for (std::size_t start = kFirstPatchFrame; start + kPatchFrames <= ref_frames;
         start += kPatchFrames) {
        // visqol keeps a patch while it starts no more than half a patch past the degraded end.
        if (start > deg_frames + kPatchFrames / 2) break;
        bool any = false;
        for (std::size_t c = start; c < std::min(start + kPatchFrames, voiced.size()); ++c) {
            any = any || voiced[c];
        }
        if (any) starts.push_back(start);
    }
    return starts;
}

struct Match {
    bool lost = false;  // no degraded patch matched (visqol's packet-loss case): NSIM 0
    std::size_t deg_start = 0;
};

// The in-order matching of reference patches to degraded offsets that maximises the summed
// NSIM, each offset within kSearchRadiusFrames of its reference patch (visqol's
// FindMostOptimalDegPatches), with progress reported from `from` to `to`.
std::vector<Match> match_patches(const Spectrogram& ref, const Spectrogram& deg,
                                 const std::vector<std::size_t>& starts,
                                 const ProgressCallback& progress, double from, double to) {
    constexpr double kUndefined = std::numeric_limits<double>::lowest();
    const std::size_t count = starts.size();
    const auto lowest = [&](std::size_t p) {
        return starts[p] > kSearchRadiusFrames ? starts[p] - kSearchRadiusFrames : 0;
    };
    const auto highest = [&](std::size_t p) {  // inclusive; at least one offset
        return std::max<std::size_t>(lowest(p),
                                     std::min(starts[p] + kSearchRadiusFrames, deg.frames - 1));
    };
    // cumulative[p][o - lowest(p)] and where the best path to it came from (-1: none).
    std::vector<std::vector<double>> cumulative(count);
    std::vector<std::vector<std::int64_t>> back(count);
    const auto value_at = [&](std::size_t p, std::size_t o) {
        if (o < lowest(p) || o > highest(p)) return kUndefined;
        return cumulative[p][o - lowest(p)];
    };
    for (std::size_t p = 0; p < count; ++p) {
        const std::size_t lo = lowest(p);
        const std::size_t hi = highest(p);
        cumulative[p].assign(hi - lo + 1, kUndefined);
        back[p].assign(hi - lo + 1, -1);
        for (std::size_t o = lo; o <= hi; ++o) {
            double total = nsim(ref, starts[p], deg, o, kPatchFrames).nsim;
            std::int64_t from_offset = -1;
            if (p > 0) {
                // Two reference patches never share a degraded offset: the previous one ends
                // strictly earlier.
                double best = kUndefined;
                for (std::size_t prev = lowest(p - 1); prev < o; ++prev) {
                    const double v = value_at(p - 1, prev);
                    if (v > best) {
                        best = v;
                        from_offset = static_cast<std::int64_t>(prev);
                    }
                }
                total = best == kUndefined ? kUndefined : total + best;
                // Skipping this patch (lost) keeps the previous patch's total at this offset.
                if (const double skip = value_at(p - 1, o); skip > total) {
                    total = skip;
                    from_offset = static_cast<std::int64_t>(o);
                }
            }
            cumulative[p][o - lo] = total;
            back[p][o - lo] = from_offset;
        }
        if (progress)
            progress(from + (to - from) * static_cast<double>(p + 1) / static_cast<double>(count));
    }
    // The last patch's best offset, keeping its degraded patch inside the spectrogram if possible.
    const std::size_t last = count - 1;
    std::size_t offset = lowest(last);
    double best = kUndefined;
    for (const bool inside_only : {true, false}) {
        for (std::size_t o = lowest(last); o <= highest(last); ++o) {
            if (inside_only && o + kPatchFrames >= deg.frames) break;
            if (value_at(last, o) > best) {
                best = value_at(last, o);
                offset = o;
            }
        }
        if (best != kUndefined) break;
    }
    std::vector<Match> matches(count);
    for (std::size_t p = count; p-- > 0;) {
        const std::int64_t prev = back[p][offset - lowest(p)];
        matches[p].deg_start = offset;
        // No predecessor (prev < 0) only happens for the first patch; treated as lost elsewhere.
        matches[p].lost = p > 0 && (prev < 0 || prev == static_cast<std::int64_t>(offset));
        if (p > 0 && prev >= 0) offset = static_cast<std::size_t>(prev);
    }
    return matches;
}

// The patch re-aligned in time (visqol's FinelyAlignAndRecreatePatches): the two 400 ms
// stretches aligned by their envelopes, their own spectrograms compared; the better of this and
// the coarse match counts.
PatchSimilarity refine(const GammatoneBank& bank, std::span<const float> ref,
                       std::span<const float> deg, std::size_t ref_start_frame,
                       std::size_t deg_start_frame, const PatchSimilarity& coarse) {
    const std::size_t rb = ref_start_frame * kHopSamples;
    const std::size_t db = deg_start_frame * kHopSamples;
    if (rb >= ref.size() || db >= deg.size()) return coarse;
    const auto r = ref.subspan(rb, std::min(kPatchSamples, ref.size() - rb));
    const auto d = deg.subspan(db, std::min(kPatchSamples, deg.size() - db));
    // visqol limits this lag to half the stretch.
    const double max_lag_s = static_cast<double>(kPatchSamples) / 2.0 / kRateHz;
    AlignedPair pair;
    try {
        pair = align(r, d, envelope_delay(r, d, max_lag_s));
    } catch (const QualityError&) {
        return coarse;  // the stretches do not overlap at any lag: keep the coarse match
    }
    if (pair.ref.size() <= kFrameSamples) return coarse;
    Spectrogram rs = bank.build(pair.ref);
    Spectrogram ds = bank.build(pair.test);
    prepare_for_comparison(rs, ds);
    const PatchSimilarity fine = nsim(rs, 0, ds, 0, std::min(rs.frames, ds.frames));
    return fine.nsim < coarse.nsim ? coarse : fine;
}

}  // namespace

SpeechQuality speech_quality(std::span<const float> ref_in, int ref_rate_hz,
                             std::span<const float> test_in, int test_rate_hz,
                             const ProgressCallback& progress) {
    detail::require_rate(ref_rate_hz);
    detail::require_rate(test_rate_hz);
    detail::require_signal(ref_in, "reference");
    detail::require_signal(test_in, "test");
    detail::require_not_silent(ref_in);
    const std::vector<float> ref = resample(ref_in, ref_rate_hz, kRateHz);
    const std::vector<float> test_16k = resample(test_in, test_rate_hz, kRateHz);
    if (ref.size() < kMinSamples) {
        throw QualityError("reference is " + seconds(ref.size()) +
                           " long; the speech quality model needs at least " +
                           seconds(kMinSamples));
    }
    const double length_gap_s =
        std::abs(static_cast<double>(ref.size()) - static_cast<double>(test_16k.size())) / kRateHz;
    if (length_gap_s > kDurationToleranceSeconds) {
        throw QualityError("reference is " + seconds(ref.size()) + " but test is " +
                           seconds(test_16k.size()) + ": they may differ by at most " +
                           seconds(static_cast<std::size_t>(kDurationToleranceSeconds * kRateHz)));
    }
    std::vector<float> test = shift(test_16k, envelope_delay(ref, test_16k, kMaxGlobalLagSeconds));
    if (detail::energy(test) == 0.0) {
        // Nothing was heard: the worst score. (visqol's level match divides by zero here.)
        return SpeechQuality{kMinMos, 0.0, 0};
    }
    match_level(ref, test);

    const GammatoneBank bank;
    Spectrogram ref_spec = bank.build(ref);
    if (progress) progress(kRefShare);
    Spectrogram deg_spec = bank.build(test);
    if (progress) progress(kRefShare + kDegShare);
    if (deg_spec.frames == 0) throw QualityError("test is shorter than one analysis frame");
    prepare_for_comparison(ref_spec, deg_spec);

    const std::vector<std::size_t> starts =
        reference_patches(ref, ref_spec.frames, deg_spec.frames);
    if (starts.empty()) {
        throw QualityError("the reference has no voice activity for the speech quality model");
    }
    const double matched_at = kRefShare + kDegShare + (1.0 - kRefShare - kDegShare) / 2.0;
    const std::vector<Match> matches =
        match_patches(ref_spec, deg_spec, starts, progress, kRefShare + kDegShare, matched_at);

    BandMeans band_sum{};
    for (std::size_t p = 0; p < starts.size(); ++p) {
        if (!matches[p].lost) {
            const PatchSimilarity coarse =
                nsim(ref_spec, starts[p], deg_spec, matches[p].deg_start, kPatchFrames);
            const PatchSimilarity best =
                refine(bank, ref, test, starts[p], matches[p].deg_start, coarse);
            for (std::size_t b = 0; b < kBands; ++b) band_sum[b] += best.band_means[b];
        }
        if (progress) {
            progress(matched_at + (1.0 - matched_at) * static_cast<double>(p + 1) /
                                      static_cast<double>(starts.size()));
        }
    }
    double total = 0.0;
    for (const double s : band_sum) total += s / static_cast<double>(starts.size());
    SpeechQuality q;
    q.patches = starts.size();
    q.nsim = total / static_cast<double>(kBands);
    const double mapped = (kFitA + std::exp(kFitB * (q.nsim - kFitX0))) * kFitScale;
    q.mos = q.nsim < kUnrelatedNsim ? kMinMos : std::clamp(mapped, kMinMos, kMaxMos);
    if (!std::isfinite(q.mos)) throw QualityError("the speech quality score is not finite");
    return q;
}

double speech_mos(std::span<const float> ref, int ref_rate_hz, std::span<const float> test,
                  int test_rate_hz) {
    return speech_quality(ref, ref_rate_hz, test, test_rate_hz).mos;
}

}  // namespace extrema::quality
