#pragma once
// A progress bar on stderr for long jobs, shown only when stderr is a terminal. It is not erased:
// finish() leaves it at 100 % with the time taken, as the job's last line on stderr; a job that
// fails leaves it where it stopped, and its error message follows on the next line.
#include <chrono>
#include <cstdint>
#include <string>

namespace extrema::cli {

class Progress {
  public:
    Progress(std::string label, std::uint64_t total);
    ~Progress();
    void update(std::uint64_t done);
    void finish();

  private:
    std::string label_;
    std::uint64_t total_;
    bool enabled_;
    int last_percent_ = -1;
    bool finished_ = false;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace extrema::cli
