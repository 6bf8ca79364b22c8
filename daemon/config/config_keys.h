#pragma once
// The table of config keys: one row per LinkConfig field, and the only place a key is described.
// The TOML loader, the command-line flags, docs/config.md, the reload diff and the summary are
// all generated from these rows; none of them has per-key code.
#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "pipeline/link_config.h"

namespace extrema::config {

using pipeline::LinkConfig;

// The TOML type a key takes. Enums are strings limited to `choices`.
enum class ValueType { kBoolean, kInteger, kFloat, kString, kStringArray };

// A key's value between its source (TOML node, flag text) and its LinkConfig field. kFloat keys
// with word choices ("inf", "auto") hold the word as a string.
using SettingValue =
    std::variant<bool, std::int64_t, double, std::string, std::vector<std::string>>;

// Accepted numbers, inclusive unless min_exclusive.
struct NumberRange {
    double min = -std::numeric_limits<double>::infinity();
    double max = std::numeric_limits<double>::infinity();
    bool min_exclusive = false;
};

// The syntax a string (or each string of an array) must follow.
enum class TextFormat {
    kAny,
    kEndpoint,          // "host:port", "[v6addr]:port" or ":port"
    kOptionalEndpoint,  // an endpoint, or "" for none
    kPeerPattern,       // an endpoint, or a host alone (any port)
    kOptionalAddress,   // a numeric IP address, or "" for none
};

struct KeySpec {
    std::string_view section;  // "" for a top-level key
    std::string_view name;
    std::string_view flag;  // the long command-line option, without the leading "--"
    ValueType type = ValueType::kString;
    std::string_view unit;  // "ms", "Hz", "dBFS", ...; "" when the value has none
    std::optional<NumberRange> range;
    // kString: the only strings accepted. kFloat: words accepted besides numbers ("inf").
    std::vector<std::string_view> choices;
    TextFormat format = TextFormat::kAny;
    bool reloadable = false;  // SIGHUP applies it to the running link
    std::string_view doc;     // what it does and why the default is what it is
    // The LinkConfig field. `set` takes values that passed check_value() for this key.
    SettingValue (*get)(const LinkConfig&) = nullptr;
    void (*set)(LinkConfig&, const SettingValue&) = nullptr;

    // "network.packet_ms", or "mode" for a top-level key.
    std::string path() const;
    // "--packet-ms".
    std::string option() const;
};

// Every key, in the order of the docs and the example file.
std::span<const KeySpec> config_keys();

// The key with this dotted path, or nullptr.
const KeySpec* find_key(std::string_view path);

// The section names ("audio", "encoder", ...), in table order.
std::vector<std::string_view> config_sections();

}  // namespace extrema::config
