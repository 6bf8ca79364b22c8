// Benchmarks of the compressor (x real time at 48 kHz) and the STFT/SVD codec (seconds per minute
// of audio). BENCHMARK_MAIN comes from another file of the bench binary.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <vector>

#include "bench_speech.h"
#include "extrema/dsp/compressor.h"
#include "extrema/lowrank/svd_codec.h"

namespace {

constexpr int kRateHz = 48000;

// Real speech (bench_speech.h: the ALSA prompt looped to 10 s, at 48 kHz), repeated to `seconds`
// and copied to every channel.
std::vector<float> speech(double seconds, int channels) {
    const std::vector<float>& loop = extrema::bench::speech_float(kRateHz);
    const auto frames = static_cast<std::size_t>(seconds * kRateHz);
    const auto width = static_cast<std::size_t>(channels);
    std::vector<float> x(frames * width);
    for (std::size_t n = 0; n < frames; ++n) {
        for (std::size_t c = 0; c < width; ++c) x[n * width + c] = loop[n % loop.size()];
    }
    return x;
}

// Compressor throughput on 10 s of 48 kHz speech (default settings); arg: channels.
void BM_CompressorThroughput(benchmark::State& state) {
    const int channels = static_cast<int>(state.range(0));
    constexpr double kSeconds = 10.0;
    const std::vector<float> input = speech(kSeconds, channels);
    std::vector<float> output(input.size());
    extrema::dsp::Compressor compressor(extrema::dsp::CompressorConfig{}, kRateHz, channels);
    for (auto _ : state) {
        compressor.process(input, output);
        benchmark::DoNotOptimize(output.data());
        benchmark::ClobberMemory();
    }
    // Seconds of audio per second of processing.
    state.counters["x_realtime"] = benchmark::Counter(
        kSeconds * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_CompressorThroughput)->Arg(1)->Arg(2)->Unit(benchmark::kMicrosecond);

// SVD encode of one minute of 48 kHz mono speech; arg: rank k.
void BM_SvdEncodeMinute(benchmark::State& state) {
    const std::vector<float> input = speech(60.0, 1);
    extrema::lowrank::SvdCodecConfig config;
    config.rank = static_cast<std::uint32_t>(state.range(0));
    for (auto _ : state) {
        auto file = extrema::lowrank::encode_svd(input, 48000, 1, config);
        benchmark::DoNotOptimize(file.blocks.data());
    }
    state.counters["s_per_audio_min"] =
        benchmark::Counter(static_cast<double>(state.iterations()),
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["x_realtime"] = benchmark::Counter(
        60.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SvdEncodeMinute)
    ->Arg(8)
    ->Arg(32)
    ->Arg(128)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

// SVD decode of one minute of 48 kHz mono speech; arg: rank k.
void BM_SvdDecodeMinute(benchmark::State& state) {
    extrema::lowrank::SvdCodecConfig config;
    config.rank = static_cast<std::uint32_t>(state.range(0));
    const auto file = extrema::lowrank::encode_svd(speech(60.0, 1), 48000, 1, config);
    for (auto _ : state) {
        auto samples = extrema::lowrank::decode_svd(file);
        benchmark::DoNotOptimize(samples.data());
    }
    state.counters["s_per_audio_min"] =
        benchmark::Counter(static_cast<double>(state.iterations()),
                           benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["x_realtime"] = benchmark::Counter(
        60.0 * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SvdDecodeMinute)
    ->Arg(8)
    ->Arg(32)
    ->Arg(128)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
