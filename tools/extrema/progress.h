#pragma once
// A progress bar on stderr for long jobs, shown only when stderr is a terminal.
#include <chrono>
#include <cstdint>
#include <string>

namespace extrema::cli {

class Progress {
  public:
    Progress(std::string label, std::uint64_t total);
    ~Progress();
    void update(std::uint64_t done);

  private:
    std::string label_;
    std::uint64_t total_;
    bool enabled_;
    int last_percent_ = -1;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace extrema::cli
