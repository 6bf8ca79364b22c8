#include "config/config_keys.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "config/compressor_words.h"
#include "config/key_access.h"
#include "extrema/codec/rate_controller.h"
#include "net/red_payload.h"
#include "net/wire_limits.h"
#include "pipeline/setting_keys.h"

namespace extrema::config {
namespace {

using detail::KeyAccess;
using detail::member;
using namespace pipeline;
using dsp::CompressorConfig;

// One table row under construction: Row(path, accessor).flag(...).unit(...)...
class Row {
  public:
    // path: "section.name", or "name" for a top-level key.
    Row(std::string_view path, const KeyAccess& access) {
        if (const std::size_t dot = path.find('.'); dot != std::string_view::npos) {
            spec_.section = path.substr(0, dot);
            spec_.name = path.substr(dot + 1);
        } else {
            spec_.name = path;
        }
        spec_.type = access.type;
        spec_.choices = access.choices;
        spec_.get = access.get;
        spec_.set = access.set;
    }
    Row& flag(std::string_view option) {
        spec_.flag = option;
        return *this;
    }
    Row& unit(std::string_view unit) {
        spec_.unit = unit;
        return *this;
    }
    Row& range(double min, double max) {
        spec_.range = NumberRange{min, max, false};
        return *this;
    }
    Row& above(double min, double max) {
        spec_.range = NumberRange{min, max, true};
        return *this;
    }
    Row& range(const dsp::FieldRange& range) {
        spec_.range = NumberRange{range.min, range.max, range.min_exclusive};
        return *this;
    }
    Row& choices(std::vector<std::string_view> choices) {
        spec_.choices = std::move(choices);
        return *this;
    }
    Row& format(TextFormat format) {
        spec_.format = format;
        return *this;
    }
    Row& reloadable() {
        spec_.reloadable = true;
        return *this;
    }
    Row& doc(std::string_view doc) {
        spec_.doc = doc;
        return *this;
    }
    // Implicit: the table is a list of rows.
    operator KeySpec() const { return spec_; }

  private:
    KeySpec spec_;
};

constexpr double kMinRateHz = 8000.0;
constexpr double kMaxRateHz = 192000.0;

std::vector<KeySpec> build_table() {
    return {
        Row(keys::kMode, member<&LinkConfig::mode>())
            .flag("mode")
            .doc("What the link does: send (capture, encode, send over UDP), receive (receive, "
                 "decode, play) or duplex (both, on one socket, with one peer). send: the "
                 "simplest link."),

        // [audio]
        Row(keys::kInput, member<&LinkConfig::audio, &AudioSettings::input>())
            .flag("input")
            .doc("Audio source of send and duplex: a PortAudio capture device, an audio file "
                 "(mixed down to mono) or a sine tone (line checks). device: a live link "
                 "captures a microphone."),
        Row(keys::kOutput, member<&LinkConfig::audio, &AudioSettings::output>())
            .flag("output")
            .doc("Audio sink of receive and duplex: a PortAudio playback device, an audio file "
                 "(written atomically at stop) or null (discarded at real-time pace). device: a "
                 "live link plays to a speaker."),
        Row(keys::kInputDevice, member<&LinkConfig::audio, &AudioSettings::input_device>())
            .flag("input-device")
            .doc("Capture device: \"\" = the host's default, all digits = that index, otherwise "
                 "a case-insensitive part of its name (`extrema devices` lists them)."),
        Row(keys::kOutputDevice, member<&LinkConfig::audio, &AudioSettings::output_device>())
            .flag("output-device")
            .doc("Playback device, chosen like input_device."),
        Row(keys::kInputFile, member<&LinkConfig::audio, &AudioSettings::input_file>())
            .flag("input-file")
            .doc("Audio file read when input = \"file\" (any format libsndfile reads)."),
        Row(keys::kOutputFile, member<&LinkConfig::audio, &AudioSettings::output_file>())
            .flag("output-file")
            .doc("Audio file written when output = \"file\" (.wav or .flac)."),
        Row(keys::kRateHz, member<&LinkConfig::audio, &AudioSettings::rate_hz>())
            .flag("rate-hz")
            .unit("Hz")
            .range(kMinRateHz, kMaxRateHz)
            .doc("Stream rate; both peers must use the same. 48000: the native rate of JACK and "
                 "nearly every card, so the host does no hidden resampling; the codec works at "
                 "any rate, so nothing is gained by going lower."),
        Row("audio.frames_per_buffer",
            member<&LinkConfig::audio, &AudioSettings::frames_per_buffer>())
            .flag("frames-per-buffer")
            .unit("frames")
            .range(0, 8192)
            .doc("Frames per PortAudio callback. 0: the host's own period (lowest latency, no "
                 "re-blocking)."),
        Row("audio.device_latency_ms",
            member<&LinkConfig::audio, &AudioSettings::device_latency_ms>())
            .flag("device-latency-ms")
            .unit("ms")
            .range(-1, 2000)
            .doc("Device latency to ask PortAudio for. -1: PortAudio's default low latency for "
                 "the device."),
        Row("audio.file_pacing", member<&LinkConfig::audio, &AudioSettings::file_pacing>())
            .flag("file-pacing")
            .doc("How a file input delivers: realtime (like a microphone) or fast (as fast as "
                 "the link takes it: offline runs, tests). realtime: a file stands in for a "
                 "live source."),
        Row(keys::kToneHz, member<&LinkConfig::audio, &AudioSettings::tone_hz>())
            .flag("tone-hz")
            .unit("Hz")
            .above(0, kMaxRateHz / 2)
            .doc("Frequency of the tone input, below half of rate_hz. 1000: the customary "
                 "line-check tone."),
        Row("audio.tone_dbfs", member<&LinkConfig::audio, &AudioSettings::tone_dbfs>())
            .flag("tone-dbfs")
            .unit("dBFS")
            .range(dsp::kLevelFloorDb, 0)
            .doc("Level of the tone input. -20: the customary alignment level."),

        // [encoder]
        Row("encoder.threshold_lsb", member<&LinkConfig::encoder, &EncoderSettings::codec,
                                            &codec::EncoderConfig::threshold_lsb>())
            .flag("threshold-lsb")
            .unit("LSB")
            .range(0, 32767)
            .doc("Peak hysteresis on the int16 scale. 50: the seed's 50/32767 (its quality on "
                 "speech: docs/quality.md)."),
        Row(keys::kLowpassHz, member<&LinkConfig::encoder, &EncoderSettings::codec,
                                     &codec::EncoderConfig::lowpass_hz>())
            .flag("lowpass-hz")
            .unit("Hz")
            .range(0, kMaxRateHz / 2)
            .doc("Pre-filter cutoff, below half of rate_hz; 0 = off. 4000: at target_kbps the "
                 "voice band keeps more of the budget, better than a coarser threshold at the "
                 "same rate (docs/quality.md); off keeps the full band."),
        Row(keys::kMaxSegmentMs, member<&LinkConfig::encoder, &EncoderSettings::codec,
                                        &codec::EncoderConfig::max_segment_ms>())
            .flag("max-segment-ms")
            .unit("ms")
            .range(1, 1000)
            .doc("Longest record: a segment is sent only once it closes, so this bounds the "
                 "delay the codec adds. 20: one default packet; the link closes a segment at "
                 "every packet end anyway, so only files see it (extrema encode). packet_ms + "
                 "max_segment_ms must not exceed receiver.max_packet_ms."),
        Row(keys::kTargetKbps, member<&LinkConfig::encoder, &EncoderSettings::codec,
                                      &codec::EncoderConfig::target_kbps>())
            .flag("target-kbps")
            .unit("kbps")
            .range(0, codec::RateController::kMaxTargetKbps)
            .doc("Payload rate the encoder aims at: it steers the threshold, relative to the "
                 "talker's level, so that every second of speech stays within 10 % of it and "
                 "noise never exceeds it by more than 10 %. 0: off (threshold_lsb holds, the "
                 "records of earlier releases). 44, with 20 ms packets and the 4 kHz "
                 "pre-filter: speech under 64 kbit/s on the wire with IPv4/UDP/RTP headers "
                 "(docs/quality.md)."),
        Row("encoder.dtx", member<&LinkConfig::encoder, &EncoderSettings::dtx>())
            .flag("dtx")
            .doc("Discontinuous transmission: through the pauses between words only an RFC 3389 "
                 "comfort-noise packet every 250 ms is sent (network.cn_payload_type), so "
                 "silence costs under 2 kbit/s instead of a packet every packet_ms; the "
                 "receiver plays noise at the signalled level through them. true: a voice link "
                 "is mostly pauses."),
        Row("encoder.dtx_hangover_ms", member<&LinkConfig::encoder, &EncoderSettings::dtx_gate,
                                              &pipeline::DtxConfig::hangover_ms>())
            .flag("dtx-hangover-ms")
            .unit("ms")
            .range(0, 2000)
            .doc("With dtx: audio still sent after the last frame the voice-activity detector "
                 "calls speech. 200: bridges the gaps inside words and keeps their decaying "
                 "ends, the usual hangover for voice."),
        Row("encoder.bank", member<&LinkConfig::encoder, &EncoderSettings::bank>())
            .flag("bank")
            .choices({"standard", "swing"})
            .doc("Curve bank of the records sent (docs/format.md). standard: bank 1, one "
                 "record per half-cycle of the waveform. swing: bank 3, whose records may span "
                 "two half-cycles, for more detail at the same rate (docs/quality.md). Each "
                 "packet's payload type names its bank (network.swing_payload_type), so a "
                 "receiver plays either."),

        // [network]
        Row(keys::kBind, member<&LinkConfig::network, &NetworkSettings::bind>())
            .flag("bind")
            .format(TextFormat::kEndpoint)
            .doc("Local address to bind. 0.0.0.0:5004: every interface, port 5004, the "
                 "customary first RTP port (RFC 3551)."),
        Row(keys::kPeer, member<&LinkConfig::network, &NetworkSettings::peer>())
            .flag("peer")
            .format(TextFormat::kOptionalEndpoint)
            .doc("Where send and duplex send to, and whom receive and duplex accept; a multicast "
                 "group makes a sender send to it and a receiver join it. \"\" (receive only): "
                 "accept the senders in allow."),
        Row(keys::kAllow, member<&LinkConfig::network, &NetworkSettings::allow>())
            .flag("allow")
            .format(TextFormat::kPeerPattern)
            .doc("More senders a receiver accepts, \"host\" (any port) or \"host:port\". Empty: "
                 "the peer only."),
        Row(keys::kAcceptAnyPeer, member<&LinkConfig::network, &NetworkSettings::accept_any_peer>())
            .flag("accept-any-peer")
            .doc("Accept packets from anyone. false: a receiver answers to its configured peers "
                 "only; accepting the world must be asked for."),
        Row(keys::kPayloadType, member<&LinkConfig::network, &NetworkSettings::payload_type>())
            .flag("payload-type")
            .range(96, 127)
            .doc("RTP dynamic payload type; both ends must agree. 96: the first dynamic number."),
        Row(keys::kPacketMs, member<&LinkConfig::network, &NetworkSettings::packet_ms>())
            .flag("packet-ms")
            .unit("ms")
            .range(1, 100)
            .doc("Audio per packet. 20: the usual VoIP framing; at 50 packets/s the headers "
                 "leave most of a 64 kbit/s budget to the records, for 10 ms more "
                 "packetisation delay than 10 ms packets (docs/quality.md, docs/latency.md)."),
        Row("network.max_payload_bytes",
            member<&LinkConfig::network, &NetworkSettings::max_payload_bytes>())
            .flag("max-payload-bytes")
            .unit("bytes")
            .range(static_cast<double>(2 * codec::kRecordBytes),
                   static_cast<double>(net::kMaxPayloadBytes))
            .doc("Payload cap, at least an anchor and one record. 1200: stays below any usual "
                 "MTU after IPv6, UDP, RTP and SRTP headers."),
        Row(keys::kRedundancy, detail::network_redundancy())
            .flag("redundancy")
            .reloadable()
            .unit("packets")
            .range(0, static_cast<double>(net::kMaxRedundantBlocks))
            .doc("RFC 2198 redundancy: each packet also carries the records of this many earlier "
                 "packets, so the receiver repairs that many losses in a row before it "
                 "conceals; costs that many times the payload rate again. auto: off until the "
                 "peer's RTCP reports more than 1 % loss, then 1 to 3 by the loss, off again "
                 "after 4 reports at or below 0.5 % (docs/daemon.md). 0: off."),
        Row(keys::kRedundancyKbps,
            member<&LinkConfig::network, &NetworkSettings::redundancy_kbps>())
            .flag("redundancy-kbps")
            .unit("kbps")
            .range(0, kMaxRedundancyKbps)
            .doc("Payload rate of the redundant blocks: a second encoder steered to this rate "
                 "encodes the same capture, and its records of each packet's span are what the "
                 "later packets carry, so redundancy costs this rate per block instead of the "
                 "payload rate (docs/wire.md). 8 to 256, and below encoder.target_kbps when that "
                 "is set: a block at the packet's own rate would cost as much as a copy. Read at "
                 "the start only (not on SIGHUP), and only by a link that starts with redundancy "
                 "on or auto. 0: the blocks are copies of the packets' payloads."),
        Row(keys::kRedPayloadType,
            member<&LinkConfig::network, &NetworkSettings::red_payload_type>())
            .flag("red-payload-type")
            .range(96, 127)
            .doc("RTP dynamic payload type of redundant (RED, SDP red/48000) packets. A link "
                 "that sends redundancy needs it to differ from payload_type; a receiver takes "
                 "RED packets of this type whatever its own redundancy (none when the two are "
                 "equal). 97: the dynamic number after payload_type's default."),
        Row(keys::kCnPayloadType, member<&LinkConfig::network, &NetworkSettings::cn_payload_type>())
            .flag("cn-payload-type")
            .range(0, 127)
            .doc("RTP payload type of RFC 3389 comfort-noise packets (encoder.dtx); it must "
                 "differ from payload_type and red_payload_type. 13: CN's static number "
                 "(RFC 3551)."),
        Row(keys::kSwingPayloadType,
            member<&LinkConfig::network, &NetworkSettings::swing_payload_type>())
            .flag("swing-payload-type")
            .range(96, 127)
            .doc("RTP dynamic payload type of records in the swing bank (encoder.bank = swing); "
                 "payload_type carries the standard bank's. A receiver takes both whatever its "
                 "own bank, so it must differ from payload_type, red_payload_type and "
                 "cn_payload_type. 98: the dynamic number after red_payload_type's default."),
        Row(keys::kMulticastTtl, member<&LinkConfig::network, &NetworkSettings::multicast_ttl>())
            .flag("multicast-ttl")
            .unit("hops")
            .range(0, 255)
            .doc("Hop limit of multicast sending. 1: the stream stays on the local link unless "
                 "asked otherwise."),
        Row(keys::kMulticastInterface,
            member<&LinkConfig::network, &NetworkSettings::multicast_interface>())
            .flag("multicast-interface")
            .format(TextFormat::kOptionalAddress)
            .doc("Address of the interface a multicast receiver joins on. \"\": the system's "
                 "choice."),
        Row(keys::kSrtpKeyFile, member<&LinkConfig::network, &NetworkSettings::srtp_key_file>())
            .flag("srtp-key-file")
            .doc("SRTP pre-shared key file (docs/wire.md). \"\": plain RTP."),
        Row(keys::kDtls, member<&LinkConfig::network, &NetworkSettings::dtls>())
            .flag("dtls")
            .choices({"off", "client", "server"})
            .doc("Fresh SRTP keys every session from a DTLS-SRTP handshake (RFC 5764) "
                 "authenticated by srtp_key_file: client starts it and needs a peer (the "
                 "sender, or one end of a duplex link), server answers (the receiver, the other "
                 "end). off: the key file keys SRTP directly, so a recorded session can be "
                 "replayed to a restarted receiver (docs/wire.md)."),
        Row("network.receive_buffer_bytes",
            member<&LinkConfig::network, &NetworkSettings::receive_buffer_bytes>())
            .flag("receive-buffer-bytes")
            .unit("bytes")
            .range(0, 1 << 28)
            .doc("SO_RCVBUF, room for a burst after a stall; 0 = the system default. 1 MiB: "
                 "at least a second of packets down to 2 ms packets: 500 a second of at most "
                 "1.2 kB (capped by net.core.rmem_max)."),

        // [receiver]
        Row("receiver.jitter_target_ms",
            member<&LinkConfig::receiver, &ReceiverSettings::jitter_target_ms>())
            .flag("jitter-target-ms")
            .unit("ms")
            .range(0, 500)  // the jitter buffer holds packets up to 1 s ahead of playout
            .reloadable()
            .doc("Jitter buffer target delay with latency = fixed. It must cover one packet "
                 "(packet_ms: a packet leaves once its audio is captured), the network's jitter, "
                 "and the two ends' ticks and device periods (docs/latency.md has the budget of "
                 "each setting). 40: a default 20 ms packet and 20 ms of LAN jitter (the "
                 "adaptive default learns the jitter)."),
        Row("receiver.latency", member<&LinkConfig::receiver, &ReceiverSettings::latency>())
            .flag("latency")
            .choices({"adaptive", "fixed"})
            .doc("How the jitter buffer's target is chosen. adaptive: it follows the measured "
                 "lateness of packets between min_latency_ms and max_latency_ms, growing within "
                 "a second or two when packets come late and shrinking slowly when the network "
                 "calms, always by resampling (docs/latency.md). fixed: jitter_target_ms. "
                 "Adaptive needs drift_correction (without it the target applies from the next "
                 "start of playout only)."),
        Row(keys::kMinLatencyMs, member<&LinkConfig::receiver, &ReceiverSettings::adaptive,
                                        &pipeline::AdaptiveLatencyConfig::min_latency_ms>())
            .flag("min-latency-ms")
            .unit("ms")
            .range(0, 500)
            .doc("Floor of the adaptive target (and where playout starts); never below a packet "
                 "plus a few ms of safety. 10: no more than that at the usual packet_ms, so a "
                 "clean LAN link settles at about a packet plus the safety."),
        Row(keys::kMaxLatencyMs, member<&LinkConfig::receiver, &ReceiverSettings::adaptive,
                                        &pipeline::AdaptiveLatencyConfig::max_latency_ms>())
            .flag("max-latency-ms")
            .unit("ms")
            .range(1, 900)  // the jitter buffer holds packets up to 1 s ahead of playout
            .doc("Ceiling of the adaptive target. 250: the network's share of the 400 ms "
                 "mouth-to-ear delay ITU-T G.114 calls the limit for conversation; a worse "
                 "network costs late packets instead."),
        Row(keys::kMaxPacketMs, member<&LinkConfig::receiver, &ReceiverSettings::limits,
                                       &net::StreamLimits::max_packet_ms>())
            .flag("max-packet-ms")
            .unit("ms")
            .range(1, 10000)
            .doc("Most audio one packet may produce. 200: far above honest packets (packet_ms "
                 "plus one record), yet a hostile packet can make the receiver play at most "
                 "0.2 s."),
        Row("receiver.ssrc_timeout_ms", member<&LinkConfig::receiver, &ReceiverSettings::limits,
                                               &net::StreamLimits::ssrc_timeout_ms>())
            .flag("ssrc-timeout-ms")
            .unit("ms")
            .range(10, 60000)
            .doc("Silence from the locked sender after which another may take over. 1000: "
                 "rides out a network hiccup, and a restarted sender is heard within a second."),
        Row("receiver.drift_correction",
            member<&LinkConfig::receiver, &ReceiverSettings::drift_correction>())
            .flag("drift-correction")
            .doc("Follow the sender's clock by slight resampling so latency neither grows nor "
                 "drains over hours. Turn off only when both ends share one clock (tests on one "
                 "host)."),

        // [compressor]: the ranges are dsp::validate()'s (extrema/dsp/compressor.h).
        Row("compressor.enabled", member<&LinkConfig::compressor, &CompressorSettings::enabled>())
            .flag("compressor")
            .reloadable()
            .doc("Run the dynamic range compressor (docs/compressor.md). false: changing the "
                 "talker's dynamics is the user's call."),
        Row("compressor.threshold_db", member<&LinkConfig::compressor, &CompressorSettings::config,
                                              &CompressorConfig::threshold_db>())
            .flag("compressor-threshold-db")
            .unit("dBFS")
            .range(dsp::kThresholdRangeDb)
            .reloadable()
            .doc("Level where compression starts. -20: a well-set microphone peaks around "
                 "-12..-6 dBFS on speech, so loud syllables are compressed and quiet ones pass."),
        Row("compressor.ratio", detail::compressor_ratio())
            .flag("compressor-ratio")
            .range(dsp::kRatioRange)
            .reloadable()
            .doc("dB in per dB out above the threshold; \"inf\" limits. 4: the usual firm but "
                 "natural voice setting."),
        Row("compressor.knee_db", member<&LinkConfig::compressor, &CompressorSettings::config,
                                         &CompressorConfig::knee_db>())
            .flag("compressor-knee-db")
            .unit("dB")
            .range(dsp::kKneeRangeDb)
            .reloadable()
            .doc("Soft-knee width; 0 = hard knee. 6: hides the onset of compression on speech."),
        Row("compressor.attack_ms", member<&LinkConfig::compressor, &CompressorSettings::config,
                                           &CompressorConfig::attack_ms>())
            .flag("compressor-attack-ms")
            .unit("ms")
            .range(dsp::kTimeConstantRangeMs)
            .reloadable()
            .doc("Attack time constant. 5: holds down syllable onsets (10-20 ms rises) without "
                 "following single pitch periods."),
        Row("compressor.release_ms", member<&LinkConfig::compressor, &CompressorSettings::config,
                                            &CompressorConfig::release_ms>())
            .flag("compressor-release-ms")
            .unit("ms")
            .range(dsp::kTimeConstantRangeMs)
            .reloadable()
            .doc("Release time constant. 100: recovers between words without pumping inside a "
                 "syllable."),
        Row("compressor.makeup_db", detail::compressor_makeup())
            .flag("compressor-makeup-db")
            .unit("dB")
            .range(dsp::kMakeupRangeDb)
            .reloadable()
            .doc("Make-up gain, or \"auto\": half the curve's reduction at 0 dBFS. 0: no level "
                 "change unless asked for."),
        Row("compressor.level", member<&LinkConfig::compressor, &CompressorSettings::config,
                                       &CompressorConfig::level_mode>())
            .flag("compressor-level")
            .reloadable()
            .doc("Level detector: peak (|x|, as in the paper) or rms (gentler, loudness-like). "
                 "peak: the reference design."),
        Row("compressor.rms_window_ms", member<&LinkConfig::compressor, &CompressorSettings::config,
                                               &CompressorConfig::rms_window_ms>())
            .flag("compressor-rms-window-ms")
            .unit("ms")
            .range(dsp::kRmsWindowRangeMs)
            .reloadable()
            .doc("Window of the rms detector. 10: about one pitch period of a low voice, so the "
                 "level does not ripple with it."),

        // [log]
        Row("log.level", member<&LinkConfig::log, &LogSettings::level>())
            .flag("log-level")
            .choices({"trace", "debug", "info", "warn", "error", "critical", "off"})
            .reloadable()
            .doc("Log level (spdlog). info: start-up, stats lines and problems."),
        Row("log.stats_interval_s", member<&LinkConfig::log, &LogSettings::stats_interval_s>())
            .flag("stats-interval-s")
            .unit("s")
            .range(0, 86400)
            .reloadable()
            .doc("Time between stats lines; 0 = none. 5: often enough to watch a link, rare "
                 "enough for a journal that runs for weeks."),
        Row("log.stats_json", member<&LinkConfig::log, &LogSettings::stats_json>())
            .flag("stats-json")
            .reloadable()
            .doc("Also append each stats record as one JSON line to this file. \"\": none."),
    };
}

}  // namespace

namespace detail {

const char* to_string(dsp::LevelMode mode) noexcept {
    switch (mode) {
        case dsp::LevelMode::kPeak:
            return "peak";
        case dsp::LevelMode::kRms:
            return "rms";
    }
    return "?";
}

KeyAccess compressor_ratio() {
    KeyAccess access;
    access.type = ValueType::kFloat;
    access.choices = {kInfiniteRatioWord};
    access.get = [](const LinkConfig& config) -> SettingValue {
        const double ratio = config.compressor.config.ratio;
        if (std::isinf(ratio)) return std::string(kInfiniteRatioWord);
        return ratio;
    };
    access.set = [](LinkConfig& config, const SettingValue& value) {
        double& ratio = config.compressor.config.ratio;
        if (const auto* word = std::get_if<std::string>(&value)) {
            ratio = parse_ratio_text(*word).value_or(ratio);
        } else {
            ratio = std::get<double>(value);
        }
    };
    return access;
}

KeyAccess network_redundancy() {
    KeyAccess access;
    access.type = ValueType::kFloat;
    access.choices = {kAutoRedundancyWord};
    access.get = [](const LinkConfig& config) -> SettingValue {
        if (config.network.redundancy_auto) return std::string(kAutoRedundancyWord);
        return static_cast<double>(config.network.redundancy);
    };
    access.set = [](LinkConfig& config, const SettingValue& value) {
        pipeline::NetworkSettings& network = config.network;
        if (const auto* word = std::get_if<std::string>(&value)) {
            if (*word != kAutoRedundancyWord) {
                throw std::invalid_argument("expected 0..3 or \"auto\", got \"" + *word + "\"");
            }
            network.redundancy_auto = true;
            return;
        }
        const double count = std::get<double>(value);
        if (count != std::floor(count)) {
            throw std::invalid_argument("expected a whole number of packets (0..3) or \"auto\"");
        }
        network.redundancy = static_cast<int>(std::clamp(count, -1000.0, 1000.0));
        network.redundancy_auto = false;
    };
    return access;
}

KeyAccess compressor_makeup() {
    KeyAccess access;
    access.type = ValueType::kFloat;
    access.choices = {kAutoMakeupWord};
    access.get = [](const LinkConfig& config) -> SettingValue {
        const dsp::CompressorConfig& compressor = config.compressor.config;
        if (compressor.auto_makeup) return std::string(kAutoMakeupWord);
        return compressor.makeup_db;
    };
    access.set = [](LinkConfig& config, const SettingValue& value) {
        dsp::CompressorConfig& compressor = config.compressor.config;
        MakeupGain gain{compressor.makeup_db, compressor.auto_makeup};
        if (const auto* word = std::get_if<std::string>(&value)) {
            gain = parse_makeup_text(*word).value_or(gain);
        } else {
            gain = MakeupGain{std::get<double>(value), false};
        }
        compressor.makeup_db = gain.db;
        compressor.auto_makeup = gain.automatic;
    };
    return access;
}

}  // namespace detail

std::string KeySpec::path() const {
    if (section.empty()) return std::string(name);
    return std::string(section) + "." + std::string(name);
}

std::string KeySpec::option() const {
    return "--" + std::string(flag);
}

std::span<const KeySpec> config_keys() {
    static const std::vector<KeySpec> keys = build_table();
    return keys;
}

const KeySpec* find_key(std::string_view path) {
    for (const KeySpec& key : config_keys()) {
        if (key.path() == path) return &key;
    }
    return nullptr;
}

std::vector<std::string_view> config_sections() {
    std::vector<std::string_view> sections;
    for (const KeySpec& key : config_keys()) {
        if (!key.section.empty() &&
            std::find(sections.begin(), sections.end(), key.section) == sections.end()) {
            sections.push_back(key.section);
        }
    }
    return sections;
}

}  // namespace extrema::config
