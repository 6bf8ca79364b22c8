#pragma once
// Link configurations the link tests share.
#include <string>

#include "pipeline/link_config.h"

namespace extrema::pipeline::test {

// A sender of a 440 Hz tone from an ephemeral port on 127.0.0.1 to `peer`.
inline LinkConfig tone_sender(const std::string& peer) {
    LinkConfig config;
    config.mode = LinkMode::kSend;
    config.audio.input = InputKind::kTone;
    config.audio.tone_hz = 440.0;
    config.network.bind = "127.0.0.1:0";
    config.network.peer = peer;
    return config;
}

}  // namespace extrema::pipeline::test
