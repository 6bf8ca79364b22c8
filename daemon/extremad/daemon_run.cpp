#include "daemon_run.h"

#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "audio/audio_backend.h"
#include "audio/portaudio_session.h"
#include "config/config_error.h"
#include "config/config_flags.h"
#include "config/describe_config.h"
#include "config/help_format.h"
#include "config/load_config.h"
#include "config/reload_plan.h"
#include "config/validate_config.h"
#include "extrema_version.h"
#include "pipeline/audio_endpoints.h"
#include "pipeline/link.h"
#include "service/logging.h"
#include "service/receiver_idle.h"
#include "service/signal_waiter.h"
#include "service/stats_json_file.h"
#include "service/stats_reporter.h"
#include "service/systemd_notifier.h"
#include "service/watchdog_pacer.h"
#include "session_sdp.h"

namespace extrema::daemon {
namespace {

using Clock = std::chrono::steady_clock;
using pipeline::LinkConfig;
using namespace std::chrono_literals;

// How often the main loop looks at the link when nothing else is due: a file input that ended
// is noticed within this, and STATUS= stays fresh.
constexpr auto kPollPeriod = 100ms;
// STATUS= is refreshed this often (systemctl status shows it).
constexpr auto kStatusPeriod = 2s;

using Options = CommandLine;

LinkConfig load(const Options& options) {
    if (options.config_file.empty()) {
        LinkConfig settings;
        config::apply_overrides(options.overrides, settings);
        return settings;
    }
    return config::load_config(options.config_file, options.overrides);
}

std::optional<service::StatsJsonFile> open_stats_json(const std::string& path) {
    if (path.empty()) return std::nullopt;
    return service::StatsJsonFile(path);
}

class Daemon {
  public:
    Daemon(const Options& options, LinkConfig settings)
        : options_(options), config_(std::move(settings)) {}

    int run(service::SignalWaiter& signals);

  private:
    void log_stats(Clock::time_point now);
    void reload();

    const Options& options_;
    LinkConfig config_;
    service::SystemdNotifier notifier_;
    std::unique_ptr<pipeline::Link> link_;
    std::optional<service::StatsJsonFile> stats_json_;
    pipeline::LinkStats last_stats_;
    service::ReceiverIdle idle_;  // no sender: idle time, not concealment
    Clock::time_point last_stats_at_{};
    pipeline::LinkStats last_status_;
    Clock::time_point last_status_at_{};
};

int Daemon::run(service::SignalWaiter& signals) {
    std::optional<audio::PortAudioSession> portaudio;
    try {
        stats_json_ = open_stats_json(config_.log.stats_json);
        if (pipeline::needs_portaudio(config_)) portaudio.emplace("extremad");
        link_ = std::make_unique<pipeline::Link>(config_);
        link_->start();
    } catch (const std::exception& e) {
        spdlog::critical("cannot start: {}", e.what());
        return kExitFailure;
    }
    spdlog::info("extremad {} running: {}", EXTREMA_VERSION, link_->describe());
    notifier_.ready("link up: " + link_->describe());

    std::optional<service::WatchdogPacer> watchdog;
    if (const auto interval = notifier_.watchdog_interval()) watchdog.emplace(*interval);
    last_stats_at_ = last_status_at_ = Clock::now();
    while (true) {
        auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(kPollPeriod);
        if (watchdog) {
            wait = std::min(
                wait, std::chrono::duration_cast<std::chrono::milliseconds>(watchdog->period()));
        }
        const std::optional<service::Signal> signal = signals.wait_for(wait);
        if (signal == service::Signal::kStop) {
            spdlog::info("signal {}: stopping", signals.last_signal_number());
            break;
        }
        if (signal == service::Signal::kReload) reload();
        const auto now = Clock::now();
        if (watchdog && watchdog->due(now, link_->progress())) notifier_.watchdog();
        log_stats(now);
        if (link_->input_finished() && config_.mode == pipeline::LinkMode::kSend) {
            spdlog::info("input finished: everything was sent");
            break;
        }
    }
    notifier_.stopping();
    int code = kExitOk;
    try {
        link_->stop();
    } catch (const std::exception& e) {
        spdlog::error("while stopping: {}", e.what());
        code = kExitFailure;
    }
    const pipeline::LinkStats total = link_->stats();
    idle_.update(total, last_stats_,
                 std::chrono::duration<double>(Clock::now() - last_stats_at_).count());
    spdlog::info("{}", service::format_summary(total, idle_.idle_samples()));
    return code;
}

void Daemon::log_stats(Clock::time_point now) {
    const double since_status = std::chrono::duration<double>(now - last_status_at_).count();
    if (now - last_status_at_ >= kStatusPeriod) {
        const pipeline::LinkStats stats = link_->stats();
        notifier_.status(service::format_status(stats, last_status_, since_status));
        last_status_ = stats;
        last_status_at_ = now;
    }
    const double interval = config_.log.stats_interval_s;
    const double elapsed = std::chrono::duration<double>(now - last_stats_at_).count();
    if (interval <= 0.0 || elapsed < interval) return;
    const pipeline::LinkStats stats = link_->stats();
    idle_.update(stats, last_stats_, elapsed);
    spdlog::info("{}", service::format_stats_line(stats, last_stats_, elapsed, idle_.idle_s()));
    if (stats_json_ && !stats_json_->append(service::format_stats_json(
                           stats, last_stats_, elapsed, std::chrono::system_clock::now()))) {
        spdlog::warn("cannot write stats to '{}'", stats_json_->path());
    }
    last_stats_ = stats;
    last_stats_at_ = now;
}

void Daemon::reload() {
    notifier_.reloading();
    if (options_.config_file.empty()) {
        spdlog::info("SIGHUP: no config file to reload");
        notifier_.ready("");
        return;
    }
    try {
        const LinkConfig fresh = config::load_config(options_.config_file, options_.overrides);
        const config::ReloadPlan plan = config::diff_for_reload(config_, fresh);
        for (const auto& change : plan.needs_restart) {
            spdlog::warn("SIGHUP: {} changed ({} -> {}) but needs a restart; keeping {}",
                         change.key, change.before, change.after, change.before);
        }
        const LinkConfig merged = config::merge_reloadable(config_, fresh);
        // What can fail goes first: a refused reload must leave every setting as it was. The
        // stats file is reopened on every SIGHUP, changed or not, to follow logrotate.
        std::optional<service::StatsJsonFile> json = open_stats_json(merged.log.stats_json);
        if (!plan.reloadable.empty()) {
            link_->reload(merged);
            // Logged at the old level, so a reload that quietens the log still shows itself.
            for (const auto& change : plan.reloadable) {
                spdlog::info("SIGHUP: {} = {} (was {})", change.key, change.after, change.before);
            }
            service::set_log_level(merged.log.level);
            config_ = merged;
        } else if (plan.needs_restart.empty()) {
            spdlog::info("SIGHUP: configuration unchanged");
        }
        stats_json_ = std::move(json);
    } catch (const std::exception& e) {
        spdlog::error("SIGHUP: {}; keeping the running settings", e.what());
    }
    notifier_.ready("");
}

}  // namespace

void add_extremad_options(CLI::App& app, CommandLine& line) {
    app.name("extremad");
    app.description("extremad: live voice link over RTP with the extrema codec (docs/daemon.md)");
    app.set_version_flag("--version", std::string("extremad ") + EXTREMA_VERSION);
    app.add_option("mode", line.mode, "send, receive or duplex (overrides the config's mode)")
        ->check(CLI::IsMember({"send", "receive", "duplex"}));
    app.add_option("-c,--config", line.config_file, "TOML config file (docs/config.md)");
    app.add_option("--check-config", line.check_config_file,
                   "Validate this config file (with the flags given) and exit");
    app.add_flag("--sdp", line.sdp,
                 "Print the session's SDP (RFC 4566: address, port, payload type, encoding) and "
                 "exit");
    config::add_config_flags(app, line.overrides);
    app.formatter(std::make_shared<cli::HelpFormatter>());
    // The examples at the end of --help, one command a line.
    app.footer(
        "extremad --check-config /etc/extremad/extremad.toml\n"
        "extremad -c /etc/extremad/extremad.toml --sdp > session.sdp\n"
        "extremad send --input tone --peer 192.0.2.7:5004\n"
        "extremad receive --output null --bind 0.0.0.0:5004 --peer 192.0.2.5:5004\n"
        "extremad -c /etc/extremad/extremad.toml --jitter-target-ms 40");
}

int run_extremad(int argc, char** argv) {
    // Before any thread exists, so every thread inherits the blocked signals.
    service::SignalWaiter signals;

    Options options;
    CLI::App app;
    add_extremad_options(app, options);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? kExitOk : kExitUsage;
    }
    if (!options.mode.empty()) options.overrides.set("mode", options.mode, "the MODE argument");

    LinkConfig settings;
    try {
        if (!options.check_config_file.empty()) {
            settings = config::load_config(options.check_config_file, options.overrides);
            std::printf("%s: ok\n%s", options.check_config_file.c_str(),
                        config::describe(settings).c_str());
            return kExitOk;
        }
        settings = load(options);
    } catch (const config::ConfigError& e) {
        std::fprintf(stderr, "extremad: %s\n", e.what());
        return kExitUsage;
    }
    if (options.sdp) {
        try {
            // NTP seconds (RFC 4566 §5.2's suggestion for the session id): 1900 to 1970 added.
            constexpr std::uint64_t kNtpUnixOffsetS = 2'208'988'800ULL;
            const auto now = std::chrono::system_clock::now().time_since_epoch();
            const auto id = static_cast<std::uint64_t>(
                                std::chrono::duration_cast<std::chrono::seconds>(now).count()) +
                            kNtpUnixOffsetS;
            std::fputs(session_sdp(settings, id).c_str(), stdout);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "extremad: %s\n", e.what());
            return kExitUsage;
        }
        return kExitOk;
    }
    try {
        service::setup_logging(settings.log.level, service::running_under_systemd());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "extremad: %s\n", e.what());
        return kExitUsage;
    }
    Daemon daemon(options, settings);
    return daemon.run(signals);
}

}  // namespace extrema::daemon
