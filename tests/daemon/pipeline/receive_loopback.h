#pragma once
// The send path straight into the receive path, in simulated time, with no sockets and no sound
// card (after roc-toolkit's test_loopback_sink_2_source):
//
//   speech-like bursts -> SendPath (encoder, packetizer) -> simulated network -> ReceivePath
//        sender clock                loss, delay, jitter (so reordering)         receiver clock
//
// The sender captures 10 ms blocks on its own clock, which runs drift_ppm fast against the
// receiver's; every datagram it sends is lost with probability `loss` or arrives after
// delay_ms plus a uniform random [0, jitter_ms], in arrival order, and the receiver pulls
// period_samples at a time on its clock, filing what has arrived before each pull, as the
// playout thread does. The receiver runs the configuration it is given, by default the daemon's
// receiver defaults; the network never tells it what it injects.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "pipeline/link_config.h"
#include "pipeline/link_stats.h"

namespace extrema::pipeline::test {

struct SimulatedNetwork {
    double loss = 0.0;       // probability of a datagram being lost
    double delay_ms = 0.5;   // fixed one-way delay
    double jitter_ms = 0.0;  // plus a uniform random delay in [0, jitter_ms]
    double drift_ppm = 0.0;  // the sender's clock against the receiver's (positive: fast)
    // The receiving link's network thread reads its socket every tick_ms of the receiver's clock
    // (network_loop.h), so datagrams reach the receive path on that grid; 0: as they arrive.
    double tick_ms = 0.0;
    std::uint64_t seed = 1;
};

// Changes the network at a moment of the run (receiver time).
struct NetworkPhase {
    double from_s = 0.0;
    SimulatedNetwork network;
};

struct LoopbackRun {
    ReceiveStats at_2s;      // the receiver's counters after 2 s
    ReceiveStats at_end;     // and at the end
    std::uint64_t sent = 0;  // datagrams the sender sent
    // End-to-end latency each second (capture of a sample to its playout, ms): the sender's RTP
    // clock just after a capture minus the receiver's playout position, on the sender's clock.
    std::vector<double> latency_ms;
    // The same, averaged over every fill of each second (the loopback harness's 1-s averages).
    std::vector<double> mean_latency_ms;
    std::vector<double> target_ms;    // the receiver's target delay each second
    std::vector<ReceiveStats> stats;  // the receiver's counters each second
    std::vector<float> output;        // everything the receiver played
    std::vector<float> input;         // everything the sender captured
    SendStats sender;                 // the sender's counters at the end
};

// What the sender captures: sample n of the stream.
using LoopbackInput = float (*)(std::uint64_t n);
// Talk-like input: 300 ms bursts of a 180 Hz voiced tone with two harmonics, 200 ms pauses.
float talk(std::uint64_t n);

// The sender's configuration: the daemon's defaults for a send link, with DTX off (these runs
// measure the network and the clocks with a packet every 10 ms; test_dtx* cover DTX).
LinkConfig default_sender();

// The receiver's configuration: the daemon's defaults for a receive link at 48 kHz.
LinkConfig default_receiver();

// Runs `seconds` of audio through the phases (the first must start at 0).
LoopbackRun run_loopback(const std::vector<NetworkPhase>& phases, double seconds,
                         const LinkConfig& receiver = default_receiver(),
                         std::size_t period_samples = 240,
                         const LinkConfig& sender = default_sender(), LoopbackInput input = talk);

// Share of the packets accepted after the first 2 s that came late.
double late_share_after_2s(const LoopbackRun& run);

}  // namespace extrema::pipeline::test
