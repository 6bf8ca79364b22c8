#include "pipeline/link_config.h"

#include <fmt/format.h>

namespace extrema::pipeline {

std::string redundancy_kbps_problem(double redundancy_kbps, double target_kbps) {
    if (redundancy_kbps == 0.0) return "";
    if (!(redundancy_kbps >= kMinRedundancyKbps && redundancy_kbps <= kMaxRedundancyKbps)) {
        return fmt::format("{:g} kbps is neither 0 (copies) nor {:g} to {:g} kbps", redundancy_kbps,
                           kMinRedundancyKbps, kMaxRedundancyKbps);
    }
    if (target_kbps > 0.0 && redundancy_kbps >= target_kbps) {
        return fmt::format(
            "{:g} kbps must be below the encoder's target_kbps ({:g} kbps): "
            "blocks at the packets' own rate cost as much as copies",
            redundancy_kbps, target_kbps);
    }
    return "";
}

const char* to_string(LinkMode mode) noexcept {
    switch (mode) {
        case LinkMode::kSend: return "send";
        case LinkMode::kReceive: return "receive";
        case LinkMode::kDuplex: return "duplex";
    }
    return "?";
}

const char* to_string(InputKind kind) noexcept {
    switch (kind) {
        case InputKind::kDevice: return "device";
        case InputKind::kFile: return "file";
        case InputKind::kTone: return "tone";
    }
    return "?";
}

const char* to_string(OutputKind kind) noexcept {
    switch (kind) {
        case OutputKind::kDevice: return "device";
        case OutputKind::kFile: return "file";
        case OutputKind::kNull: return "null";
    }
    return "?";
}

const char* to_string(FilePacing pacing) noexcept {
    switch (pacing) {
        case FilePacing::kRealTime: return "realtime";
        case FilePacing::kFast: return "fast";
    }
    return "?";
}

}  // namespace extrema::pipeline
