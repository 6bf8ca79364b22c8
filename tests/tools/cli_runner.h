#pragma once
// Runs the extrema binary with arguments; captures exit status and combined output.
#include <filesystem>
#include <string>

namespace extrema::test {

struct CliResult {
    int exit_code = -1;
    std::string output;  // stdout and stderr together
};

CliResult run_cli(const std::string& args);

// A fresh directory under the system temp dir, removed with the object.
class TempDir {
  public:
    TempDir();
    ~TempDir();
    std::filesystem::path operator/(const std::string& name) const { return path_ / name; }
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

}  // namespace extrema::test
