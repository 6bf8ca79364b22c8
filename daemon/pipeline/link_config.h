#pragma once
// Every setting of one extremad link (SPEC §6), in one place: the TOML file, the command-line
// flags and docs/config.md all describe these fields, and Link builds itself from them. Defaults
// carry their reason here; the config loader must not invent others.
#include <cstdint>
#include <string>
#include <vector>

#include "extrema/codec/sample_rate.h"
#include "extrema/dsp/compressor.h"

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
    // PortAudio device: "" = the host's default; all digits = that index; otherwise a
    // case-insensitive substring of the name (`extrema devices` lists them).
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
    // Tone input: 1 kHz at -20 dBFS, the customary line-check tone and alignment level.
    double tone_hz = 1000.0;
    double tone_dbfs = -20.0;
};

struct EncoderSettings {
    // Peak hysteresis on the int16 scale: the seed's 50/32767, which gives STOI 0.998 on speech
    // (docs/quality.md).
    double threshold_lsb = 50.0;
    // Pre-filter cutoff in Hz; 0 = off. 4000: at target_kbps the narrower band leaves more of the
    // budget to the records of the voice band, better than a coarser threshold at the same rate
    // (docs/quality.md, "The link's defaults").
    double lowpass_hz = 4000.0;
    // Longest record in ms: a segment is only sent once it closes, so this bounds the delay the
    // codec adds. 20: one default packet; the link closes a segment at every packet end anyway,
    // so only files (extrema encode) see it. packet_ms + max_segment_ms must stay within
    // max_packet_ms.
    double max_segment_ms = 20.0;
    // Payload rate in kbps the encoder steers its threshold to; 0 = off (threshold_lsb holds).
    // 44, with 20 ms packets and the 4 kHz pre-filter: speech stays under 64 kbit/s on the wire
    // with its IPv4/UDP/RTP headers (docs/quality.md, "The link's defaults").
    double target_kbps = 44.0;
    // Discontinuous transmission (pipeline/dtx_gate.h): through the pauses between words only an
    // RFC 3389 comfort-noise packet every 250 ms is sent, so silence costs under 2 kbit/s instead
    // of a packet every packet_ms. On: a voice link is mostly pauses.
    bool dtx = true;
    // Speech frames still sent after the last one the VAD hears, ms. 200: bridges the gaps
    // inside words and keeps their decaying ends, the usual VAD hangover for voice.
    double dtx_hangover_ms = 200.0;
    // Curve bank of the records sent (docs/format.md): "standard" (bank 1) or "swing" (bank 3,
    // whose records may span two half-cycles). Each packet's payload type names its bank
    // (network.swing_payload_type), so a receiver plays either whatever its own setting.
    std::string bank = "standard";
};

// network.redundancy_kbps's range, 0 (copies) aside: at 8 kbit/s a 10 ms block still holds two
// records besides its anchor; 256 leaves room above any encoder.target_kbps a voice link uses.
inline constexpr double kMinRedundancyKbps = 8.0;
inline constexpr double kMaxRedundancyKbps = 256.0;

struct NetworkSettings {
    // Local address to bind, "host:port". 0.0.0.0:5004: every interface, port 5004 (the
    // customary first RTP port, RFC 3551).
    std::string bind = "0.0.0.0:5004";
    // Where to send (send, duplex) and whom to accept (receive, duplex): "host:port". A multicast
    // group address makes a sender send to the group and a receiver join it. Empty in receive
    // mode = accept the peers listed in `allow` only.
    std::string peer;
    // More senders a receiver accepts, "host" or "host:port" (port omitted = any port).
    std::vector<std::string> allow;
    // Accept packets from anyone. Off: a receiver answers to its configured peers only.
    bool accept_any_peer = false;
    // RTP dynamic payload type, 96..127; both ends must agree. 96: the first dynamic number.
    int payload_type = 96;
    // Audio per packet, ms. 20: the usual VoIP framing; at 50 packets/s the headers leave most of
    // a 64 kbit/s budget to the records, for 10 ms more packetisation delay than 10 ms packets
    // (docs/quality.md, docs/latency.md).
    double packet_ms = 20.0;
    // Payload cap, bytes: 1200 stays below any usual MTU after IPv6/UDP/RTP/SRTP headers.
    int max_payload_bytes = 1200;
    // Multicast sending: hop limit. 1 keeps the stream on the local link unless asked otherwise.
    int multicast_ttl = 1;
    // Multicast receiving: the address of the interface to join on; "" = the system's choice.
    std::string multicast_interface;
    // SRTP pre-shared key file (docs/wire.md); "" = plain RTP.
    std::string srtp_key_file;
    // SRTP keys per session from a DTLS-SRTP handshake authenticated by the key file (RFC 5764,
    // docs/wire.md): "client" starts it (it needs a peer), "server" answers. "off": the key
    // file keys SRTP directly, the same keys every session.
    std::string dtls = "off";
    // RFC 2198 redundancy (docs/wire.md): earlier packets' records resent in each packet, 0..3,
    // or automatic (redundancy_auto: from the loss the peer's RTCP reports). Off by default: it
    // multiplies the payload rate by 1 + redundancy.
    int redundancy = 0;
    bool redundancy_auto = false;
    // Payload rate of the redundant blocks, kbps: a second encoder at this target_kbps encodes
    // the same capture and its records are what the blocks carry. 0: the blocks are copies of
    // the packets' own payloads. Else kMinRedundancyKbps..kMaxRedundancyKbps, below
    // encoder.target_kbps when that is set.
    double redundancy_kbps = 0.0;
    // RTP dynamic payload type of RED packets (SDP red/48000), 96..127, not payload_type.
    int red_payload_type = 97;
    // RTP payload type of RFC 3389 comfort-noise packets (encoder.dtx). 13: its static number
    // (RFC 3551); not payload_type nor red_payload_type.
    int cn_payload_type = 13;
    // RTP dynamic payload type of records in the swing bank (encoder.bank), 96..127; not
    // payload_type, red_payload_type nor cn_payload_type. 98: the dynamic number after
    // red_payload_type's.
    int swing_payload_type = 98;
    // SO_RCVBUF in bytes: room for a burst after a stall. 1 MiB holds at least a second of our
    // packets down to 2 ms packets (500 a second of at most 1.2 kB; capped by net.core.rmem_max).
    int receive_buffer_bytes = 1 << 20;
};

struct ReceiverSettings {
    // Jitter buffer target delay with latency = "fixed", ms: one packet, the network's jitter,
    // and the two ends' ticks and device periods (the key's doc, docs/latency.md).
    double jitter_target_ms = 40.0;
    // How the latency target is chosen. "adaptive": it follows how late packets come, between
    // min_latency_ms and max_latency_ms: up within a second or two of packets coming late, down
    // slowly once the network calms (AdaptiveLatency). "fixed": jitter_target_ms, whatever the
    // network does. Adaptive by default: a user cannot know the jitter of a path in advance.
    std::string latency = "adaptive";
    // The adaptive target's floor, ms; it is never below a packet plus the adaptive target's few
    // ms of safety (pipeline/adaptive_latency.h), where playout starts. 10: no more than that at
    // the usual packet_ms, so a clean LAN link settles at about a packet plus the safety.
    double min_latency_ms = 10.0;
    // The adaptive target's ceiling, ms. 250: beyond it a conversation breaks down (ITU-T G.114
    // puts the limit of acceptable mouth-to-ear delay at 400 ms, of which this is the network's
    // share), so a worse network costs late packets instead.
    double max_latency_ms = 250.0;
    // Most audio one packet may produce, ms: far above honest packets (packet_ms plus one
    // record), yet a hostile packet can make the receiver play at most 0.2 s.
    double max_packet_ms = 200.0;
    // After this long without packets from the locked sender another may take over, ms.
    double ssrc_timeout_ms = 1000.0;
    // Follow the sender's clock by slight resampling (libsamplerate) so latency neither grows
    // nor drains over hours. Off only when both ends share one clock (tests on one host).
    bool drift_correction = true;
};

struct CompressorSettings {
    // Off by default: changing the talker's dynamics is the user's call.
    bool enabled = false;
    dsp::CompressorConfig config;  // its defaults and their reasons: extrema/dsp/compressor.h
};

struct LogSettings {
    // trace, debug, info, warn, error, critical, off. info: start-up, stats lines, problems.
    std::string level = "info";
    // Seconds between stats lines; 0 = none. 5: often enough to watch a link, rare enough for a
    // journal that runs for weeks (17280 lines a day).
    double stats_interval_s = 5.0;
    // Also append each stats record as one JSON line to this file; "" = none.
    std::string stats_json;
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

// Why network.redundancy_kbps cannot go with encoder.target_kbps (out of its range, or not below
// a target that is set), or "" when it can.
std::string redundancy_kbps_problem(double redundancy_kbps, double target_kbps);

const char* to_string(LinkMode mode) noexcept;
const char* to_string(InputKind kind) noexcept;
const char* to_string(OutputKind kind) noexcept;
const char* to_string(FilePacing pacing) noexcept;

}  // namespace extrema::pipeline
