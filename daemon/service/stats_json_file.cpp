#include "service/stats_json_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>
#include <utility>

namespace extrema::service {

StatsJsonFile::StatsJsonFile(std::string path) : path_(std::move(path)) {
    fd_ = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0) {
        throw std::runtime_error("cannot open stats file '" + path_ +
                                 "' for appending: " + std::strerror(errno));
    }
}

StatsJsonFile::~StatsJsonFile() {
    if (fd_ >= 0) ::close(fd_);
}

StatsJsonFile::StatsJsonFile(StatsJsonFile&& other) noexcept
    : path_(std::move(other.path_)), fd_(std::exchange(other.fd_, -1)) {}

StatsJsonFile& StatsJsonFile::operator=(StatsJsonFile&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        path_ = std::move(other.path_);
        fd_ = std::exchange(other.fd_, -1);
    }
    return *this;
}

bool StatsJsonFile::append(std::string_view line) noexcept {
    if (fd_ < 0) return false;
    try {
        std::string record(line);
        record += '\n';
        std::string_view left = record;
        while (!left.empty()) {
            const ssize_t written = ::write(fd_, left.data(), left.size());
            if (written < 0) {
                if (errno == EINTR) continue;
                return false;
            }
            left.remove_prefix(static_cast<std::size_t>(written));
        }
        return true;
    } catch (...) {  // std::bad_alloc for the copy
        return false;
    }
}

}  // namespace extrema::service
