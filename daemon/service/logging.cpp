#include "service/logging.h"

#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>

#include <fmt/format.h>
#include <spdlog/logger.h>
#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace extrema::service {
namespace {

struct LevelName {
    std::string_view name;
    spdlog::level::level_enum level;
};

// Our own names rather than spdlog::level::from_string, which maps any unknown text to "off".
constexpr std::array<LevelName, 7> kLevels{{
    {"trace", spdlog::level::trace},
    {"debug", spdlog::level::debug},
    {"info", spdlog::level::info},
    {"warn", spdlog::level::warn},
    {"error", spdlog::level::err},
    {"critical", spdlog::level::critical},
    {"off", spdlog::level::off},
}};

spdlog::level::level_enum parse_level(std::string_view name) {
    for (const LevelName& entry : kLevels) {
        if (entry.name == name) return entry.level;
    }
    throw std::invalid_argument(
        fmt::format("unknown log level '{}' (valid: {})", name, log_level_names()));
}

// %* : the sd-daemon(3) priority prefix, so journalctl -p and colouring work.
class SyslogPriorityFlag final : public spdlog::custom_flag_formatter {
  public:
    void format(const spdlog::details::log_msg& msg, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        const std::string_view prefix = priority_prefix(msg.level);
        dest.append(prefix.data(), prefix.data() + prefix.size());
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<SyslogPriorityFlag>();
    }

  private:
    static std::string_view priority_prefix(spdlog::level::level_enum level) noexcept {
        switch (level) {
            case spdlog::level::trace:
            case spdlog::level::debug:
                return "<7>";  // SD_DEBUG
            case spdlog::level::info:
                return "<6>";  // SD_INFO
            case spdlog::level::warn:
                return "<4>";  // SD_WARNING
            case spdlog::level::err:
                return "<3>";  // SD_ERR
            case spdlog::level::critical:
                return "<2>";  // SD_CRIT
            default:
                return "";
        }
    }
};

bool stderr_is_journal_stream() noexcept {
    const char* stream = std::getenv("JOURNAL_STREAM");
    if (stream == nullptr) return false;
    unsigned long long device = 0;
    unsigned long long inode = 0;
    if (std::sscanf(stream, "%llu:%llu", &device, &inode) != 2) return false;
    struct stat st {};
    if (fstat(STDERR_FILENO, &st) != 0) return false;
    return st.st_dev == device && st.st_ino == inode;
}

}  // namespace

std::string log_level_names() {
    std::string names;
    for (const LevelName& entry : kLevels) {
        if (!names.empty()) names += ", ";
        names += entry.name;
    }
    return names;
}

void check_log_level(std::string_view name) {
    parse_level(name);
}

bool running_under_systemd() noexcept {
    // JOURNAL_STREAM alone may be inherited by a child whose stderr went elsewhere, hence the
    // device/inode check (systemd.exec(5)). INVOCATION_ID: started by systemd, whose output ends
    // up in the journal unless the unit says otherwise.
    if (stderr_is_journal_stream()) return true;
    const char* invocation = std::getenv("INVOCATION_ID");
    return invocation != nullptr && invocation[0] != '\0';
}

void setup_logging(std::string_view level, bool under_systemd) {
    const spdlog::level::level_enum parsed = parse_level(level);
    // Built directly, not via the registry's factories, so a second call replaces the logger
    // instead of throwing "logger already exists". The stderr sinks flush every line.
    std::shared_ptr<spdlog::logger> logger;
    if (under_systemd) {
        logger = std::make_shared<spdlog::logger>(
            "extremad", std::make_shared<spdlog::sinks::stderr_sink_mt>());
        auto formatter = std::make_unique<spdlog::pattern_formatter>();
        formatter->add_flag<SyslogPriorityFlag>('*').set_pattern("%*%l: %v");
        logger->set_formatter(std::move(formatter));
    } else {
        logger = std::make_shared<spdlog::logger>(
            "extremad", std::make_shared<spdlog::sinks::stderr_color_sink_mt>());
        logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$: %v");
    }
    logger->set_level(parsed);
    spdlog::set_default_logger(std::move(logger));
}

void set_log_level(std::string_view level) {
    spdlog::set_level(parse_level(level));
}

}  // namespace extrema::service
