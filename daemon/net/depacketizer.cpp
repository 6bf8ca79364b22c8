#include "net/depacketizer.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>

namespace extrema::net {
namespace {

std::uint64_t to_samples(double ms, double rate_hz) noexcept {
    return static_cast<std::uint64_t>(std::llround(ms * rate_hz / 1000.0));
}

std::int16_t to_int16(float normalised) noexcept {
    const long v = std::lround(normalised * codec::kFullScale);
    return static_cast<std::int16_t>(std::clamp(v, -32768L, 32767L));
}

// Raised-cosine weight of the start value, k = 1..length: 1 just before the fade, 0 at its end.
float fade_weight(std::int64_t k, std::int64_t length) noexcept {
    if (k >= length) return 0.0f;
    const double phase = std::numbers::pi * static_cast<double>(k) / static_cast<double>(length);
    return static_cast<float>(0.5 * (1.0 + std::cos(phase)));
}

DepacketizerConfig checked(const DepacketizerConfig& config) {
    if (!(config.sample_rate_hz > 0.0)) throw std::invalid_argument("sample rate must be positive");
    if (!(config.target_delay_ms >= 0.0))
        throw std::invalid_argument("target delay must be >= 0 ms");
    if (!(config.restart_fade_ms >= 0.0))
        throw std::invalid_argument("restart fade must be >= 0 ms");
    return config;
}

}  // namespace

Depacketizer::Depacketizer(const DepacketizerConfig& config, PacketQueue& queue,
                           Concealer& concealer, NoiseFiller& noise)
    : config_(checked(config)),
      queue_(queue),
      concealer_(concealer),
      noise_(noise),
      standard_bank_(codec::CurveBank::standard()),
      swing_bank_(codec::CurveBank::swing()),
      decoder_(standard_bank_),
      generation_(queue.generation()) {
    set_target_delay_ms(config_.target_delay_ms);
    fade_samples_ =
        std::max<std::uint64_t>(1, to_samples(config_.restart_fade_ms, config_.sample_rate_hz));
}

void Depacketizer::set_target_delay_ms(double target_ms) noexcept {
    config_.target_delay_ms = target_ms;
    target_samples_ = to_samples(target_ms, config_.sample_rate_hz);
}

void Depacketizer::follow_queue() noexcept {
    if (queue_.generation() == generation_) return;
    generation_ = queue_.generation();
    decoder_ = codec::Decoder(decoder_.bank());
    concealer_.reset();
    noise_.reset();
    preroll_samples_ = 0;
    // Whatever was playing fades out during the new pre-roll instead of stopping dead.
    fade_out_from_ = last_value_;
    fade_out_done_ = 0;
}

bool Depacketizer::ready() const noexcept {
    if (queue_.empty()) return false;
    if (preroll_samples_ >= target_samples_) return true;  // waited the target delay in real time
    return static_cast<std::uint64_t>(queue_.buffered_end() - queue_.front().start) >=
           target_samples_;
}

void Depacketizer::read(std::span<float> out) noexcept {
    follow_queue();
    concealer_.begin_read();
    std::size_t done = 0;
    while (done < out.size()) {
        if (!queue_.started()) {
            if (!ready()) {
                preroll(out.subspan(done));
                return;
            }
            queue_.start();
            decoder_.set_position(to_int16(last_value_));
        }
        done += play(out.subspan(done));
    }
}

void Depacketizer::preroll(std::span<float> out) noexcept {
    const auto fade = static_cast<std::int64_t>(fade_samples_);
    for (float& sample : out) {
        if (fade_out_done_ < fade) ++fade_out_done_;
        sample = fade_out_from_ * fade_weight(fade_out_done_, fade);
    }
    if (!out.empty()) last_value_ = out.back();
    if (!queue_.empty()) preroll_samples_ += out.size();
}

std::size_t Depacketizer::play(std::span<float> out) noexcept {
    if (queue_.front_held()) return decode(out);
    queue_.drop_stale();
    if (!queue_.empty() && queue_.front().start == queue_.position()) {
        if (concealer_.concealing()) decoder_.set_position(to_int16(last_value_));
        queue_.hold_front();
        decoder_.set_bank(queue_.front().bank == codec::BankId::kSwing ? swing_bank_
                                                                       : standard_bank_);
        noise_.on_packet(queue_.front().start);
        next_record_ = 0;
        return 0;
    }
    return conceal(out);
}

std::size_t Depacketizer::decode(std::span<float> out) noexcept {
    const QueuedPacket& packet = queue_.front();
    const std::int64_t end = packet.start + static_cast<std::int64_t>(packet.samples);
    const std::int64_t limit = queue_.front_limit();
    const std::span<const codec::Record> records = queue_.front_records();
    const std::int64_t position = queue_.position();
    while (decoder_.pending() == 0 && next_record_ < records.size() && position < limit) {
        decoder_.push(records[next_record_++]);
    }
    if (position >= limit || decoder_.pending() == 0) {
        if (limit < end) {
            ++counters_.truncated;
            decoder_.push(codec::Record::silence(0));      // drops the cut record's remainder
            decoder_.set_position(to_int16(last_value_));  // continue from what was heard
        }
        queue_.release_front();
        return 0;
    }
    const auto room = static_cast<std::uint64_t>(limit - position);
    // k / 32767 * 32767 == k exactly in float: the int16 decode survives the scaling.
    std::array<std::int16_t, 256> block;
    const auto want = static_cast<std::size_t>(
        std::min<std::uint64_t>({out.size(), room, decoder_.pending(), block.size()}));
    const std::size_t got = decoder_.read(std::span<std::int16_t>(block).first(want));
    for (std::size_t i = 0; i < got; ++i) {
        out[i] = static_cast<float>(block[i]) / codec::kFullScale;
    }
    concealer_.receive(out.first(got));
    last_value_ = out[got - 1];
    queue_.advance(got);
    counters_.played_samples += got;
    return got;
}

std::size_t Depacketizer::conceal(std::span<float> out) noexcept {
    std::size_t count = out.size();
    if (!queue_.empty()) {  // up to the next packet, which then plays at its own timestamp
        count = static_cast<std::size_t>(std::min<std::int64_t>(
            static_cast<std::int64_t>(count), queue_.front().start - queue_.position()));
    }
    // A DTX pause: the sender's noise, up to the next packet or refresh, as if received (so a
    // loss after it conceals from the noise, and the next packet is merged with it).
    if (const std::size_t noise = noise_.pause_samples(queue_.position(), count); noise > 0) {
        noise_.fill(out.first(noise));
        concealer_.receive(out.first(noise));
        last_value_ = out[noise - 1];
        queue_.advance(noise);
        return noise;
    }
    count = noise_.before_next_pause(queue_.position(), count);  // a pause may start within
    concealer_.conceal(out.first(count), queue_.empty());
    last_value_ = out[count - 1];
    queue_.advance(count);
    return count;
}

}  // namespace extrema::net
