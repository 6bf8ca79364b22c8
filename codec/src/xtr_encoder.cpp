#include "extrema/codec/xtr_encoder.h"

#include <stdexcept>
#include <string>

namespace extrema::codec {

XtrEncoder::XtrEncoder(int channels, const EncoderConfig& config, const CurveBank& bank) {
    if (channels < 1 || channels > kMaxXtrChannels) {
        throw std::invalid_argument(std::to_string(channels) +
                                    " channels (an .xtr stream holds 1 to " +
                                    std::to_string(kMaxXtrChannels) + ")");
    }
    encoders_.reserve(static_cast<std::size_t>(channels));
    for (int c = 0; c < channels; ++c) encoders_.emplace_back(config, bank);
    stream_.sample_rate_hz = static_cast<std::uint32_t>(config.sample_rate_hz);
    stream_.bank_id = static_cast<std::uint16_t>(bank.id());
    stream_.channels.resize(encoders_.size());
}

void XtrEncoder::push(std::span<const std::int16_t> interleaved) {
    const std::size_t channels = encoders_.size();
    const std::size_t frames = interleaved.size() / channels;
    channel_.resize(frames);
    for (std::size_t c = 0; c < channels; ++c) {
        for (std::size_t i = 0; i < frames; ++i) channel_[i] = interleaved[i * channels + c];
        encoders_[c].push(std::span<const std::int16_t>(channel_), stream_.channels[c]);
    }
    stream_.samples_per_channel += frames;
}

XtrStream XtrEncoder::finish() {
    for (std::size_t c = 0; c < encoders_.size(); ++c) encoders_[c].flush(stream_.channels[c]);
    return std::move(stream_);
}

}  // namespace extrema::codec
