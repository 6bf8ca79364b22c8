#include "audio/file_backend.h"

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <utility>

namespace extrema::audio {
namespace {

// The file sink's playout period: the granularity at which the timeline reaches the file, and
// at which playout can start (the moment the jitter buffer's target is met).
constexpr auto kSinkPeriod = std::chrono::milliseconds(2);
// How often the sink flushes the file and its header to the disk: what a crash can lose.
constexpr auto kSinkSyncPeriod = std::chrono::seconds(1);

std::string quoted(const std::filesystem::path& path) {
    return "'" + path.string() + "'";
}

}  // namespace

// --- source ---

FileSource::FileSource(SampleRing& ring, const FileSourceConfig& config)
    : channel_(config.channel) {
    if (ring.channels() != 1)
        throw AudioError("a file source delivers mono: the ring must be mono");
    try {
        reader_ = std::make_unique<SoundFileReader>(config.path);
    } catch (const SoundFileError& e) {
        throw AudioError(e.what());
    }
    info_ = reader_->info();
    rate_hz_ = config.rate_hz == 0 ? info_.rate_hz : config.rate_hz;
    if (info_.rate_hz != rate_hz_) {
        throw AudioError(quoted(config.path) + " is at " + std::to_string(info_.rate_hz) +
                         " Hz but the stream runs at " + std::to_string(rate_hz_) +
                         " Hz; resample the file or run the stream at " +
                         std::to_string(info_.rate_hz) + " Hz");
    }
    if (channel_ < -1 || channel_ >= info_.channels) {
        throw AudioError(quoted(config.path) + " has " + std::to_string(info_.channels) +
                         " channel(s); channel " + std::to_string(channel_) +
                         " does not exist (0-based, or -1 to mix down)");
    }
    description_ =
        "file " + quoted(config.path) + " (" + std::to_string(info_.rate_hz) + " Hz, " +
        std::to_string(info_.channels) + " ch" +
        (info_.channels > 1
             ? (channel_ < 0 ? ", mixed down" : ", channel " + std::to_string(channel_))
             : std::string()) +
        (config.pacing == Pacing::kAsFastAsPossible ? ", as fast as possible)"
         : config.pace.real_time()                  ? ", real time)"
                                   : fmt::format(", {:g} x real time)", config.pace.speed()));
    thread_ = std::make_unique<SourceThread>(
        ring, rate_hz_, config.block_ms, config.pacing,
        [this](std::span<float> block) { return fill(block); }, SourceThread::AfterBlock{},
        config.pace);
}

FileSource::~FileSource() = default;  // thread_ (declared last) is joined before the reader goes

void FileSource::stop() {
    try {
        thread_->stop();
    } catch (const SoundFileError& e) {
        throw AudioError(e.what());
    }
}

std::size_t FileSource::fill(std::span<float> block) {
    const auto file_channels = static_cast<std::size_t>(info_.channels);
    if (file_channels == 1) return reader_->read(block);  // straight in: bit-exact
    frames_.resize(block.size() * file_channels);         // first call only
    const std::size_t got = reader_->read(std::span<float>(frames_));
    for (std::size_t i = 0; i < got; ++i) {
        const float* frame = &frames_[i * file_channels];
        if (channel_ >= 0) {
            block[i] = frame[channel_];
        } else {
            float sum = 0.0f;
            for (std::size_t c = 0; c < file_channels; ++c) sum += frame[c];
            block[i] = sum / static_cast<float>(file_channels);
        }
    }
    return got;
}

// --- sink ---

FileSink::FileSink(FrameReader& reader, const FileSinkConfig& config)
    : rate_hz_(config.rate_hz), channels_(config.channels) {
    try {
        writer_ = std::make_unique<SoundFileWriter>(config.path, config.rate_hz, config.channels,
                                                    config.format);
    } catch (const SoundFileError& e) {
        throw AudioError(e.what());
    }
    description_ = "file " + quoted(config.path) + " (" + std::to_string(config.rate_hz) + " Hz, " +
                   std::to_string(config.channels) + " ch, " +
                   (config.format == SampleFormat::kFloat32 ? "float" : "16-bit") + ")";
    pump_ = std::make_unique<Pump>(
        reader, config.rate_hz, config.channels, kSinkPeriod,
        [this](std::span<const float> samples) { write(samples); }, config.pace);
}

FileSink::~FileSink() {
    pump_->stop();
    // writer_'s destructor removes the temporary unless stop() committed it.
}

void FileSink::start() {
    if (committed_) return;
    next_sync_ = std::chrono::steady_clock::now() + kSinkSyncPeriod;
    pump_->start();
}

void FileSink::stop() {
    if (committed_) return;
    pump_->stop();
    committed_ = true;  // whatever happens below, there is nothing more to do
    try {
        writer_->commit();
    } catch (const SoundFileError& e) {
        writer_.reset();  // removes the temporary
        throw AudioError(failure_.empty() ? std::string(e.what()) : failure_);
    }
    if (!failure_.empty()) {
        throw AudioError(failure_ + "; kept the " +
                         std::to_string(frames_.load(std::memory_order_relaxed)) +
                         " frames written before it");
    }
}

void FileSink::write(std::span<const float> samples) noexcept {
    if (!failure_.empty()) return;  // pulled all the same: playout must not back up
    try {
        writer_->write(samples);
        frames_.fetch_add(samples.size() / static_cast<std::size_t>(channels_),
                          std::memory_order_relaxed);
        if (std::chrono::steady_clock::now() >= next_sync_) {
            writer_->sync();
            next_sync_ += kSinkSyncPeriod;
        }
    } catch (const SoundFileError& e) {
        frames_.store(writer_->frames_written(), std::memory_order_relaxed);  // part of it
        fail(e.what());
    } catch (const std::exception& e) {
        fail(e.what());  // not a write error libsndfile reported, but the file stops all the same
    }
}

void FileSink::fail(const std::string& message) {
    failure_ = message;
    write_errors_.fetch_add(1, std::memory_order_relaxed);
    // Now, not at stop: a full disk an hour into a session must not go unnoticed until then.
    spdlog::error("{}; no more audio is written to it (what was written is kept)", message);
}

}  // namespace extrema::audio
