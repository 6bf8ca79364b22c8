#include "config/config_flags.h"

#include <fmt/format.h>

#include <stdexcept>

#include "config/config_error.h"
#include "config/key_origins.h"
#include "config/setting_text.h"
#include "config/toml_values.h"

namespace extrema::config {
namespace {

std::string value_hint(const KeySpec& key) {
    if (!key.choices.empty() && key.type == ValueType::kString) {
        std::string hint;
        for (const std::string_view choice : key.choices) {
            hint += (hint.empty() ? "" : "|") + std::string(choice);
        }
        return hint;
    }
    switch (key.type) {
        case ValueType::kBoolean:
            return "";
        case ValueType::kInteger:
            return "INT";
        case ValueType::kFloat:
            return key.choices.empty() ? "NUM" : "NUM|" + std::string(key.choices.front());
        case ValueType::kString:
            return key.format == TextFormat::kAny ? "TEXT" : "ADDRESS";
        case ValueType::kStringArray:
            return "HOST[:PORT],...";
    }
    return "";
}

std::string description(const KeySpec& key) {
    // The first sentence of the doc, then the key, unit and default: docs/config.md has the rest.
    std::string_view summary = key.doc;
    if (const auto end = summary.find(". "); end != std::string_view::npos) {
        summary = summary.substr(0, end);
    }
    if (summary.ends_with('.')) summary.remove_suffix(1);
    const std::string unit = key.unit.empty() ? "" : fmt::format(", {}", key.unit);
    return fmt::format("{} ({}{}, default {})", summary, key.path(), unit, default_literal(key));
}

std::string group(const KeySpec& key) {
    return key.section.empty() ? std::string("Config") : fmt::format("Config [{}]", key.section);
}

}  // namespace

void ConfigOverrides::set(std::string_view key, std::string text, std::string source) {
    const KeySpec* spec = find_key(key);
    if (spec == nullptr) throw ConfigError(fmt::format("{}: unknown config key '{}'", source, key));
    entries_.push_back(Entry{spec, std::move(source), {std::move(text)}});
}

std::vector<std::string> ConfigOverrides::given_keys() const {
    std::vector<std::string> keys;
    for (const Entry& entry : entries_) {
        if (!entry.texts.empty()) keys.push_back(entry.key->path());
    }
    return keys;
}

void add_config_flags(CLI::App& app, ConfigOverrides& overrides) {
    for (const KeySpec& key : config_keys()) {
        ConfigOverrides::Entry& entry = overrides.entries_.emplace_back(
            ConfigOverrides::Entry{&key, "flag " + key.option(), {}});
        // One value per occurrence (allow_extra_args(false)): a positional argument after a
        // flag's value stays a positional argument.
        CLI::Option* option = nullptr;
        if (key.type == ValueType::kBoolean) {
            option = app.add_flag(fmt::format("{}{{true}},!--no-{}", key.option(), key.flag),
                                  entry.texts, description(key));
        } else if (key.type == ValueType::kStringArray) {
            option = app.add_option(key.option(), entry.texts, description(key))
                         ->delimiter(',')
                         ->allow_extra_args(false);
        } else {
            option = app.add_option(key.option(), entry.texts, description(key))
                         ->expected(1)
                         ->allow_extra_args(false)
                         ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);
        }
        option->type_name(value_hint(key))->group(group(key));
    }
}

void apply_overrides(const ConfigOverrides& overrides, LinkConfig& config) {
    detail::KeyOrigins origins;
    detail::apply_flags(overrides, config, origins);
    detail::validate_at(config, origins);
}

namespace detail {

void apply_flags(const ConfigOverrides& overrides, LinkConfig& config, KeyOrigins& origins) {
    std::string problems;
    for (const ConfigOverrides::Entry& entry : overrides.entries()) {
        if (entry.texts.empty()) continue;
        const KeySpec& key = *entry.key;
        try {
            key.set(config, convert_node(key, *flag_node(key, entry.texts)));
            origins.by_key[key.path()] = entry.source;
        } catch (const std::invalid_argument& error) {
            if (!problems.empty()) problems += '\n';
            problems += located_message(entry.source, key.path(), error.what());
        }
    }
    if (!problems.empty()) throw ConfigError(problems);
}

}  // namespace detail
}  // namespace extrema::config
