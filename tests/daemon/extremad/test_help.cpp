// extremad --help as a user reads it on a terminal: wrapped at 80 columns, every config key under
// its section's heading with its default, none of the parser's own notation, examples at the end.
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "config/config_keys.h"
#include "daemon_process.h"

namespace extrema::daemon::testing {
namespace {

using namespace std::chrono_literals;

std::string help_text() {
    DaemonProcess daemon({"--help"});
    EXPECT_EQ(daemon.wait_exit(5s), 0);
    EXPECT_EQ(daemon.stderr_text(), "");
    return daemon.stdout_text();
}

TEST(ExtremadHelp, WrappedAtEightyColumnsWithoutParserNotation) {
    const std::string help = help_text();
    std::istringstream lines(help);
    for (std::string line; std::getline(lines, line);) {
        EXPECT_LE(line.size(), 80u) << line;
    }
    for (const char* noise : {"{true}", "{false}", "FLOAT", "TEXT", " in [", "Positionals:"}) {
        EXPECT_EQ(help.find(noise), std::string::npos) << noise << " in:\n" << help;
    }
    EXPECT_NE(help.find("--accept-any-peer, --no-accept-any-peer"), std::string::npos) << help;
    EXPECT_NE(help.find("--allow HOST[:PORT],..."), std::string::npos) << help;
    EXPECT_NE(help.find("Usage:\n  extremad [MODE] "), std::string::npos) << help;
}

TEST(ExtremadHelp, EveryKeyUnderItsSectionWithItsDefault) {
    const std::string help = help_text();
    for (const config::KeySpec& key : config::config_keys()) {
        const std::string heading =
            key.section.empty() ? "\nConfig:\n" : "\nConfig [" + std::string(key.section) + "]:\n";
        const auto section_at = help.find(heading);
        ASSERT_NE(section_at, std::string::npos) << heading;
        const auto option_at = help.find("\n  " + key.option() + " ", section_at);
        const auto flag_at = help.find("\n  " + key.option() + ",", section_at);
        const auto at = std::min(option_at, flag_at);
        ASSERT_NE(at, std::string::npos) << key.option();
        // Under its own heading: no other heading between the two.
        EXPECT_EQ(help.substr(section_at + 1, at - section_at).find("\nConfig"), std::string::npos)
            << key.option();
        // The entry (up to the next option) names the key and its default; the words may be
        // wrapped onto the next line, so spaces and line breaks are made alike.
        std::string entry = help.substr(at, help.find("\n  -", at + 1) - at);
        std::string flat;
        for (const char c : entry) {
            if (c == '\n' || c == ' ') {
                if (!flat.empty() && flat.back() != ' ') flat += ' ';
            } else {
                flat += c;
            }
        }
        EXPECT_NE(flat.find(key.path()), std::string::npos) << flat;
        EXPECT_NE(flat.find("default "), std::string::npos) << flat;
    }
}

TEST(ExtremadHelp, EndsWithExamples) {
    const std::string help = help_text();
    const auto examples = help.find("\nExamples:\n");
    ASSERT_NE(examples, std::string::npos) << help;
    EXPECT_NE(help.find("  extremad --check-config ", examples), std::string::npos) << help;
    EXPECT_NE(help.find("  extremad send ", examples), std::string::npos) << help;
    EXPECT_NE(help.find("  extremad receive ", examples), std::string::npos) << help;
}

}  // namespace
}  // namespace extrema::daemon::testing
