#include "config/config_reference.h"

#include <fmt/format.h>

#include "config/config_error.h"
#include "config/config_keys.h"
#include "config/setting_text.h"

namespace extrema::config {
namespace {

// Markdown table cells cannot hold a bare '|'.
std::string cell(std::string_view text) {
    std::string escaped;
    for (const char c : text) {
        if (c == '|') escaped += '\\';
        escaped += c;
    }
    return escaped;
}

std::string code(std::string_view text) {
    return "`" + cell(text) + "`";
}

std::string flags(const KeySpec& key) {
    if (key.type == ValueType::kBoolean) {
        return code(key.option()) + ", " + code("--no-" + std::string(key.flag));
    }
    return code(key.option());
}

std::string row(const KeySpec& key) {
    return fmt::format("| {} | {} | {} | {} | {} | {} | {} | {} |\n", code(key.path()),
                       type_name(key), cell(accepted_values(key)), cell(key.unit),
                       code(default_literal(key)), key.reloadable ? "live" : "restart", flags(key),
                       cell(key.doc));
}

std::string table(std::string_view section) {
    std::string text = section.empty() ? "### Top level\n\n" : fmt::format("### [{}]\n\n", section);
    text +=
        "| Key | Type | Accepted | Unit | Default | SIGHUP | Flag | Meaning and default |\n"
        "|---|---|---|---|---|---|---|---|\n";
    for (const KeySpec& key : config_keys()) {
        if (key.section == section) text += row(key);
    }
    return text;
}

}  // namespace

std::string render_config_reference_markdown() {
    std::string text = table("");
    for (const std::string_view section : config_sections()) text += "\n" + table(section);
    return text;
}

std::string update_config_reference(std::string_view document) {
    const auto begin = document.find(kReferenceBegin);
    const auto end = document.find(kReferenceEnd);
    if (begin == std::string_view::npos || end == std::string_view::npos || end < begin) {
        throw ConfigError(fmt::format("the document lacks the lines '{}' and '{}'", kReferenceBegin,
                                      kReferenceEnd));
    }
    const auto after_begin = begin + kReferenceBegin.size();
    return fmt::format("{}\n\n{}\n{}", document.substr(0, after_begin),
                       render_config_reference_markdown(), document.substr(end));
}

}  // namespace extrema::config
