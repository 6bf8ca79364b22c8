#pragma once
// File endpoints through libsndfile (WAV, FLAC, anything it reads).
//
// FileSource reads a file into a mono ring: a mix-down of all its channels or one chosen
// channel, paced in real time or as fast as the ring accepts (SourceThread). The file must be at
// the stream's rate: a mismatch is an error, not a silent resample, so that a file source stays
// bit-exact and what a test feeds is what the pipeline gets; resample the file beforehand, or run
// the stream at the file's rate (the codec works at any rate), which rate_hz = 0 does.
//
// FileSink writes what it pops, on its own thread, through SoundFileWriter: into a temporary
// beside the target, renamed over it by stop(), so an abandoned run never leaves a half file.
// Every second it flushes the file and its header to the disk, so a crash loses at most that. A
// write error (a full disk) is logged when it happens and counted in stats(); the sink then
// discards what comes, and stop() keeps what was written before the error under the real name
// and reports the error.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "audio/audio_backend.h"
#include "audio/sample_ring.h"
#include "audio/sound_file.h"
#include "audio/source_thread.h"

namespace extrema::audio {

struct FileSourceConfig {
    std::filesystem::path path;
    // The stream's rate; the file must have it. 0 = take the file's own rate.
    int rate_hz = kDefaultStreamRateHz;
    // -1 = mix all channels down to mono (their mean: no clipping); N >= 0 = channel N only.
    int channel = -1;
    // Real time, as a live input would deliver it; kAsFastAsPossible for tests and offline runs.
    Pacing pacing = Pacing::kRealTime;
    Pace pace;  // how fast "real time" runs (the loopback harness runs it faster)
    int block_ms = kDefaultBlockMs;
};

class FileSource final : public AudioSource {
  public:
    // Opens and checks the file (exists, readable audio, rate, channel): AudioError otherwise.
    // The ring must be mono.
    FileSource(SampleRing& ring, const FileSourceConfig& config);
    ~FileSource() override;

    void start() override { thread_->start(); }
    void stop() override;
    int rate_hz() const noexcept override { return rate_hz_; }
    int channels() const noexcept override { return 1; }
    bool finished() const noexcept override { return thread_->finished(); }
    const DeliveryClock* delivery_clock() const noexcept override {
        return thread_->delivery_clock();
    }
    EndpointStats stats() const noexcept override { return {thread_->frames(), 0}; }
    std::string describe() const override { return description_; }

    // Frames per channel in the file: what a complete run delivers.
    std::int64_t file_frames() const noexcept { return info_.frames; }

  private:
    std::size_t fill(std::span<float> block);

    std::unique_ptr<SoundFileReader> reader_;
    SoundInfo info_;
    int channel_;
    int rate_hz_;
    std::string description_;
    std::vector<float> frames_;  // one block of the file's interleaved frames
    std::unique_ptr<SourceThread> thread_;
};

struct FileSinkConfig {
    std::filesystem::path path;  // .wav, or .flac (16-bit)
    int rate_hz = kDefaultStreamRateHz;
    int channels = kDefaultChannels;
    // Float WAV records exactly what was played (tests compare bit for bit); kPcm16 for files
    // every player opens.
    SampleFormat format = SampleFormat::kFloat32;
};

class FileSink final : public AudioSink {
  public:
    // Creates the temporary output (AudioError if it cannot). The ring's channel count must
    // match.
    FileSink(SampleRing& ring, const FileSinkConfig& config);
    // Without stop(): stops the thread and discards the output (nothing appears under the name).
    ~FileSink() override;

    void start() override;
    // Stops the thread, writes what is still in the ring, and commits the file; after a write
    // failure of the thread it commits what was written before it and throws the failure as
    // AudioError.
    void stop() override;
    int rate_hz() const noexcept override { return rate_hz_; }
    int channels() const noexcept override { return channels_; }
    EndpointStats stats() const noexcept override {
        return {frames_.load(std::memory_order_relaxed), 0, 0.0,
                write_errors_.load(std::memory_order_relaxed)};
    }
    std::string describe() const override { return description_; }
    // Writes whatever arrives: no clock of its own to refill by.
    bool set_refill(RingRefill* /*refill*/) noexcept override { return false; }

  private:
    void run() noexcept;
    void loop();
    std::size_t drain();  // writes what the ring holds now; returns samples taken from it
    void fail(const std::string& message);  // the first write error: logged and counted

    SampleRing& ring_;
    std::unique_ptr<SoundFileWriter> writer_;
    int rate_hz_;
    int channels_;
    std::string description_;
    std::vector<float> block_;
    std::thread thread_;
    std::atomic<bool> stop_requested_{false};
    std::atomic<std::uint64_t> frames_{0};
    std::atomic<std::uint64_t> write_errors_{0};
    std::string failure_;  // the first write error's message; set by the thread, read after join
    bool committed_ = false;
};

}  // namespace extrema::audio
