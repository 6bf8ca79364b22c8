#include "file_kinds.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>

#include "stdio_paths.h"

namespace extrema::cli {
namespace {

std::string quoted(const std::string& path) {
    return "'" + path + "'";
}

std::string extension(const std::string& path) {
    std::string ext = std::filesystem::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

const char* kind_text(FileKind kind) {
    switch (kind) {
        case FileKind::kAudio:
            return "an audio file";
        case FileKind::kXtr:
            return "an extrema stream (.xtr)";
        case FileKind::kXsvd:
            return "an STFT/SVD file (.xsvd)";
        case FileKind::kUnknown:
            break;
    }
    return "of unknown kind";
}

// The command that reads a file of this kind.
const char* reader_of(FileKind kind) {
    switch (kind) {
        case FileKind::kAudio:
            return "extrema encode";
        case FileKind::kXtr:
            return "extrema decode";
        case FileKind::kXsvd:
            return "extrema svd decode";
        case FileKind::kUnknown:
            break;
    }
    return "";
}

[[noreturn]] void wrong_kind(const std::string& path, FileKind kind, const char* wanted) {
    throw std::runtime_error(quoted(path) + ": this is " + kind_text(kind) + ", not " + wanted +
                             ": use '" + reader_of(kind) + "'");
}

void require_extension(const std::string& path, std::initializer_list<const char*> allowed,
                       const char* writes) {
    if (path == kStdioName) return;
    const std::string ext = extension(path);
    if (ext.empty()) return;
    for (const char* a : allowed) {
        if (ext == a) return;
    }
    std::string names;
    for (const char* a : allowed) names += std::string(names.empty() ? "" : " or ") + a;
    throw std::runtime_error(quoted(path) + ": this command writes " + writes + ", not " + ext +
                             ": name the output " + names);
}

}  // namespace

FileKind sniff_file(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    std::array<char, 12> head{};
    in.read(head.data(), head.size());
    const auto n = static_cast<std::size_t>(in.gcount());
    const auto starts = [&](const char* magic, std::size_t at = 0) {
        const std::size_t len = std::strlen(magic);
        return n >= at + len && std::memcmp(head.data() + at, magic, len) == 0;
    };
    if (starts("XTR\x1a")) return FileKind::kXtr;
    if (starts("XSVD")) return FileKind::kXsvd;
    if (((starts("RIFF") || starts("RIFX") || starts("RF64")) && starts("WAVE", 8)) ||
        starts("fLaC") || starts("OggS") ||
        (starts("FORM") && (starts("AIFF", 8) || starts("AIFC", 8))) || starts(".snd") ||
        starts("caff")) {
        return FileKind::kAudio;
    }
    return FileKind::kUnknown;
}

void require_audio_input(const std::string& path) {
    const FileKind kind = sniff_file(path);
    if (kind == FileKind::kXtr || kind == FileKind::kXsvd) wrong_kind(path, kind, "audio");
}

void require_xtr_input(const std::string& path) {
    const FileKind kind = sniff_file(path);
    if (kind == FileKind::kAudio || kind == FileKind::kXsvd) {
        wrong_kind(path, kind, "an extrema stream");
    }
}

void require_xsvd_input(const std::string& path) {
    const FileKind kind = sniff_file(path);
    if (kind == FileKind::kAudio || kind == FileKind::kXtr) wrong_kind(path, kind, "an .xsvd file");
}

void require_audio_output(const std::string& path) {
    require_extension(path, {".wav", ".w64", ".rf64", ".flac"}, "audio (WAV, W64, RF64 or FLAC)");
}

void require_xtr_output(const std::string& path) {
    require_extension(path, {".xtr"}, "an extrema stream");
}

void require_xsvd_output(const std::string& path) {
    require_extension(path, {".xsvd"}, "an STFT/SVD file");
}

}  // namespace extrema::cli
