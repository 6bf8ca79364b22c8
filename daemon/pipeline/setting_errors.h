#pragma once
// Start-up failures name the setting to fix, the way config errors do ("key 'network.bind':
// port 5004 is already in use ..."), so a service's log line says which key of the config file
// (or which flag: docs/config.md maps one to the other) to change.
#include <string>
#include <string_view>

#include "audio/audio_backend.h"
#include "net/srtp_session.h"
#include "net/udp_socket.h"

namespace extrema::pipeline {

// Runs `make` and rethrows a NetError, SrtpKeyError or AudioError it throws as the same type,
// its message led by the key.
template <typename Make>
auto for_setting(std::string_view key, Make&& make) -> decltype(make()) {
    const auto named = [key](const std::exception& error) {
        return "key '" + std::string(key) + "': " + error.what();
    };
    try {
        return make();
    } catch (const net::NetError& error) {
        throw net::NetError(named(error));
    } catch (const net::SrtpKeyError& error) {
        throw net::SrtpKeyError(named(error));
    } catch (const audio::AudioError& error) {
        throw audio::AudioError(named(error));
    }
}

}  // namespace extrema::pipeline
