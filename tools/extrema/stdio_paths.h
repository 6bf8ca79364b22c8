#pragma once
// "-" for standard input or output. libsndfile and the stream parsers need a file they can seek,
// so standard input is first copied to a temporary file, and an output named "-" is written to
// a temporary file and copied to standard output once it is complete (a failed run writes
// nothing there). Temporaries live in $TMPDIR and are removed in every case.
#include <string>

namespace extrema::cli {

inline constexpr const char* kStdioName = "-";

class InputPath {
  public:
    // `suffix` names the temporary (".wav"), which is how libsndfile guesses nothing wrong.
    InputPath(std::string given, const std::string& suffix);
    ~InputPath();
    InputPath(const InputPath&) = delete;
    InputPath& operator=(const InputPath&) = delete;
    const std::string& path() const noexcept { return path_; }
    bool is_stdin() const noexcept { return !temp_.empty(); }

  private:
    std::string path_;
    std::string temp_;
};

class OutputPath {
  public:
    // `suffix` picks the format written to standard output (".wav": WAV).
    OutputPath(std::string given, const std::string& suffix);
    ~OutputPath();
    OutputPath(const OutputPath&) = delete;
    OutputPath& operator=(const OutputPath&) = delete;
    const std::string& path() const noexcept { return path_; }
    bool is_stdout() const noexcept { return !temp_.empty(); }
    // Copies a finished standard-output temporary to standard output; nothing for a file.
    void finish();

  private:
    std::string path_;
    std::string temp_;
};

// `message` with the temporaries' names replaced by "standard input" / "standard output", so
// an error about a pipe does not name a file the user never saw.
std::string with_stdio_names(std::string message);

}  // namespace extrema::cli
