#include "config/validate_config.h"

#include <stdexcept>
#include <vector>

#include "config/config_error.h"
#include "config/setting_text.h"
#include "pipeline/link_rules.h"

namespace extrema::config {
namespace {

void validate_each_key(const LinkConfig& config) {
    for (const KeySpec& key : config_keys()) {
        try {
            check_value(key, key.get(config));
        } catch (const std::invalid_argument& error) {
            throw ConfigError({key.path()}, error.what());
        }
    }
}

// The rules between keys are the pipeline's (pipeline/link_rules.h); here they name their keys.
void validate_rules(const LinkConfig& config) {
    if (const auto broken = pipeline::first_broken_rule(config)) {
        throw ConfigError(std::vector<std::string>(broken->keys.begin(), broken->keys.end()),
                          broken->problem);
    }
}

void validate_compressor(const LinkConfig& config) {
    try {
        dsp::validate(config.compressor.config);
    } catch (const std::invalid_argument& error) {
        // dsp::validate() names the field; the config keys carry the same names.
        const std::string message = error.what();
        std::string key = "compressor";
        for (const KeySpec& spec : config_keys()) {
            if (spec.section == "compressor" &&
                message.find(" " + std::string(spec.name) + " ") != std::string::npos) {
                key = spec.path();
            }
        }
        throw ConfigError({key}, message);
    }
}

}  // namespace

void validate(const LinkConfig& config) {
    validate_each_key(config);
    validate_rules(config);
    validate_compressor(config);
}

}  // namespace extrema::config
