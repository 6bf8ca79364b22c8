#include "config/load_config.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

#include "config/config_document.h"
#include "config/config_error.h"
#include "config/config_flags.h"
#include "config/key_origins.h"

namespace extrema::config {
namespace {

std::string read_file(const std::filesystem::path& file) {
    const auto fail = [&](const std::string& why) {
        return ConfigError(fmt::format("cannot read config file '{}': {}", file.string(), why));
    };
    const std::unique_ptr<std::FILE, int (*)(std::FILE*)> stream(std::fopen(file.c_str(), "rb"),
                                                                 &std::fclose);
    if (!stream) throw fail(std::strerror(errno));
    std::string text;
    char block[8192];
    while (text.size() <= kMaxConfigFileBytes) {
        const std::size_t count = std::fread(block, 1, sizeof block, stream.get());
        text.append(block, count);
        if (count < sizeof block) break;
    }
    // A directory opens but does not read (EISDIR).
    if (std::ferror(stream.get())) throw fail(std::strerror(errno));
    if (text.size() > kMaxConfigFileBytes) {
        throw fail(fmt::format("larger than {} bytes; is it a config file?", kMaxConfigFileBytes));
    }
    return text;
}

}  // namespace

LinkConfig parse_config(std::string_view toml_text, std::string_view origin) {
    const toml::table document = detail::parse_document(toml_text, origin);
    LinkConfig config;
    detail::KeyOrigins origins{std::string(origin), {}};
    detail::apply_document(document, origin, config, origins);
    detail::validate_at(config, origins);
    return config;
}

LinkConfig load_config(const std::filesystem::path& file) {
    return parse_config(read_file(file), file.string());
}

LinkConfig load_config(const std::filesystem::path& file, const ConfigOverrides& overrides) {
    const std::string origin = file.string();
    const toml::table document = detail::parse_document(read_file(file), origin);
    LinkConfig config;
    detail::KeyOrigins origins{origin, {}};
    detail::apply_document(document, origin, config, origins);
    detail::apply_flags(overrides, config, origins);
    detail::validate_at(config, origins);
    return config;
}

}  // namespace extrema::config
