#include "config/setting_text.h"

#include <fmt/format.h>
#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <system_error>

#include "net/udp_socket.h"

namespace extrema::config {
namespace {

std::string quoted_list(const std::vector<std::string_view>& words) {
    std::string text;
    for (std::size_t i = 0; i < words.size(); ++i) {
        if (i > 0) text += i + 1 == words.size() ? " or " : ", ";
        text += toml_literal(std::string(words[i]));
    }
    return text;
}

std::string with_unit(double value, std::string_view unit) {
    return unit.empty() ? format_number(value) : format_number(value) + " " + std::string(unit);
}

std::string range_text(const NumberRange& range, std::string_view unit) {
    const bool has_min = std::isfinite(range.min);
    const bool has_max = std::isfinite(range.max);
    if (has_min && has_max) {
        if (range.min_exclusive) {
            return "above " + with_unit(range.min, unit) + ", at most " +
                   with_unit(range.max, unit);
        }
        return "from " + format_number(range.min) + " to " + with_unit(range.max, unit);
    }
    if (has_min) return (range.min_exclusive ? "> " : ">= ") + with_unit(range.min, unit);
    if (has_max) return "<= " + with_unit(range.max, unit);
    return unit.empty() ? std::string() : "in " + std::string(unit);
}

std::string number_text(const KeySpec& key, std::string_view noun) {
    std::string text(noun);
    if (key.range) {
        const std::string range = range_text(*key.range, key.unit);
        if (!range.empty()) text += " " + range;
    }
    if (!key.choices.empty()) text += ", or " + quoted_list(key.choices);
    return text;
}

std::string string_text(const KeySpec& key) {
    if (!key.choices.empty()) return "one of " + quoted_list(key.choices);
    switch (key.format) {
        case TextFormat::kAny:
            return "a string";
        case TextFormat::kEndpoint:
            return "\"host:port\" (\"[v6addr]:port\"; \":port\" = any address)";
        case TextFormat::kOptionalEndpoint:
            return "\"host:port\", or \"\" for none";
        case TextFormat::kPeerPattern:
            return "\"host\" (any port) or \"host:port\"";
        case TextFormat::kOptionalAddress:
            return "a numeric IP address, or \"\" for any";
    }
    return "a string";
}

[[noreturn]] void reject(const std::string& problem) {
    throw std::invalid_argument(problem);
}

void check_number(const KeySpec& key, double value) {
    if (std::isnan(value)) reject("nan is not a number: expected " + accepted_values(key));
    if (!key.range) return;
    const NumberRange& range = *key.range;
    const bool above_min = range.min_exclusive ? value > range.min : value >= range.min;
    if (!above_min || !(value <= range.max)) {
        reject(format_number(value) + " is out of range: expected " + accepted_values(key));
    }
}

void check_format(const KeySpec& key, const std::string& text) {
    const auto fail = [&](const std::string& why) {
        reject(why + ": expected " + accepted_values(key));
    };
    try {
        switch (key.format) {
            case TextFormat::kAny:
                return;
            case TextFormat::kOptionalEndpoint:
                if (text.empty()) return;
                [[fallthrough]];
            case TextFormat::kEndpoint:
                net::parse_host_port(text);
                return;
            case TextFormat::kPeerPattern: {
                if (text.empty()) fail("an empty entry");
                // A host alone (any port): a name, an IPv4 address or a bare IPv6 address.
                boost::system::error_code error;
                boost::asio::ip::make_address(text, error);
                if (!error || text.find(':') == std::string::npos) return;
                net::parse_host_port(text);
                return;
            }
            case TextFormat::kOptionalAddress: {
                if (text.empty()) return;
                boost::system::error_code error;
                boost::asio::ip::make_address(text, error);
                if (error) fail(toml_literal(text) + " is not a numeric IP address");
                return;
            }
        }
    } catch (const net::NetError& error) {
        fail(error.what());
    }
}

void check_string(const KeySpec& key, const std::string& text) {
    if (!key.choices.empty()) {
        if (std::find(key.choices.begin(), key.choices.end(), text) == key.choices.end()) {
            reject(toml_literal(text) + " is not accepted: expected " + accepted_values(key));
        }
        return;
    }
    check_format(key, text);
}

}  // namespace

std::string toml_literal(const SettingValue& value) {
    struct Writer {
        std::string operator()(bool v) const { return v ? "true" : "false"; }
        std::string operator()(std::int64_t v) const { return std::to_string(v); }
        std::string operator()(double v) const {
            std::string text = format_number(v);
            // TOML needs a float to look like one: 10.0, not 10.
            if (text.find_first_of(".eEn") == std::string::npos) text += ".0";
            return text;
        }
        std::string operator()(const std::string& v) const {
            std::string text = "\"";
            for (const char c : v) {
                switch (c) {
                    case '"':
                        text += "\\\"";
                        break;
                    case '\\':
                        text += "\\\\";
                        break;
                    case '\n':
                        text += "\\n";
                        break;
                    case '\t':
                        text += "\\t";
                        break;
                    case '\r':
                        text += "\\r";
                        break;
                    default:
                        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
                            text += fmt::format("\\u{:04X}", static_cast<unsigned char>(c));
                        } else {
                            text += c;
                        }
                }
            }
            return text + "\"";
        }
        std::string operator()(const std::vector<std::string>& v) const {
            std::string text = "[";
            for (std::size_t i = 0; i < v.size(); ++i) {
                if (i > 0) text += ", ";
                text += (*this)(v[i]);
            }
            return text + "]";
        }
    };
    return std::visit(Writer{}, value);
}

std::string default_literal(const KeySpec& key) {
    return toml_literal(key.get(LinkConfig{}));
}

std::string accepted_values(const KeySpec& key) {
    switch (key.type) {
        case ValueType::kBoolean:
            return "true or false";
        case ValueType::kInteger:
            return number_text(key, "an integer");
        case ValueType::kFloat:
            return number_text(key, "a number");
        case ValueType::kString:
            return string_text(key);
        case ValueType::kStringArray:
            if (key.format == TextFormat::kAny) return "an array of strings";
            return "an array of strings, each " + string_text(key);
    }
    return "?";
}

std::string type_name(const KeySpec& key) {
    switch (key.type) {
        case ValueType::kBoolean:
            return "boolean";
        case ValueType::kInteger:
            return "integer";
        case ValueType::kFloat:
            return key.choices.empty() ? "float" : "float or string";
        case ValueType::kString:
            return "string";
        case ValueType::kStringArray:
            return "array of strings";
    }
    return "?";
}

void check_value(const KeySpec& key, const SettingValue& value) {
    if (const auto* integer = std::get_if<std::int64_t>(&value)) {
        check_number(key, static_cast<double>(*integer));
    } else if (const auto* number = std::get_if<double>(&value)) {
        check_number(key, *number);
    } else if (const auto* text = std::get_if<std::string>(&value)) {
        check_string(key, *text);
    } else if (const auto* texts = std::get_if<std::vector<std::string>>(&value)) {
        for (const std::string& each : *texts) check_format(key, each);
    }
}

}  // namespace extrema::config
