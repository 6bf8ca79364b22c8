// SIGHUP: extremad re-reads its config file, applies the live keys, refuses a broken file while
// it keeps running, and names the keys that need a restart.
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <memory>

#include "daemon_process.h"
#include "test_support.h"
#include "udp_ports.h"

namespace extrema::daemon::testing {
namespace {

using service::testing::NotifySocket;
using namespace std::chrono_literals;

struct ReloadSettings {
    std::string log_level = "info";
    double jitter_target_ms = 20.0;
    double packet_ms = 10.0;
    std::string stats_json;  // "": none
    std::string redundancy = "0";
    int red_payload_type = 97;
};

// A receiver discarding what it gets: no device, no peer needed to be up.
std::string receiver_config(int port, const ReloadSettings& settings) {
    std::string text = "mode = \"receive\"\n\n[audio]\noutput = \"null\"\n\n[network]\n";
    text += "bind = \"" + loopback_address(port) + "\"\n";
    text += "peer = \"127.0.0.1:9\"\n";
    text += "packet_ms = " + std::to_string(settings.packet_ms) + "\n";
    text += "redundancy = " + settings.redundancy + "\n";
    text += "red_payload_type = " + std::to_string(settings.red_payload_type) + "\n";
    text += "\n[receiver]\n";
    text += "jitter_target_ms = " + std::to_string(settings.jitter_target_ms) + "\n";
    text += "\n[log]\n";
    text += "level = \"" + settings.log_level + "\"\n";
    if (!settings.stats_json.empty()) text += "stats_json = \"" + settings.stats_json + "\"\n";
    return text;
}

ReloadSettings jitter_target(double ms) {
    ReloadSettings settings;
    settings.jitter_target_ms = ms;
    return settings;
}

class ExtremadReload : public ::testing::Test {
  protected:
    void SetUp() override {
        write_text_file(config_, receiver_config(port_, initial()));
        daemon_ = std::make_unique<DaemonProcess>(
            std::vector<std::string>{"--config", config_.string()},
            DaemonEnvironment{{{"NOTIFY_SOCKET", notify_socket_path()}}});
        const std::optional<std::string> ready = notify_.receive(3s);
        ASSERT_TRUE(ready && ready->starts_with("READY=1")) << describe_stderr(*daemon_);
    }

    // What the daemon starts with.
    virtual ReloadSettings initial() const { return {}; }

    // SIGHUP, then RELOADING=1 and READY=1 in that order.
    void reload() {
        daemon_->send_signal(SIGHUP);
        EXPECT_EQ(next_event(notify_, 2s).value_or("nothing").substr(0, 12), "RELOADING=1\n");
        EXPECT_EQ(next_event(notify_, 2s), "READY=1") << describe_stderr(*daemon_);
    }

    void stop_cleanly() {
        daemon_->send_signal(SIGTERM);
        EXPECT_EQ(daemon_->wait_exit(2s), 0) << describe_stderr(*daemon_);
        EXPECT_TRUE(udp_port_is_free(port_));
    }

    std::optional<std::string> await_log(std::string_view text) {
        return daemon_->await_stderr(text, 2s);
    }

    TempDir dir_;
    std::filesystem::path config_ = dir_ / "daemon.toml";
    int port_ = free_udp_port();
    NotifySocket notify_;
    std::unique_ptr<DaemonProcess> daemon_;
};

TEST_F(ExtremadReload, AppliesTheLiveKeys) {
    ReloadSettings changed;
    changed.log_level = "debug";
    changed.jitter_target_ms = 40.0;
    write_text_file(config_, receiver_config(port_, changed));
    reload();
    // READY=1 comes after the reload's lines are written, in whatever order the keys come.
    const std::string log = daemon_->stderr_text();
    EXPECT_NE(log.find("SIGHUP: log.level = \"debug\" (was \"info\")"), std::string::npos)
        << describe_stderr(*daemon_);
    EXPECT_NE(log.find("SIGHUP: receiver.jitter_target_ms = 40.0 (was 20.0)"), std::string::npos)
        << describe_stderr(*daemon_);
    stop_cleanly();
}

TEST_F(ExtremadReload, RefusesABrokenFileAndKeepsRunning) {
    const std::string settings = receiver_config(port_, {});
    write_text_file(config_, settings + "[network\nbind = 5\n");
    reload();
    // The error is on the line after the settings, where "[network" lacks its bracket.
    const auto broken_line = std::count(settings.begin(), settings.end(), '\n') + 1;
    const std::optional<std::string> refused = await_log("keeping the running settings");
    ASSERT_TRUE(refused) << describe_stderr(*daemon_);
    EXPECT_NE(refused->find(config_.string() + ":" + std::to_string(broken_line) + ":"),
              std::string::npos)
        << *refused;
    EXPECT_TRUE(daemon_->running());

    // Still the same daemon, still listening to SIGHUP: a repaired file is taken.
    write_text_file(config_, receiver_config(port_, jitter_target(30.0)));
    reload();
    EXPECT_TRUE(await_log("SIGHUP: receiver.jitter_target_ms = 30")) << describe_stderr(*daemon_);
    stop_cleanly();
}

TEST_F(ExtremadReload, RefusedReloadChangesNothing) {
    // Loads fine, but the stats file cannot be opened: the reload fails after it began.
    const std::string unopenable = (dir_ / "no-such-dir" / "stats.json").string();
    ReloadSettings failing;
    failing.log_level = "warn";
    failing.stats_json = unopenable;
    write_text_file(config_, receiver_config(port_, failing));
    reload();
    const std::optional<std::string> refused = await_log("keeping the running settings");
    ASSERT_TRUE(refused) << describe_stderr(*daemon_);
    EXPECT_NE(refused->find(unopenable), std::string::npos) << *refused;

    // Had "warn" been applied regardless, the info lines of the stop would not show.
    stop_cleanly();
    EXPECT_NE(daemon_->stderr_text().find("summary: up"), std::string::npos)
        << describe_stderr(*daemon_);
}

TEST_F(ExtremadReload, NamesTheKeysThatNeedARestart) {
    ReloadSettings changed;
    changed.packet_ms = 20.0;
    write_text_file(config_, receiver_config(port_, changed));
    reload();
    const std::optional<std::string> restart = await_log("network.packet_ms changed");
    ASSERT_TRUE(restart) << describe_stderr(*daemon_);
    EXPECT_NE(restart->find("needs a restart"), std::string::npos) << *restart;
    stop_cleanly();
}

TEST_F(ExtremadReload, AppliesRedundancyLive) {
    ReloadSettings changed;
    changed.redundancy = "\"auto\"";
    write_text_file(config_, receiver_config(port_, changed));
    reload();
    EXPECT_NE(daemon_->stderr_text().find("SIGHUP: network.redundancy = \"auto\" (was 0.0)"),
              std::string::npos)
        << describe_stderr(*daemon_);
    stop_cleanly();
}

// Started with one payload type for both, which is valid while no redundancy is sent.
class ExtremadReloadSharedPayloadType : public ExtremadReload {
  protected:
    ReloadSettings initial() const override {
        ReloadSettings settings;
        settings.red_payload_type = 96;
        return settings;
    }
};

TEST_F(ExtremadReloadSharedPayloadType, RefusesRedundancyWithoutARedPayloadTypeOfItsOwn) {
    // The file is valid on its own (97 for RED), but the payload types need a restart.
    ReloadSettings changed;
    changed.redundancy = "2";
    changed.red_payload_type = 97;
    changed.jitter_target_ms = 40.0;
    write_text_file(config_, receiver_config(port_, changed));
    reload();
    const std::optional<std::string> refused = await_log("keeping the running settings");
    ASSERT_TRUE(refused) << describe_stderr(*daemon_);
    EXPECT_NE(refused->find("key 'network.redundancy'"), std::string::npos) << *refused;
    EXPECT_NE(refused->find("network.red_payload_type"), std::string::npos) << *refused;
    // Nothing of the refused file was applied, the live jitter target included.
    EXPECT_EQ(daemon_->stderr_text().find("SIGHUP: receiver.jitter_target_ms"), std::string::npos)
        << describe_stderr(*daemon_);
    EXPECT_TRUE(daemon_->running());
    stop_cleanly();
}

}  // namespace
}  // namespace extrema::daemon::testing
