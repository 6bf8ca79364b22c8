#include "service/json_writer.h"

#include <cmath>
#include <iterator>

#include <fmt/format.h>

namespace extrema::service {

std::string json_string(std::string_view text) {
    std::string out;
    out.reserve(text.size() + 2);
    out += '"';
    for (const char c : text) {
        switch (c) {
            case '"':
                out += "\\\"";
                break;
            case '\\':
                out += "\\\\";
                break;
            case '\b':
                out += "\\b";
                break;
            case '\f':
                out += "\\f";
                break;
            case '\n':
                out += "\\n";
                break;
            case '\r':
                out += "\\r";
                break;
            case '\t':
                out += "\\t";
                break;
            default:
                if (static_cast<unsigned char>(c) < 0x20) {
                    fmt::format_to(std::back_inserter(out), "\\u{:04x}",
                                   static_cast<unsigned char>(c));
                } else {
                    out += c;
                }
        }
    }
    out += '"';
    return out;
}

void JsonObject::add_key(std::string_view key) {
    if (!body_.empty()) body_ += ',';
    body_ += json_string(key);
    body_ += ':';
}

JsonObject& JsonObject::add_string(std::string_view key, std::string_view value) {
    add_key(key);
    body_ += json_string(value);
    return *this;
}

JsonObject& JsonObject::add_uint(std::string_view key, std::uint64_t value) {
    add_key(key);
    fmt::format_to(std::back_inserter(body_), "{}", value);
    return *this;
}

JsonObject& JsonObject::add_number(std::string_view key, double value, int decimals) {
    add_key(key);
    if (std::isfinite(value)) {
        // "-0.000" is valid JSON but reads oddly; a value that rounds to zero is written as 0.
        const double scale = std::pow(10.0, decimals);
        if (std::round(value * scale) == 0.0) value = 0.0;
        fmt::format_to(std::back_inserter(body_), "{:.{}f}", value, decimals);
    } else {
        body_ += "null";
    }
    return *this;
}

JsonObject& JsonObject::add_bool(std::string_view key, bool value) {
    add_key(key);
    body_ += value ? "true" : "false";
    return *this;
}

JsonObject& JsonObject::add_object(std::string_view key, const JsonObject& value) {
    add_key(key);
    body_ += value.str();
    return *this;
}

}  // namespace extrema::service
