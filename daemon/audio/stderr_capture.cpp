#include "audio/stderr_capture.h"

#include <unistd.h>

#include <cstdio>

namespace extrema::audio {

StderrCapture::StderrCapture() noexcept {
    std::fflush(stderr);
    char name[] = "/tmp/extrema-stderr-XXXXXX";
    temp_fd_ = ::mkstemp(name);
    if (temp_fd_ < 0) return;
    ::unlink(name);  // anonymous: nothing is left behind even if we crash
    saved_fd_ = ::dup(STDERR_FILENO);
    if (saved_fd_ < 0 || ::dup2(temp_fd_, STDERR_FILENO) < 0) {
        if (saved_fd_ >= 0) ::close(saved_fd_);
        ::close(temp_fd_);
        saved_fd_ = temp_fd_ = -1;
    }
}

StderrCapture::~StderrCapture() {
    finish();
}

std::string StderrCapture::finish() {
    if (saved_fd_ < 0) return {};
    std::fflush(stderr);
    ::dup2(saved_fd_, STDERR_FILENO);
    ::close(saved_fd_);
    saved_fd_ = -1;
    std::string text;
    if (::lseek(temp_fd_, 0, SEEK_SET) == 0) {
        char buffer[4096];
        ssize_t got = 0;
        while ((got = ::read(temp_fd_, buffer, sizeof buffer)) > 0) {
            text.append(buffer, static_cast<std::size_t>(got));
        }
    }
    ::close(temp_fd_);
    temp_fd_ = -1;
    return text;
}

}  // namespace extrema::audio
