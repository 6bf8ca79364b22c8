#include "service/receiver_idle.h"

namespace extrema::service {

void ReceiverIdle::update(const pipeline::LinkStats& now, const pipeline::LinkStats& previous,
                          double interval_s) noexcept {
    if (!now.receiving) return;
    if (now.receive.packets > previous.receive.packets) {
        idle_s_ = 0.0;
        return;
    }
    idle_s_ += interval_s > 0.0 ? interval_s : 0.0;
    if (now.receive.concealed_samples > previous.receive.concealed_samples) {
        idle_samples_ += now.receive.concealed_samples - previous.receive.concealed_samples;
    }
}

}  // namespace extrema::service
