#include "config/config_error.h"

#include <utility>

namespace extrema::config {
namespace {

std::string key_message(const std::vector<std::string>& keys, const std::string& problem) {
    return keys.empty() ? problem : "key '" + keys.front() + "': " + problem;
}

}  // namespace

ConfigError::ConfigError(const std::string& message) : std::runtime_error(message) {}

ConfigError::ConfigError(std::vector<std::string> keys, std::string problem)
    : std::runtime_error(key_message(keys, problem)),
      keys_(std::move(keys)),
      problem_(std::move(problem)) {}

std::string located_message(const std::string& where, const std::string& key,
                            const std::string& problem) {
    std::string message = where.empty() ? std::string() : where + ": ";
    if (!key.empty()) message += "key '" + key + "': ";
    return message + problem;
}

}  // namespace extrema::config
