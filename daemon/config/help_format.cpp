#include "config/help_format.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <sstream>
#include <string_view>

namespace extrema::cli {
namespace {

// CLI11's own placeholders for the C++ type of the value; the user wants the unit instead.
bool is_generic_type(std::string_view type) {
    return type.empty() || type == "FLOAT" || type == "TEXT" || type == "INT" || type == "UINT" ||
           type == "NUMBER" || type == "BOOLEAN";
}

bool ends_with(std::string_view text, std::string_view suffix) {
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// The unit a long option's name ends in, as the placeholder of its value.
std::string unit_placeholder(std::string_view name) {
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 9> kUnits{{
        {"-ms", "MS"},
        {"-db", "DB"},
        {"-khz", "KHZ"},
        {"-hz", "HZ"},
        {"-hours", "HOURS"},
        {"-s", "S"},
        {"-dir", "DIR"},
        {"-key", "FILE"},
        {"-frames", "N"},
    }};
    for (const auto& [suffix, placeholder] : kUnits) {
        if (ends_with(name, suffix)) return std::string(placeholder);
    }
    return "";
}

std::string upper(std::string text) {
    for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return text;
}

// The first ":"-separated part of CLI11's type name, and the validator descriptions after it.
std::vector<std::string> type_parts(const CLI::Option& option) {
    std::vector<std::string> parts;
    std::string type = option.get_type_name();
    std::size_t start = 0;
    while (start <= type.size()) {
        // The next ':' outside brackets: the one in "HOST[:PORT]" is part of the placeholder.
        std::size_t colon = std::string::npos;
        int depth = 0;
        for (std::size_t k = start; k < type.size() && colon == std::string::npos; ++k) {
            if (type[k] == '[') ++depth;
            if (type[k] == ']' && depth > 0) --depth;
            if (type[k] == ':' && depth == 0) colon = k;
        }
        parts.push_back(type.substr(start, colon - start));
        if (colon == std::string::npos) break;
        start = colon + 1;
    }
    return parts;
}

std::string join(const std::vector<std::string>& words, std::string_view separator) {
    std::string text;
    for (const auto& word : words) {
        if (!text.empty()) text += separator;
        text += word;
    }
    return text;
}

}  // namespace

std::string metavar(const CLI::Option& option) {
    if (option.get_positional()) return upper(option.get_name(true, false));
    if (option.get_type_size() == 0 || option.get_expected_max() == 0) return "";
    const auto parts = type_parts(option);
    for (const auto& part : parts) {
        if (part.size() > 2 && part.front() == '{' && part.back() == '}') {
            std::string set = part.substr(1, part.size() - 2);
            std::replace(set.begin(), set.end(), ',', '|');
            return set;
        }
    }
    if (!is_generic_type(parts.front())) return parts.front();
    if (!option.get_lnames().empty()) {
        if (auto unit = unit_placeholder(option.get_lnames().front()); !unit.empty()) return unit;
    }
    // A unit named in the description: "Hysteresis threshold, LSB of int16".
    static constexpr std::array<std::pair<std::string_view, std::string_view>, 4> kWords{
        {{"LSB", "LSB"}, {"Hz", "HZ"}, {"percent", "PCT"}, {"dB", "DB"}}};
    for (const auto& [word, placeholder] : kWords) {
        if (option.get_description().find(word) != std::string::npos) {
            return std::string(placeholder);
        }
    }
    if (parts.front() != "TEXT") return "N";
    return option.get_description().find("file") != std::string::npos ? "FILE" : "VALUE";
}

std::string option_names(const CLI::Option& option) {
    std::vector<std::string> names;
    for (const auto& name : option.get_lnames()) names.push_back("--" + name);
    for (const auto& name : option.get_snames()) names.push_back("-" + name);
    return join(names, ", ");
}

std::string option_facts(const CLI::Option& option) {
    std::vector<std::string> facts;
    for (const auto& part : type_parts(option)) {
        // CLI::Range describes itself as "FLOAT in [0 - 384000]".
        const auto in = part.find(" in [");
        if (in == std::string::npos || part.back() != ']') continue;
        std::string range = part.substr(in + 5, part.size() - in - 6);
        const auto dash = range.find(" - ");
        if (dash != std::string::npos) range.replace(dash, 3, "..");
        facts.push_back("range " + range);
    }
    if (!option.get_default_str().empty() && !metavar(option).empty()) {
        facts.push_back("default " + option.get_default_str());
    }
    return join(facts, ", ");
}

std::string command_path(const CLI::App& app) {
    std::string path = app.get_name();
    for (const CLI::App* parent = app.get_parent(); parent != nullptr;
         parent = parent->get_parent()) {
        path = parent->get_name() + " " + path;
    }
    return path;
}

std::vector<const CLI::Option*> visible_options(const CLI::App& command) {
    return command.get_options([&command](const CLI::Option* option) {
        return !option->get_group().empty() && option != command.get_help_ptr() &&
               option != command.get_help_all_ptr() && !option->get_positional();
    });
}

namespace {

std::vector<const CLI::Option*> positionals(const CLI::App& command) {
    return command.get_options([](const CLI::Option* option) { return option->get_positional(); });
}

std::vector<const CLI::App*> subcommands(const CLI::App& app) {
    return app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

void collect_leaves(const CLI::App& app, std::vector<const CLI::App*>& leaves) {
    const auto subs = subcommands(app);
    if (subs.empty() && app.get_parent() != nullptr) leaves.push_back(&app);
    for (const CLI::App* sub : subs) collect_leaves(*sub, leaves);
}

// One entry of an "Options:" or "Arguments:" list: the names at column 2, the description at
// column 28 (or on the next line, when the names are longer), wrapped.
constexpr std::size_t kDescriptionColumn = 28;
// The group CLI11 puts options in unless told otherwise (--help's).
std::string default_group(const CLI::App& app) {
    return app.get_help_ptr() != nullptr ? app.get_help_ptr()->get_group() : "Options";
}

std::string entry(const std::string& left, const std::string& description) {
    std::string text = "  " + left;
    if (description.empty()) return text + "\n";
    if (text.size() + 2 > kDescriptionColumn) {
        return text + "\n" + wrap(description, kDescriptionColumn, kDescriptionColumn);
    }
    // The first line starts at the description column, after the names.
    std::string wrapped = wrap(description, kDescriptionColumn, kDescriptionColumn);
    return text + wrapped.substr(text.size());
}

std::string option_description(const CLI::Option& option) {
    std::string text = option.get_description();
    const std::string facts = option_facts(option);
    if (!facts.empty()) text += " (" + facts + ")";
    if (option.get_required() && !option.get_positional()) text += " Required.";
    return text;
}

}  // namespace

std::vector<const CLI::App*> leaf_commands(const CLI::App& app) {
    std::vector<const CLI::App*> leaves;
    collect_leaves(app, leaves);
    return leaves;
}

std::string synopsis(const CLI::App& command) {
    std::string text = command_path(command);
    for (const CLI::Option* option : positionals(command)) {
        text += option->get_required() ? " " + metavar(*option) : " [" + metavar(*option) + "]";
    }
    // Options of named groups (extremad's config flags) are too many for one line: their
    // headings in --help list them.
    const std::string own_group = default_group(command);
    bool grouped = false;
    for (const CLI::Option* option : visible_options(command)) {
        if (option->get_group() != own_group) {
            grouped = true;
            continue;
        }
        const std::string name = option->get_lnames().empty() ? "-" + option->get_snames().front()
                                                              : "--" + option->get_lnames().front();
        const std::string value = metavar(*option);
        const std::string item = value.empty() ? name : name + " " + value;
        text += option->get_required() ? " " + item : " [" + item + "]";
    }
    if (grouped) text += " [OPTIONS]";
    return text;
}

std::string wrap(const std::string& text, std::size_t indent, std::size_t first_indent,
                 std::size_t width) {
    std::istringstream words(text);
    std::string out;
    std::string line(first_indent, ' ');
    std::size_t line_indent = first_indent;
    std::string word;
    while (words >> word) {
        const bool empty = line.size() == line_indent;
        if (!empty && line.size() + 1 + word.size() > width) {
            out += line + "\n";
            line.assign(indent, ' ');
            line_indent = indent;
        }
        if (line.size() != line_indent) line += ' ';
        line += word;
    }
    if (line.size() != line_indent || out.empty()) out += line + "\n";
    return out;
}

std::vector<std::string> examples(const CLI::App& command) {
    std::vector<std::string> lines;
    std::istringstream footer(command.get_footer());
    std::string line;
    while (std::getline(footer, line)) {
        if (!line.empty()) lines.push_back(line);
    }
    return lines;
}

std::string HelpFormatter::make_help(const CLI::App* app, std::string, CLI::AppFormatMode) const {
    std::string text;
    if (!app->get_description().empty()) text += wrap(app->get_description(), 0, 0) + "\n";

    const auto subs = subcommands(*app);
    if (!subs.empty()) {
        text += "Usage: " + command_path(*app) + " COMMAND [OPTIONS] ...\n\nCommands:\n";
        for (const CLI::App* sub : subs) text += entry(sub->get_name(), sub->get_description());
    } else {
        text += "Usage:\n" + wrap(synopsis(*app), 6, 2);
        const auto args = positionals(*app);
        if (!args.empty()) {
            text += "\nArguments:\n";
            for (const CLI::Option* arg : args)
                text += entry(metavar(*arg), arg->get_description());
        }
    }
    // CLI11's default group first (with --help), then the named groups in order of appearance.
    const auto options = visible_options(*app);
    const std::string kDefaultGroup = default_group(*app);
    std::vector<std::string> groups{kDefaultGroup};
    for (const CLI::Option* option : options) {
        if (std::find(groups.begin(), groups.end(), option->get_group()) == groups.end()) {
            groups.push_back(option->get_group());
        }
    }
    for (const std::string& group : groups) {
        text += "\n" + (group == kDefaultGroup ? std::string("Options") : group) + ":\n";
        for (const CLI::Option* option : options) {
            if (option->get_group() != group) continue;
            const std::string value = metavar(*option);
            text += entry(option_names(*option) + (value.empty() ? "" : " " + value),
                          option_description(*option));
        }
        if (group == kDefaultGroup) text += entry("--help, -h", "Print this help and exit");
    }
    if (!subs.empty()) {
        text += "\nRun '" + command_path(*app) + " COMMAND --help' for a command's options.\n";
    }
    const auto lines = examples(*app);
    if (!lines.empty()) {
        text += "\nExamples:\n";
        for (const auto& line : lines) text += "  " + line + "\n";
    }
    return text;
}

}  // namespace extrema::cli
