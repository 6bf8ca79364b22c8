#pragma once
// Every setting of one extremad link (SPEC §6), in one place: the TOML file, the command-line
// flags and docs/config.md all describe these fields, and Link builds itself from them. A
// setting only one component reads is that component's own config field, embedded here (the
// codec's encoder, the DTX gate, the stream limits, the adaptive latency, the compressor), with
// the link's default where it differs from the component's; a value several components share
// (the rate, packet_ms, the payload types) is a field here, whose default the components take
// too (codec/sample_rate.h, net/stream_defaults.h). Each default's reason is in its key's doc
// (config/config_keys.cpp, from which docs/config.md is generated); the config loader must not
// invent others. The rules between settings are pipeline/link_rules.h's.
#include <cstdint>
#include <string>
#include <vector>

#include "extrema/codec/encoder.h"
#include "extrema/codec/sample_rate.h"
#include "extrema/dsp/compressor.h"
#include "net/stream_defaults.h"
#include "net/stream_limits.h"
#include "pipeline/adaptive_latency_config.h"
#include "pipeline/dtx_config.h"

namespace extrema::pipeline {

enum class LinkMode {
    kSend,     // capture -> encode -> UDP
    kReceive,  // UDP -> decode -> playback
    kDuplex,   // both, on one socket, to and from one peer
};

enum class InputKind {
    kDevice,  // PortAudio capture device
    kFile,    // an audio file (libsndfile), mixed down to mono
    kTone,    // a sine generator (line checks)
};

enum class OutputKind {
    kDevice,  // PortAudio playback device
    kFile,    // an audio file, written atomically at stop
    kNull,    // discard at real-time pace (monitoring, tests)
};

enum class FilePacing {
    kRealTime,  // a file source delivers like a microphone would
    kFast,      // as fast as the ring accepts (offline runs, tests)
};

struct AudioSettings {
    InputKind input = InputKind::kDevice;
    OutputKind output = OutputKind::kDevice;
    // PortAudio devices (chosen as audio.input_device's doc says).
    std::string input_device;
    std::string output_device;
    std::string input_file;   // InputKind::kFile
    std::string output_file;  // OutputKind::kFile (.wav or .flac)
    // Stream rate in Hz; both peers must use the same (the receiver checks packet sizes against
    // it). Every stage's rate comes from here.
    int rate_hz = codec::kDefaultSampleRateHz;
    // Frames per PortAudio callback; 0 = the host's own period (lowest latency, no re-blocking).
    int frames_per_buffer = 0;
    // Device latency in ms; negative = PortAudio's default low latency for the device.
    double device_latency_ms = -1.0;
    FilePacing file_pacing = FilePacing::kRealTime;
    // Tone input.
    double tone_hz = 1000.0;
    double tone_dbfs = -20.0;
};

struct EncoderSettings {
    // The codec's encoder (threshold_lsb, lowpass_hz, max_segment_ms, target_kbps are keys) at
    // the link's defaults, which are a live sender's rather than a file's. The link sets
    // sample_rate_hz and frame_ms from audio.rate_hz and network.packet_ms.
    codec::EncoderConfig codec{.lowpass_hz = 4000.0, .max_segment_ms = 20.0, .target_kbps = 44.0};
    bool dtx = true;                // discontinuous transmission (pipeline/dtx_gate.h)
    DtxConfig dtx_gate;             // hangover_ms is a key; the link sets the rate and frame_ms
    std::string bank = "standard";  // "standard" or "swing" (docs/format.md)
};

// network.redundancy_kbps's range, 0 (copies) aside: at 8 kbit/s a 10 ms block still holds two
// records besides its anchor; 256 leaves room above any encoder.target_kbps a voice link uses.
inline constexpr double kMinRedundancyKbps = 8.0;
inline constexpr double kMaxRedundancyKbps = 256.0;

struct NetworkSettings {
    std::string bind = "0.0.0.0:5004";  // local "host:port"
    // Where to send (send, duplex) and whom to accept (receive, duplex): "host:port" or a
    // multicast group; "" in receive mode = the senders in `allow` only.
    std::string peer;
    std::vector<std::string> allow;  // more senders, "host" (any port) or "host:port"
    bool accept_any_peer = false;
    int payload_type = net::kDefaultPayloadType;  // RTP payload type of the standard bank's records
    double packet_ms = net::kDefaultPacketMs;     // audio per packet
    int max_payload_bytes = static_cast<int>(net::kDefaultMaxPayloadBytes);
    int multicast_ttl = 1;
    std::string multicast_interface;  // "" = the system's choice
    std::string srtp_key_file;        // "" = plain RTP (docs/wire.md)
    std::string dtls = "off";         // "off", "client" or "server" (docs/wire.md)
    // RFC 2198 redundancy (docs/wire.md): blocks of earlier packets per packet, or automatic
    // (redundancy_auto: from the loss the peer's RTCP reports; network.redundancy = "auto").
    int redundancy = 0;
    bool redundancy_auto = false;
    // Payload rate of the redundant blocks, kbps; 0 = copies of the packets' own payloads, else
    // kMinRedundancyKbps..kMaxRedundancyKbps and below encoder.target_kbps when that is set.
    double redundancy_kbps = 0.0;
    int red_payload_type = net::kDefaultRedPayloadType;      // RTP payload type of RED packets
    int cn_payload_type = net::kDefaultCnPayloadType;        // of RFC 3389 comfort-noise packets
    int swing_payload_type = net::kDefaultSwingPayloadType;  // of the swing bank's records
    int receive_buffer_bytes = 1 << 20;                      // SO_RCVBUF; 0 = the system default
};

struct ReceiverSettings {
    // "adaptive" (the target between adaptive.min_latency_ms and max_latency_ms) or "fixed".
    std::string latency = "adaptive";
    // The jitter buffer's target with latency = "fixed"; an adaptive one starts at
    // min_latency_ms, so this is the link's setting rather than the jitter buffer's.
    double jitter_target_ms = 40.0;
    AdaptiveLatencyConfig
        adaptive;              // min_latency_ms, max_latency_ms are keys; the link sets the rest
    net::StreamLimits limits;  // max_packet_ms, ssrc_timeout_ms
    bool drift_correction = true;  // follow the sender's clock by slight resampling
};

struct CompressorSettings {
    bool enabled = false;
    dsp::CompressorConfig config;  // its defaults and their reasons: extrema/dsp/compressor.h
};

struct LogSettings {
    std::string level = "info";     // spdlog's level names
    double stats_interval_s = 5.0;  // between stats lines; 0 = none
    std::string stats_json;         // also one JSON line per stats record here; "" = none
};

struct LinkConfig {
    LinkMode mode = LinkMode::kSend;
    AudioSettings audio;
    EncoderSettings encoder;
    NetworkSettings network;
    ReceiverSettings receiver;
    CompressorSettings compressor;
    LogSettings log;
};

const char* to_string(LinkMode mode) noexcept;
const char* to_string(InputKind kind) noexcept;
const char* to_string(OutputKind kind) noexcept;
const char* to_string(FilePacing pacing) noexcept;

}  // namespace extrema::pipeline
