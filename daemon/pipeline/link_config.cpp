#include "pipeline/link_config.h"

namespace extrema::pipeline {

const char* to_string(LinkMode mode) noexcept {
    switch (mode) {
        case LinkMode::kSend:
            return "send";
        case LinkMode::kReceive:
            return "receive";
        case LinkMode::kDuplex:
            return "duplex";
    }
    return "?";
}

const char* to_string(InputKind kind) noexcept {
    switch (kind) {
        case InputKind::kDevice:
            return "device";
        case InputKind::kFile:
            return "file";
        case InputKind::kTone:
            return "tone";
    }
    return "?";
}

const char* to_string(OutputKind kind) noexcept {
    switch (kind) {
        case OutputKind::kDevice:
            return "device";
        case OutputKind::kFile:
            return "file";
        case OutputKind::kNull:
            return "null";
    }
    return "?";
}

const char* to_string(FilePacing pacing) noexcept {
    switch (pacing) {
        case FilePacing::kRealTime:
            return "realtime";
        case FilePacing::kFast:
            return "fast";
    }
    return "?";
}

}  // namespace extrema::pipeline
