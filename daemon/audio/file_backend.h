#pragma once
// File endpoints through libsndfile (WAV, FLAC, anything it reads).
//
// FileSource reads a file into a mono ring: a mix-down of all its channels or one chosen
// channel, paced in real time or as fast as the ring accepts (SourceThread). The file must be at
// the stream's rate: a mismatch is an error, not a silent resample, so that a file source stays
// bit-exact and what a test feeds is what the pipeline gets; resample the file beforehand, or run
// the stream at the file's rate (the codec works at any rate), which rate_hz = 0 does.
//
// FileSink has no clock of its own: a Pump pulls the timeline at real-time pace (at the link's
// Pace) and writes it through SoundFileWriter: into a temporary beside the target, renamed over
// it by stop(), so an abandoned run never leaves a half file.
// Every second it flushes the file and its header to the disk, so a crash loses at most that. A
// write error (a full disk) is logged when it happens and counted in stats(); the sink then
// still pulls (playout must not back up) but discards, and stop() keeps what was written before the
// error under the real name and reports the error.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "audio/audio_backend.h"
#include "audio/frame_reader.h"
#include "audio/pump.h"
#include "audio/sample_ring.h"
#include "audio/sound_file.h"
#include "audio/source_thread.h"

namespace extrema::audio {

struct FileSourceConfig {
    std::filesystem::path path;
    // The stream's rate; the file must have it. 0 = take the file's own rate.
    int rate_hz = codec::kDefaultSampleRateHz;
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
    int rate_hz = codec::kDefaultSampleRateHz;
    int channels = kDefaultChannels;
    // Float WAV records exactly what was played (tests compare bit for bit); kPcm16 for files
    // every player opens.
    SampleFormat format = SampleFormat::kFloat32;
    Pace pace;  // how fast "real time" runs (the loopback harness runs it faster)
};

class FileSink final : public AudioSink {
  public:
    // Creates the temporary output (AudioError if it cannot).
    FileSink(FrameReader& reader, const FileSinkConfig& config);
    // Without stop(): stops the pump and discards the output (nothing appears under the name).
    ~FileSink() override;

    void start() override;
    // Stops the pump and commits the file; after a write failure it commits what was written
    // before it and throws the failure as AudioError.
    void stop() override;
    int rate_hz() const noexcept override { return rate_hz_; }
    int channels() const noexcept override { return channels_; }
    EndpointStats stats() const noexcept override {
        return {frames_.load(std::memory_order_relaxed), 0, 0.0,
                write_errors_.load(std::memory_order_relaxed)};
    }
    std::string describe() const override { return description_; }

  private:
    void write(std::span<const float> samples) noexcept;  // the pump's thread
    void fail(const std::string& message);                // the first write error: logged, counted

    std::unique_ptr<SoundFileWriter> writer_;
    int rate_hz_;
    int channels_;
    std::string description_;
    std::atomic<std::uint64_t> frames_{0};
    std::atomic<std::uint64_t> write_errors_{0};
    std::string failure_;  // the first write error's message; set by the pump, read after stop
    std::chrono::steady_clock::time_point next_sync_{};  // the pump's thread
    bool committed_ = false;
    std::unique_ptr<Pump> pump_;  // last: stopped before the writer goes
};

}  // namespace extrema::audio
