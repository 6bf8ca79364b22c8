#pragma once
// Reads and parses an .xtr file; errors name the file.
#include <string>

#include "extrema/codec/xtr_format.h"

namespace extrema::cli {

codec::XtrStream read_xtr_file(const std::string& path);

}  // namespace extrema::cli
