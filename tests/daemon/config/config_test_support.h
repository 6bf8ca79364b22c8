#pragma once
// Helpers for the config tests: files in a private temporary directory (temp_dir.h), the source
// tree's files, and the message of the ConfigError a call throws.
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "temp_dir.h"

namespace extrema::config::test {

// A valid [network] section for a sender, appended to texts that test other sections.
inline constexpr std::string_view kPeerSection = "\n[network]\npeer = \"127.0.0.1:5006\"\n";

// Every key set to a value other than its default, all valid together.
inline constexpr std::string_view kEveryKeyChanged = R"(mode = "duplex"

[audio]
input = "file"
output = "file"
input_device = "USB"
output_device = "3"
input_file = "in.wav"
output_file = "out.flac"
rate_hz = 44100
frames_per_buffer = 256
device_latency_ms = 12.5
file_pacing = "fast"
tone_hz = 440
tone_dbfs = -6.5

[encoder]
threshold_lsb = 80
lowpass_hz = 3500
max_segment_ms = 8
target_kbps = 32
dtx = false
dtx_hangover_ms = 400
bank = "swing"

[network]
bind = "127.0.0.1:6000"
peer = "[::1]:6002"
allow = ["10.0.0.1", "10.0.0.2:7000"]
accept_any_peer = true
payload_type = 101
packet_ms = 30
max_payload_bytes = 600
multicast_ttl = 4
multicast_interface = "192.168.1.10"
srtp_key_file = "/etc/extrema/key"
dtls = "client"
redundancy = "auto"
redundancy_kbps = 16
red_payload_type = 110
cn_payload_type = 19
swing_payload_type = 120
receive_buffer_bytes = 65536

[receiver]
jitter_target_ms = 60
latency = "fixed"
min_latency_ms = 15
max_latency_ms = 300
max_packet_ms = 300
ssrc_timeout_ms = 2500
drift_correction = false

[compressor]
enabled = true
threshold_db = -30
ratio = "inf"
knee_db = 3
attack_ms = 2
release_ms = 250
makeup_db = "auto"
level = "rms"
rms_window_ms = 20

[log]
level = "debug"
stats_interval_s = 1.5
stats_json = "/var/log/extremad/stats.jsonl"
)";

using extrema::test::read_text;
using extrema::test::TempDir;

// A file of the source tree (EXTREMA_SOURCE_DIR), e.g. "docs/config.md".
std::filesystem::path source_file(std::string_view relative);

// parse_config(text, "test.toml").
LinkConfig parse(std::string_view text);

// The message of the ConfigError `call` throws; a test failure (and "") if it throws none.
std::string config_error(const std::function<void()>& call);

// The ConfigError message of parse(text).
std::string parse_error(std::string_view text);

}  // namespace extrema::config::test
