#include "bench_points.h"

#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace extrema::cli {
namespace {

// A bench table has a few dozen rows; far more is not one.
constexpr std::size_t kMaxRows = 200;
// Extrema's rows stand out from the peers' in the chart.
constexpr const char* kExtremaColour = "#1c7ed6";
constexpr const char* kPeerColour = "#adb5bd";

}  // namespace

BenchPoints read_bench_points(const std::filesystem::path& path) {
    const std::string name = "'" + path.string() + "'";
    std::ifstream in(path);
    if (!in) throw std::runtime_error(name + ": no such file");
    const nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (j.is_discarded() || !j.is_object() || !j.contains("mean") || !j["mean"].is_array() ||
        j["mean"].empty() || j["mean"].size() > kMaxRows) {
        throw std::runtime_error(name +
                                 ": not a rate-quality bench result (a JSON object whose "
                                 "\"mean\" lists the rows of tools/bench/rate_quality.sh)");
    }
    BenchPoints out;
    for (std::size_t i = 0; i < j["mean"].size(); ++i) {
        const nlohmann::json& row = j["mean"][i];
        if (!row.is_object() || !row.contains("name") || !row["name"].is_string() ||
            !row.contains("kbps") || !row["kbps"].is_number() || !row.contains("mos") ||
            !row["mos"].is_number() || !std::isfinite(row["kbps"].get<double>()) ||
            !std::isfinite(row["mos"].get<double>())) {
            throw std::runtime_error(
                fmt::format("{}: row {} of \"mean\" lacks a name, kbps or mos", name, i + 1));
        }
        const std::string title = row["name"].get<std::string>();
        const bool extrema = title.rfind("extrema", 0) == 0;
        out.points.push_back({fmt::format("bench-{}", i + 1), title,
                              extrema ? kExtremaColour : kPeerColour,
                              fmt::format("{:.1f}", row["kbps"].get<double>()),
                              fmt::format("{:.2f}", row["mos"].get<double>())});
    }
    const std::size_t files = j.contains("files") && j["files"].is_array() ? j["files"].size() : 0;
    out.note = fmt::format(
        "From the rate-quality bench ({}, means over {} speech files): extrema's settings in blue, "
        "the standard voice codecs in grey. Up and to the left is better.",
        path.filename().string(), files);
    return out;
}

}  // namespace extrema::cli
