#include "cli_errors.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/help_format.h"
#include "config/spelling.h"
#include "stdio_paths.h"

namespace extrema::cli {
namespace {

class UsageError : public std::runtime_error {
  public:
    UsageError(const CLI::App& command, const std::string& message)
        : std::runtime_error(message), help_command(command_path(command)) {}
    std::string help_command;
};

// The closest candidate: a whole name within a typo's distance, else the name that `word` is a
// misspelt start of ("--treshold" for "--threshold-db").
std::optional<std::string> suggestion(const std::string& word,
                                      const std::vector<std::string>& candidates) {
    std::vector<std::string_view> views(candidates.begin(), candidates.end());
    if (auto best = config::detail::closest_spelling(word, views)) return std::string(*best);
    for (const auto& candidate : candidates) {
        const std::string_view start[] = {std::string_view(candidate).substr(0, word.size())};
        if (candidate.size() > word.size() && config::detail::closest_spelling(word, start)) {
            return candidate;
        }
    }
    return std::nullopt;
}

std::string did_you_mean(const std::optional<std::string>& best) {
    return best ? " (did you mean '" + *best + "'?)" : "";
}

std::vector<std::string> subcommand_names(const CLI::App& app) {
    std::vector<std::string> names;
    for (const CLI::App* sub : app.get_subcommands({})) names.push_back(sub->get_name());
    return names;
}

std::vector<std::string> option_spellings(const CLI::App& command) {
    std::vector<std::string> names;
    for (const CLI::Option* option : command.get_options()) {
        for (const auto& name : option->get_lnames()) names.push_back("--" + name);
        for (const auto& name : option->get_snames()) names.push_back("-" + name);
    }
    return names;
}

bool looks_like_number(std::string_view arg) {
    if (arg.size() < 2 || arg[0] != '-') return false;
    const char c = arg[1];
    return (c >= '0' && c <= '9') || c == '.';
}

// Walks the arguments the way the parser will, only far enough to catch what CLI11 reports
// badly: an unknown command ("A subcommand is required") or an unknown option ("The following
// arguments were not expected").
void check_words(const CLI::App& app, int argc, char** argv) {
    const CLI::App* command = &app;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--") return;
        if (arg.size() > 1 && arg[0] == '-' && !looks_like_number(arg)) {
            const std::string name = arg.substr(0, arg.find('='));
            if (command->get_option_no_throw(name) != nullptr || name == "--help" || name == "-h" ||
                name == "--version") {
                continue;
            }
            throw UsageError(*command,
                             "unknown option '" + name + "' for '" + command_path(*command) + "'" +
                                 did_you_mean(suggestion(name, option_spellings(*command))));
        }
        const auto subs = command->get_subcommands({});
        if (subs.empty()) continue;  // a positional argument or an option's value
        const auto found = std::find_if(subs.begin(), subs.end(),
                                        [&](const CLI::App* s) { return s->check_name(arg); });
        if (found != subs.end()) {
            command = *found;
            continue;
        }
        // The previous word may be an option taking this one as its value.
        const CLI::Option* previous =
            i > 1 ? command->get_option_no_throw(std::string(argv[i - 1])) : nullptr;
        if (previous != nullptr && previous->get_type_size() != 0) continue;
        throw UsageError(*command, "unknown command '" + arg + "'" +
                                       did_you_mean(suggestion(arg, subcommand_names(*command))));
    }
}

// The deepest command the parser had reached, for the help hint.
const CLI::App* reached_command(const CLI::App& app) {
    const CLI::App* command = &app;
    for (bool deeper = true; deeper;) {
        deeper = false;
        for (const CLI::App* sub : command->get_subcommands({})) {
            if (sub->parsed()) {
                command = sub;
                deeper = true;
                break;
            }
        }
    }
    return command;
}

std::string lower_first(std::string text) {
    if (!text.empty() && text[0] >= 'A' && text[0] <= 'Z' &&
        (text.size() < 2 || text[1] < 'A' || text[1] > 'Z')) {
        text[0] = static_cast<char>(text[0] - 'A' + 'a');
    }
    return text;
}

int usage_error(const std::string& message, const std::string& help_command) {
    std::fprintf(stderr, "extrema: %s (see '%s --help')\n", message.c_str(), help_command.c_str());
    return kExitUsageError;
}

}  // namespace

int run_command_line(CLI::App& app, int argc, char** argv) {
    if (argc <= 1) {
        std::fputs(app.help().c_str(), stdout);
        return kExitUsageError;
    }
    try {
        check_words(app, argc, argv);
        app.parse(argc, argv);
    } catch (const UsageError& e) {
        return usage_error(e.what(), e.help_command);
    } catch (const CLI::CallForHelp&) {
        std::fputs(reached_command(app)->help().c_str(), stdout);
        return kExitOk;
    } catch (const CLI::CallForAllHelp&) {
        std::fputs(app.help("", CLI::AppFormatMode::All).c_str(), stdout);
        return kExitOk;
    } catch (const CLI::CallForVersion& e) {
        std::fputs((std::string(e.what()) + "\n").c_str(), stdout);
        return kExitOk;
    } catch (const CLI::ParseError& e) {
        const CLI::App* command = reached_command(app);
        const std::string path = command_path(*command);
        // "compress: output is required"; the program's own name is already in front.
        const std::string where =
            command == &app ? "" : path.substr(app.get_name().size() + 1) + ": ";
        return usage_error(where + lower_first(e.what()), path);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "extrema: %s\n", with_stdio_names(e.what()).c_str());
        return kExitRuntimeError;
    }
    return kExitOk;
}

}  // namespace extrema::cli
