// Extrema encode and decode speed on real speech: ns per sample and x real time.
#include <benchmark/benchmark.h>

#include <vector>

#include "bench_speech.h"
#include "extrema/codec/decoder.h"
#include "extrema/codec/encoder.h"

namespace extrema::bench {
namespace {

void report(benchmark::State& state, std::size_t samples, int rate_hz) {
    const double total = static_cast<double>(samples) * static_cast<double>(state.iterations());
    state.counters["time_per_sample"] =
        benchmark::Counter(total, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["x_realtime"] = benchmark::Counter(total / rate_hz, benchmark::Counter::kIsRate);
}

// Live-link settings: 44.1 kHz mono in 10 ms blocks, the encoder the daemon runs.

// One encoder over the whole signal in 10 ms blocks, as a capture callback feeds it.
void encode_in_blocks(const codec::EncoderConfig& config, const std::vector<std::int16_t>& speech,
                      std::vector<codec::Record>& records,
                      const codec::CurveBank& bank = codec::CurveBank::standard()) {
    const auto block = static_cast<std::size_t>(config.sample_rate_hz / 100);
    codec::Encoder encoder(config, bank);
    records.clear();
    for (std::size_t at = 0; at < speech.size(); at += block) {
        encoder.push(
            std::span<const std::int16_t>(speech).subspan(at, std::min(block, speech.size() - at)),
            records);
    }
    encoder.flush(records);
    benchmark::DoNotOptimize(records.data());
}

void BM_ExtremaEncode(benchmark::State& state) {
    const int rate_hz = static_cast<int>(state.range(0));
    const auto& speech = speech_int16(rate_hz);
    codec::EncoderConfig config;
    config.sample_rate_hz = rate_hz;
    config.segmentation =
        state.range(1) == 0 ? codec::Segmentation::kPeaks : codec::Segmentation::kSeedSteps;
    std::vector<codec::Record> records;
    records.reserve(speech.size());
    for (auto _ : state) encode_in_blocks(config, speech, records);
    state.counters["records_per_s_audio"] = static_cast<double>(records.size()) / kSpeechSeconds;
    // Where the curve search spends its time: the share of curves of 2-3 samples and of at most
    // 16 (those compared at every rendered point, curve_matcher.h).
    double curves = 0, short_curves = 0, exact_curves = 0;
    for (const auto& r : records) {
        if (r.is_silence()) continue;
        ++curves;
        if (r.samples >= 2 && r.samples <= 3) ++short_curves;
        if (r.samples <= codec::CurveMatcher::kExactPoints) ++exact_curves;
    }
    state.counters["curves_2_3_share"] = curves > 0 ? short_curves / curves : 0.0;
    state.counters["curves_le16_share"] = curves > 0 ? exact_curves / curves : 0.0;
    report(state, speech.size(), rate_hz);
}
BENCHMARK(BM_ExtremaEncode)
    ->ArgNames({"rate", "seed"})
    ->Args({44100, 0})
    ->Args({48000, 0})
    ->Args({44100, 1})
    ->Unit(benchmark::kMillisecond);

// The live encoder with rate control to `target_kbps`, 48 kHz in 10 ms blocks, with `bank` and an
// optional pre-filter (0: none); reports the payload rate reached.
void encode_at_rate(benchmark::State& state, double target_kbps, double lowpass_hz,
                    const codec::CurveBank& bank,
                    codec::Segmentation segmentation = codec::Segmentation::kPeaks) {
    constexpr int kRateHz = 48000;
    const auto& speech = speech_int16(kRateHz);
    codec::EncoderConfig config;
    config.sample_rate_hz = kRateHz;
    config.max_segment_ms = 5.0;
    config.target_kbps = target_kbps;
    config.lowpass_hz = lowpass_hz;
    config.segmentation = segmentation;
    std::vector<codec::Record> records;
    records.reserve(speech.size());
    for (auto _ : state) encode_in_blocks(config, speech, records, bank);
    state.counters["payload_kbps"] = static_cast<double>(records.size()) *
                                     codec::RateController::kBitsPerRecord / kSpeechSeconds /
                                     1000.0;
    report(state, speech.size(), kRateHz);
}

void BM_ExtremaEncodeAtRate(benchmark::State& state) {
    encode_at_rate(state, static_cast<double>(state.range(0)), 0.0, codec::CurveBank::standard());
}
BENCHMARK(BM_ExtremaEncodeAtRate)
    ->ArgNames({"kbps"})
    ->Arg(16)
    ->Arg(24)
    ->Arg(32)
    ->Arg(48)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond);

// The same behind the pre-filter, at the link's default rate and cutoff (docs/quality.md).
void BM_ExtremaEncodeAtRateLowpass(benchmark::State& state) {
    encode_at_rate(state, static_cast<double>(state.range(0)), static_cast<double>(state.range(1)),
                   codec::CurveBank::standard());
}
BENCHMARK(BM_ExtremaEncodeAtRateLowpass)
    ->ArgNames({"kbps", "lowpass"})
    ->Args({44, 4000})
    ->Unit(benchmark::kMillisecond);

// The same with the swing bank (a record may cover two half-cycles), bare and, at 24 and 32 kbps,
// with the 3.5 kHz pre-filter docs/quality.md pairs it with there.
void BM_ExtremaEncodeSwingAtRate(benchmark::State& state) {
    encode_at_rate(state, static_cast<double>(state.range(0)), static_cast<double>(state.range(1)),
                   codec::CurveBank::swing());
}
BENCHMARK(BM_ExtremaEncodeSwingAtRate)
    ->ArgNames({"kbps", "lowpass"})
    ->Args({24, 3500})
    ->Args({32, 3500})
    ->Args({32, 0})
    ->Args({64, 0})
    ->Unit(benchmark::kMillisecond);

// Decodes the whole stream in 10 ms blocks, as a playback callback pulls it.
void decode_in_blocks(std::span<const codec::Record> records, const codec::CurveBank& bank,
                      int rate_hz) {
    std::vector<float> out(static_cast<std::size_t>(rate_hz / 100));
    codec::StreamDecoder decoder(records, bank);
    while (decoder.read(std::span<float>(out)) > 0) benchmark::DoNotOptimize(out.data());
}

void BM_ExtremaDecode(benchmark::State& state) {
    const int rate_hz = static_cast<int>(state.range(0));
    const auto& speech = speech_int16(rate_hz);
    codec::EncoderConfig config;
    config.sample_rate_hz = rate_hz;
    const auto records = codec::encode_all(speech, config);
    for (auto _ : state) decode_in_blocks(records, codec::CurveBank::standard(), rate_hz);
    report(state, speech.size(), rate_hz);
}
BENCHMARK(BM_ExtremaDecode)
    ->ArgNames({"rate"})
    ->Arg(44100)
    ->Arg(48000)
    ->Unit(benchmark::kMillisecond);

// Rate-distortion segmentation (a dynamic-programming search over each 5 ms window) with the
// standard (bank 1) or the swing bank (3), bare or with the 3.5 kHz pre-filter.
void BM_ExtremaEncodeRdAtRate(benchmark::State& state) {
    encode_at_rate(state, static_cast<double>(state.range(0)), static_cast<double>(state.range(2)),
                   state.range(1) == 3 ? codec::CurveBank::swing() : codec::CurveBank::standard(),
                   codec::Segmentation::kRd);
}
BENCHMARK(BM_ExtremaEncodeRdAtRate)
    ->ArgNames({"kbps", "bank", "lowpass"})
    ->Args({24, 1, 0})
    ->Args({32, 1, 0})
    ->Args({64, 1, 0})
    ->Args({24, 3, 0})
    ->Args({32, 3, 0})
    ->Args({64, 3, 0})
    ->Args({32, 3, 3500})
    ->Unit(benchmark::kMillisecond);

// Decoding a 32 kbps stream (48 kHz, live cap) of the standard bank (1) or the swing bank (3),
// whose swings are long curves rendered from the table.
void BM_ExtremaDecodeAtRate(benchmark::State& state) {
    constexpr int kRateHz = 48000;
    const auto& speech = speech_int16(kRateHz);
    codec::EncoderConfig config;
    config.sample_rate_hz = kRateHz;
    config.max_segment_ms = 5.0;
    config.target_kbps = 32.0;
    const auto& bank = *codec::CurveBank::find(static_cast<std::uint16_t>(state.range(0)));
    const auto records = codec::encode_all(speech, config, bank);
    for (auto _ : state) decode_in_blocks(records, bank, kRateHz);
    report(state, speech.size(), kRateHz);
}
BENCHMARK(BM_ExtremaDecodeAtRate)
    ->ArgNames({"bank"})
    ->Arg(1)
    ->Arg(3)
    ->Unit(benchmark::kMillisecond);
}  // namespace
}  // namespace extrema::bench
