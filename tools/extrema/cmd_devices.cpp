// extrema devices [--json]: the PortAudio devices of this machine, their channels and which
// standard rates (8/16/44.1/48/96 kHz) each opens for capture and playback, as the daemon's
// --device setting sees them (an index, or a case-insensitive part of the name).
#include <fmt/core.h>

#include <memory>
#include <string>
#include <vector>

#include "audio/device_list.h"
#include "audio/portaudio_session.h"
#include "commands.h"
#include "service/json_text.h"

namespace extrema::cli {
namespace {

struct DevicesOptions {
    bool json = false;
};

std::string rate_list(const std::vector<int>& rates_hz, const char* separator) {
    std::string text;
    for (const int rate : rates_hz) text += (text.empty() ? "" : separator) + std::to_string(rate);
    return text;
}

void print_json(const std::vector<audio::DeviceInfo>& devices) {
    json::Object list = json::Object::array();
    for (const auto& d : devices) {
        list.push_back({{"index", d.index},
                        {"name", d.name},
                        {"host_api", d.host_api},
                        {"max_input_channels", d.max_input_channels},
                        {"max_output_channels", d.max_output_channels},
                        {"default_rate_hz", d.default_rate_hz},
                        {"default_input", d.default_input},
                        {"default_output", d.default_output},
                        {"input_rates_hz", d.input_rates_hz},
                        {"output_rates_hz", d.output_rates_hz}});
    }
    fmt::print("{}\n", json::one_line({{"devices", list}}));
}

void print_table(const std::vector<audio::DeviceInfo>& devices) {
    if (devices.empty()) {
        fmt::print("no audio devices found (no sound card, and no JACK server running?)\n");
        return;
    }
    for (const auto& d : devices) {
        std::string defaults;
        if (d.default_input) defaults += "default input";
        if (d.default_output) defaults += defaults.empty() ? "default output" : ", default output";
        fmt::print("[{}] {} ({}){}\n", d.index, d.name, d.host_api,
                   defaults.empty() ? "" : "  [" + defaults + "]");
        fmt::print("    channels: {} in, {} out; default rate {} Hz\n", d.max_input_channels,
                   d.max_output_channels, d.default_rate_hz);
        if (d.max_input_channels > 0) {
            fmt::print("    capture rates:  {}\n", d.input_rates_hz.empty()
                                                       ? "none of the standard rates"
                                                       : rate_list(d.input_rates_hz, ", ") + " Hz");
        }
        if (d.max_output_channels > 0) {
            fmt::print("    playback rates: {}\n",
                       d.output_rates_hz.empty() ? "none of the standard rates"
                                                 : rate_list(d.output_rates_hz, ", ") + " Hz");
        }
    }
}

void run_devices(const DevicesOptions& opt) {
    // Its own JACK client name, so listing never collides with a running daemon's "extrema".
    const audio::PortAudioSession session("extrema-devices");
    const auto devices = audio::list_devices();
    if (opt.json) {
        print_json(devices);
    } else {
        print_table(devices);
    }
}

}  // namespace

void add_devices_command(CLI::App& app) {
    auto opt = std::make_shared<DevicesOptions>();
    auto* cmd = app.add_subcommand(
        "devices", "List audio devices (PortAudio): channels and supported sample rates");
    cmd->add_flag("--json", opt->json, "One JSON object on stdout");
    cmd->callback([opt] { run_devices(*opt); });
}

}  // namespace extrema::cli
