#include "config/key_origins.h"

#include "config/config_error.h"
#include "config/validate_config.h"

namespace extrema::config::detail {

void validate_at(const LinkConfig& config, const KeyOrigins& origins) {
    try {
        validate(config);
    } catch (const ConfigError& error) {
        if (error.keys().empty()) throw;
        for (const std::string& key : error.keys()) {
            if (const auto found = origins.by_key.find(key); found != origins.by_key.end()) {
                throw ConfigError(located_message(found->second, key, error.problem()));
            }
        }
        throw ConfigError(located_message(origins.fallback, error.keys().front(), error.problem()));
    }
}

}  // namespace extrema::config::detail
