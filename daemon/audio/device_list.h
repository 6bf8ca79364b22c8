#pragma once
// The PortAudio devices of this machine, and how a user's device setting picks one of them.
// Everything here needs a live PortAudioSession.
#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace extrema::audio {

enum class Direction { kInput, kOutput };

// The rates `extrema devices` probes: telephone, wideband, CD, professional, high-resolution.
inline constexpr std::array<int, 5> kStandardRatesHz{8000, 16000, 44100, 48000, 96000};

struct DeviceInfo {
    int index = -1;
    std::string name;
    std::string host_api;
    int max_input_channels = 0;
    int max_output_channels = 0;
    double default_rate_hz = 0;
    bool default_input = false;        // the host's default input device
    bool default_output = false;       // the host's default output device
    std::vector<int> input_rates_hz;   // which kStandardRatesHz open as float32 mono capture
    std::vector<int> output_rates_hz;  // same for playback
};

// Every device, with its supported standard rates probed (Pa_IsFormatSupported).
std::vector<DeviceInfo> list_devices();

// Which of kStandardRatesHz `device` accepts for float32 streams of `channels` channels.
std::vector<int> supported_rates_hz(int device, Direction direction, int channels);

// Resolves a user's device setting to a PortAudio device index that has at least `channels`
// channels in `direction`:
//   ""           the host's default device for that direction;
//   all digits   that index;
//   otherwise    a case-insensitive substring of the name; an exact (case-insensitive) name wins,
//                else exactly one device must match.
// Throws AudioError naming the setting and listing the devices that exist.
int select_device(std::string_view spec, Direction direction, int channels);

// "[3] system (JACK Audio Connection Kit)": how messages name a device.
std::string device_label(int index);
// "[3] system (JACK Audio Connection Kit): 2 in, 2 out, 48000 Hz default"
std::string describe_device(const DeviceInfo& device);
// Every device, one per line, indented; "  (none: ...)" when there are none.
std::string describe_devices(Direction direction);

}  // namespace extrema::audio
