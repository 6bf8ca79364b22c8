#pragma once
// The one exception every config problem is reported with: a bad file, a bad key, a bad value, a
// bad flag or settings that contradict each other.
#include <stdexcept>
#include <string>
#include <vector>

namespace extrema::config {

class ConfigError : public std::runtime_error {
  public:
    // A complete message, e.g. "extremad.toml:12:1: key 'network.packet_ms': 500 is out of
    // range ..." (several problems: one per line).
    explicit ConfigError(const std::string& message);

    // A problem of settings not yet tied to a place (validate() of a LinkConfig): the message is
    // "key 'a': problem". `keys` lists every key involved, the one to point at first; the loader
    // uses them to point at the line that set one of them.
    ConfigError(std::vector<std::string> keys, std::string problem);

    // The keys involved and the bare problem; both empty for a complete message.
    const std::vector<std::string>& keys() const noexcept { return keys_; }
    const std::string& problem() const noexcept { return problem_; }

  private:
    std::vector<std::string> keys_;
    std::string problem_;
};

// "WHERE: key 'KEY': PROBLEM", the shape of every config message.
std::string located_message(const std::string& where, const std::string& key,
                            const std::string& problem);

}  // namespace extrema::config
