#include "loopback_run.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <thread>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>

#include "audio/sound_file.h"
#include "extrema/codec/decoder.h"
#include "extrema/codec/encoder.h"
#include "extrema/quality/json.h"
#include "extrema/quality/mixdown.h"
#include "net/drop_counters.h"
#include "pipeline/link.h"
#include "pipeline/send_path.h"

namespace extrema::cli {
namespace {

namespace asio = boost::asio;
using std::chrono::steady_clock;

// IPv4 (20) + UDP (8) header bytes on every datagram.
constexpr double kIpUdpHeaderBytes = 28.0;

// How long the harness waits beyond the input's duration before it gives up on the receiver:
// the buffering, the proxy's delays and a generous margin for a loaded machine.
constexpr double kGraceSeconds = 5.0;

class ProxyThread {
  public:
    ProxyThread(const asio::ip::udp::endpoint& destination, const net::ImpairmentConfig& config)
        : proxy_(io_, {asio::ip::make_address("127.0.0.1"), 0}, destination, config),
          thread_([this] { io_.run(); }) {}
    ~ProxyThread() {
        proxy_.stop();
        io_.stop();
        thread_.join();
    }
    asio::ip::udp::endpoint endpoint() const { return proxy_.local_endpoint(); }
    net::ImpairmentCounters counters() const { return proxy_.forward_counters(); }

  private:
    asio::io_context io_;
    net::ImpairmentProxy proxy_;
    std::thread thread_;
};

std::vector<float> offline_reference(const LoopbackOptions& options, int& rate_hz,
                                     const pipeline::LinkConfig& sender,
                                     std::vector<std::int16_t>& decoded) {
    const audio::SoundData data = audio::read_sound_file(options.input);
    rate_hz = data.info.rate_hz;
    std::vector<float> mono = quality::mix_to_mono(data.samples, data.info.channels);
    pipeline::LinkConfig config = sender;
    config.audio.rate_hz = rate_hz;
    codec::Encoder encoder(pipeline::encoder_config(config));
    std::vector<codec::Record> records;
    encoder.push(std::span<const float>(mono), records);
    encoder.flush(records);
    decoded = codec::decode_all(records);
    return mono;
}

// The receiver's raw output (preroll silence first) put back on the sender's timeline.
std::vector<float> align_to_timeline(const std::vector<float>& raw, std::uint64_t lead,
                                     std::int64_t first_position, std::size_t length) {
    std::vector<float> out(length, 0.0f);
    const auto offset = static_cast<std::int64_t>(lead) - first_position;
    for (std::size_t t = 0; t < length; ++t) {
        const std::int64_t index = offset + static_cast<std::int64_t>(t);
        if (index >= 0 && index < static_cast<std::int64_t>(raw.size())) {
            out[t] = raw[static_cast<std::size_t>(index)];
        }
    }
    return out;
}

}  // namespace

LoopbackReport run_loopback(const LoopbackOptions& options) {
    LoopbackReport report;
    pipeline::LinkConfig sender;
    sender.mode = pipeline::LinkMode::kSend;
    sender.audio.input = pipeline::InputKind::kFile;
    sender.audio.input_file = options.input.string();
    sender.audio.file_pacing = pipeline::FilePacing::kRealTime;
    sender.encoder = options.encoder;
    sender.network.packet_ms = options.packet_ms;
    sender.network.srtp_key_file = options.srtp_key_file;
    sender.network.bind = "127.0.0.1:0";

    const std::vector<float> input =
        offline_reference(options, report.rate_hz, sender, report.offline);
    sender.audio.rate_hz = report.rate_hz;
    report.input_samples = input.size();
    report.duration_s = static_cast<double>(input.size()) / report.rate_hz;

    pipeline::LinkConfig receiver = sender;
    receiver.mode = pipeline::LinkMode::kReceive;
    receiver.audio.output = pipeline::OutputKind::kFile;
    const std::filesystem::path raw_path = options.output.string() + ".raw.wav";
    receiver.audio.output_file = raw_path.string();
    receiver.network.peer.clear();
    receiver.network.allow = {"127.0.0.1"};  // the proxy, from whatever port it sends
    receiver.receiver.jitter_target_ms =
        options.jitter_target_ms.value_or(20.0 + options.impairment.jitter_ms +
                                          options.impairment.delay_ms);
    // Sender and receiver share this machine's clock: there is no drift to correct, and
    // correcting would only blur the sample-exact comparison with the offline decode.
    receiver.receiver.drift_correction = false;

    pipeline::Link receive_link(receiver);
    ProxyThread proxy(receive_link.local_endpoint(), options.impairment);
    sender.network.peer = fmt::format("127.0.0.1:{}", proxy.endpoint().port());
    pipeline::Link send_link(sender);

    receive_link.start();
    send_link.start();
    const auto deadline = steady_clock::now() +
                          std::chrono::duration_cast<steady_clock::duration>(
                              std::chrono::duration<double>(report.duration_s + kGraceSeconds +
                                                            receiver.receiver.jitter_target_ms /
                                                                1000.0));
    while (steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        const auto lead = receive_link.lead_samples();
        if (!send_link.input_finished() || !lead) continue;
        const auto needed = static_cast<std::int64_t>(*lead) +
                            static_cast<std::int64_t>(input.size()) -
                            receive_link.first_played_position();
        if (static_cast<std::int64_t>(receive_link.stats().receive.output_samples) >= needed) {
            break;
        }
    }
    send_link.stop();
    receive_link.stop();
    report.sender = send_link.stats();
    report.receiver = receive_link.stats();
    report.injected = proxy.counters();

    const audio::SoundData raw = audio::read_sound_file(raw_path);
    std::filesystem::remove(raw_path);
    const auto lead = receive_link.lead_samples();
    report.played = lead.has_value();
    report.lead_samples = lead.value_or(0);
    report.output = report.played ? align_to_timeline(raw.samples, *lead,
                                                      receive_link.first_played_position(),
                                                      input.size())
                                  : std::vector<float>(input.size(), 0.0f);
    audio::write_sound_file(options.output, report.rate_hz, 1, report.output);

    for (std::size_t i = 0; i < report.output.size(); ++i) {
        const auto value = static_cast<std::int16_t>(
            std::lround(std::clamp(report.output[i] * codec::kFullScale, -32768.0f, 32767.0f)));
        if (i >= report.offline.size() || value != report.offline[i]) ++report.differing_samples;
    }
    report.identical = report.differing_samples == 0 && report.offline.size() == input.size();

    const double seconds = report.duration_s;
    const auto bytes = static_cast<double>(report.sender.send.wire_bytes);
    const auto packets = static_cast<double>(report.sender.send.packets);
    report.wire_kbps = bytes * 8.0 / seconds / 1000.0;
    report.ip_kbps = (bytes + kIpUdpHeaderBytes * packets) * 8.0 / seconds / 1000.0;

    const bool silent = std::all_of(report.output.begin(), report.output.end(),
                                    [](float v) { return v == 0.0f; });
    if (!silent) {
        std::vector<float> offline(report.offline.size());
        for (std::size_t i = 0; i < offline.size(); ++i) {
            offline[i] = static_cast<float>(report.offline[i]) / codec::kFullScale;
        }
        report.vs_offline = quality::evaluate(offline, report.output, report.rate_hz);
        report.timeline_error_samples = report.vs_offline->delay_samples;
    }
    return report;
}

std::string loopback_json(const LoopbackReport& r) {
    const pipeline::ReceiveStats& rx = r.receiver.receive;
    std::string drops;
    for (std::size_t i = 0; i < rx.drops.size(); ++i) {
        if (rx.drops[i] == 0) continue;
        drops += fmt::format("{}\"{}\": {}", drops.empty() ? "" : ", ",
                             net::to_string(static_cast<net::DropReason>(i)), rx.drops[i]);
    }
    return fmt::format(
        "{{\"rate_hz\": {}, \"input_samples\": {}, \"output_samples\": {}, "
        "\"wire_kbps\": {:.3f}, \"ip_kbps\": {:.3f}, "
        "\"packets_sent\": {}, \"packets_received\": {}, "
        "\"injected\": {{\"dropped\": {}, \"duplicated\": {}, \"reordered\": {}, "
        "\"out_of_order\": {}}}, "
        "\"lost\": {}, \"late\": {}, \"duplicate\": {}, \"early\": {}, \"drops\": {{{}}}, "
        "\"concealed_samples\": {}, \"lead_samples\": {}, \"timeline_error_samples\": {}, "
        "\"identical_to_offline\": {}, \"differing_samples\": {}, \"vs_offline\": {}}}",
        r.rate_hz, r.input_samples, r.output.size(), r.wire_kbps, r.ip_kbps,
        r.sender.send.packets, rx.packets, r.injected.dropped, r.injected.duplicated,
        r.injected.reordered, r.injected.out_of_order, rx.lost, rx.late, rx.duplicate, rx.early,
        drops, rx.concealed_samples, r.lead_samples, r.timeline_error_samples,
        r.identical ? "true" : "false", r.differing_samples,
        r.vs_offline ? quality::to_json(*r.vs_offline) : std::string("null"));
}

std::string loopback_text(const LoopbackReport& r) {
    const pipeline::ReceiveStats& rx = r.receiver.receive;
    std::string text;
    text += fmt::format("input:     {} samples at {} Hz ({:.3f} s)\n", r.input_samples, r.rate_hz,
                        r.duration_s);
    text += fmt::format("wire:      {:.3f} kbps RTP ({:.3f} kbps with IPv4/UDP headers)\n",
                        r.wire_kbps, r.ip_kbps);
    text += fmt::format("packets:   {} sent, {} received; injected: {} dropped, {} duplicated, "
                        "{} reordered\n",
                        r.sender.send.packets, rx.packets, r.injected.dropped,
                        r.injected.duplicated, r.injected.reordered);
    text += fmt::format("receiver:  {} lost, {} late, {} duplicate, {} dropped as invalid\n",
                        rx.lost, rx.late, rx.duplicate,
                        [&] {
                            std::uint64_t total = 0;
                            for (const auto n : rx.drops) total += n;
                            return total;
                        }());
    text += fmt::format("concealed: {} samples ({:.1f} ms)\n", rx.concealed_samples,
                        static_cast<double>(rx.concealed_samples) * 1000.0 / r.rate_hz);
    text += fmt::format("buffering: {} samples before the first ({:.1f} ms)\n", r.lead_samples,
                        static_cast<double>(r.lead_samples) * 1000.0 / r.rate_hz);
    text += fmt::format("timeline:  error {} samples\n", r.timeline_error_samples);
    text += fmt::format("offline:   {} ({} of {} samples differ from the offline decode)\n",
                        r.identical ? "identical" : "different", r.differing_samples,
                        r.input_samples);
    if (r.vs_offline) {
        text += fmt::format("quality:   STOI {:.5f}, segSNR {:.3f} dB, SNR {:.3f} dB vs offline\n",
                            r.vs_offline->stoi, r.vs_offline->segsnr_db, r.vs_offline->snr_db);
    } else {
        text += "quality:   the output is silent\n";
    }
    return text;
}

}  // namespace extrema::cli
