// Datagrams from anyone -> the RTCP parser and a session reading them. No input may crash, read
// out of bounds or hit undefined behaviour; a compound the parser accepts must come out of the
// builder again as a compound that parses to the same report blocks, sender info and CNAME.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "fuzz_check.h"
#include "net/rtcp_packet.h"
#include "net/rtcp_session.h"

namespace {

using namespace extrema::net;

RtcpSession& session() {
    static RtcpSession instance(
        [] {
            RtcpSession::Config config;
            config.ssrc = 1;  // so that blocks on SSRC 1 reach the round-trip arithmetic
            config.cname = "fuzz@host";
            return config;
        }(),
        [](std::span<const std::uint8_t>, const boost::asio::ip::udp::endpoint&) { return true; });
    return instance;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::span<const std::uint8_t> bytes(data, size);
    RtcpReport report;
    if (parse_rtcp(bytes, report) == RtcpParseError::kNone) {
        FUZZ_REQUIRE(report.block_count <= kMaxReportBlocks);
        FUZZ_REQUIRE(report.cname_bytes <= kMaxCnameBytes);
        FUZZ_REQUIRE(report.has_cname == (report.cname_bytes > 0));
        RtcpCompound compound;
        compound.ssrc = report.ssrc;
        compound.sender = report.has_sender_info ? &report.sender_info : nullptr;
        compound.blocks = report.blocks();
        compound.cname = report.has_cname ? report.cname() : "x";
        compound.bye = report.bye;
        std::vector<std::uint8_t> again(rtcp_size(compound));
        FUZZ_REQUIRE(build_rtcp(compound, again) == again.size());
        RtcpReport reparsed;
        FUZZ_REQUIRE(parse_rtcp(again, reparsed) == RtcpParseError::kNone);
        FUZZ_REQUIRE(reparsed.ssrc == report.ssrc);
        FUZZ_REQUIRE(reparsed.has_sender_info == report.has_sender_info);
        FUZZ_REQUIRE(!report.has_sender_info || reparsed.sender_info == report.sender_info);
        FUZZ_REQUIRE(std::ranges::equal(reparsed.blocks(), report.blocks()));
        FUZZ_REQUIRE(reparsed.cname() == compound.cname);
        FUZZ_REQUIRE(reparsed.bye == report.bye);
    }
    std::vector<std::uint8_t> copy(bytes.begin(), bytes.end());
    session().on_datagram(copy, copy.size(), RtcpSession::Clock::now());
    const RtcpStats& stats = session().stats();
    FUZZ_REQUIRE(stats.rtt_ms >= 0.0 || stats.rtt_ms == -1.0);
    FUZZ_REQUIRE(stats.remote_fraction_lost >= 0.0 && stats.remote_fraction_lost < 1.0);
    return 0;
}
