#include "config/reload_plan.h"

#include <fmt/format.h>

#include "config/config_error.h"
#include "config/setting_text.h"
#include "pipeline/setting_keys.h"

namespace extrema::config {

ReloadPlan diff_for_reload(const LinkConfig& running, const LinkConfig& fresh) {
    ReloadPlan plan;
    for (const KeySpec& key : config_keys()) {
        std::string before = toml_literal(key.get(running));
        std::string after = toml_literal(key.get(fresh));
        if (before == after) continue;
        auto& list = key.reloadable ? plan.reloadable : plan.needs_restart;
        list.push_back(KeyChange{key.path(), std::move(before), std::move(after)});
    }
    return plan;
}

namespace {

// network.redundancy is live but the payload types are not: the fresh file may pair its new
// redundancy with a red_payload_type the running link does not have.
void check_redundancy(const LinkConfig& merged) {
    const auto& network = merged.network;
    const bool sends_red = network.redundancy_auto || network.redundancy > 0;
    if (!sends_red || network.red_payload_type != network.payload_type) return;
    using namespace pipeline::keys;
    throw ConfigError(
        {std::string(kRedundancy), std::string(kRedPayloadType), std::string(kPayloadType)},
        fmt::format("turning redundancy on needs {} to differ from {}, and the "
                    "running link has both at {} (the payload types change only "
                    "with a restart)",
                    kRedPayloadType, kPayloadType, network.payload_type));
}

}  // namespace

LinkConfig merge_reloadable(const LinkConfig& running, const LinkConfig& fresh) {
    LinkConfig merged = running;
    for (const KeySpec& key : config_keys()) {
        if (key.reloadable) key.set(merged, key.get(fresh));
    }
    check_redundancy(merged);
    return merged;
}

std::vector<std::string> reloadable_keys() {
    std::vector<std::string> keys;
    for (const KeySpec& key : config_keys()) {
        if (key.reloadable) keys.push_back(key.path());
    }
    return keys;
}

}  // namespace extrema::config
