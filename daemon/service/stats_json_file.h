#pragma once
// The JSON stats file (log.stats_json): one record per line, appended. Each line goes out in one
// write(2) on an O_APPEND descriptor: nothing is buffered in the process, so the line is in the
// file as soon as append() returns (a crash loses no record), and records from two processes
// sharing the file by mistake do not interleave. To follow logrotate, re-create the object on
// SIGHUP: it opens the path anew.
#include <string>
#include <string_view>

namespace extrema::service {

class StatsJsonFile {
  public:
    // Opens (creating with mode 0644) `path` for appending. Throws std::runtime_error naming the
    // path and the reason when it cannot, so a wrong path stops the start, not the link later.
    explicit StatsJsonFile(std::string path);
    ~StatsJsonFile();

    StatsJsonFile(StatsJsonFile&& other) noexcept;
    StatsJsonFile& operator=(StatsJsonFile&& other) noexcept;
    StatsJsonFile(const StatsJsonFile&) = delete;
    StatsJsonFile& operator=(const StatsJsonFile&) = delete;

    // Appends `line` and a newline. False when the write failed (disk full, file system gone):
    // the caller logs it; stats must never stop the link. errno tells why.
    bool append(std::string_view line) noexcept;

    const std::string& path() const noexcept { return path_; }

  private:
    std::string path_;
    int fd_ = -1;
};

}  // namespace extrema::service
