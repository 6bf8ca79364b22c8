// `extremad --sdp`: the SDP (RFC 4566) of the configured session on stdout, exit 0, nothing
// started; a bad config is refused as usual (exit 2, the key named, no SDP).
#include <gtest/gtest.h>

#include <sstream>
#include <vector>

#include "daemon_process.h"
#include "test_support.h"

namespace extrema::daemon::testing {
namespace {

using namespace std::chrono_literals;

struct Outcome {
    int exit_code = kTimedOut;
    std::string stdout_text;
    std::string stderr_text;
};

Outcome run_to_exit(const std::vector<std::string>& args) {
    DaemonProcess daemon(args);
    Outcome outcome;
    outcome.exit_code = daemon.wait_exit(5s);
    outcome.stdout_text = daemon.stdout_text();
    outcome.stderr_text = daemon.stderr_text();
    return outcome;
}

// The lines of an SDP description, each checked to end in CRLF (RFC 4566 §5).
std::vector<std::string> sdp_lines(const std::string& text) {
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        EXPECT_FALSE(line.empty() || line.back() != '\r') << "not CRLF: " << line;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        lines.push_back(line);
    }
    return lines;
}

TEST(ExtremadSdp, SenderDescribesWhereItsStreamGoes) {
    const Outcome outcome =
        run_to_exit({"send", "--input", "tone", "--peer", "192.0.2.7:5006", "--bind", "127.0.0.1:0",
                     "--payload-type", "101", "--rate-hz", "16000", "--packet-ms", "20", "--sdp"});
    ASSERT_EQ(outcome.exit_code, 0) << outcome.stderr_text;
    const std::vector<std::string> lines = sdp_lines(outcome.stdout_text);
    ASSERT_GE(lines.size(), 7u) << outcome.stdout_text;
    // RFC 4566's order: v, o, s, c, t, m, then the media's attributes.
    EXPECT_EQ(lines[0], "v=0");
    EXPECT_EQ(lines[1].rfind("o=- ", 0), 0u) << lines[1];
    EXPECT_NE(lines[1].find(" IN IP4 127.0.0.1"), std::string::npos) << lines[1];
    EXPECT_EQ(lines[2], "s=extremad");
    EXPECT_EQ(lines[3], "c=IN IP4 192.0.2.7");
    EXPECT_EQ(lines[4], "t=0 0");
    EXPECT_EQ(lines[5], "m=audio 5006 RTP/AVP 101");
    EXPECT_EQ(lines[6], "a=rtpmap:101 extrema/16000");
    const std::string rest = outcome.stdout_text.substr(outcome.stdout_text.find("a=rtpmap"));
    EXPECT_NE(rest.find("a=ptime:20\r\n"), std::string::npos) << rest;
    EXPECT_NE(rest.find("a=rtcp-mux\r\n"), std::string::npos) << rest;
    EXPECT_NE(rest.find("a=sendonly\r\n"), std::string::npos) << rest;
}

TEST(ExtremadSdp, ReceiverDescribesItsOwnAddressWithTheDefaults) {
    const Outcome outcome = run_to_exit(
        {"receive", "--output", "null", "--bind", "[::1]:6004", "--allow", "::1", "--sdp"});
    ASSERT_EQ(outcome.exit_code, 0) << outcome.stderr_text;
    const std::string& sdp = outcome.stdout_text;
    EXPECT_NE(sdp.find("c=IN IP6 ::1\r\n"), std::string::npos) << sdp;
    // A receiver takes both banks' records and RED packets (docs/wire.md).
    EXPECT_NE(sdp.find("m=audio 6004 RTP/AVP 96 98 97\r\n"), std::string::npos) << sdp;
    EXPECT_NE(sdp.find("a=rtpmap:96 extrema/48000\r\na=fmtp:96 bank=1\r\n"), std::string::npos)
        << sdp;
    EXPECT_NE(sdp.find("a=rtpmap:98 extrema/48000\r\na=fmtp:98 bank=3\r\n"), std::string::npos)
        << sdp;
    EXPECT_NE(sdp.find("a=rtpmap:97 red/48000\r\na=fmtp:97 96/96\r\n"), std::string::npos) << sdp;
    EXPECT_NE(sdp.find("a=recvonly\r\n"), std::string::npos) << sdp;
}

TEST(ExtremadSdp, SwingSenderWithRedundancyNamesItsBankAndRed) {
    const Outcome outcome =
        run_to_exit({"send", "--input", "tone", "--peer", "192.0.2.7:5006", "--bind", "127.0.0.1:0",
                     "--bank", "swing", "--redundancy", "1", "--sdp"});
    ASSERT_EQ(outcome.exit_code, 0) << outcome.stderr_text;
    const std::string& sdp = outcome.stdout_text;
    EXPECT_NE(sdp.find("m=audio 5006 RTP/AVP 98 97\r\n"), std::string::npos) << sdp;
    EXPECT_NE(sdp.find("a=rtpmap:98 extrema/48000\r\na=fmtp:98 bank=3\r\n"), std::string::npos)
        << sdp;
    EXPECT_NE(sdp.find("a=rtpmap:97 red/48000\r\na=fmtp:97 98/98\r\n"), std::string::npos) << sdp;
    EXPECT_EQ(sdp.find("a=rtpmap:96 "), std::string::npos) << sdp;  // it sends no bank-1 records
}

TEST(ExtremadSdp, BadConfigIsRefusedWithoutAnSdp) {
    const Outcome outcome = run_to_exit(
        {"send", "--input", "tone", "--peer", "192.0.2.7:5006", "--payload-type", "300", "--sdp"});
    EXPECT_EQ(outcome.exit_code, 2) << outcome.stderr_text;
    EXPECT_NE(outcome.stderr_text.find("payload_type"), std::string::npos) << outcome.stderr_text;
    EXPECT_EQ(outcome.stdout_text.find("v=0"), std::string::npos) << outcome.stdout_text;
}

}  // namespace
}  // namespace extrema::daemon::testing
