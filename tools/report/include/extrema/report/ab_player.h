#pragma once
// The A/B switch of the report's players: one button per player; pressing one moves playback to
// that system at the same position (playing on if it was playing), so two systems can be compared
// on the same syllable. The page's only script, inline; it fetches nothing and logs nothing.
//
// Hooks: the switch is <div id="ab-switch">, each button <button data-ab="KEY"
// aria-pressed="true|false"> for the player <audio id="player-KEY">.
#include <string>
#include <utility>
#include <vector>

namespace extrema::report {

struct AbChoice {
    std::string key;    // the player's key: the button drives <audio id="player-KEY">
    std::string title;  // the button's label
};

// The buttons, the first pressed.
std::string ab_switch_html(const std::vector<AbChoice>& choices);
// The script that drives them: placed after the players, which it looks up as it runs.
std::string ab_script_html();

}  // namespace extrema::report
