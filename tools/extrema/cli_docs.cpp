#include "cli_docs.h"

#include <fmt/format.h>

#include <sstream>
#include <stdexcept>

#include "config/config_keys.h"
#include "config/help_format.h"
#include "config/setting_text.h"
#include "extrema_version.h"

namespace extrema::cli {
namespace {

// roff: backslashes and hyphens escaped, a leading '.' or '\'' kept from being a request.
std::string roff(std::string_view text) {
    std::string out;
    for (const char c : text) {
        if (c == '\\') {
            out += "\\e";
        } else if (c == '-') {
            out += "\\-";
        } else {
            out += c;
        }
    }
    if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out = "\\&" + out;
    return out;
}

std::string title(std::string_view name, int section, std::string_view manual) {
    return fmt::format(".TH {} {} \"\" \"extrema {}\" \"{}\"\n", name, section, EXTREMA_VERSION,
                       manual);
}

std::string option_entry(const CLI::Option& option) {
    const std::string value = metavar(option);
    std::string text = ".TP\n.B " + roff(option_names(option)) +
                       (value.empty() ? "" : " \\fI" + roff(value) + "\\fR") + "\n" +
                       roff(option.get_description());
    const std::string facts = option_facts(option);
    if (!facts.empty()) text += " (" + roff(facts) + ")";
    return text + "\n";
}

std::string positional_entries(const CLI::App& command) {
    std::string text;
    for (const CLI::Option* option :
         command.get_options([](const CLI::Option* o) { return o->get_positional(); })) {
        text += ".TP\n.I " + roff(metavar(*option)) + "\n" + roff(option->get_description()) + "\n";
    }
    return text;
}

std::string examples_block(const CLI::App& command) {
    const auto lines = examples(command);
    if (lines.empty()) return "";
    std::string text = ".PP\nExamples:\n.PP\n.RS\n.nf\n";
    for (const auto& line : lines) text += roff(line) + "\n";
    return text + ".fi\n.RE\n";
}

const char* kExitStatus =
    ".SH EXIT STATUS\n.TP\n.B 0\nSuccess.\n.TP\n.B 1\nA runtime error: a missing, unreadable or "
    "malformed file, a device or the network failed.\n.TP\n.B 2\nA usage error: an unknown "
    "command or option, a missing or invalid argument, or (extremad) a bad configuration.\n";

// The words a shell may complete after an option: a set of choices, or a file.
std::string completion_words(const CLI::Option& option) {
    const std::string value = metavar(option);
    if (value.find('|') == std::string::npos) return "";
    std::string words = value;
    for (char& c : words) {
        if (c == '|') c = ' ';
    }
    return words;
}

std::string function_name(const CLI::App& app) {
    std::string name = app.get_name();
    for (char& c : name) {
        if (c == '-' || c == '.') c = '_';
    }
    return name;
}

}  // namespace

std::string render_synopsis_block(const CLI::App& extrema) {
    std::string text = "```\n";
    for (const CLI::App* command : leaf_commands(extrema)) text += synopsis(*command) + "\n";
    return text + "```\n";
}

std::string update_readme_synopsis(std::string_view readme, const CLI::App& extrema) {
    const auto begin = readme.find(kSynopsisBegin);
    const auto end = readme.find(kSynopsisEnd);
    if (begin == std::string_view::npos || end == std::string_view::npos || end < begin) {
        throw std::runtime_error(
            fmt::format("the README lacks the lines '{}' and '{}'", kSynopsisBegin, kSynopsisEnd));
    }
    const auto after_begin = begin + kSynopsisBegin.size();
    return fmt::format("{}\n{}{}", readme.substr(0, after_begin), render_synopsis_block(extrema),
                       readme.substr(end));
}

std::string render_extrema_man(const CLI::App& extrema) {
    std::string text = title("EXTREMA", 1, "User Commands");
    text += ".SH NAME\nextrema \\- encode, decode, measure and test the extrema voice codec\n";
    text += ".SH SYNOPSIS\n";
    for (const CLI::App* command : leaf_commands(extrema)) {
        text += ".PP\n.B " + roff(synopsis(*command)) + "\n";
    }
    text += ".SH DESCRIPTION\n" + roff(extrema.get_description()) + "\n";
    text += ".SH COMMANDS\n";
    for (const CLI::App* command : leaf_commands(extrema)) {
        text += ".SS \"" + roff(command_path(*command)) + "\"\n" +
                roff(command->get_description()) + "\n";
        text += positional_entries(*command);
        for (const CLI::Option* option : visible_options(*command)) text += option_entry(*option);
        text += examples_block(*command);
    }
    text += kExitStatus;
    text += ".SH SEE ALSO\n.BR extremad (8),\n.BR extremad.toml (5)\n";
    return text;
}

std::string render_extremad_man(const CLI::App& extremad) {
    std::string text = title("EXTREMAD", 8, "System Manager's Manual");
    text +=
        ".SH NAME\nextremad \\- live low\\-bandwidth voice link over RTP with the extrema "
        "codec\n";
    text +=
        ".SH SYNOPSIS\n.B extremad\n[\\fIsend\\fR|\\fIreceive\\fR|\\fIduplex\\fR] "
        "[\\fB\\-\\-config\\fR \\fIFILE\\fR] [\\fB\\-\\-\\fR\\fIkey\\fR \\fIVALUE\\fR ...]\n"
        ".br\n.B extremad \\-\\-check\\-config\n.I FILE\n";
    text += ".SH DESCRIPTION\n" + roff(extremad.get_description()) +
            "\n.PP\nOne process runs one link. Every key of the configuration file (see "
            ".BR extremad.toml (5))\nis also a flag that overrides it. SIGINT and SIGTERM drain "
            "and exit 0; SIGHUP reloads the log level, the stats interval, the compressor and the "
            "jitter target, and reopens the stats JSON file.\n";
    text += ".SH OPTIONS\n" + positional_entries(extremad);
    for (const CLI::Option* option : visible_options(extremad)) text += option_entry(*option);
    text += kExitStatus;
    text +=
        ".SH FILES\n.TP\n.I /etc/extremad/extremad.toml\nThe configuration of "
        "extremad.service.\n.TP\n.I /etc/extremad/NAME.toml\nThe configuration of "
        "extremad@NAME.service, one link each.\n";
    text += ".SH SEE ALSO\n.BR extrema (1),\n.BR extremad.toml (5),\n.BR systemctl (1)\n";
    return text;
}

std::string render_config_man() {
    std::string text = title("EXTREMAD.TOML", 5, "File Formats Manual");
    text += ".SH NAME\nextremad.toml \\- configuration of the extremad voice link\n";
    text +=
        ".SH DESCRIPTION\nA TOML file of sections and keys. Unknown sections and keys are "
        "errors, with the likely key suggested; every problem names the file, line, column "
        "and key. Each key is also a command\\-line flag of\n.BR extremad (8).\n"
        "Keys marked \\fBlive\\fR are applied by SIGHUP; the others need a restart.\n";
    std::string section = "\x01";
    for (const config::KeySpec& key : config::config_keys()) {
        if (key.section != section) {
            section = std::string(key.section);
            text +=
                ".SH " + (section.empty() ? std::string("TOP LEVEL") : "[" + section + "]") + "\n";
        }
        text += ".TP\n.B " + roff(key.name) + "\n";
        std::string facts = config::type_name(key);
        const std::string accepted = config::accepted_values(key);
        if (!accepted.empty()) facts += "; " + accepted;
        if (!key.unit.empty()) facts += "; unit " + std::string(key.unit);
        facts += "; default " + config::default_literal(key);
        facts += key.reloadable ? "; live" : "; restart";
        facts += "; flag " + key.option();
        text += roff(key.doc) + "\n.br\n(" + roff(facts) + ")\n";
    }
    text += ".SH FILES\n.I /etc/extremad/extremad.toml\n";
    text += ".SH SEE ALSO\n.BR extremad (8),\n.BR extrema (1)\n";
    return text;
}

std::string render_bash_completion(const CLI::App& app) {
    // One case per command path: its subcommands and options; an option's choices after it.
    std::string cases;
    std::string choices;
    const auto add = [&](const CLI::App& command, const std::string& path, auto&& self) -> void {
        std::string words;
        for (const CLI::App* sub : command.get_subcommands({})) words += sub->get_name() + " ";
        for (const CLI::Option* option : visible_options(command)) {
            words += option_names(*option) + " ";
            const std::string set = completion_words(*option);
            if (!set.empty()) {
                for (const auto& name : option->get_lnames()) {
                    choices += fmt::format(
                        "    \"{}--{}\") COMPREPLY=($(compgen -W \"{}\" -- "
                        "\"$cur\")); return ;;\n",
                        path, name, set);
                }
            }
        }
        words += "--help";
        for (std::size_t at = words.find(','); at != std::string::npos; at = words.find(','))
            words.erase(at, 1);
        cases += fmt::format("    \"{}\") words=\"{}\" ;;\n", path, words);
        for (const CLI::App* sub : command.get_subcommands({})) {
            self(*sub, path + sub->get_name() + " ", self);
        }
    };
    add(app, "", add);
    const std::string fn = function_name(app);
    return fmt::format(
        "# bash completion for {0}, generated from its parser (extrema_docs)\n"
        "_{1}() {{\n"
        "  local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}} path=\"\" "
        "words i\n"
        "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
        "    case \"$path${{COMP_WORDS[i]}} \" in\n"
        "{2}"
        "    esac\n"
        "  done\n"
        "  case \"$path$prev\" in\n"
        "{3}"
        "  esac\n"
        "  case \"$path\" in\n"
        "{4}"
        "  esac\n"
        "  if [[ $cur == -* ]]; then\n"
        "    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
        "  else\n"
        "    COMPREPLY=($(compgen -W \"$words\" -- \"$cur\") $(compgen -f -- \"$cur\"))\n"
        "  fi\n"
        "}}\n"
        "complete -o filenames -F _{1} {0}\n",
        app.get_name(), fn,
        [&] {
            std::string known;
            const auto paths = [&](const CLI::App& command, const std::string& path,
                                   auto&& self) -> void {
                for (const CLI::App* sub : command.get_subcommands({})) {
                    const std::string next = path + sub->get_name() + " ";
                    known += fmt::format("      \"{}\") path=\"{}\" ;;\n", next, next);
                    self(*sub, next, self);
                }
            };
            paths(app, "", paths);
            return known;
        }(),
        [&] {
            std::string text;
            std::istringstream lines(choices);
            std::string line;
            while (std::getline(lines, line)) text += "  " + line + "\n";
            return text;
        }(),
        [&] {
            std::string text;
            std::istringstream lines(cases);
            std::string line;
            while (std::getline(lines, line)) text += "  " + line + "\n";
            return text;
        }());
}

std::string render_zsh_completion(const CLI::App& app) {
    // zsh runs the bash completion through bashcompinit: one generated source for both shells.
    return fmt::format(
        "#compdef {0}\n# zsh completion for {0}, generated from its parser (extrema_docs)\n"
        "autoload -U +X bashcompinit && bashcompinit\n{1}",
        app.get_name(), render_bash_completion(app));
}

}  // namespace extrema::cli
