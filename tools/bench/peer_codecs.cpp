#include "peer_codecs.h"

#include <fmt/core.h>

#include <cstdlib>
#include <stdexcept>

#include "audio/sound_file.h"
#include "extrema/quality/mixdown.h"
#include "extrema/quality/resample.h"

#ifdef EXTREMA_HAVE_OPUS
#include <opus.h>
#endif

namespace extrema::bench {
namespace {

void run(const std::string& command) {
    // stdin from /dev/null: ffmpeg otherwise reads the terminal for its interactive keys.
    const std::string full = command + " </dev/null";
    if (std::system(full.c_str()) != 0) throw std::runtime_error("command failed: " + command);
}

std::string quoted(const std::filesystem::path& p) {
    return "'" + p.string() + "'";
}

}  // namespace

std::vector<FfmpegCodec> standard_ffmpeg_codecs() {
    return {
        {"G.711 mu-law 64", 8000, "-c:a pcm_mulaw -f mulaw", "-f mulaw -ar 8000 -ac 1"},
        {"G.722 64", 16000, "-c:a g722 -f g722", "-f g722"},
        g726(16),
        g726(24),
        g726(32),
        g726(40),
        {"GSM-FR 13", 8000, "-c:a libgsm -f gsm", "-f gsm"},
        {"Codec2 3200", 8000, "-c:a libcodec2 -mode 3200 -f codec2raw", "-f codec2raw -mode 3200"},
    };
}

FfmpegCodec g726(int kbps) {
    // ffmpeg's G.726 writes kbps / 8 bits per sample; its raw demuxer needs that code size.
    return {fmt::format("G.726 {}", kbps), 8000, fmt::format("-c:a g726 -b:a {}k -f g726", kbps),
            fmt::format("-f g726 -code_size {} -ar 8000", kbps / 8)};
}

RoundTrip ffmpeg_round_trip(const std::string& ffmpeg, const FfmpegCodec& codec,
                            std::span<const float> mono, int rate_hz,
                            const std::filesystem::path& work_dir) {
    const auto in = work_dir / "peer_in.wav";
    const auto stream = work_dir / "peer.stream";
    const auto out = work_dir / "peer_out.wav";
    audio::write_sound_file(in, rate_hz, 1, std::vector<float>(mono.begin(), mono.end()));
    run(fmt::format("'{}' -nostdin -y -loglevel error -i {} -ac 1 -ar {} {} {}", ffmpeg, quoted(in),
                    codec.codec_rate_hz, codec.encode_args, quoted(stream)));
    // The raw G.726 demuxer reports every packet split as an error; the decode is still whole.
    run(fmt::format("'{}' -nostdin -y -loglevel fatal {} -i {} -ar {} -c:a pcm_f32le {}", ffmpeg,
                    codec.decode_args, quoted(stream), rate_hz, quoted(out)));
    const audio::SoundData decoded = audio::read_sound_file(out);
    return {quality::mix_to_mono(decoded.samples, decoded.info.channels),
            static_cast<std::size_t>(std::filesystem::file_size(stream))};
}

#ifdef EXTREMA_HAVE_OPUS
bool opus_available() {
    return true;
}

RoundTrip opus_round_trip(std::span<const float> mono, int rate_hz, int kbps) {
    constexpr int kOpusRateHz = 48000;
    constexpr int kFrame = kOpusRateHz / 50;  // 20 ms
    std::vector<float> in = quality::resample(mono, rate_hz, kOpusRateHz);
    in.resize((in.size() + kFrame - 1) / kFrame * kFrame, 0.0F);  // whole frames, zero-padded
    int err = 0;
    OpusEncoder* enc = opus_encoder_create(kOpusRateHz, 1, OPUS_APPLICATION_VOIP, &err);
    if (err != OPUS_OK) throw std::runtime_error("opus_encoder_create failed");
    OpusDecoder* dec = opus_decoder_create(kOpusRateHz, 1, &err);
    if (err != OPUS_OK) {
        opus_encoder_destroy(enc);
        throw std::runtime_error("opus_decoder_create failed");
    }
    opus_encoder_ctl(enc, OPUS_SET_BITRATE(kbps * 1000));
    RoundTrip r;
    std::vector<float> decoded(in.size());
    std::vector<unsigned char> packet(4000);
    for (std::size_t at = 0; at < in.size(); at += kFrame) {
        const opus_int32 n = opus_encode_float(enc, in.data() + at, kFrame, packet.data(),
                                               static_cast<opus_int32>(packet.size()));
        const int got =
            n > 0 ? opus_decode_float(dec, packet.data(), n, decoded.data() + at, kFrame, 0) : -1;
        if (n < 0 || got != kFrame) {
            opus_encoder_destroy(enc);
            opus_decoder_destroy(dec);
            throw std::runtime_error("opus round trip failed");
        }
        r.payload_bytes += static_cast<std::size_t>(n);
    }
    opus_encoder_destroy(enc);
    opus_decoder_destroy(dec);
    r.decoded = quality::resample(decoded, kOpusRateHz, rate_hz);
    return r;
}
#else
bool opus_available() {
    return false;
}

RoundTrip opus_round_trip(std::span<const float>, int, int) {
    throw std::runtime_error("this build has no libopus");
}
#endif

}  // namespace extrema::bench
