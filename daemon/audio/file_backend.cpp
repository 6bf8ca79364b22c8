#include "audio/file_backend.h"

#include <fmt/core.h>
#include <spdlog/spdlog.h>

#include <chrono>
#include <utility>

namespace extrema::audio {
namespace {

// How often the sink thread looks for samples. The producer is a real-time callback that cannot
// signal (no syscall), so the sink polls; every 2 ms keeps little in the ring, for 500 wake-ups
// a second on a thread that only writes a file.
constexpr auto kSinkPoll = std::chrono::milliseconds(2);
// Samples the sink moves per write: 4096 = 85 ms of mono at 48 kHz, plenty for one poll.
constexpr std::size_t kSinkBlockSamples = 4096;
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

FileSink::FileSink(SampleRing& ring, const FileSinkConfig& config)
    : ring_(ring), rate_hz_(config.rate_hz), channels_(config.channels) {
    if (ring.channels() != config.channels) {
        throw AudioError("file sink " + quoted(config.path) + ": the ring has " +
                         std::to_string(ring.channels()) + " channel(s), the file " +
                         std::to_string(config.channels));
    }
    try {
        writer_ = std::make_unique<SoundFileWriter>(config.path, config.rate_hz, config.channels,
                                                    config.format);
    } catch (const SoundFileError& e) {
        throw AudioError(e.what());
    }
    const std::size_t channels = static_cast<std::size_t>(config.channels);
    block_.resize(kSinkBlockSamples - kSinkBlockSamples % channels);
    description_ = "file " + quoted(config.path) + " (" + std::to_string(config.rate_hz) + " Hz, " +
                   std::to_string(config.channels) + " ch, " +
                   (config.format == SampleFormat::kFloat32 ? "float" : "16-bit") + ")";
}

FileSink::~FileSink() {
    stop_requested_ = true;
    if (thread_.joinable()) thread_.join();
    // writer_'s destructor removes the temporary unless stop() committed it.
}

void FileSink::start() {
    if (thread_.joinable() || committed_) return;
    stop_requested_ = false;
    thread_ = std::thread([this] { run(); });
}

void FileSink::stop() {
    if (committed_) return;
    stop_requested_ = true;
    if (thread_.joinable()) thread_.join();
    committed_ = true;  // whatever happens below, there is nothing more to do
    try {
        if (failure_.empty()) {
            while (drain() > 0) {
            }
        }
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

std::size_t FileSink::drain() {
    const std::size_t got = ring_.pop_available(std::span<float>(block_));
    if (got > 0 && failure_.empty()) {
        try {
            writer_->write(std::span<const float>(block_.data(), got));
        } catch (const SoundFileError& e) {
            frames_.store(writer_->frames_written(), std::memory_order_relaxed);  // part of it
            fail(e.what());
            return got;
        }
        frames_.fetch_add(got / static_cast<std::size_t>(channels_), std::memory_order_relaxed);
    }
    return got;
}

void FileSink::fail(const std::string& message) {
    failure_ = message;
    write_errors_.fetch_add(1, std::memory_order_relaxed);
    // Now, not at stop: a full disk an hour into a session must not go unnoticed until then.
    spdlog::error("{}; no more audio is written to it (what was written is kept)", message);
}

void FileSink::run() noexcept {
    try {
        loop();
    } catch (const std::exception& e) {
        fail(e.what());  // not a write error libsndfile reported, but the file stops all the same
    }
}

void FileSink::loop() {
    auto next_sync = std::chrono::steady_clock::now() + kSinkSyncPeriod;
    while (!stop_requested_.load(std::memory_order_relaxed)) {
        // After a failure the ring is still drained (and discarded): playout must not back up.
        if (drain() < block_.size()) std::this_thread::sleep_for(kSinkPoll);
        if (failure_.empty() && std::chrono::steady_clock::now() >= next_sync) {
            try {
                writer_->sync();
            } catch (const SoundFileError& e) {
                fail(e.what());
            }
            next_sync += kSinkSyncPeriod;
        }
    }
}

}  // namespace extrema::audio
