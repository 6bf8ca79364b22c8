#include "extrema/report/ab_player.h"

#include <fmt/format.h>

#include "extrema/report/svg.h"

namespace extrema::report {
namespace {

// The position, play state, volume and muting move from the player in use to the chosen one;
// playing any player by hand makes it the one in use and pauses the others. play() may be refused
// (a browser's autoplay policy): the refusal is caught, so the console stays quiet.
constexpr const char* kScript = R"js(
(() => {
  const buttons = [...document.querySelectorAll('#ab-switch button[data-ab]')];
  const player = (b) => document.getElementById('player-' + b.dataset.ab);
  let current = buttons.length ? player(buttons[0]) : null;
  const mark = (audio) => {
    for (const b of buttons) b.setAttribute('aria-pressed', String(player(b) === audio));
  };
  const choose = (audio) => {
    if (!audio || audio === current) return;
    const from = current;
    const playing = from && !from.paused;
    for (const b of buttons) if (player(b) !== audio) player(b).pause();
    if (from) {
      const end = Number.isFinite(audio.duration) ? audio.duration : from.currentTime;
      audio.currentTime = Math.min(from.currentTime, end);
      audio.volume = from.volume;
      audio.muted = from.muted;
    }
    current = audio;
    mark(audio);
    if (playing) audio.play().catch(() => {});
  };
  for (const b of buttons) {
    b.addEventListener('click', () => choose(player(b)));
    player(b).addEventListener('play', (e) => {
      if (e.target === current) return;
      for (const other of buttons) if (player(other) !== e.target) player(other).pause();
      current = e.target;
      mark(current);
    });
  }
})();
)js";

}  // namespace

std::string ab_switch_html(const std::vector<AbChoice>& choices) {
    std::string out = "<div class=\"ab\" id=\"ab-switch\"><span class=\"name\">A/B:</span>";
    for (std::size_t i = 0; i < choices.size(); ++i) {
        out += fmt::format("<button type=\"button\" data-ab=\"{}\" aria-pressed=\"{}\">{}</button>",
                           escape_html(choices[i].key), i == 0 ? "true" : "false",
                           escape_html(choices[i].title));
    }
    return out + "</div>";
}

std::string ab_script_html() {
    return std::string("<script>") + kScript + "</script>";
}

}  // namespace extrema::report
