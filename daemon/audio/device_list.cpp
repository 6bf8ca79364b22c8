#include "audio/device_list.h"

#include <portaudio.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <string>

#include "audio/audio_backend.h"
#include "audio/stderr_capture.h"

namespace extrema::audio {
namespace {

const char* direction_name(Direction direction) {
    return direction == Direction::kInput ? "input" : "output";
}

int max_channels(const PaDeviceInfo& info, Direction direction) {
    return direction == Direction::kInput ? info.maxInputChannels : info.maxOutputChannels;
}

int max_channels(const DeviceInfo& info, Direction direction) {
    return direction == Direction::kInput ? info.max_input_channels : info.max_output_channels;
}

std::string lower(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool all_digits(std::string_view text) {
    return !text.empty() && std::all_of(text.begin(), text.end(),
                                        [](unsigned char c) { return std::isdigit(c) != 0; });
}

DeviceInfo device_info(int index) {
    const PaDeviceInfo* pa = Pa_GetDeviceInfo(index);
    DeviceInfo info;
    info.index = index;
    info.name = pa->name != nullptr ? pa->name : "";
    const PaHostApiInfo* api = Pa_GetHostApiInfo(pa->hostApi);
    info.host_api = api != nullptr && api->name != nullptr ? api->name : "?";
    info.max_input_channels = pa->maxInputChannels;
    info.max_output_channels = pa->maxOutputChannels;
    info.default_rate_hz = pa->defaultSampleRate;
    info.default_input = index == Pa_GetDefaultInputDevice();
    info.default_output = index == Pa_GetDefaultOutputDevice();
    return info;
}

std::vector<int> probe_rates(int device, Direction direction, int channels) {
    std::vector<int> rates;
    const PaDeviceInfo* info = Pa_GetDeviceInfo(device);
    if (info == nullptr || max_channels(*info, direction) < channels || channels < 1) return rates;
    PaStreamParameters params{};
    params.device = device;
    params.channelCount = channels;
    params.sampleFormat = paFloat32;
    params.suggestedLatency = direction == Direction::kInput ? info->defaultLowInputLatency
                                                             : info->defaultLowOutputLatency;
    const PaStreamParameters* in = direction == Direction::kInput ? &params : nullptr;
    const PaStreamParameters* out = direction == Direction::kOutput ? &params : nullptr;
    for (const int rate_hz : kStandardRatesHz) {
        if (Pa_IsFormatSupported(in, out, rate_hz) == paFormatIsSupported) rates.push_back(rate_hz);
    }
    return rates;
}

std::string label(const DeviceInfo& device) {
    return "[" + std::to_string(device.index) + "] " + device.name + " (" + device.host_api + ")";
}

}  // namespace

std::string device_label(int index) {
    return label(device_info(index));
}

std::vector<int> supported_rates_hz(int device, Direction direction, int channels) {
    StderrCapture capture;  // ALSA prints a line for every rate a device refuses
    auto rates = probe_rates(device, direction, channels);
    const auto noise = capture.finish();
    if (!noise.empty()) spdlog::debug("probing device {} printed:\n{}", device, noise);
    return rates;
}

std::vector<DeviceInfo> list_devices() {
    std::vector<DeviceInfo> devices;
    const int count = Pa_GetDeviceCount();
    if (count < 0)
        throw AudioError("cannot list audio devices: " + std::string(Pa_GetErrorText(count)));
    StderrCapture capture;
    for (int i = 0; i < count; ++i) {
        DeviceInfo info = device_info(i);
        info.input_rates_hz = probe_rates(i, Direction::kInput, 1);
        info.output_rates_hz = probe_rates(i, Direction::kOutput, 1);
        devices.push_back(std::move(info));
    }
    const auto noise = capture.finish();
    if (!noise.empty()) spdlog::debug("probing devices printed:\n{}", noise);
    return devices;
}

std::string describe_device(const DeviceInfo& device) {
    std::string text = label(device) + ": " + std::to_string(device.max_input_channels) + " in, " +
                       std::to_string(device.max_output_channels) + " out, " +
                       std::to_string(static_cast<int>(device.default_rate_hz)) + " Hz default";
    if (device.default_input) text += ", default input";
    if (device.default_output) text += ", default output";
    return text;
}

std::string describe_devices(Direction direction) {
    std::string text;
    const int count = Pa_GetDeviceCount();
    for (int i = 0; i < count; ++i) {
        const DeviceInfo info = device_info(i);
        if (max_channels(info, direction) > 0) text += "\n  " + describe_device(info);
    }
    if (text.empty()) {
        text = std::string("\n  (none: no ") + direction_name(direction) +
               " device found; no sound card, and no JACK server running?)";
    }
    return text;
}

int select_device(std::string_view spec, Direction direction, int channels) {
    const std::string what = direction_name(direction);
    const int count = Pa_GetDeviceCount();
    int chosen = paNoDevice;
    if (spec.empty()) {
        chosen = direction == Direction::kInput ? Pa_GetDefaultInputDevice()
                                                : Pa_GetDefaultOutputDevice();
        if (chosen == paNoDevice) {
            throw AudioError("no default " + what + " device; " + what +
                             " devices:" + describe_devices(direction));
        }
    } else if (all_digits(spec)) {
        long index = -1;
        const auto [end, ec] = std::from_chars(spec.data(), spec.data() + spec.size(), index);
        if (ec != std::errc{} || end != spec.data() + spec.size() || index >= count) {
            throw AudioError("no audio device with index " + std::string(spec) + "; " + what +
                             " devices:" + describe_devices(direction));
        }
        chosen = static_cast<int>(index);
    } else {
        const std::string needle = lower(spec);
        std::vector<int> matches;
        for (int i = 0; i < count; ++i) {
            const PaDeviceInfo* info = Pa_GetDeviceInfo(i);
            if (info == nullptr || max_channels(*info, direction) < 1) continue;
            const std::string name = lower(info->name != nullptr ? info->name : "");
            if (name == needle) {
                matches.assign(1, i);
                break;
            }
            if (name.find(needle) != std::string::npos) matches.push_back(i);
        }
        if (matches.empty()) {
            throw AudioError("no " + what + " device matches '" + std::string(spec) + "'; " + what +
                             " devices:" + describe_devices(direction));
        }
        if (matches.size() > 1) {
            std::string list;
            for (const int i : matches) list += "\n  " + describe_device(device_info(i));
            throw AudioError("'" + std::string(spec) + "' matches several " + what +
                             " devices; give more of the name or the index:" + list);
        }
        chosen = matches.front();
    }
    const DeviceInfo info = device_info(chosen);
    const int available = max_channels(info, direction);
    if (available < channels) {
        throw AudioError("device " + describe_device(info) + " has " + std::to_string(available) +
                         " " + what + " channel(s), " + std::to_string(channels) + " wanted; " +
                         what + " devices:" + describe_devices(direction));
    }
    return chosen;
}

}  // namespace extrema::audio
