// Any datagrams -> a DTLS-SRTP server and a client, as the RTP socket hands them over. The input
// is a sequence of datagrams, each a 2-byte big-endian length and its bytes (the seed holds a
// real client's flights). Nothing may crash, leak or hang, whatever OpenSSL is fed, and what
// either end sends back is DTLS (demultiplexed as such by the peer).
#include <algorithm>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz_check.h"
#include "net/dtls_srtp.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using extrema::net::DtlsRole;
    using extrema::net::DtlsSrtp;
    extrema::net::SrtpKey key{};
    key.fill(7);  // the seed's key
    const auto check = [](std::span<const std::uint8_t> datagram) {
        FUZZ_REQUIRE(extrema::net::is_dtls_datagram(datagram));
    };
    DtlsSrtp server(key, DtlsRole::kServer, check);
    DtlsSrtp client(key, DtlsRole::kClient, check);
    auto now = DtlsSrtp::Clock::time_point{} + std::chrono::hours(1);
    client.start(now);
    std::span<const std::uint8_t> rest(data, size);
    while (rest.size() >= 2) {
        const std::size_t length = std::min<std::size_t>(rest[0] << 8 | rest[1], rest.size() - 2);
        const auto datagram = rest.subspan(2, length);
        rest = rest.subspan(2 + length);
        now += std::chrono::milliseconds(10);
        server.on_datagram(datagram, now);
        client.on_datagram(datagram, now);
        server.on_tick(now);
        client.on_tick(now);
        server.on_srtp_without_keys(now);
    }
    return 0;
}
