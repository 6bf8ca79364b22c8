// SRTP: key file parsing and errors, protect/unprotect round trip, tampered and replayed packets.
#include "net/srtp_session.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "net/wire_limits.h"
#include "net_test_support.h"

namespace extrema::net {
namespace {

using codec::Record;

constexpr const char* kHexKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d";
// The same 30 bytes in base64.
constexpr const char* kBase64Key = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd";

SrtpKey counting_key() {
    SrtpKey key{};
    for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i);
    return key;
}

std::string key_error(std::string_view text) {
    try {
        parse_srtp_key(text, "test key");
    } catch (const SrtpKeyError& e) {
        return e.what();
    }
    return "(no error)";
}

// A packet in a buffer with room for the SRTP trailer.
struct Buffer {
    std::vector<std::uint8_t> bytes;
    std::size_t size = 0;
};
Buffer rtp_packet(std::uint16_t sequence, std::uint32_t ssrc = 0xC0FFEE) {
    const std::vector<Record> records = {Record::anchor(0), Record::curve(3, 480, 1000)};
    Buffer buffer;
    buffer.bytes = test::make_datagram({false, 96, sequence, sequence * 480u, ssrc}, records);
    buffer.size = buffer.bytes.size();
    buffer.bytes.resize(buffer.size + kSrtpTrailerRoomBytes);
    return buffer;
}

TEST(SrtpKey, ParsesHexAndBase64) {
    EXPECT_EQ(parse_srtp_key(kHexKey), counting_key());
    EXPECT_EQ(parse_srtp_key(kBase64Key), counting_key());
    EXPECT_EQ(parse_srtp_key(std::string("inline:") + kBase64Key), counting_key());
    EXPECT_EQ(parse_srtp_key("# extremad link key\n\n  " + std::string(kHexKey) + "  \n# end\n"),
              counting_key());
    std::string upper = kHexKey;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    EXPECT_EQ(parse_srtp_key(upper), counting_key());
}

TEST(SrtpKey, RejectsBadKeysWithClearMessages) {
    EXPECT_NE(key_error("").find("test key: no key found"), std::string::npos);
    EXPECT_NE(key_error("# only a comment\n").find("no key found"), std::string::npos);
    EXPECT_NE(key_error("000102030405060708090a0b0c0d0e0f").find("key is 16 bytes, need 30"),
              std::string::npos);
    EXPECT_NE(key_error("AAECAwQFBgcICQoLDA0ODxAREhMUFRYX").find("key is 24 bytes, need 30"),
              std::string::npos);
    EXPECT_NE(key_error("not a key at all!").find("neither hex nor base64"), std::string::npos);
    EXPECT_NE(key_error(std::string(kHexKey) + "\n" + kHexKey).find("more than one key line"),
              std::string::npos);
}

TEST(SrtpKey, ReadsKeyFileAndNamesBadOnes) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("extrema-srtp-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto good = dir / "good.key";
    const auto short_key = dir / "short.key";
    std::ofstream(good) << "# test\n" << kBase64Key << "\n";
    std::ofstream(short_key) << "0011223344\n";
    EXPECT_EQ(read_srtp_key_file(good), counting_key());
    try {
        read_srtp_key_file(short_key);
        ADD_FAILURE() << "short key accepted";
    } catch (const SrtpKeyError& e) {
        const std::string message = e.what();
        EXPECT_NE(message.find(short_key.string()), std::string::npos) << message;
        EXPECT_NE(message.find("key is 5 bytes, need 30"), std::string::npos) << message;
    }
    try {
        read_srtp_key_file(dir / "missing.key");
        ADD_FAILURE() << "missing key file accepted";
    } catch (const SrtpKeyError& e) {
        EXPECT_NE(std::string(e.what()).find("missing.key': cannot open"), std::string::npos)
            << e.what();
    }
    std::filesystem::remove_all(dir);
}

TEST(SrtpSession, ProtectUnprotectRoundTrip) {
    SrtpSession sender(counting_key(), SrtpDirection::kSend);
    SrtpSession receiver(counting_key(), SrtpDirection::kReceive);
    for (std::uint16_t seq = 1; seq < 50; ++seq) {
        Buffer packet = rtp_packet(seq);
        const std::vector<std::uint8_t> plain(
            packet.bytes.begin(), packet.bytes.begin() + static_cast<std::ptrdiff_t>(packet.size));
        ASSERT_TRUE(sender.protect(packet.bytes, packet.size));
        EXPECT_EQ(packet.size, plain.size() + kSrtpAuthTagBytes);
        EXPECT_FALSE(std::equal(plain.begin() + kRtpHeaderBytes, plain.end(),
                                packet.bytes.begin() + kRtpHeaderBytes))
            << "payload not encrypted";
        DropReason why{};
        ASSERT_TRUE(receiver.unprotect(packet.bytes, packet.size, why));
        ASSERT_EQ(packet.size, plain.size());
        EXPECT_TRUE(std::equal(plain.begin(), plain.end(), packet.bytes.begin()));
    }
}

TEST(SrtpSession, TamperedPacketFailsAuthentication) {
    SrtpSession sender(counting_key(), SrtpDirection::kSend);
    SrtpSession receiver(counting_key(), SrtpDirection::kReceive);
    for (const std::size_t flip :
         {std::size_t{1}, kRtpHeaderBytes + 3, std::size_t{0}}) {  // header, payload, tag
        Buffer packet = rtp_packet(static_cast<std::uint16_t>(10 + flip));
        ASSERT_TRUE(sender.protect(packet.bytes, packet.size));
        packet.bytes[flip == 0 ? packet.size - 1 : flip] ^= 0x01;
        DropReason why{};
        EXPECT_FALSE(receiver.unprotect(packet.bytes, packet.size, why));
        EXPECT_EQ(why, DropReason::kAuth) << to_string(why);
    }
}

TEST(SrtpSession, ReplayedPacketIsRejected) {
    SrtpSession sender(counting_key(), SrtpDirection::kSend);
    SrtpSession receiver(counting_key(), SrtpDirection::kReceive);
    Buffer packet = rtp_packet(7);
    ASSERT_TRUE(sender.protect(packet.bytes, packet.size));
    const Buffer copy = packet;
    DropReason why{};
    ASSERT_TRUE(receiver.unprotect(packet.bytes, packet.size, why));
    Buffer replay = copy;
    EXPECT_FALSE(receiver.unprotect(replay.bytes, replay.size, why));
    EXPECT_EQ(why, DropReason::kReplay);
}

TEST(SrtpSession, WrongKeyOrPlainRtpFailsAuthentication) {
    SrtpSession sender(counting_key(), SrtpDirection::kSend);
    SrtpKey other = counting_key();
    other[0] ^= 0xFF;
    SrtpSession receiver(other, SrtpDirection::kReceive);
    Buffer packet = rtp_packet(1);
    ASSERT_TRUE(sender.protect(packet.bytes, packet.size));
    DropReason why{};
    EXPECT_FALSE(receiver.unprotect(packet.bytes, packet.size, why));
    EXPECT_EQ(why, DropReason::kAuth);

    Buffer plain = rtp_packet(2);
    EXPECT_FALSE(receiver.unprotect(plain.bytes, plain.size, why));
    EXPECT_EQ(why, DropReason::kAuth);
}

TEST(SrtpSession, ProtectNeedsTrailerRoom) {
    SrtpSession sender(counting_key(), SrtpDirection::kSend);
    Buffer packet = rtp_packet(1);
    packet.bytes.resize(packet.size + 4);
    EXPECT_FALSE(sender.protect(packet.bytes, packet.size));
}

// Someone with the key floods new SSRCs between the real sender's packets: the receiver keeps
// at most kMaxSrtpStreams streams, and the real sender's (used all along) is never the one
// removed, so its replay window still holds.
TEST(SrtpSession, StreamTableStaysBoundedUnderAFloodOfNewSsrcs) {
    SrtpSession sender(counting_key(), SrtpDirection::kSend);
    SrtpSession receiver(counting_key(), SrtpDirection::kReceive);
    constexpr std::uint32_t kReal = 0xC0FFEE;
    constexpr std::uint32_t kFlood = 5000;
    Buffer first_real;
    std::uint16_t real_sequence = 1;
    DropReason why{};
    for (std::uint32_t i = 0; i < kFlood; ++i) {
        if (i % 4 == 0) {
            Buffer real = rtp_packet(real_sequence++, kReal);
            ASSERT_TRUE(sender.protect(real.bytes, real.size));
            if (i == 0) first_real = real;
            ASSERT_TRUE(receiver.unprotect(real.bytes, real.size, why));
        }
        // A fresh flooding session now and then keeps the flooder's own stream list short.
        static std::unique_ptr<SrtpSession> flooder;
        if (i % 256 == 0)
            flooder = std::make_unique<SrtpSession>(counting_key(), SrtpDirection::kSend);
        Buffer flood = rtp_packet(1, 0x10000 + i);
        ASSERT_TRUE(flooder->protect(flood.bytes, flood.size));
        ASSERT_TRUE(receiver.unprotect(flood.bytes, flood.size, why)) << to_string(why);
        ASSERT_TRUE(receiver.has_stream(0x10000 + i));
        ASSERT_LE(receiver.stream_count(), kMaxSrtpStreams);
    }
    std::size_t held = 0;
    for (std::uint32_t i = 0; i < kFlood; ++i) held += receiver.has_stream(0x10000 + i);
    EXPECT_EQ(held + 1, kMaxSrtpStreams);  // the newest flood streams, and the real one
    EXPECT_TRUE(receiver.has_stream(kReal));
    EXPECT_EQ(receiver.streams_removed(), kFlood + 1 - kMaxSrtpStreams);
    EXPECT_FALSE(receiver.unprotect(first_real.bytes, first_real.size, why));
    EXPECT_EQ(why, DropReason::kReplay);

    receiver.remove_stream(kReal);
    EXPECT_FALSE(receiver.has_stream(kReal));
    EXPECT_EQ(receiver.stream_count(), kMaxSrtpStreams - 1);
}

}  // namespace
}  // namespace extrema::net
