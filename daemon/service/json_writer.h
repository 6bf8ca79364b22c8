#pragma once
// A JSON object built field by field, for the one-line stats records. Keys keep the order they
// were added in, so records diff and grep well; strings are escaped; a non-finite number is
// written as null (JSON has no NaN or infinity). Only what the stats need: no arrays, no parser.
#include <cstdint>
#include <string>
#include <string_view>

namespace extrema::service {

// `text` as a quoted JSON string: quote, backslash and control characters escaped. Bytes of
// 0x80 and above pass through (UTF-8 stays UTF-8).
std::string json_string(std::string_view text);

class JsonObject {
  public:
    // Distinct names, not overloads: add("key", "text") would otherwise pick bool.
    JsonObject& add_string(std::string_view key, std::string_view value);
    JsonObject& add_uint(std::string_view key, std::uint64_t value);
    // Fixed `decimals` digits: deterministic text, and no false precision in the figures.
    JsonObject& add_number(std::string_view key, double value, int decimals);
    JsonObject& add_bool(std::string_view key, bool value);
    JsonObject& add_object(std::string_view key, const JsonObject& value);

    // The object's text, on one line: {"a":1,"b":{"c":true}}.
    std::string str() const { return "{" + body_ + "}"; }

  private:
    void add_key(std::string_view key);

    std::string body_;
};

}  // namespace extrema::service
