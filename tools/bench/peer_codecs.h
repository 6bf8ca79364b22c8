#pragma once
// The standard voice codecs extrema is compared with, as real round trips: G.711, G.722, G.726,
// GSM-FR and Codec2 through Debian's ffmpeg (raw codec streams, so the payload is the codec's
// bytes only), and Opus through libopus (20 ms packets). Used by the rate-quality bench and the
// quality tests.
#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace extrema::bench {

struct RoundTrip {
    std::vector<float> decoded;  // mono, at the input's rate
    std::size_t payload_bytes = 0;
};

// An ffmpeg codec: the arguments that encode to a raw stream, and those that read it back.
struct FfmpegCodec {
    std::string name;         // "G.726 16", for tables
    int codec_rate_hz = 0;    // the rate the codec runs at
    std::string encode_args;  // after "-ar RATE", e.g. "-c:a g726 -b:a 16k -f g726"
    std::string decode_args;  // before "-i", e.g. "-f g726 -code_size 2"
};

// G.711 mu-law 64, G.722 64, G.726 16/24/32/40, GSM-FR 13, Codec2 3200.
std::vector<FfmpegCodec> standard_ffmpeg_codecs();
// The G.726 entry for 16, 24, 32 or 40 kbit/s.
FfmpegCodec g726(int kbps);

// Encodes `mono` (rate_hz) with `codec` by running `ffmpeg` (a path or a name on PATH) in
// `work_dir`, and decodes it back to rate_hz. Throws std::runtime_error if ffmpeg fails.
RoundTrip ffmpeg_round_trip(const std::string& ffmpeg, const FfmpegCodec& codec,
                            std::span<const float> mono, int rate_hz,
                            const std::filesystem::path& work_dir);

// Opus (libopus, OPUS_APPLICATION_VOIP, 20 ms frames, `kbps` target) at 48 kHz, decoded back to
// rate_hz. Throws std::runtime_error if libopus is missing from this build or fails.
RoundTrip opus_round_trip(std::span<const float> mono, int rate_hz, int kbps);
bool opus_available();

}  // namespace extrema::bench
