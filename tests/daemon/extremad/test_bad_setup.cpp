// Set-ups extremad must refuse: each gives a message on stderr that names the problem, the
// documented exit code (2 for the command line and the config, 1 for what fails at start-up), and
// leaves nothing behind: the process is gone and its port is free again.
#include <gtest/gtest.h>

#include <sstream>

#include "daemon_process.h"
#include "test_support.h"
#include "udp_ports.h"

namespace extrema::daemon::testing {
namespace {

using namespace std::chrono_literals;

constexpr int kExitOk = 0;
constexpr int kExitFailure = 1;
constexpr int kExitUsage = 2;

struct Outcome {
    int exit_code = kTimedOut;
    std::string stdout_text;
    std::string stderr_text;
};

Outcome run_to_exit(const std::vector<std::string>& args) {
    DaemonProcess daemon(args);
    Outcome outcome;
    outcome.exit_code = daemon.wait_exit(5s);
    outcome.stdout_text = daemon.stdout_text();
    outcome.stderr_text = daemon.stderr_text();
    return outcome;
}

// The first line of `text` that contains `needle`, or "" if none does: a problem must be stated
// on one line, whatever details follow it.
std::string line_with(const std::string& text, std::string_view needle) {
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.find(needle) != std::string::npos) return line;
    }
    return "";
}

bool contains(const std::string& text, std::string_view part) {
    return text.find(part) != std::string::npos;
}

// A sender of a tone to a port nobody listens on, bound to `port`: no device, no file.
std::vector<std::string> tone_sender(int port) {
    return {"send",
            "--input",
            "tone",
            "--bind",
            loopback_address(port),
            "--peer",
            loopback_address(free_udp_port())};
}

class ExtremadBadSetup : public ::testing::Test {
  protected:
    TempDir dir_;
};

TEST_F(ExtremadBadSetup, MissingConfigFile) {
    const std::string missing = (dir_ / "missing.toml").string();
    const Outcome outcome = run_to_exit({"--config", missing});
    EXPECT_EQ(outcome.exit_code, kExitUsage) << outcome.stderr_text;
    const std::string line = line_with(outcome.stderr_text, missing);
    EXPECT_TRUE(contains(line, "cannot read config file")) << outcome.stderr_text;
}

TEST_F(ExtremadBadSetup, UnknownKeyIsNamedWithFileAndLine) {
    const std::filesystem::path config = dir_ / "typo.toml";
    write_text_file(config, "mode = \"send\"\n[network]\npacket_mss = 20\n");
    const Outcome outcome = run_to_exit({"--config", config.string()});
    EXPECT_EQ(outcome.exit_code, kExitUsage) << outcome.stderr_text;
    const std::string line = line_with(outcome.stderr_text, config.string() + ":3:");
    EXPECT_TRUE(contains(line, "unknown key")) << outcome.stderr_text;
    EXPECT_TRUE(contains(line, "packet_ms")) << "no suggestion: " << outcome.stderr_text;
}

TEST_F(ExtremadBadSetup, CheckConfigAcceptsAGoodFile) {
    const std::string config = (kExampleConfigs / "loopback-receiver.toml").string();
    const Outcome outcome = run_to_exit({"--check-config", config});
    EXPECT_EQ(outcome.exit_code, kExitOk) << outcome.stderr_text;
    EXPECT_TRUE(contains(outcome.stdout_text, config + ": ok")) << outcome.stdout_text;
}

TEST_F(ExtremadBadSetup, CheckConfigRefusesABadFile) {
    const std::filesystem::path config = dir_ / "bad.toml";
    write_text_file(config,
                    "mode = \"send\"\n[network]\npeer = \"127.0.0.1:5006\"\n"
                    "packet_ms = 500\n");
    const Outcome outcome = run_to_exit({"--check-config", config.string()});
    EXPECT_EQ(outcome.exit_code, kExitUsage) << outcome.stderr_text;
    const std::string line = line_with(outcome.stderr_text, config.string() + ":4:");
    EXPECT_TRUE(contains(line, "network.packet_ms")) << outcome.stderr_text;
    EXPECT_FALSE(contains(outcome.stdout_text, ": ok")) << outcome.stdout_text;
}

TEST_F(ExtremadBadSetup, PortAlreadyInUse) {
    BoundUdpPort busy;
    const Outcome outcome = run_to_exit(tone_sender(busy.port()));
    EXPECT_EQ(outcome.exit_code, kExitFailure) << outcome.stderr_text;
    const std::string line = line_with(outcome.stderr_text, "already in use");
    EXPECT_TRUE(contains(line, std::to_string(busy.port()))) << outcome.stderr_text;
    EXPECT_TRUE(contains(line, "key 'network.bind'")) << outcome.stderr_text;
    busy.close();
    EXPECT_TRUE(udp_port_is_free(busy.port()));
}

TEST_F(ExtremadBadSetup, UnresolvablePeer) {
    const int port = free_udp_port();
    const Outcome outcome =
        run_to_exit({"send", "--input", "tone", "--bind", loopback_address(port), "--peer",
                     "no-such-host.invalid:5004"});
    EXPECT_EQ(outcome.exit_code, kExitFailure) << outcome.stderr_text;
    EXPECT_TRUE(
        contains(line_with(outcome.stderr_text, "no-such-host.invalid"), "key 'network.peer'"))
        << outcome.stderr_text;
    EXPECT_TRUE(udp_port_is_free(port));
}

TEST_F(ExtremadBadSetup, NoSuchAudioDevice) {
    const int port = free_udp_port();
    const Outcome outcome = run_to_exit({"send", "--input", "device", "--input-device",
                                         "nonexistent-device-xyz", "--bind", loopback_address(port),
                                         "--peer", loopback_address(free_udp_port())});
    EXPECT_EQ(outcome.exit_code, kExitFailure) << outcome.stderr_text;
    EXPECT_TRUE(contains(line_with(outcome.stderr_text, "nonexistent-device-xyz"),
                         "key 'audio.input_device'"))
        << outcome.stderr_text;
    EXPECT_TRUE(udp_port_is_free(port));
}

TEST_F(ExtremadBadSetup, FlagValueOutOfRange) {
    const int port = free_udp_port();
    std::vector<std::string> args = tone_sender(port);
    args.insert(args.end(), {"--packet-ms", "5000"});
    const Outcome outcome = run_to_exit(args);
    EXPECT_EQ(outcome.exit_code, kExitUsage) << outcome.stderr_text;
    const std::string line = line_with(outcome.stderr_text, "--packet-ms");
    EXPECT_TRUE(contains(line, "5000")) << outcome.stderr_text;
    EXPECT_TRUE(udp_port_is_free(port));
}

}  // namespace
}  // namespace extrema::daemon::testing
