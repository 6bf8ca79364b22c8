#include "config/config_document.h"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>
#include <string>
#include <tuple>
#include <vector>

#include "config/config_error.h"
#include "config/spelling.h"
#include "config/toml_values.h"

namespace extrema::config::detail {
namespace {

std::string position(std::string_view origin, const toml::source_region& source) {
    if (source.begin.line == 0) return std::string(origin);
    return fmt::format("{}:{}:{}", origin, source.begin.line, source.begin.column);
}

std::string joined(const std::vector<std::string_view>& names, std::string_view before = "",
                   std::string_view after = "") {
    std::string text;
    for (const std::string_view name : names) {
        if (!text.empty()) text += ", ";
        text += fmt::format("{}{}{}", before, name, after);
    }
    return text;
}

std::vector<std::string_view> key_names(std::string_view section) {
    std::vector<std::string_view> names;
    for (const KeySpec& key : config_keys()) {
        if (key.section == section) names.push_back(key.name);
    }
    return names;
}

bool is_section(std::string_view name) {
    const auto sections = config_sections();
    return std::find(sections.begin(), sections.end(), name) != sections.end();
}

std::string unknown_key(std::string_view section, std::string_view name) {
    for (const KeySpec& key : config_keys()) {
        if (key.name == name && key.section != section) {
            return key.section.empty()
                       ? fmt::format(
                             "unknown key; '{}' belongs at the top level, before any "
                             "[section]",
                             name)
                       : fmt::format("unknown key; '{}' belongs in [{}]", name, key.section);
        }
    }
    const auto names = key_names(section);
    std::string problem = "unknown key";
    if (const auto guess = closest_spelling(name, names)) {
        problem += fmt::format(" (did you mean '{}'?)", *guess);
    }
    if (section.empty()) {
        return problem + fmt::format("; the top level holds {} and the sections {}",
                                     joined(names, "'", "'"), joined(config_sections(), "[", "]"));
    }
    return problem + fmt::format("; [{}] holds {}", section, joined(names));
}

std::string unknown_section(std::string_view name) {
    const auto sections = config_sections();
    std::string problem = "unknown section";
    if (const auto guess = closest_spelling(name, sections)) {
        problem += fmt::format(" (did you mean [{}]?)", *guess);
    }
    return problem + "; the sections are " + joined(sections, "[", "]");
}

// Problems found so far, reported together in file order.
class Problems {
  public:
    explicit Problems(std::string_view origin) : origin_(origin) {}

    void add(const toml::source_region& source, const std::string& subject,
             const std::string& problem) {
        entries_.push_back({source.begin.line, source.begin.column,
                            position(origin_, source) + ": " + subject + ": " + problem});
    }

    void throw_if_any() {
        if (entries_.empty()) return;
        std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
            return std::tie(a.line, a.column) < std::tie(b.line, b.column);
        });
        std::string message;
        for (const Entry& entry : entries_) {
            if (!message.empty()) message += '\n';
            message += entry.text;
        }
        throw ConfigError(message);
    }

  private:
    struct Entry {
        toml::source_index line;
        toml::source_index column;
        std::string text;
    };
    std::string_view origin_;
    std::vector<Entry> entries_;
};

class DocumentReader {
  public:
    DocumentReader(std::string_view origin, LinkConfig& config, KeyOrigins& origins)
        : origin_(origin), config_(config), origins_(origins), problems_(origin) {}

    void read(const toml::table& document) {
        for (auto&& [key, node] : document) {
            const std::string_view name = key.str();
            if (const KeySpec* spec = find_key(name); spec != nullptr && spec->section.empty()) {
                apply(*spec, node);
            } else if (is_section(name)) {
                read_section(name, node);
            } else if (node.is_table()) {
                problems_.add(key.source(), fmt::format("section [{}]", name),
                              unknown_section(name));
            } else {
                problems_.add(key.source(), fmt::format("key '{}'", name), unknown_key("", name));
            }
        }
        problems_.throw_if_any();
    }

  private:
    void read_section(std::string_view section, const toml::node& node) {
        const toml::table* table = node.as_table();
        if (table == nullptr) {
            problems_.add(node.source(), fmt::format("key '{}'", section),
                          fmt::format("expected the section [{}] (a table), got {}", section,
                                      describe_node(node)));
            return;
        }
        for (auto&& [key, value] : *table) {
            const std::string path = fmt::format("{}.{}", section, key.str());
            if (const KeySpec* spec = find_key(path)) {
                apply(*spec, value);
            } else {
                problems_.add(key.source(), fmt::format("key '{}'", path),
                              unknown_key(section, key.str()));
            }
        }
    }

    void apply(const KeySpec& key, const toml::node& node) {
        try {
            key.set(config_, convert_node(key, node));
            origins_.by_key[key.path()] = position(origin_, node.source());
        } catch (const std::invalid_argument& error) {
            problems_.add(node.source(), fmt::format("key '{}'", key.path()), error.what());
        }
    }

    std::string_view origin_;
    LinkConfig& config_;
    KeyOrigins& origins_;
    Problems problems_;
};

}  // namespace

void apply_document(const toml::table& document, std::string_view origin, LinkConfig& config,
                    KeyOrigins& origins) {
    DocumentReader(origin, config, origins).read(document);
}

toml::table parse_document(std::string_view text, std::string_view origin) {
    try {
        return toml::parse(text, origin);
    } catch (const toml::parse_error& error) {
        throw ConfigError(fmt::format("{}: syntax error: {}", position(origin, error.source()),
                                      error.description()));
    }
}

}  // namespace extrema::config::detail
