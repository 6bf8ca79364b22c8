#pragma once
// Internal: a key's accessor built from a path of member pointers, e.g.
// member<&LinkConfig::network, &NetworkSettings::packet_ms>(). Conversion code is written once
// per C++ type (bool, int, double, string, string list, enum), never once per key.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include "config/config_keys.h"
#include "extrema/dsp/compressor.h"
#include "pipeline/link_config.h"

namespace extrema::config::detail {

// What the table needs to know about a field: its TOML type, the names of its enumerators and
// the two conversions.
struct KeyAccess {
    ValueType type = ValueType::kString;
    std::vector<std::string_view> choices;
    SettingValue (*get)(const LinkConfig&) = nullptr;
    void (*set)(LinkConfig&, const SettingValue&) = nullptr;
};

const char* to_string(dsp::LevelMode mode) noexcept;
using pipeline::to_string;

// Every enumerator of the enums the config names, in the order the docs list them.
template <typename E>
inline constexpr std::array<E, 0> kEnumerators{};
template <>
inline constexpr std::array kEnumerators<pipeline::LinkMode>{
    pipeline::LinkMode::kSend, pipeline::LinkMode::kReceive, pipeline::LinkMode::kDuplex};
template <>
inline constexpr std::array kEnumerators<pipeline::InputKind>{
    pipeline::InputKind::kDevice, pipeline::InputKind::kFile, pipeline::InputKind::kTone};
template <>
inline constexpr std::array kEnumerators<pipeline::OutputKind>{
    pipeline::OutputKind::kDevice, pipeline::OutputKind::kFile, pipeline::OutputKind::kNull};
template <>
inline constexpr std::array kEnumerators<pipeline::FilePacing>{pipeline::FilePacing::kRealTime,
                                                               pipeline::FilePacing::kFast};
template <>
inline constexpr std::array kEnumerators<dsp::LevelMode>{dsp::LevelMode::kPeak,
                                                         dsp::LevelMode::kRms};

template <typename E>
std::vector<std::string_view> enumerator_names() {
    std::vector<std::string_view> names;
    for (const E value : kEnumerators<E>) names.emplace_back(to_string(value));
    return names;
}

template <typename T>
constexpr ValueType value_type_of() {
    if constexpr (std::is_same_v<T, bool>)
        return ValueType::kBoolean;
    else if constexpr (std::is_same_v<T, int>)
        return ValueType::kInteger;
    else if constexpr (std::is_same_v<T, double>)
        return ValueType::kFloat;
    else if constexpr (std::is_same_v<T, std::vector<std::string>>)
        return ValueType::kStringArray;
    else
        return ValueType::kString;  // std::string and enums
}

inline SettingValue to_setting(bool value) {
    return value;
}
inline SettingValue to_setting(int value) {
    return std::int64_t{value};
}
inline SettingValue to_setting(double value) {
    return value;
}
inline SettingValue to_setting(const std::string& value) {
    return value;
}
inline SettingValue to_setting(const std::vector<std::string>& value) {
    return value;
}
template <typename E>
requires std::is_enum_v<E> SettingValue to_setting(E value) {
    return std::string(to_string(value));
}

inline void from_setting(const SettingValue& value, bool& out) {
    out = std::get<bool>(value);
}
// The key's range (checked before) keeps the value within int.
inline void from_setting(const SettingValue& value, int& out) {
    out = static_cast<int>(std::get<std::int64_t>(value));
}
inline void from_setting(const SettingValue& value, double& out) {
    out = std::get<double>(value);
}
inline void from_setting(const SettingValue& value, std::string& out) {
    out = std::get<std::string>(value);
}
inline void from_setting(const SettingValue& value, std::vector<std::string>& out) {
    out = std::get<std::vector<std::string>>(value);
}
template <typename E>
requires std::is_enum_v<E>
void from_setting(const SettingValue& value, E& out) {
    const auto& name = std::get<std::string>(value);
    for (const E candidate : kEnumerators<E>) {
        if (name == to_string(candidate)) out = candidate;
    }
}

// config.*p1.*p2... : the field at the end of the path.
template <auto... Path, typename Config>
auto& field(Config& config) {
    return (config.*....*Path);
}

template <auto... Path>
KeyAccess member() {
    using Field = std::remove_cvref_t<decltype(field<Path...>(std::declval<LinkConfig&>()))>;
    KeyAccess access;
    access.type = value_type_of<Field>();
    if constexpr (std::is_enum_v<Field>) access.choices = enumerator_names<Field>();
    access.get = [](const LinkConfig& config) { return to_setting(field<Path...>(config)); };
    access.set = [](LinkConfig& config, const SettingValue& value) {
        from_setting(value, field<Path...>(config));
    };
    return access;
}

// compressor.ratio: a number, or "inf" (held as +infinity).
KeyAccess compressor_ratio();
// compressor.makeup_db: a number, or "auto" (CompressorConfig::auto_makeup).
KeyAccess compressor_makeup();
// network.redundancy: 0..3 or "auto".
inline constexpr std::string_view kAutoRedundancyWord = "auto";
KeyAccess network_redundancy();

}  // namespace extrema::config::detail
