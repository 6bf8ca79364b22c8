#pragma once
// Reads a rate-quality bench result (the JSON of tools/bench/extrema_rate_quality) into the
// report's chart points: one per row of its table, at the row's mean bitrate and MOS-LQO.
#include <filesystem>
#include <string>
#include <vector>

#include "extrema/report/rate_quality_svg.h"

namespace extrema::cli {

struct BenchPoints {
    std::vector<report::RateQualityPoint> points;
    std::string note;  // where they came from: the file and how many speech files it averaged
};

// Throws std::runtime_error naming the file when it is not such a result.
BenchPoints read_bench_points(const std::filesystem::path& path);

}  // namespace extrema::cli
