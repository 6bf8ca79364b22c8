#include "config/compressor_words.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace extrema::config {
namespace {

// The whole text as one finite number; no leading blanks, no trailing characters.
std::optional<double> parse_finite(std::string_view text) noexcept {
    if (!text.empty() && text.front() == '+') text.remove_prefix(1);
    double value = 0.0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || error != std::errc{} || end != text.data() + text.size() ||
        !std::isfinite(value)) {
        return std::nullopt;
    }
    return value;
}

}  // namespace

bool is_infinite_ratio_word(std::string_view text) noexcept {
    return text == kInfiniteRatioWord || text == "infinity" || text == "Inf";
}

std::optional<double> parse_ratio_text(std::string_view text) noexcept {
    if (is_infinite_ratio_word(text)) return std::numeric_limits<double>::infinity();
    return parse_finite(text);
}

std::optional<MakeupGain> parse_makeup_text(std::string_view text) noexcept {
    if (text == kAutoMakeupWord) return MakeupGain{0.0, true};
    if (const auto db = parse_finite(text)) return MakeupGain{*db, false};
    return std::nullopt;
}

}  // namespace extrema::config
