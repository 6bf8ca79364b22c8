// The STFT on its own: perfect reconstruction, edges included, whatever the chunking.
#include <gtest/gtest.h>

#include <algorithm>

#include "extrema/lowrank/stft.h"
#include "test_signals.h"

namespace extrema::lowrank {
namespace {

std::vector<float> round_trip(const StftConfig& config, const std::vector<float>& x,
                              std::size_t chunk) {
    StftAnalyzer analyzer(config);
    StftSynthesizer synthesizer(config, x.size());
    std::vector<std::complex<double>> bins(config.bins());
    std::vector<float> y;
    std::size_t frames = 0;
    auto drain = [&] {
        while (analyzer.next_frame(bins)) {
            synthesizer.push_frame(bins);
            ++frames;
        }
        synthesizer.pull(y);
    };
    for (std::size_t at = 0; at < x.size(); at += chunk) {
        analyzer.push(std::span(x).subspan(at, std::min(chunk, x.size() - at)));
        drain();
    }
    analyzer.finish();
    drain();
    EXPECT_EQ(frames, frame_count(config, x.size()));
    return y;
}

TEST(Stft, ReconstructsPerfectlyIncludingTheEdges) {
    for (const StftConfig config :
         {StftConfig{1024, 512}, StftConfig{1024, 256}, StftConfig{64, 32}}) {
        for (std::size_t n : {1u, 511u, 512u, 513u, 12345u}) {
            const std::vector<float> x = testing::noise(n, static_cast<std::uint32_t>(n));
            const std::vector<float> y = round_trip(config, x, 1000);
            ASSERT_EQ(y.size(), x.size());
            for (std::size_t i = 0; i < n; ++i) ASSERT_NEAR(y[i], x[i], 1e-6) << "sample " << i;
            if (n > 1000) {
                EXPECT_LT(testing::error_db(x, y), -120.0);
            }
        }
    }
}

TEST(Stft, ChunkingDoesNotMatter) {
    const StftConfig config;
    const std::vector<float> x = testing::noise(20000, 7);
    EXPECT_EQ(round_trip(config, x, 1), round_trip(config, x, x.size()));
}

TEST(Stft, AnalysesAToneIntoItsBin) {
    const StftConfig config;
    const std::vector<float> x = testing::tones(48000, 48000.0);
    StftAnalyzer analyzer(config);
    analyzer.push(x);
    std::vector<std::complex<double>> bins(config.bins());
    for (int i = 0; i < 10; ++i) ASSERT_TRUE(analyzer.next_frame(bins));
    // 440 Hz at 48 kHz with n_fft 1024 is bin 9.39: the strongest bin is 9.
    const auto strongest = std::max_element(
        bins.begin(), bins.end(), [](auto a, auto b) { return std::abs(a) < std::abs(b); });
    EXPECT_EQ(strongest - bins.begin(), 9);
}

TEST(Stft, RejectsBadSizes) {
    EXPECT_THROW(StftAnalyzer(StftConfig{1000, 500}), std::invalid_argument);
    EXPECT_THROW(StftAnalyzer(StftConfig{1024, 0}), std::invalid_argument);
    EXPECT_THROW(StftAnalyzer(StftConfig{1024, 1024}), std::invalid_argument);
    EXPECT_THROW(StftAnalyzer(StftConfig{1024, 384}), std::invalid_argument);
}

}  // namespace
}  // namespace extrema::lowrank
