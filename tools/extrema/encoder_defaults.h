#pragma once
// The encoder settings the file commands start from: extremad's (pipeline::encoder_config of the
// default LinkConfig, where each default is defined once), so a file encodes by default to the
// stream the default live link sends.
#include "extrema/codec/encoder.h"
#include "pipeline/link_config.h"
#include "pipeline/send_path.h"

namespace extrema::cli {

inline codec::EncoderConfig file_encoder_defaults() {
    return pipeline::encoder_config(pipeline::LinkConfig{});
}

}  // namespace extrema::cli
