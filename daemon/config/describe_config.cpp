#include "config/describe_config.h"

#include <fmt/format.h>

#include <cmath>

#include "config/setting_text.h"

namespace extrema::config {
namespace {

using pipeline::InputKind;
using pipeline::LinkMode;
using pipeline::OutputKind;

std::string num(double value) {
    return format_number(value);
}

std::string device(const std::string& name) {
    return name.empty() ? std::string("default device") : fmt::format("device \"{}\"", name);
}

std::string input(const pipeline::AudioSettings& audio) {
    switch (audio.input) {
        case InputKind::kDevice:
            return "capture from " + device(audio.input_device);
        case InputKind::kFile:
            return fmt::format("read {} ({})", audio.input_file,
                               pipeline::to_string(audio.file_pacing));
        case InputKind::kTone:
            return fmt::format("tone {} Hz at {} dBFS", num(audio.tone_hz), num(audio.tone_dbfs));
    }
    return "?";
}

std::string output(const pipeline::AudioSettings& audio) {
    switch (audio.output) {
        case OutputKind::kDevice:
            return "play on " + device(audio.output_device);
        case OutputKind::kFile:
            return "write " + audio.output_file;
        case OutputKind::kNull:
            return "discard (null sink)";
    }
    return "?";
}

std::string peers(const pipeline::NetworkSettings& network) {
    std::string text = network.peer.empty() ? std::string() : network.peer;
    for (const std::string& allowed : network.allow) text += (text.empty() ? "" : ", ") + allowed;
    if (network.accept_any_peer) text += text.empty() ? "anyone" : ", anyone";
    return text;
}

std::string compressor(const pipeline::CompressorSettings& settings) {
    if (!settings.enabled) return "off";
    const dsp::CompressorConfig& c = settings.config;
    const std::string ratio = std::isinf(c.ratio) ? "inf (limiter)" : num(c.ratio) + ":1";
    const std::string makeup = c.auto_makeup ? "auto" : num(c.makeup_db) + " dB";
    const std::string level = c.level_mode == dsp::LevelMode::kRms
                                  ? fmt::format("rms detector over {} ms", num(c.rms_window_ms))
                                  : std::string("peak detector");
    return fmt::format(
        "threshold {} dBFS, ratio {}, knee {} dB, attack {} ms, release {} ms, make-up {}, {}",
        num(c.threshold_db), ratio, num(c.knee_db), num(c.attack_ms), num(c.release_ms), makeup,
        level);
}

}  // namespace

std::string describe(const LinkConfig& config) {
    const auto& audio = config.audio;
    const auto& network = config.network;
    const bool sends = config.mode != LinkMode::kReceive;
    const bool receives = config.mode != LinkMode::kSend;
    std::string text = fmt::format("mode {}: {} Hz, bind {}\n", pipeline::to_string(config.mode),
                                   audio.rate_hz, network.bind);
    if (sends) {
        text += fmt::format("send: {} -> {}, {} ms packets of <= {} bytes, payload type {}{}\n",
                            input(audio), network.peer, num(network.packet_ms),
                            network.max_payload_bytes, network.payload_type,
                            network.srtp_key_file.empty() ? ", plain RTP"
                            : network.dtls == "off"       ? ", SRTP"
                                                          : ", DTLS-SRTP " + network.dtls);
        text += fmt::format("encoder: threshold {} LSB, low-pass {}, records <= {} ms\n",
                            num(config.encoder.codec.threshold_lsb),
                            config.encoder.codec.lowpass_hz > 0.0
                                ? num(config.encoder.codec.lowpass_hz) + " Hz"
                                : std::string("off"),
                            num(config.encoder.codec.max_segment_ms));
        if (config.encoder.codec.target_kbps > 0.0) {
            text += fmt::format("encoder: rate control to {} kbps of payload\n",
                                num(config.encoder.codec.target_kbps));
        }
    }
    if (receives) {
        const auto& receiver = config.receiver;
        const std::string latency =
            receiver.latency == "fixed"
                ? fmt::format("jitter target {} ms", num(receiver.jitter_target_ms))
                : fmt::format("adaptive latency {} to {} ms", num(receiver.adaptive.min_latency_ms),
                              num(receiver.adaptive.max_latency_ms));
        text +=
            fmt::format("receive: from {} -> {}, {}, packets <= {} ms, drift correction {}\n",
                        peers(network), output(audio), latency, num(receiver.limits.max_packet_ms),
                        receiver.drift_correction ? "on" : "off");
    }
    text += "compressor: " + compressor(config.compressor) + "\n";
    text += fmt::format(
        "log: {}, stats every {} s{}\n", config.log.level, num(config.log.stats_interval_s),
        config.log.stats_json.empty() ? std::string() : ", JSON lines to " + config.log.stats_json);
    return text;
}

}  // namespace extrema::config
