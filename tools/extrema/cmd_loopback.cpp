// extrema loopback IN.wav OUT.wav [--loss PCT [--burst N] [--loss-ends-at-s S]] [--jitter-ms MS]
//   [--reorder PCT] [--duplicate PCT] [--packet-ms MS] [--redundancy N|auto] [--redundancy-kbps K]
//   [--seed N] [--speed N] [--drift-ppm P] [--dtx] [--latency adaptive|fixed]
//   [--jitter-target-ms MS] [--json]: a real sender and receiver on
//   127.0.0.1 through a userspace impairment proxy; writes what the receiver played, aligned to
//   the sender's timeline, and reports the wire figures, the latency and the quality against the
//   offline decode.
#include <fmt/core.h>

#include <memory>
#include <string>

#include "commands.h"
#include "extrema/codec/rate_controller.h"
#include "loopback_run.h"
#include "pipeline/link_rules.h"

namespace extrema::cli {

void add_loopback_command(CLI::App& app) {
    auto options = std::make_shared<LoopbackOptions>();
    auto json = std::make_shared<bool>(false);
    auto target = std::make_shared<double>(-1.0);
    auto speed = std::make_shared<double>(1.0);
    auto loss_end = std::make_shared<double>(-1.0);  // unset: loss throughout
    auto redundancy = std::make_shared<std::string>("0");
    auto correction = std::make_shared<std::string>("auto");
    CLI::App* cmd = app.add_subcommand(
        "loopback",
        "Run a real link on 127.0.0.1 through an impairment proxy and report what arrived");
    cmd->add_option("input", options->input, "Audio file to send (WAV, FLAC)")
        ->required()
        ->check(CLI::ExistingFile);
    cmd->add_option("output", options->output, "What the receiver played (16-bit WAV)")->required();
    net::ImpairmentConfig& imp = options->impairment;
    cmd->add_option("--loss", imp.loss_percent, "Packets lost, percent")
        ->check(CLI::Range(0.0, 100.0));
    cmd->add_option("--burst", imp.burst_packets,
                    "Lose in bursts of N packets on average at the same --loss (Gilbert model; "
                    "N >= 1, --loss at most 100 N / (N + 1))")
        ->check(CLI::Range(net::kMinBurstPackets, 1e6));
    cmd->add_option("--jitter-ms", imp.jitter_ms, "Random extra delay per packet, 0..MS ms")
        ->check(CLI::Range(0.0, 1000.0));
    cmd->add_option("--delay-ms", imp.delay_ms, "Fixed extra delay per packet, ms")
        ->check(CLI::Range(0.0, 2000.0));
    cmd->add_option("--reorder", imp.reorder_percent,
                    "Packets held back behind the next one, percent")
        ->check(CLI::Range(0.0, 100.0));
    cmd->add_option("--duplicate", imp.duplicate_percent, "Packets sent twice, percent")
        ->check(CLI::Range(0.0, 100.0));
    cmd->add_option("--loss-ends-at-s", *loss_end,
                    "Stop the loss after this many seconds of audio (a network that calms down)")
        ->check(CLI::Range(0.0, 1e6));
    cmd->add_option("--seed", imp.seed, "Seed of the impairment decisions (same seed, same run)");
    cmd->add_option("--packet-ms", options->packet_ms, "Audio per packet, ms")
        ->check(CLI::Range(1.0, 100.0));
    CLI::Option* latency =
        cmd->add_option(
               "--latency", options->latency,
               "Receiver's latency target: adaptive (learns the jitter from the packets) or "
               "fixed (one target: the output can equal the offline decode)")
            ->check(CLI::IsMember({"adaptive", "fixed"}))
            ->capture_default_str();
    cmd->add_option("--jitter-target-ms", *target,
                    fmt::format("Receiver's fixed target, ms, implies --latency fixed (default "
                                "the daemon's receiver.jitter_target_ms + {:g} ms x (speed - 1) "
                                "for this host)",
                                kHostAllowanceMs))
        ->check(CLI::Range(0.0, 1000.0));
    cmd->add_option("--threshold", options->encoder.codec.threshold_lsb,
                    "Encoder hysteresis, int16 LSB")
        ->check(CLI::Range(0.0, 32767.0));
    cmd->add_option("--lowpass", options->encoder.codec.lowpass_hz,
                    "Encoder pre-filter cutoff, Hz");
    cmd->add_option("--kbps", options->encoder.codec.target_kbps,
                    "Payload rate the encoder aims at, kbps (0 = off: --threshold holds)")
        ->check(CLI::Range(0.0, codec::RateController::kMaxTargetKbps));
    cmd->add_option("--max-segment-ms", options->encoder.codec.max_segment_ms,
                    "Longest record, ms (the codec's latency cap)");
    cmd->add_option("--bank", options->encoder.bank,
                    "Curve bank of the records sent: standard or swing (records may span two "
                    "half-cycles; the payload type tells the receiver)")
        ->check(CLI::IsMember({"standard", "swing"}))
        ->capture_default_str();
    cmd->add_option("--redundancy", *redundancy,
                    "RFC 2198 redundancy: earlier packets resent in each packet, 0..3 or auto")
        ->check(CLI::IsMember({"0", "1", "2", "3", "auto"}));
    cmd->add_option("--redundancy-kbps", options->redundancy_kbps,
                    "Payload rate of the redundant blocks, kbps: a second encoder's records "
                    "instead of copies (0 = copies)")
        ->check(CLI::Range(0.0, pipeline::kMaxRedundancyKbps));
    cmd->add_flag("--dtx", options->dtx,
                  "DTX: only RFC 3389 comfort noise through the pauses (the output is then no "
                  "longer the offline decode there)");
    cmd->add_option("--srtp-key", options->srtp_key_file, "Protect the link with SRTP")
        ->check(CLI::ExistingFile);
    cmd->add_option("--speed", *speed,
                    "Run the whole link this many times faster than real time (1 = real time)")
        ->check(CLI::Range(1.0, audio::Pace::kMaxSpeed));
    cmd->add_option("--drift-ppm", options->drift_ppm,
                    "Run the sender's clock this many ppm fast (negative: slow)")
        ->check(CLI::Range(-audio::Pace::kMaxClockPpm, audio::Pace::kMaxClockPpm));
    cmd->add_option("--drift-correction", *correction,
                    "The receiver's drift correction (auto: on with --drift-ppm)")
        ->check(CLI::IsMember({"auto", "on", "off"}));
    cmd->add_flag("--json", *json, "Print the report as one JSON object");
    cmd->callback([options, json, target, speed, loss_end, redundancy, correction, latency] {
        if (*target >= 0.0) {
            if (latency->count() > 0 && options->latency == "adaptive") {
                throw CLI::ValidationError("--jitter-target-ms",
                                           "is a fixed target: not with --latency adaptive");
            }
            options->jitter_target_ms = *target;
        }
        if (*loss_end >= 0.0) options->loss_ends_at_s = *loss_end;
        options->redundancy_auto = *redundancy == "auto";
        options->redundancy = options->redundancy_auto ? 0 : std::stoi(*redundancy);
        if (*correction != "auto") options->drift_correction = *correction == "on";
        if (const std::string problem = pipeline::redundancy_kbps_problem(
                options->redundancy_kbps, options->encoder.codec.target_kbps);
            !problem.empty()) {
            throw CLI::ValidationError("--redundancy-kbps", problem);
        }
        if (options->impairment.burst_packets > 0.0) {
            try {  // the flags' own ranges passed: only the pair can still disagree
                (void)net::gilbert_from_loss_and_burst(options->impairment.loss_percent,
                                                       options->impairment.burst_packets);
            } catch (const std::invalid_argument& e) {
                throw CLI::ValidationError("--burst", e.what());
            }
        }
        options->pace = audio::Pace(*speed);
        const LoopbackReport report = run_loopback(*options);
        if (*json) {
            fmt::print("{}\n", loopback_json(report));
        } else {
            fmt::print("{}", loopback_text(report));
        }
    });
}

}  // namespace extrema::cli
