#pragma once
// What a file is, told by its first bytes, and what an output's name asks for: so a WAV given to
// `decode`, a stream given to `encode` or `out.mp3` given to `decode` gets a message that says
// which command or name to use, before anything is read or written.
#include <string>

namespace extrema::cli {

enum class FileKind { kUnknown, kAudio, kXtr, kXsvd };

// By magic: RIFF/RF64 WAVE, FLAC, Ogg, AIFF, AU, CAF are audio; "XTR\x1a" and "XSVD" are ours.
// A missing or unreadable file is kUnknown (the reader names that problem itself).
FileKind sniff_file(const std::string& path);

// Throw a one-line error naming the file when it is of the wrong kind for the command.
void require_audio_input(const std::string& path);  // encode, compress, eval, report...
void require_xtr_input(const std::string& path);    // decode
void require_xsvd_input(const std::string& path);   // svd decode

// Outputs: an audio output is .wav or .flac (libsndfile writes what the name says) or has no
// extension (WAV); a stream output is .xtr / .xsvd or has no extension. "-" passes.
void require_audio_output(const std::string& path);
void require_xtr_output(const std::string& path);
void require_xsvd_output(const std::string& path);

}  // namespace extrema::cli
