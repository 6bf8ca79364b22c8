#pragma once
// The loopback harness behind `extrema loopback`: a real sender Link and a real receiver Link on
// 127.0.0.1, joined through the userspace impairment proxy, with file endpoints paced in real
// time, or N times faster (LoopbackOptions::pace: the whole link and the proxy at that pace). It
// writes the receiver's output aligned to the sender's timeline, reports the figures of the run,
// and compares the output with the offline encode + decode of the same input.
//
// Memory stays bounded whatever the input's length: the links stream the files, the comparison
// re-encodes the input block by block beside the output file it reads block by block, and only
// two windows of kQualityWindowSeconds (the first and the last) are kept for the quality figures.
// The output is never padded or cut to the input's length to hide a shift: a short output is
// reported as missing samples, and resyncs are listed with the time they happened.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "audio/pace.h"
#include "extrema/quality/metrics.h"
#include "net/impairment_proxy.h"
#include "pipeline/link_config.h"
#include "pipeline/link_stats.h"

namespace extrema::cli {

struct LoopbackOptions {
    std::filesystem::path input;
    std::filesystem::path output;      // PCM16 WAV, like `extrema decode` writes
    net::ImpairmentConfig impairment;  // loss, jitter, reordering, duplication, seed
    double packet_ms = pipeline::NetworkSettings{}.packet_ms;  // the daemon's default
    // The receiver's latency mode, as the daemon's receiver.latency: "adaptive" (the daemon's
    // default) learns the jitter from the packets and is never told what the proxy injects;
    // "fixed" holds one target, so that the output can equal the offline decode sample for sample
    // (adaptive moves the level through the resampler, and its output is then a stretched copy).
    std::string latency = pipeline::ReceiverSettings{}.latency;
    // The fixed target, ms of audio (setting it implies latency "fixed"). Unset: the daemon's
    // receiver.jitter_target_ms, plus what kHostAllowanceMs of the host's delays weigh in audio
    // at a faster pace; never the injected impairments, which a real receiver cannot know.
    std::optional<double> jitter_target_ms;
    pipeline::EncoderSettings encoder;  // the daemon's defaults, but:
    // DTX (--dtx): off by default here, so that the output can equal the offline decode sample
    // for sample; on, the pauses play comfort noise and the report says how much.
    bool dtx = false;
    std::string srtp_key_file;  // "" = plain RTP
    // The sender's network.redundancy (RFC 2198): 0..3 earlier packets per packet, or auto.
    int redundancy = 0;
    bool redundancy_auto = false;
    // Its network.redundancy_kbps: the blocks' payload rate (0 = copies of the packets).
    double redundancy_kbps = pipeline::NetworkSettings{}.redundancy_kbps;
    // The proxy's loss (impairment.loss_percent, random or bursty) stops this many seconds of
    // audio after the first packet reached it: a network that calms down, for redundancy_auto
    // to follow. Unset: loss throughout.
    std::optional<double> loss_ends_at_s;
    // The sender's clock error, ppm (|drift_ppm| <= audio::Pace::kMaxClockPpm): its whole link
    // (file source, network ticks) runs (1 + drift_ppm 1e-6) times as fast as the receiver's, as
    // two sound cards' crystals do, so its samples arrive that much faster than the receiver's
    // playout takes them (negative: slower).
    double drift_ppm = 0.0;
    // The receiver's drift correction; unset = the daemon's default (on). On a shared clock it
    // stays in its exact pass-through: the level never leaves its dead band.
    std::optional<bool> drift_correction;
    // How fast the run goes: every span of audio in it (the file source and sink, the network
    // ticks, the proxy's delay and jitter, the jitter buffer's clock) passes this many times
    // faster than real time, so the same samples play as in real time, given the CPU.
    audio::Pace pace;
};

// What the fixed target allows for this host's own delays (scheduling of the link's threads and
// the proxy's, on a loaded machine), in ms of the steady clock: they do not speed up with the
// pace, so at N x real time they are N times as many ms of audio. The daemon's default target
// already holds them once (at real time).
inline constexpr double kHostAllowanceMs = 20.0;

// Seconds of audio at the start and at the end of the run that the quality figures and the
// timeline error are measured on: 60 s is long enough for the alignment to be certain.
inline constexpr double kQualityWindowSeconds = 60.0;

// The harness's own wake-ups, to tell the host's stalls from the link's faults: one thread per
// CPU, pinned there, at the file source's real-time priority (so the load of other programs does
// not delay it, only the host itself: a preempted virtual CPU, a long kernel path), sleeps
// kStallProbePeriodMs of the steady clock at a time and notes every wake-up later than
// kHostStallMs. At N x real time a stall weighs N times its length in audio.
inline constexpr double kStallProbePeriodMs = 2.0;
inline constexpr double kHostStallMs = 5.0;
// Stalls listed with their times (the longest are kept): enough to match every resync of a run.
inline constexpr std::size_t kListedHostStalls = 32;

struct HostStall {
    double at_s = 0.0;     // when it began, in audio seconds since the links started
    double late_ms = 0.0;  // how late the wake-up was, ms of the steady clock
    int cpu = 0;
};

struct HostStalls {
    std::uint64_t count = 0;         // wake-ups later than kHostStallMs, on all CPUs
    std::vector<HostStall> longest;  // the kListedHostStalls longest, longest first
};

struct ResyncEvent {
    double at_s = 0.0;                // since the receiver started, in audio (media) seconds
    std::uint64_t output_sample = 0;  // what the receiver had played by then (incl. buffering)
};

// End-to-end latency while the sender streams: at every poll (10 ms of the steady clock), the
// samples the sender's source has captured minus the timeline position the receiver's playout
// has reached (its first position plus every sample played, concealed or filled with comfort
// noise since), as ms at the stream's rate; averaged over each whole second of audio from the
// receiver's first sample to the sender's last. Capture to playout: encoder, packetisation,
// network, jitter buffer.
struct LatencySeconds {
    std::size_t seconds = 0;  // whole seconds averaged; the figures below are 0 without one
    double first_ms = 0.0;
    double last_ms = 0.0;
    double min_ms = 0.0;
    double max_ms = 0.0;
    std::vector<double> per_second_ms;  // every whole second's average, in order
};

// The sender's redundancy (blocks per packet) when a poll (every 10 ms of the steady clock) saw
// it change: with redundancy_auto, how the RTCP loss reports steered it.
struct RedundancyChange {
    double at_s = 0.0;              // audio seconds since the links started
    std::uint64_t level = 0;        // from then on
    std::uint64_t blocks_sent = 0;  // redundant blocks sent before it
};

// Late packets once the link has settled: after kSettledAfterSeconds of audio, the time an
// adaptive target takes to learn a network's jitter (the "after the first 2 s").
inline constexpr double kSettledAfterSeconds = 2.0;
struct SettledLate {
    std::uint64_t packets = 0;  // received after kSettledAfterSeconds
    std::uint64_t late = 0;     // of them, too late for their playout
};

struct LoopbackReport {
    int rate_hz = 0;
    std::uint64_t input_samples = 0;
    double duration_s = 0.0;  // of the input
    pipeline::LinkStats sender;
    pipeline::LinkStats receiver;
    net::ImpairmentCounters injected;  // what the proxy did on the way
    double wire_kbps = 0.0;            // RTP headers + payload (+ SRTP tag)
    double ip_kbps = 0.0;              // plus IPv4 + UDP headers (28 bytes a packet)
    std::uint64_t lead_samples = 0;    // output before the first timeline sample (buffering)
    bool played = false;               // the receiver started playout at all
    // Offline encode + decode of the input with the same encoder settings, and how the aligned
    // output compares with it.
    std::uint64_t differing_samples = 0;
    bool identical = false;
    std::uint64_t output_samples = 0;   // written, aligned to the timeline: at most the input's
    std::uint64_t missing_samples = 0;  // input samples the output does not reach
    std::vector<ResyncEvent> resyncs;   // the receiver's timeline jumps, as they happened
    std::vector<RedundancyChange> redundancy_changes;
    HostStalls host_stalls;  // while the links ran
    // The receiver's latency (jitter buffer, playback ring, packet) at its highest as polled
    // every 10 ms of the steady clock: near the ring's second of audio, the file sink's thread
    // stopped taking what was played, and the playout waited for it.
    double peak_latency_ms = 0.0;
    LatencySeconds latency;
    // Samples the receiver concealed while the sender still streamed: lost or late packets and
    // underruns, without the underrun after the stream's end.
    std::uint64_t concealed_while_streaming = 0;
    SettledLate settled;
    std::string latency_mode;       // the receiver's: "adaptive" or "fixed"
    double jitter_target_ms = 0.0;  // with "fixed"
    bool dtx = false;               // the sender ran with DTX (--dtx)
    double drift_ppm = 0.0;         // the sender's clock error the run was given
    bool drift_correction = false;  // the receiver's, as the run had it
    // eval's alignment delay of output vs offline over the first and over the last window.
    std::int64_t timeline_error_samples = 0;
    std::int64_t timeline_error_end_samples = 0;
    // First window; unset when it is silent. Its mos is set: the perceived quality against the
    // offline decode, which an adaptive run's stretched output is judged by.
    std::optional<quality::Metrics> vs_offline;
};

// Runs the link for the input's duration plus the buffering; throws std::runtime_error (and
// the link's own errors) on bad set-up.
LoopbackReport run_loopback(const LoopbackOptions& options);

std::string loopback_json(const LoopbackReport& report);
std::string loopback_text(const LoopbackReport& report);

}  // namespace extrema::cli
