#pragma once
#include <stdexcept>

namespace extrema::pipeline {

// Set-up errors that are not about audio or the network (a mode without a peer, ...).
class LinkError : public std::runtime_error {
  public:
    using std::runtime_error::runtime_error;
};

}  // namespace extrema::pipeline
