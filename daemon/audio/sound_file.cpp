#include "audio/sound_file.h"

#include <unistd.h>

#include <atomic>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <system_error>
#include <type_traits>

namespace extrema::audio {
namespace {

std::string quoted(const std::filesystem::path& path) {
    return "'" + path.string() + "'";
}

std::filesystem::path temp_path_for(const std::filesystem::path& path) {
    auto temp = path;
    temp += ".tmp-" + std::to_string(::getpid());
    return temp;
}

// --- the temporaries a signal handler removes ---

struct TempSlot {
    std::atomic<int> state{0};  // kFree, kClaimed (path being copied in), kLive
    char path[4096];
};
constexpr int kFree = 0, kClaimed = 1, kLive = 2;
TempSlot temp_slots[kMaxTrackedTemporaries];
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler reads the slots");

int track_temporary(const std::filesystem::path& temp) noexcept {
    const std::string& name = temp.native();
    if (name.size() >= sizeof(TempSlot::path)) return -1;
    for (int i = 0; i < kMaxTrackedTemporaries; ++i) {
        int expected = kFree;
        if (temp_slots[i].state.compare_exchange_strong(expected, kClaimed)) {
            std::memcpy(temp_slots[i].path, name.c_str(), name.size() + 1);
            temp_slots[i].state.store(kLive, std::memory_order_release);
            return i;
        }
    }
    return -1;
}

// After the rename or removal: a signal in between unlinks a name that is gone, which is harmless,
// where untracking first would leave the temporary behind.
void untrack_temporary(int& slot) noexcept {
    if (slot >= 0) temp_slots[slot].state.store(kFree, std::memory_order_release);
    slot = -1;
}

void commit_temp(const std::filesystem::path& temp, const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        const std::string reason = ec.message();  // before remove() reuses `ec`
        std::filesystem::remove(temp, ec);
        throw SoundFileError(quoted(path) + ": cannot write: " + reason);
    }
}

// libsndfile's own message says little about a failed write(); errno says "No space left".
std::string write_error(SNDFILE* file, int saved_errno) {
    return saved_errno != 0 ? std::strerror(saved_errno) : sf_strerror(file);
}

// An output that cannot be renamed over at the end is refused now, not after the whole run: a
// directory, or a file this process may not replace.
void check_writable(const std::filesystem::path& path) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
        throw SoundFileError(quoted(path) + ": is a directory");
    }
    const auto parent =
        path.parent_path().empty() ? std::filesystem::path(".") : path.parent_path();
    if (!std::filesystem::is_directory(parent, ec)) {
        throw SoundFileError(quoted(path) + ": no such directory " + quoted(parent));
    }
    if (::access(parent.c_str(), W_OK) != 0) {
        throw SoundFileError(quoted(path) + ": cannot write in " + quoted(parent) + ": " +
                             std::strerror(errno));
    }
}

// The two errors a user most often meets, named plainly before any library tries the path.
void check_readable(const std::filesystem::path& path) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) throw SoundFileError(quoted(path) + ": no such file");
    if (std::filesystem::is_directory(path, ec))
        throw SoundFileError(quoted(path) + ": is a directory");
}

// Full scale of 16-bit files as floats: the codec's (extrema/codec/decoder.h kFullScale).
constexpr float kPcm16FullScale = 32767.0f;

}  // namespace

SoundFileReader::SoundFileReader(const std::filesystem::path& path) : path_(path) {
    check_readable(path);
    SF_INFO sf{};
    file_ = sf_open(path.c_str(), SFM_READ, &sf);
    if (file_ == nullptr) {
        throw SoundFileError(quoted(path) + ": cannot read audio: " + sf_strerror(nullptr));
    }
    if (sf.channels < 1 || sf.samplerate < 1 || sf.frames < 0) {
        sf_close(file_);
        throw SoundFileError(quoted(path) + ": invalid audio header");
    }
    info_ = {sf.samplerate, sf.channels, sf.frames};
    pcm16_ = (sf.format & SF_FORMAT_SUBMASK) == SF_FORMAT_PCM_16;
    if (pcm16_) sf_command(file_, SFC_SET_NORM_FLOAT, nullptr, SF_FALSE);
}

SoundFileReader::~SoundFileReader() {
    if (file_ != nullptr) sf_close(file_);
}

std::size_t SoundFileReader::read(std::span<float> interleaved) {
    const auto frames = static_cast<sf_count_t>(interleaved.size() / info_.channels);
    const sf_count_t got = sf_readf_float(file_, interleaved.data(), frames);
    if (got < 0 || (got < frames && sf_error(file_) != SF_ERR_NO_ERROR)) {
        throw SoundFileError(quoted(path_) + ": read error: " + sf_strerror(file_));
    }
    if (pcm16_) {
        // Division, not a multiplication by 1/32767: only the quotient is exact for every int16.
        const auto samples =
            static_cast<std::size_t>(got) * static_cast<std::size_t>(info_.channels);
        for (std::size_t i = 0; i < samples; ++i) interleaved[i] /= kPcm16FullScale;
    }
    return static_cast<std::size_t>(got);
}

std::size_t SoundFileReader::read(std::span<std::int16_t> interleaved) {
    const auto frames = static_cast<sf_count_t>(interleaved.size() / info_.channels);
    const sf_count_t got = sf_readf_short(file_, interleaved.data(), frames);
    if (got < 0 || (got < frames && sf_error(file_) != SF_ERR_NO_ERROR)) {
        throw SoundFileError(quoted(path_) + ": read error: " + sf_strerror(file_));
    }
    return static_cast<std::size_t>(got);
}

template <typename Sample>
static std::vector<Sample> read_all(SoundFileReader& reader) {
    const auto& info = reader.info();
    std::vector<Sample> samples;
    samples.reserve(static_cast<std::size_t>(info.frames) * info.channels);
    std::vector<Sample> block(4096 * static_cast<std::size_t>(info.channels));
    while (const std::size_t frames = reader.read(std::span<Sample>(block))) {
        samples.insert(samples.end(), block.begin(), block.begin() + frames * info.channels);
    }
    return samples;
}

SoundData read_sound_file(const std::filesystem::path& path) {
    SoundFileReader reader(path);
    SoundData data{reader.info(), read_all<float>(reader)};
    data.info.frames = static_cast<std::int64_t>(data.samples.size() / data.info.channels);
    return data;
}

std::vector<std::int16_t> read_sound_file_int16(const std::filesystem::path& path,
                                                SoundInfo& info) {
    SoundFileReader reader(path);
    auto samples = read_all<std::int16_t>(reader);
    info = reader.info();
    info.frames = static_cast<std::int64_t>(samples.size() / info.channels);
    return samples;
}

void remove_temporaries() noexcept {
    for (TempSlot& slot : temp_slots) {
        if (slot.state.load(std::memory_order_acquire) == kLive) ::unlink(slot.path);
    }
}

Container container_for(const std::filesystem::path& path) {
    auto ext = path.extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (ext == ".flac") return Container::kFlac;
    if (ext == ".w64") return Container::kW64;
    if (ext == ".rf64") return Container::kRf64;
    return Container::kWav;
}

std::uint64_t sample_data_bytes(std::uint64_t frames, int channels, SampleFormat format) {
    const std::uint64_t bytes_per_sample = format == SampleFormat::kFloat32 ? 4 : 2;
    return frames * static_cast<std::uint64_t>(channels) * bytes_per_sample;
}

std::string wav_too_large_message(const std::filesystem::path& path, std::uint64_t data_bytes) {
    return quoted(path) + ": " + std::to_string(data_bytes) +
           " bytes of audio do not fit in a WAV file (its sizes are 32-bit: at most 4 GiB); "
           "write .w64, .rf64 or .flac instead";
}

SoundFileWriter::SoundFileWriter(const std::filesystem::path& path, int rate_hz, int channels,
                                 SampleFormat format)
    : path_(path),
      temp_(temp_path_for(path)),
      channels_(channels),
      format_(format),
      container_(container_for(path)) {
    check_writable(path);
    SF_INFO sf{};
    sf.samplerate = rate_hz;
    sf.channels = channels;
    int major = SF_FORMAT_WAV;
    if (container_ == Container::kFlac) major = SF_FORMAT_FLAC;
    if (container_ == Container::kW64) major = SF_FORMAT_W64;
    if (container_ == Container::kRf64) major = SF_FORMAT_RF64;
    // FLAC holds integers only: 16-bit there whatever was asked.
    if (major == SF_FORMAT_FLAC) format_ = SampleFormat::kPcm16;
    const int sub = format_ == SampleFormat::kFloat32 ? SF_FORMAT_FLOAT : SF_FORMAT_PCM_16;
    sf.format = major | sub;
    if (sf_format_check(&sf) == 0) {
        throw SoundFileError(quoted(path) + ": unsupported output format (rate " +
                             std::to_string(rate_hz) + " Hz, " + std::to_string(channels) +
                             " channels)");
    }
    temp_slot_ = track_temporary(temp_);
    file_ = sf_open(temp_.c_str(), SFM_WRITE, &sf);
    if (file_ == nullptr) {
        untrack_temporary(temp_slot_);
        throw SoundFileError(quoted(path) + ": cannot write: " + sf_strerror(nullptr));
    }
}

SoundFileWriter::~SoundFileWriter() {
    if (file_ != nullptr) {
        sf_close(file_);
        std::error_code ec;
        std::filesystem::remove(temp_, ec);
    }
    untrack_temporary(temp_slot_);
}

template <typename Sample>
void SoundFileWriter::write_frames(std::span<const Sample> interleaved) {
    if (file_ == nullptr) throw SoundFileError(quoted(path_) + ": already closed");
    const auto frames = static_cast<sf_count_t>(interleaved.size() / channels_);
    const std::uint64_t after = frames_written_ + static_cast<std::uint64_t>(frames);
    if (container_ == Container::kWav &&
        sample_data_bytes(after, channels_, format_) > kMaxWavDataBytes) {
        // libsndfile would go on and wrap the RIFF sizes: a silently corrupt file.
        throw SoundFileError(
            wav_too_large_message(path_, sample_data_bytes(after, channels_, format_)));
    }
    errno = 0;
    sf_count_t wrote = 0;
    if constexpr (std::is_same_v<Sample, float>) {
        wrote = sf_writef_float(file_, interleaved.data(), frames);
    } else {
        wrote = sf_writef_short(file_, interleaved.data(), frames);
    }
    if (wrote > 0) frames_written_ += static_cast<std::uint64_t>(wrote);
    if (wrote != frames) {
        throw SoundFileError(quoted(path_) + ": write error: " + write_error(file_, errno));
    }
}

void SoundFileWriter::write(std::span<const float> interleaved) {
    write_frames(interleaved);
}

void SoundFileWriter::write(std::span<const std::int16_t> interleaved) {
    write_frames(interleaved);
}

void SoundFileWriter::sync() {
    if (file_ == nullptr) return;
    errno = 0;
    // The header's sizes first, so the synced file says how much audio it holds.
    sf_command(file_, SFC_UPDATE_HEADER_NOW, nullptr, 0);
    sf_write_sync(file_);
    if (sf_error(file_) != SF_ERR_NO_ERROR) {
        throw SoundFileError(quoted(path_) + ": write error: " + write_error(file_, errno));
    }
}

void SoundFileWriter::commit() {
    if (file_ == nullptr) throw SoundFileError(quoted(path_) + ": already closed");
    errno = 0;
    const int rc = sf_close(file_);
    const int saved_errno = errno;
    file_ = nullptr;
    if (rc != 0) {
        std::error_code ec;
        std::filesystem::remove(temp_, ec);
        untrack_temporary(temp_slot_);
        throw SoundFileError(
            quoted(path_) + ": cannot finish writing" +
            (saved_errno != 0 ? std::string(": ") + std::strerror(saved_errno) : std::string()));
    }
    try {
        commit_temp(temp_, path_);
    } catch (...) {
        untrack_temporary(temp_slot_);
        throw;
    }
    untrack_temporary(temp_slot_);
}

void write_sound_file(const std::filesystem::path& path, int rate_hz, int channels,
                      std::span<const float> interleaved, SampleFormat format) {
    SoundFileWriter writer(path, rate_hz, channels, format);
    writer.write(interleaved);
    writer.commit();
}

void write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
    const auto temp = temp_path_for(path);
    int slot = track_temporary(temp);
    struct Untrack {
        int& slot;
        ~Untrack() { untrack_temporary(slot); }
    } untrack{slot};
    {
        std::ofstream out(temp, std::ios::binary | std::ios::trunc);
        if (!out) throw SoundFileError(quoted(path) + ": cannot write");
        out.write(reinterpret_cast<const char*>(bytes.data()),
                  static_cast<std::streamsize>(bytes.size()));
        out.flush();
        if (!out) {
            out.close();
            std::error_code ec;
            std::filesystem::remove(temp, ec);
            throw SoundFileError(quoted(path) + ": write error (disk full?)");
        }
    }
    commit_temp(temp, path);
}

std::vector<std::uint8_t> read_whole_file(const std::filesystem::path& path) {
    check_readable(path);
    std::ifstream in(path, std::ios::binary);
    if (!in) throw SoundFileError(quoted(path) + ": cannot open for reading");
    std::vector<std::uint8_t> bytes((std::istreambuf_iterator<char>(in)),
                                    std::istreambuf_iterator<char>());
    if (in.bad()) throw SoundFileError(quoted(path) + ": read error");
    return bytes;
}

}  // namespace extrema::audio
