// Writes the seed corpora of the fuzz targets (checked in under tests/fuzz/corpus): real codec
// and packetizer output, so that fuzzing starts from inputs that pass every check.
//   fuzz_make_seeds <corpus directory>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <span>
#include <string>
#include <vector>

#include "extrema/codec/encoder.h"
#include "extrema/codec/record.h"
#include "extrema/codec/xtr_encoder.h"
#include "extrema/codec/xtr_format.h"
#include "extrema/lowrank/svd_codec.h"
#include "extrema/lowrank/xsvd_format.h"
#include "net/comfort_noise_payload.h"
#include "net/packetizer.h"
#include "net/red_encoder.h"
#include "net/red_payload.h"
#include "net/rtcp_packet.h"

namespace {

using namespace extrema;
namespace fs = std::filesystem;

void write(const fs::path& path, std::span<const std::uint8_t> bytes) {
    fs::create_directories(path.parent_path());
    std::ofstream file(path, std::ios::binary);
    file.write(reinterpret_cast<const char*>(bytes.data()),
               static_cast<std::streamsize>(bytes.size()));
}

void write_text(const fs::path& path, const std::string& text) {
    write(path, std::span(reinterpret_cast<const std::uint8_t*>(text.data()), text.size()));
}

// A gliding tone with a pause: curves, a silence and level changes, `ms` long.
std::vector<std::int16_t> tone(double rate_hz, double ms, int channels) {
    const auto frames = static_cast<std::size_t>(rate_hz * ms / 1000.0);
    std::vector<std::int16_t> pcm(frames * static_cast<std::size_t>(channels));
    for (std::size_t i = 0; i < frames; ++i) {
        const double t = static_cast<double>(i) / rate_hz;
        const bool pause = i > frames / 2 && i < frames * 3 / 4;
        for (int c = 0; c < channels; ++c) {
            const double f = 300.0 + 400.0 * t * 20.0 + 100.0 * c;
            const double v = pause ? 0.0 : 12000.0 * std::sin(2.0 * std::numbers::pi * f * t);
            pcm[i * static_cast<std::size_t>(channels) + static_cast<std::size_t>(c)] =
                static_cast<std::int16_t>(std::lround(v));
        }
    }
    return pcm;
}

std::vector<codec::Record> encode(double rate_hz, double ms) {
    codec::EncoderConfig config;
    config.sample_rate_hz = rate_hz;
    config.max_segment_ms = 5.0;
    codec::Encoder encoder(config);
    std::vector<codec::Record> records;
    encoder.push(std::span<const std::int16_t>(tone(rate_hz, ms, 1)), records);
    encoder.flush(records);
    return records;
}

std::vector<std::uint8_t> pack(std::span<const codec::Record> records) {
    std::vector<std::uint8_t> bytes(records.size() * codec::kRecordBytes);
    codec::pack_records(records, bytes);
    return bytes;
}

// The packet fuzzer's framing: [u16 length][ms until the next][datagram].
void frame(std::vector<std::uint8_t>& out, std::span<const std::uint8_t> datagram,
           std::uint8_t gap_ms) {
    out.push_back(static_cast<std::uint8_t>(datagram.size()));
    out.push_back(static_cast<std::uint8_t>(datagram.size() >> 8));
    out.push_back(gap_ms);
    out.insert(out.end(), datagram.begin(), datagram.end());
}

void packet_seeds(const fs::path& dir) {
    std::vector<std::vector<std::uint8_t>> packets;
    net::PacketizerConfig config;
    config.ssrc = 0x5eed0001;
    config.first_sequence = 1000;
    net::Packetizer packetizer(config, [&](net::OutgoingPacket& p) {
        packets.emplace_back(p.bytes().begin(), p.bytes().end());
    });
    packetizer.push(encode(48000.0, 120.0));
    packetizer.flush();

    std::vector<std::uint8_t> one{3};
    frame(one, packets[0], 30);
    write(dir / "one_packet", one);

    std::vector<std::uint8_t> stream{4};
    for (std::size_t i = 0; i < packets.size() && i < 8; ++i) frame(stream, packets[i], 10);
    write(dir / "in_order", stream);

    // Reordered, duplicated and one lost, then a late arrival.
    std::vector<std::uint8_t> rough{1};
    for (const std::size_t i : {0u, 2u, 1u, 1u, 4u, 5u, 3u, 7u}) {
        if (i < packets.size()) frame(rough, packets[i], 7);
    }
    write(dir / "reordered", rough);

    // RFC 2198: the same stream with two redundant blocks per packet, one lost.
    std::vector<std::vector<std::uint8_t>> red_packets;
    net::RedEncoder red(net::RedEncoderConfig{});
    net::Packetizer red_packetizer(config, [&](net::OutgoingPacket& p) {
        red.process(p, 2);
        red_packets.emplace_back(p.bytes().begin(), p.bytes().end());
    });
    red_packetizer.push(encode(48000.0, 120.0));
    red_packetizer.flush();
    std::vector<std::uint8_t> redundant{2};
    for (std::size_t i = 0; i < red_packets.size() && i < 8; ++i) {
        if (i != 3) frame(redundant, red_packets[i], 10);
    }
    write(dir / "redundant", redundant);
}

// RED payloads (the RTP header removed): two redundant blocks, and a primary alone.
void red_seeds(const fs::path& dir) {
    const auto older = pack(encode(48000.0, 10.0));
    const auto old = pack(encode(48000.0, 10.0));
    const auto primary = pack(encode(48000.0, 10.0));
    const std::array<net::RedBlock, 2> blocks{net::RedBlock{96, 960, older},
                                              net::RedBlock{96, 480, old}};
    std::vector<std::uint8_t> out(net::red_payload_bytes(blocks, primary.size()));
    net::write_red_payload(blocks, net::RedBlock{96, 0, primary}, out);
    write(dir / "two_blocks", out);
    out.resize(net::red_payload_bytes({}, primary.size()));
    net::write_red_payload({}, net::RedBlock{96, 0, primary}, out);
    write(dir / "primary_only", out);
}

// RFC 3389 payloads: a level alone, and a level with a 10th-order model.
void comfort_noise_seeds(const fs::path& dir) {
    codec::NoiseDescription noise;
    noise.level_dbov = -60.0;
    std::vector<std::uint8_t> out(net::comfort_noise_bytes(noise));
    net::write_comfort_noise(noise, out);
    write(dir / "level_only", out);
    noise.order = 10;
    for (std::size_t i = 0; i < noise.order; ++i) noise.reflection[i] = 0.8 / (1.0 + i);
    out.resize(net::comfort_noise_bytes(noise));
    net::write_comfort_noise(noise, out);
    write(dir / "order_10", out);
}

void xtr_seeds(const fs::path& dir) {
    codec::EncoderConfig config;
    config.sample_rate_hz = 16000.0;
    for (const int channels : {1, 2}) {
        codec::XtrEncoder encoder(channels, config);
        encoder.push(tone(16000.0, 40.0, channels));
        write(dir / (channels == 1 ? "mono.xtr" : "stereo.xtr"),
              codec::serialize_xtr(encoder.finish()));
    }
    // The seed's headerless stream.
    write(dir / "seed_raw", pack(encode(44100.0, 30.0)));
}

void record_seeds(const fs::path& dir) {
    write(dir / "tone", pack(encode(48000.0, 30.0)));
    // By hand: an anchor, curves of every kind of length and extreme ends, silences of 0, 1 and
    // a long count, a second anchor.
    const std::vector<codec::Record> records = {codec::Record::anchor(-1200),
                                                codec::Record::curve(1, 1, 32767),
                                                codec::Record::curve(255, 3, -32768),
                                                codec::Record::silence(0),
                                                codec::Record::silence(1),
                                                codec::Record::curve(128, 700, 0),
                                                codec::Record::silence(70000),
                                                codec::Record::anchor(5),
                                                codec::Record::curve(17, 65535, 20000)};
    write(dir / "by_hand", pack(records));
}

// Small .xsvd files: mono and stereo, a short last block, and a non-default STFT (n_fft 256,
// hop 64).
void xsvd_seeds(const fs::path& dir) {
    for (const int channels : {1, 2}) {
        const std::vector<std::int16_t> pcm = tone(16000.0, 60.0, channels);
        std::vector<float> samples(pcm.begin(), pcm.end());
        for (float& v : samples) v /= 32767.0f;
        lowrank::SvdCodecConfig config;
        config.rank = 2;
        config.block_frames = 2;
        write(dir / (channels == 1 ? "mono.xsvd" : "stereo.xsvd"),
              lowrank::serialize_xsvd(lowrank::encode_svd(samples, 16000, channels, config)));
        config.stft = {256, 64};
        config.block_frames = 7;
        write(dir / (channels == 1 ? "mono_256.xsvd" : "stereo_256.xsvd"),
              lowrank::serialize_xsvd(lowrank::encode_svd(samples, 16000, channels, config)));
    }
}

void key_seeds(const fs::path& dir) {
    write_text(dir / "hex", "00112233445566778899aabbccddeeff00112233445566778899aabbccdd\n");
    write_text(dir / "base64_inline",
               "# extrema SRTP key\n\ninline:ABEiM0RVZneImaq7zN3u/wARIjNEVWZ3iJmqu8zd\n");
    write_text(dir / "two_lines", "  # comment\r\nQUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNk\r\n");
}

// RTCP compounds as the link sends them: an SR with a block, an RR, an RR with a BYE.
void rtcp_seeds(const fs::path& dir) {
    const net::SenderInfo info{0xe8f1234512345678ULL, 48000, 100, 4000};
    const net::ReportBlock block{1, 25, 3, 70000, 120, 0x12345678, 0x00008000};
    std::vector<std::uint8_t> out(1024);
    net::RtcpCompound compound;
    compound.ssrc = 0x11223344;
    compound.cname = "extremad@host";
    compound.sender = &info;
    compound.blocks = std::span<const net::ReportBlock>(&block, 1);
    write(dir / "sr_block", std::span(out).first(net::build_rtcp(compound, out)));
    compound.sender = nullptr;
    write(dir / "rr_block", std::span(out).first(net::build_rtcp(compound, out)));
    compound.blocks = {};
    compound.bye = true;
    write(dir / "rr_bye", std::span(out).first(net::build_rtcp(compound, out)));
}

}  // namespace

int main(int argc, char** argv) {
    if (argc != 2) {
        std::fprintf(stderr, "usage: fuzz_make_seeds <corpus directory>\n");
        return 2;
    }
    const fs::path root(argv[1]);
    packet_seeds(root / "fuzz_packet_validator");
    xtr_seeds(root / "fuzz_xtr_parser");
    record_seeds(root / "fuzz_record_stream");
    key_seeds(root / "fuzz_srtp_key");
    xsvd_seeds(root / "fuzz_xsvd_parser");
    rtcp_seeds(root / "fuzz_rtcp_parser");
    red_seeds(root / "fuzz_red_parser");
    comfort_noise_seeds(root / "fuzz_comfort_noise_payload");
    return 0;
}
