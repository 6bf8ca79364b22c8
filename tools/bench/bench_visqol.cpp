// The perceptual score's speed (visqol.h): 10 s of speech at 48 kHz against a noisy copy, so the
// real-time factor reads as 10 s over the time per iteration (the target: 20x or more).
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "bench_speech.h"
#include "extrema/quality/visqol.h"

namespace {

void BM_SpeechQuality48k(benchmark::State& state) {
    constexpr int kRateHz = 48000;
    const std::vector<float>& ref = extrema::bench::speech_float(kRateHz);
    std::vector<float> test = ref;
    std::mt19937 rng(1);
    std::normal_distribution<float> noise(0.0F, 0.01F);
    for (float& v : test) v += noise(rng);
    for (auto _ : state) {
        benchmark::DoNotOptimize(extrema::quality::speech_mos(ref, kRateHz, test, kRateHz));
    }
    state.counters["audio_s_per_s"] =
        benchmark::Counter(extrema::bench::kSpeechSeconds * static_cast<double>(state.iterations()),
                           benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SpeechQuality48k)->Unit(benchmark::kMillisecond);

}  // namespace
