#pragma once
// The encoder settings the file commands start from: the codec's, with extremad's segment cap
// (pipeline::EncoderSettings, the one place it is defined), so a file encodes by default to the
// stream the live link sends.
#include "extrema/codec/encoder.h"
#include "pipeline/link_config.h"

namespace extrema::cli {

inline codec::EncoderConfig file_encoder_defaults() {
    codec::EncoderConfig config;
    config.max_segment_ms = pipeline::EncoderSettings{}.max_segment_ms;
    return config;
}

}  // namespace extrema::cli
