// libopus on the same speech, in the same run: VOIP application, 20 ms frames, default complexity.
#include <benchmark/benchmark.h>
#include <opus.h>

#include <stdexcept>
#include <vector>

#include "bench_speech.h"

namespace extrema::bench {
namespace {

constexpr int kOpusRateHz = 48000;        // Opus does not run at 44.1 kHz; its native rate
constexpr int kFrame = kOpusRateHz / 50;  // 20 ms

void BM_OpusEncode(benchmark::State& state) {
    const auto& speech = speech_float(kOpusRateHz);
    int err = 0;
    OpusEncoder* enc = opus_encoder_create(kOpusRateHz, 1, OPUS_APPLICATION_VOIP, &err);
    if (err != OPUS_OK) throw std::runtime_error("opus_encoder_create failed");
    std::vector<unsigned char> packet(4000);
    std::size_t bytes = 0;
    for (auto _ : state) {
        bytes = 0;
        for (std::size_t at = 0; at + kFrame <= speech.size(); at += kFrame) {
            const auto n = opus_encode_float(enc, speech.data() + at, kFrame, packet.data(),
                                             static_cast<opus_int32>(packet.size()));
            bytes += static_cast<std::size_t>(n);
        }
        benchmark::DoNotOptimize(bytes);
    }
    opus_encoder_destroy(enc);
    const double total =
        static_cast<double>(speech.size()) * static_cast<double>(state.iterations());
    state.counters["time_per_sample"] =
        benchmark::Counter(total, benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
    state.counters["x_realtime"] =
        benchmark::Counter(total / kOpusRateHz, benchmark::Counter::kIsRate);
    state.counters["kbps"] = static_cast<double>(bytes) * 8.0 / kSpeechSeconds / 1000.0;
}
BENCHMARK(BM_OpusEncode)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace extrema::bench
