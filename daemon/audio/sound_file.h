#pragma once
// Audio files through libsndfile (WAV, FLAC, and whatever else it reads; any rate, any channel
// count). Errors are thrown as SoundFileError with a message that names the file.
#include <sndfile.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace extrema::audio {

class SoundFileError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

struct SoundInfo {
    int rate_hz = 0;
    int channels = 0;
    std::int64_t frames = 0;  // samples per channel
};

class SoundFileReader {
  public:
    explicit SoundFileReader(const std::filesystem::path& path);
    ~SoundFileReader();
    SoundFileReader(const SoundFileReader&) = delete;
    SoundFileReader& operator=(const SoundFileReader&) = delete;

    const SoundInfo& info() const noexcept { return info_; }
    // Reads up to out.size() / channels frames of interleaved samples; returns frames read
    // (0 at the end). Float samples are normalised to [-1, 1]; int16 ones are the file's own.
    // A 16-bit file's float samples are value / 32767, the codec's full scale and the scale
    // libsndfile writes floats with, so float reads and writes of 16-bit files are exact inverses
    // and float * 32767 gives back the file's integers exactly (libsndfile itself would divide
    // by 32768 on reading).
    std::size_t read(std::span<float> interleaved);
    std::size_t read(std::span<std::int16_t> interleaved);

  private:
    std::filesystem::path path_;
    SNDFILE* file_ = nullptr;
    SoundInfo info_;
    bool pcm16_ = false;  // 16-bit integer samples: floats are scaled here, not by libsndfile
};

// A whole file in memory, interleaved.
struct SoundData {
    SoundInfo info;
    std::vector<float> samples;  // frames * channels, normalised
};
SoundData read_sound_file(const std::filesystem::path& path);
// int16 flavour, for bit-exact work (the extrema codec works on the int16 scale).
std::vector<std::int16_t> read_sound_file_int16(const std::filesystem::path& path, SoundInfo& info);

enum class SampleFormat { kPcm16, kFloat32 };

// The container a writer picks by the path's extension: .flac, .w64 (Sony Wave64), .rf64 (EBU
// RF64), and RIFF WAV for anything else.
enum class Container { kWav, kFlac, kW64, kRf64 };
Container container_for(const std::filesystem::path& path);
// A RIFF WAV stores its sizes in 32 bits: a file must stay below 4 GiB, header included. Data
// bytes are kept this far below the limit, room for any header libsndfile writes.
inline constexpr std::uint64_t kMaxWavDataBytes =
    (std::uint64_t{1} << 32) - (std::uint64_t{1} << 16);
// Bytes of sample data `frames` frames take (FLAC: before compression, an upper bound).
std::uint64_t sample_data_bytes(std::uint64_t frames, int channels, SampleFormat format);
// The line a writer refuses a WAV that would not fit with: names the file and the ways out.
std::string wav_too_large_message(const std::filesystem::path& path, std::uint64_t data_bytes);

// Temporaries the writers below have open, removed by remove_temporaries() from a signal handler
// (async-signal-safe: unlink() of paths kept in fixed storage), so an interrupted run leaves no
// `OUT.tmp-PID` behind. At most kMaxTrackedTemporaries at once; beyond that a temporary is just
// not tracked.
inline constexpr int kMaxTrackedTemporaries = 16;
void remove_temporaries() noexcept;

// Writes to a temporary file beside the target and renames it over the target on commit(), so a
// failed or interrupted run never leaves a half-written file under the real name.
class SoundFileWriter {
  public:
    SoundFileWriter(const std::filesystem::path& path, int rate_hz, int channels,
                    SampleFormat format = SampleFormat::kPcm16);
    ~SoundFileWriter();  // without commit(): removes the temporary
    SoundFileWriter(const SoundFileWriter&) = delete;
    SoundFileWriter& operator=(const SoundFileWriter&) = delete;

    void write(std::span<const float> interleaved);
    void write(std::span<const std::int16_t> interleaved);
    void commit();
    // Writes what libsndfile buffers and the header's sizes to the disk, so that a crash after it
    // leaves a readable temporary with everything written so far.
    void sync();
    // Frames in the file so far (a write that failed part-way counts what it did write).
    std::uint64_t frames_written() const noexcept { return frames_written_; }

  private:
    template <typename Sample>
    void write_frames(std::span<const Sample> interleaved);

    std::filesystem::path path_;
    std::filesystem::path temp_;
    SNDFILE* file_ = nullptr;
    int channels_;
    SampleFormat format_;
    Container container_;
    std::uint64_t frames_written_ = 0;
    int temp_slot_ = -1;  // in the signal-cleanup table, or -1
};

void write_sound_file(const std::filesystem::path& path, int rate_hz, int channels,
                      std::span<const float> interleaved,
                      SampleFormat format = SampleFormat::kPcm16);

// Writes bytes to `path` through a temporary and a rename (for .xtr and other outputs).
void write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes);
// Reads a whole file; throws SoundFileError naming the file if it cannot.
std::vector<std::uint8_t> read_whole_file(const std::filesystem::path& path);

}  // namespace extrema::audio
