#include "config/toml_values.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>

#include "config/setting_text.h"

namespace extrema::config::detail {
namespace {

[[noreturn]] void reject(const std::string& problem) {
    throw std::invalid_argument(problem);
}

std::int64_t whole_number(const KeySpec& key, double value) {
    // 2^63: the first double beyond int64.
    constexpr double kInt64Limit = 9223372036854775808.0;
    if (!std::isfinite(value) || std::trunc(value) != value) {
        reject(format_number(value) + " is not a whole number: expected " + accepted_values(key));
    }
    if (!(value >= -kInt64Limit && value < kInt64Limit)) {
        reject(format_number(value) + " is out of range: expected " + accepted_values(key));
    }
    return static_cast<std::int64_t>(value);
}

std::vector<std::string> string_array(const KeySpec& key, const toml::array& array) {
    std::vector<std::string> strings;
    for (std::size_t i = 0; i < array.size(); ++i) {
        const auto* text = array[i].as_string();
        if (text == nullptr) {
            reject(fmt::format("element {} is {}: expected {}", i + 1, describe_node(array[i]),
                               accepted_values(key)));
        }
        strings.push_back(text->get());
    }
    return strings;
}

// The node as the key's C++ type, before any range check.
SettingValue typed_value(const KeySpec& key, const toml::node& node) {
    switch (key.type) {
        case ValueType::kBoolean:
            if (const auto* flag = node.as_boolean()) return flag->get();
            break;
        case ValueType::kInteger:
            if (const auto* integer = node.as_integer()) return integer->get();
            if (const auto* number = node.as_floating_point()) {
                return whole_number(key, number->get());
            }
            break;
        case ValueType::kFloat:
            if (const auto* integer = node.as_integer()) return static_cast<double>(integer->get());
            if (const auto* number = node.as_floating_point()) return number->get();
            if (const auto* word = node.as_string(); word && !key.choices.empty()) {
                return word->get();
            }
            break;
        case ValueType::kString:
            if (const auto* text = node.as_string()) return text->get();
            break;
        case ValueType::kStringArray:
            if (const auto* array = node.as_array()) return string_array(key, *array);
            break;
    }
    reject("expected " + accepted_values(key) + ", got " + describe_node(node));
}

std::unique_ptr<toml::node> boolean_node(const std::string& text) {
    static constexpr std::string_view kTrue[] = {"true", "on", "yes", "1"};
    static constexpr std::string_view kFalse[] = {"false", "off", "no", "0"};
    if (std::find(std::begin(kTrue), std::end(kTrue), text) != std::end(kTrue)) {
        return std::make_unique<toml::value<bool>>(true);
    }
    if (std::find(std::begin(kFalse), std::end(kFalse), text) != std::end(kFalse)) {
        return std::make_unique<toml::value<bool>>(false);
    }
    return std::make_unique<toml::value<std::string>>(text);
}

// An integer if the whole text is one, else a float if it is one ("inf" included), else the
// string itself (a word such as "auto", or an error convert_node() will name).
std::unique_ptr<toml::node> number_node(std::string_view text) {
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    const char* const first = text.data();
    const char* const last = text.data() + text.size();
    std::int64_t integer = 0;
    if (const auto [end, error] = std::from_chars(first, last, integer);
        !text.empty() && error == std::errc{} && end == last) {
        return std::make_unique<toml::value<std::int64_t>>(integer);
    }
    double number = 0.0;
    if (const auto [end, error] = std::from_chars(first, last, number);
        !text.empty() && error == std::errc{} && end == last) {
        return std::make_unique<toml::value<double>>(number);
    }
    return std::make_unique<toml::value<std::string>>(std::string(text));
}

}  // namespace

SettingValue convert_node(const KeySpec& key, const toml::node& node) {
    SettingValue value = typed_value(key, node);
    check_value(key, value);
    return value;
}

std::unique_ptr<toml::node> flag_node(const KeySpec& key, const std::vector<std::string>& texts) {
    if (key.type == ValueType::kStringArray) {
        auto array = std::make_unique<toml::array>();
        // "--allow ''" clears the list.
        for (const std::string& text : texts) {
            if (!text.empty()) array->push_back(text);
        }
        return array;
    }
    const std::string text = texts.empty() ? std::string() : texts.back();
    switch (key.type) {
        case ValueType::kBoolean:
            return boolean_node(text);
        case ValueType::kInteger:
        case ValueType::kFloat:
            return number_node(text);
        default:
            return std::make_unique<toml::value<std::string>>(text);
    }
}

std::string describe_node(const toml::node& node) {
    if (const auto* text = node.as_string()) return "string " + toml_literal(text->get());
    if (const auto* integer = node.as_integer()) return "integer " + std::to_string(integer->get());
    if (const auto* number = node.as_floating_point()) {
        return "float " + format_number(number->get());
    }
    if (const auto* flag = node.as_boolean()) return flag->get() ? "true" : "false";
    if (node.is_array()) return "an array";
    if (node.is_table()) return "a table";
    return "a date or time";
}

}  // namespace extrema::config::detail
