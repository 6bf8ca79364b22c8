#pragma once
// Internal: "did you mean" for misspelt keys and sections.
#include <optional>
#include <span>
#include <string_view>

namespace extrema::config::detail {

// The candidate closest to `word` by edit distance, if close enough to be a likely typo.
std::optional<std::string_view> closest_spelling(std::string_view word,
                                                 std::span<const std::string_view> candidates);

}  // namespace extrema::config::detail
