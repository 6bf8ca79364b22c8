#pragma once
// The compressor's two settings that take a word as well as a number: a ratio of "inf" (a
// limiter) and a make-up gain of "auto". One reading of them for the `extrema` command line and
// the extremad config file, so both accept exactly the same text.
#include <optional>
#include <string_view>

namespace extrema::config {

// The word for an infinite ratio that the config file and the docs use.
inline constexpr std::string_view kInfiniteRatioWord = "inf";
// The word for automatic make-up gain.
inline constexpr std::string_view kAutoMakeupWord = "auto";

// "inf", "infinity" or "Inf".
bool is_infinite_ratio_word(std::string_view text) noexcept;

// A finite number written out in full ("4", "2.5"), or an infinite ratio word (+infinity).
// std::nullopt for anything else; the range (>= 1) is dsp::validate()'s business.
std::optional<double> parse_ratio_text(std::string_view text) noexcept;

struct MakeupGain {
    double db = 0.0;         // fixed make-up gain, dB
    bool automatic = false;  // "auto": the compressor adds half its reduction at 0 dBFS
};

// A finite number of dB, or "auto" (0 dB fixed plus the automatic part). std::nullopt otherwise.
std::optional<MakeupGain> parse_makeup_text(std::string_view text) noexcept;

}  // namespace extrema::config
