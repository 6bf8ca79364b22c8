#include "receive_loopback.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <queue>
#include <random>
#include <span>
#include <stdexcept>

#include "pipeline/receive_path.h"
#include "pipeline/send_path.h"

namespace extrema::pipeline::test {
namespace {

namespace asio = boost::asio;

const asio::ip::udp::endpoint kSender(asio::ip::make_address("127.0.0.1"), 5004);
constexpr double kRateHz = 48000.0;
constexpr std::size_t kCaptureBlock = 480;  // 10 ms of the sender's clock

struct InFlight {
    double arrival_s;
    std::uint64_t order;  // send order, to keep equal arrivals stable
    std::vector<std::uint8_t> bytes;
    bool operator>(const InFlight& other) const {
        return arrival_s != other.arrival_s ? arrival_s > other.arrival_s : order > other.order;
    }
};

const SimulatedNetwork& network_at(const std::vector<NetworkPhase>& phases, double t_s) {
    const NetworkPhase* current = &phases.front();
    for (const NetworkPhase& phase : phases) {
        if (phase.from_s <= t_s) current = &phase;
    }
    return current->network;
}

}  // namespace

float talk(std::uint64_t n) {
    const double t = static_cast<double>(n) / kRateHz;
    if (std::fmod(t, 0.5) >= 0.3) return 0.0f;
    const double w = 2.0 * std::numbers::pi * 180.0 * t;
    return static_cast<float>(0.3 * std::sin(w) + 0.1 * std::sin(2.0 * w) +
                              0.05 * std::sin(3.0 * w));
}

LinkConfig default_sender() {
    LinkConfig config;
    config.mode = LinkMode::kSend;
    config.network.peer = "127.0.0.1:5004";
    config.encoder.dtx = false;
    return config;
}

LinkConfig default_receiver() {
    LinkConfig config;
    config.mode = LinkMode::kReceive;
    return config;
}

LoopbackRun run_loopback(const std::vector<NetworkPhase>& phases, double seconds,
                         const LinkConfig& receiver, std::size_t period_samples,
                         const LinkConfig& sender_config, LoopbackInput input) {
    if (phases.empty() || phases.front().from_s != 0.0) {
        throw std::invalid_argument("the first phase must start at 0 s");
    }
    LoopbackRun run;
    std::mt19937_64 random(phases.front().network.seed);
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    std::priority_queue<InFlight, std::vector<InFlight>, std::greater<>> network;
    std::uint64_t order = 0;
    double now_s = 0.0;  // receiver time of the capture being sent

    SendPath sender(sender_config, [&](std::span<const std::uint8_t> datagram) {
        ++run.sent;
        const SimulatedNetwork& net = network_at(phases, now_s);
        if (uniform(random) < net.loss) return true;
        const double delay_s = (net.delay_ms + net.jitter_ms * uniform(random)) / 1000.0;
        network.push({now_s + delay_s, order++, {datagram.begin(), datagram.end()}});
        return true;
    });
    ReceivePath path(receiver, {kSender}, false);

    const auto total = static_cast<std::uint64_t>(seconds * kRateHz);
    std::vector<float> capture(kCaptureBlock);
    std::vector<float> period(period_samples);
    std::uint64_t captured = 0;  // sender samples
    std::uint64_t played = 0;    // receiver samples
    double next_second = 1.0;
    double latency_sum_ms = 0.0;
    std::uint64_t latency_fills = 0;
    bool have_2s = false;
    while (played < total) {
        const double t_s = static_cast<double>(played) / kRateHz;  // the receiver's clock
        // The sender's clock runs (1 + ppm) fast: its block ending at sample n is complete at
        // n / (rate (1 + ppm)) of ours.
        const double sender_rate = kRateHz * (1.0 + network_at(phases, t_s).drift_ppm * 1e-6);
        while (static_cast<double>(captured + kCaptureBlock) / sender_rate <= t_s) {
            for (std::size_t i = 0; i < kCaptureBlock; ++i) capture[i] = input(captured + i);
            run.input.insert(run.input.end(), capture.begin(), capture.end());
            captured += kCaptureBlock;
            now_s = static_cast<double>(captured) / sender_rate;
            sender.push(capture);
        }
        // The last network tick at or before now.
        const double tick_s = network_at(phases, t_s).tick_ms / 1000.0;
        const double read_s = tick_s > 0.0 ? std::floor(t_s / tick_s + 1e-9) * tick_s : t_s;
        while (!network.empty() && network.top().arrival_s <= read_s) {
            std::vector<std::uint8_t> bytes = network.top().bytes;
            const auto at =
                net::Clock::time_point{} + std::chrono::hours(1) +
                std::chrono::duration_cast<net::Clock::duration>(
                    std::chrono::duration<double>(tick_s > 0.0 ? read_s : network.top().arrival_s));
            network.pop();
            path.on_datagram(bytes, bytes.size(), kSender, at);
        }
        path.read(period);
        run.output.insert(run.output.end(), period.begin(), period.end());
        played += period.size();
        const double after_s = static_cast<double>(played) / kRateHz;
        if (!have_2s && after_s >= 2.0) {
            path.fill_stats(run.at_2s);
            have_2s = true;
        }
        // The sender's RTP clock at our time after_s, against the playout position.
        const double sender_now = after_s * sender_rate;
        const double rtp_now = static_cast<double>(sender.rtcp_sent().rtp_timestamp) +
                               (sender_now - static_cast<double>(captured));
        const auto position = static_cast<std::uint32_t>(path.playout_position());
        const double behind_ms =
            static_cast<double>(static_cast<std::int32_t>(
                static_cast<std::uint32_t>(std::llround(rtp_now)) - position)) *
            1000.0 / sender_rate;
        latency_sum_ms += behind_ms;
        ++latency_fills;
        if (after_s >= next_second) {
            next_second += 1.0;
            run.latency_ms.push_back(behind_ms);
            run.mean_latency_ms.push_back(latency_sum_ms / static_cast<double>(latency_fills));
            latency_sum_ms = 0.0;
            latency_fills = 0;
            run.target_ms.push_back(path.target_delay_ms());
            path.fill_stats(run.stats.emplace_back());
        }
    }
    path.fill_stats(run.at_end);
    sender.fill_stats(run.sender);
    return run;
}

double late_share_after_2s(const LoopbackRun& run) {
    const auto packets = static_cast<double>(run.at_end.packets - run.at_2s.packets);
    const auto late = static_cast<double>(run.at_end.late - run.at_2s.late);
    return packets > 0.0 ? late / packets : 1.0;
}

}  // namespace extrema::pipeline::test
