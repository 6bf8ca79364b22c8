#include "audio/rt_guard.h"

namespace extrema::audio::detail {

constinit thread_local bool t_in_realtime_callback __attribute__((tls_model("initial-exec"))) =
    false;

}  // namespace extrema::audio::detail
