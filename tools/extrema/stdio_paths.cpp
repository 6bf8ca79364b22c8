#include "stdio_paths.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <utility>
#include <vector>

namespace extrema::cli {
namespace {

// The temporaries of this run and what to call them in messages. Kept after a temporary is
// removed: the error naming it is printed after the stack has unwound.
std::vector<std::pair<std::string, std::string>>& stdio_names() {
    static std::vector<std::pair<std::string, std::string>> names;
    return names;
}

// Creates an empty temporary named extrema-XXXXXX<suffix>; returns its path and open descriptor.
std::pair<std::string, int> make_temp(const std::string& suffix) {
    std::string pattern =
        (std::filesystem::temp_directory_path() / ("extrema-XXXXXX" + suffix)).string();
    std::vector<char> buffer(pattern.begin(), pattern.end());
    buffer.push_back('\0');
    const int fd = ::mkstemps(buffer.data(), static_cast<int>(suffix.size()));
    if (fd < 0) {
        throw std::runtime_error("cannot create a temporary file in " +
                                 std::filesystem::temp_directory_path().string() + ": " +
                                 std::strerror(errno));
    }
    return {std::string(buffer.data()), fd};
}

void copy_all(int from, int to, const char* what) {
    std::vector<char> buffer(1 << 16);
    for (;;) {
        const ssize_t n = ::read(from, buffer.data(), buffer.size());
        if (n == 0) return;
        if (n < 0) {
            if (errno == EINTR) continue;
            throw std::runtime_error(std::string("cannot read ") + what + ": " +
                                     std::strerror(errno));
        }
        for (ssize_t written = 0; written < n;) {
            const ssize_t m =
                ::write(to, buffer.data() + written, static_cast<size_t>(n - written));
            if (m < 0) {
                if (errno == EINTR) continue;
                throw std::runtime_error(std::string("cannot write ") + what + ": " +
                                         std::strerror(errno));
            }
            written += m;
        }
    }
}

}  // namespace

InputPath::InputPath(std::string given, const std::string& suffix) : path_(std::move(given)) {
    if (path_ != kStdioName) return;
    auto [temp, fd] = make_temp(suffix);
    temp_ = temp;
    path_ = temp;
    stdio_names().emplace_back(temp_, "standard input");
    try {
        copy_all(STDIN_FILENO, fd, "standard input");
    } catch (...) {
        ::close(fd);
        throw;
    }
    ::close(fd);
}

InputPath::~InputPath() {
    if (temp_.empty()) return;
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
}

OutputPath::OutputPath(std::string given, const std::string& suffix) : path_(std::move(given)) {
    if (path_ != kStdioName) return;
    if (::isatty(STDOUT_FILENO) == 1) {
        throw std::runtime_error(
            "standard output is a terminal: redirect it ('> FILE' or '| COMMAND') or name a file");
    }
    auto [temp, fd] = make_temp(suffix);
    ::close(fd);
    temp_ = temp;
    path_ = temp;
    stdio_names().emplace_back(temp_, "standard output");
}

void OutputPath::finish() {
    if (temp_.empty()) return;
    std::FILE* in = std::fopen(temp_.c_str(), "rb");
    if (in == nullptr) throw std::runtime_error("standard output: the result vanished");
    try {
        copy_all(::fileno(in), STDOUT_FILENO, "standard output");
    } catch (...) {
        std::fclose(in);
        throw;
    }
    std::fclose(in);
}

OutputPath::~OutputPath() {
    if (temp_.empty()) return;
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
}

std::string with_stdio_names(std::string message) {
    for (const auto& [temp, name] : stdio_names()) {
        for (const std::string& form : {"'" + temp + "'", "\"" + temp + "\"", temp}) {
            for (auto at = message.find(form); at != std::string::npos; at = message.find(form)) {
                message.replace(at, form.size(), name);
            }
        }
    }
    return message;
}

}  // namespace extrema::cli
