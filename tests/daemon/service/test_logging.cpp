// Logging set-up: level names are checked and listed in the error, the journal format has a
// priority prefix and no timestamp, the terminal format has a timestamp, and the systemd
// detection follows JOURNAL_STREAM and INVOCATION_ID.
#include "service/logging.h"

#include <gtest/gtest.h>
#include <spdlog/spdlog.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <string>

namespace extrema::service {
namespace {

std::string error_of(auto&& action) {
    try {
        action();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(no error)";
}

// Runs `action` with stderr (fd 2) sent to a file and returns what was written.
std::string stderr_of(auto&& action) {
    const std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("extrema-log-" + std::to_string(getpid()));
    std::fflush(stderr);
    const int saved = dup(STDERR_FILENO);
    std::FILE* file = std::fopen(path.c_str(), "w");
    dup2(fileno(file), STDERR_FILENO);
    action();
    std::fflush(stderr);
    dup2(saved, STDERR_FILENO);
    close(saved);
    std::fclose(file);
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    std::filesystem::remove(path);
    return text.str();
}

class EnvironmentVariable {
  public:
    EnvironmentVariable(const char* name, const std::string& value) : name_(name) {
        setenv(name, value.c_str(), 1);
    }
    ~EnvironmentVariable() { unsetenv(name_); }

  private:
    const char* name_;
};

TEST(Logging, AcceptsTheDocumentedLevels) {
    for (const char* level : {"trace", "debug", "info", "warn", "error", "critical", "off"}) {
        EXPECT_NO_THROW(check_log_level(level)) << level;
    }
    EXPECT_EQ(log_level_names(), "trace, debug, info, warn, error, critical, off");
}

TEST(Logging, RejectsOtherLevelsAndListsTheValidOnes) {
    for (const char* level : {"", "INFO", "warning", "err", "verbose"}) {
        EXPECT_THROW(check_log_level(level), std::invalid_argument) << level;
    }
    EXPECT_EQ(
        error_of([] { check_log_level("verbose"); }),
        "unknown log level 'verbose' (valid: trace, debug, info, warn, error, critical, off)");
    EXPECT_THROW(setup_logging("loud", false), std::invalid_argument);
}

TEST(Logging, JournalLinesHaveAPriorityAndNoTimestamp) {
    const std::string text = stderr_of([] {
        setup_logging("info", true);
        spdlog::info("link up");
        spdlog::warn("late packet");
        spdlog::debug("not shown");
    });
    EXPECT_EQ(text, "<6>info: link up\n<4>warning: late packet\n");
}

TEST(Logging, TerminalLinesHaveATimestamp) {
    const std::string text = stderr_of([] {
        setup_logging("debug", false);
        spdlog::debug("opening device");
    });
    EXPECT_TRUE(std::regex_match(
        text, std::regex(R"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} debug: opening device\n)")))
        << text;
}

TEST(Logging, SetLogLevelChangesTheLevelAndKeepsItOnABadName) {
    stderr_of([] { setup_logging("info", true); });
    set_log_level("debug");
    EXPECT_EQ(spdlog::default_logger()->level(), spdlog::level::debug);
    EXPECT_THROW(set_log_level("chatty"), std::invalid_argument);
    EXPECT_EQ(spdlog::default_logger()->level(), spdlog::level::debug);
    set_log_level("off");
    EXPECT_EQ(spdlog::default_logger()->level(), spdlog::level::off);
}

TEST(Logging, DetectsSystemdByInvocationId) {
    unsetenv("JOURNAL_STREAM");
    unsetenv("INVOCATION_ID");
    EXPECT_FALSE(running_under_systemd());
    EnvironmentVariable invocation("INVOCATION_ID", "0123456789abcdef0123456789abcdef");
    EXPECT_TRUE(running_under_systemd());
}

TEST(Logging, DetectsTheJournalByStderrsDeviceAndInode) {
    unsetenv("INVOCATION_ID");
    struct stat st {};
    ASSERT_EQ(fstat(STDERR_FILENO, &st), 0);
    {
        EnvironmentVariable stream("JOURNAL_STREAM",
                                   std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino));
        EXPECT_TRUE(running_under_systemd());
    }
    {
        // Inherited from a parent whose stderr was the journal; ours is not.
        EnvironmentVariable stream("JOURNAL_STREAM",
                                   std::to_string(st.st_dev) + ":" + std::to_string(st.st_ino + 1));
        EXPECT_FALSE(running_under_systemd());
    }
}

}  // namespace
}  // namespace extrema::service
