#pragma once
// The one exception type of the quality library: bad input (empty, mismatched lengths or rates,
// non-finite samples, too short to measure). Callers add the file names to the message.
#include <stdexcept>

namespace extrema::quality {

class QualityError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

}  // namespace extrema::quality
