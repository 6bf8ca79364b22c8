#include "xtr_file.h"

#include <stdexcept>

#include "audio/sound_file.h"

namespace extrema::cli {

codec::XtrStream read_xtr_file(const std::string& path) {
    const auto bytes = audio::read_whole_file(path);
    try {
        return codec::parse_xtr(bytes);
    } catch (const codec::FormatError& e) {
        throw std::runtime_error("'" + path + "': not a valid extrema stream: " + e.what());
    }
}

}  // namespace extrema::cli
