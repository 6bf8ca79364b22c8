#include "config/reload_plan.h"

#include "config/setting_text.h"

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

LinkConfig merge_reloadable(const LinkConfig& running, const LinkConfig& fresh) {
    LinkConfig merged = running;
    for (const KeySpec& key : config_keys()) {
        if (key.reloadable) key.set(merged, key.get(fresh));
    }
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
