#include "extrema/report/wav_bytes.h"

#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>
#include <string>

#include "extrema/codec/decoder.h"

namespace extrema::report {
namespace {

// A growable file in memory behind libsndfile's virtual I/O: libsndfile writes the header, seeks
// back to fill in its sizes on close, and may read what it wrote.
struct MemoryFile {
    std::vector<std::uint8_t> bytes;
    sf_count_t position = 0;
};

MemoryFile& file_of(void* user) {
    return *static_cast<MemoryFile*>(user);
}

sf_count_t memory_length(void* user) {
    return static_cast<sf_count_t>(file_of(user).bytes.size());
}

sf_count_t memory_seek(sf_count_t offset, int whence, void* user) {
    MemoryFile& f = file_of(user);
    const sf_count_t base = whence == SEEK_CUR   ? f.position
                            : whence == SEEK_END ? static_cast<sf_count_t>(f.bytes.size())
                                                 : 0;
    if (base + offset < 0) return -1;
    f.position = base + offset;
    return f.position;
}

sf_count_t memory_read(void* out, sf_count_t count, void* user) {
    MemoryFile& f = file_of(user);
    const auto size = static_cast<sf_count_t>(f.bytes.size());
    const sf_count_t n = std::clamp<sf_count_t>(size - f.position, 0, count);
    if (n > 0) std::memcpy(out, f.bytes.data() + f.position, static_cast<std::size_t>(n));
    f.position += n;
    return n;
}

sf_count_t memory_write(const void* in, sf_count_t count, void* user) {
    MemoryFile& f = file_of(user);
    const auto end = static_cast<std::size_t>(f.position + count);
    if (end > f.bytes.size()) f.bytes.resize(end);
    std::memcpy(f.bytes.data() + f.position, in, static_cast<std::size_t>(count));
    f.position += count;
    return count;
}

sf_count_t memory_tell(void* user) {
    return file_of(user).position;
}

}  // namespace

std::vector<std::uint8_t> wav_bytes(std::span<const std::int16_t> interleaved, int rate_hz,
                                    int channels) {
    if (channels < 1 || channels > 0xFFFF || rate_hz < 1 ||
        interleaved.size() % static_cast<std::size_t>(channels) != 0) {
        throw std::invalid_argument("wav_bytes: bad rate, channel count or sample count");
    }
    // A RIFF file's sizes are 32-bit; what is beyond would need RF64, which browsers do not play.
    constexpr std::uint64_t kMaxData = 0xFFFFFFFFull - 1024;
    if (interleaved.size() * 2 > kMaxData) {
        throw std::invalid_argument("wav_bytes: over 4 GiB of samples");
    }
    SF_VIRTUAL_IO io{memory_length, memory_seek, memory_read, memory_write, memory_tell};
    MemoryFile file;
    file.bytes.reserve(64 + interleaved.size() * 2);
    SF_INFO info{};
    info.samplerate = rate_hz;
    info.channels = channels;
    info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
    SNDFILE* sf = sf_open_virtual(&io, SFM_WRITE, &info, &file);
    if (sf == nullptr) {
        throw std::runtime_error(std::string("wav_bytes: libsndfile: ") + sf_strerror(nullptr));
    }
    const auto count = static_cast<sf_count_t>(interleaved.size());
    const sf_count_t written = sf_write_short(sf, interleaved.data(), count);
    const std::string error = sf_strerror(sf);
    sf_close(sf);  // writes the final sizes into the header
    if (written != count) throw std::runtime_error("wav_bytes: libsndfile: " + error);
    return std::move(file.bytes);
}

std::vector<std::int16_t> to_int16(std::span<const float> samples) {
    std::vector<std::int16_t> out(samples.size());
    std::transform(samples.begin(), samples.end(), out.begin(), [](float x) {
        const double v = std::clamp(std::nearbyint(static_cast<double>(x) * codec::kFullScale),
                                    -32768.0, 32767.0);
        return static_cast<std::int16_t>(std::isfinite(v) ? v : 0.0);
    });
    return out;
}

}  // namespace extrema::report
