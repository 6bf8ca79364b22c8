#include "audio/sound_file.h"

#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <system_error>

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

void commit_temp(const std::filesystem::path& temp, const std::filesystem::path& path) {
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        std::filesystem::remove(temp, ec);
        throw SoundFileError(quoted(path) + ": cannot write: " + ec.message());
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

SoundFileWriter::SoundFileWriter(const std::filesystem::path& path, int rate_hz, int channels,
                                 SampleFormat format)
    : path_(path), temp_(temp_path_for(path)), channels_(channels) {
    SF_INFO sf{};
    sf.samplerate = rate_hz;
    sf.channels = channels;
    auto ext = path.extension().string();
    for (char& c : ext) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const int major = ext == ".flac" ? SF_FORMAT_FLAC : SF_FORMAT_WAV;
    const int sub = format == SampleFormat::kFloat32 && major == SF_FORMAT_WAV ? SF_FORMAT_FLOAT
                                                                               : SF_FORMAT_PCM_16;
    sf.format = major | sub;
    if (sf_format_check(&sf) == 0) {
        throw SoundFileError(quoted(path) + ": unsupported output format (rate " +
                             std::to_string(rate_hz) + " Hz, " + std::to_string(channels) +
                             " channels)");
    }
    file_ = sf_open(temp_.c_str(), SFM_WRITE, &sf);
    if (file_ == nullptr) {
        throw SoundFileError(quoted(path) + ": cannot write: " + sf_strerror(nullptr));
    }
}

SoundFileWriter::~SoundFileWriter() {
    if (file_ != nullptr) {
        sf_close(file_);
        std::error_code ec;
        std::filesystem::remove(temp_, ec);
    }
}

void SoundFileWriter::write(std::span<const float> interleaved) {
    const auto frames = static_cast<sf_count_t>(interleaved.size() / channels_);
    if (sf_writef_float(file_, interleaved.data(), frames) != frames) {
        throw SoundFileError(quoted(path_) + ": write error: " + sf_strerror(file_));
    }
}

void SoundFileWriter::write(std::span<const std::int16_t> interleaved) {
    const auto frames = static_cast<sf_count_t>(interleaved.size() / channels_);
    if (sf_writef_short(file_, interleaved.data(), frames) != frames) {
        throw SoundFileError(quoted(path_) + ": write error: " + sf_strerror(file_));
    }
}

void SoundFileWriter::commit() {
    const int rc = sf_close(file_);
    file_ = nullptr;
    if (rc != 0) {
        std::error_code ec;
        std::filesystem::remove(temp_, ec);
        throw SoundFileError(quoted(path_) + ": cannot finish writing");
    }
    commit_temp(temp_, path_);
}

void write_sound_file(const std::filesystem::path& path, int rate_hz, int channels,
                      std::span<const float> interleaved, SampleFormat format) {
    SoundFileWriter writer(path, rate_hz, channels, format);
    writer.write(interleaved);
    writer.commit();
}

void write_file_atomically(const std::filesystem::path& path, std::span<const std::uint8_t> bytes) {
    const auto temp = temp_path_for(path);
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
