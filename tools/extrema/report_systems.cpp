#include "report_systems.h"

#include <optional>
#include <stdexcept>

#include "extrema/codec/decoder.h"
#include "extrema/codec/xtr_encoder.h"
#include "extrema/codec/xtr_format.h"
#include "extrema/lowrank/xsvd_format.h"

namespace extrema::cli {
namespace {

double kbps_of(std::uint64_t bytes, std::uint64_t samples, double rate_hz) {
    const double seconds = static_cast<double>(samples) / rate_hz;
    return seconds > 0 ? static_cast<double>(bytes) * 8.0 / seconds / 1000.0 : 0.0;
}

std::vector<float> read_back(const std::filesystem::path& path) {
    return audio::read_sound_file(path).samples;
}

}  // namespace

ExtremaOutput run_extrema(const InputSignal& input, codec::EncoderConfig config,
                          const std::filesystem::path& dir) {
    // The int16 read of `extrema encode` (libsndfile's conversion), not a rounding of our own.
    audio::SoundInfo info;
    const std::vector<std::int16_t> pcm = audio::read_sound_file_int16(input.path, info);
    const auto channels = static_cast<std::size_t>(info.channels);
    const std::size_t frames = pcm.size() / channels;
    config.sample_rate_hz = info.rate_hz;
    const codec::CurveBank& bank = codec::CurveBank::standard();
    std::optional<codec::XtrEncoder> encoder;
    try {
        encoder.emplace(info.channels, config, bank);
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error(std::string("invalid extrema option: ") + e.what());
    }
    encoder->push(pcm);
    codec::XtrStream stream = encoder->finish();

    ExtremaOutput result;
    std::vector<std::int16_t> decoded(pcm.size());
    for (std::size_t c = 0; c < channels; ++c) {
        const std::vector<std::int16_t> out = codec::decode_all(stream.channels[c], bank);
        // The encoder covers every sample it was given (encoder.h): a mismatch is a codec bug.
        if (out.size() != frames) throw std::logic_error("extrema round trip changed the length");
        for (std::size_t i = 0; i < frames; ++i) decoded[i * channels + c] = out[i];
        if (c == 0) {
            result.records = stream.channels[0];
            result.decoded = out;
        }
    }
    result.original.resize(frames);
    for (std::size_t i = 0; i < frames; ++i) result.original[i] = pcm[i * channels];
    const std::vector<std::uint8_t> bytes = codec::serialize_xtr(stream);
    SystemOutput& o = result.output;
    o.coded_path = dir / "extrema.xtr";
    o.wav_path = dir / "extrema.wav";
    audio::write_file_atomically(o.coded_path, bytes);
    // As `extrema decode` writes it: the int16 samples, unchanged.
    audio::SoundFileWriter writer(o.wav_path, info.rate_hz, info.channels);
    writer.write(std::span<const std::int16_t>(decoded));
    writer.commit();
    o.coded_bytes = bytes.size();
    o.kbps = kbps_of(o.coded_bytes, frames, info.rate_hz);
    o.samples = read_back(o.wav_path);
    return result;
}

SystemOutput run_svd(const InputSignal& input, const lowrank::SvdCodecConfig& config,
                     const std::filesystem::path& dir) {
    const auto rate = static_cast<std::uint32_t>(input.info.rate_hz);
    std::vector<std::uint8_t> bytes;
    try {
        bytes = lowrank::serialize_xsvd(
            lowrank::encode_svd(input.samples, rate, input.info.channels, config));
    } catch (const std::invalid_argument& e) {
        throw std::runtime_error("'" + input.path.string() + "': " + e.what());
    }
    SystemOutput o;
    o.coded_path = dir / "svd.xsvd";
    o.wav_path = dir / "svd.wav";
    audio::write_file_atomically(o.coded_path, bytes);
    // Decoded from the bytes, as `extrema svd decode` decodes the file.
    const lowrank::XsvdFile file = lowrank::parse_xsvd(bytes);
    audio::write_sound_file(o.wav_path, input.info.rate_hz, input.info.channels,
                            lowrank::decode_svd(file));
    o.coded_bytes = bytes.size();
    o.kbps = kbps_of(o.coded_bytes, file.header.samples_per_channel, rate);
    o.samples = read_back(o.wav_path);
    return o;
}

SystemOutput run_compressor(const InputSignal& input, const dsp::CompressorConfig& config,
                            const std::filesystem::path& dir) {
    std::vector<float> samples = input.samples;
    dsp::Compressor compressor(config, input.info.rate_hz, input.info.channels);
    compressor.process(samples);
    SystemOutput o;
    o.wav_path = dir / "compressed.wav";
    audio::write_sound_file(o.wav_path, input.info.rate_hz, input.info.channels, samples);
    o.samples = read_back(o.wav_path);
    return o;
}

}  // namespace extrema::cli
