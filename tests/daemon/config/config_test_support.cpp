#include "config_test_support.h"

#include <gtest/gtest.h>

namespace extrema::config::test {

std::filesystem::path source_file(std::string_view relative) {
    return std::filesystem::path(EXTREMA_SOURCE_DIR) / relative;
}

LinkConfig parse(std::string_view text) {
    return parse_config(text, "test.toml");
}

std::string config_error(const std::function<void()>& call) {
    try {
        call();
    } catch (const ConfigError& error) {
        return error.what();
    }
    ADD_FAILURE() << "expected a ConfigError";
    return "";
}

std::string parse_error(std::string_view text) {
    return config_error([&] { parse(text); });
}

}  // namespace extrema::config::test
