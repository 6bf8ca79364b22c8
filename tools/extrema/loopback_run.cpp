#include "loopback_run.h"

#include <fmt/core.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <stdexcept>
#include <thread>

#include <pthread.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>

#include "audio/sound_file.h"
#include "audio/source_thread.h"
#include "extrema/codec/decoder.h"
#include "extrema/codec/encoder.h"
#include "extrema/quality/error.h"
#include "extrema/quality/json.h"
#include "extrema/quality/mixdown.h"
#include "extrema/quality/visqol.h"
#include "net/drop_counters.h"
#include "pipeline/link.h"
#include "pipeline/send_path.h"
#include "progress.h"
#include "service/json_text.h"
#include "service/stats_reporter.h"

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
    ProxyThread(const asio::ip::udp::endpoint& destination, const net::ImpairmentConfig& config,
                audio::Pace pace)
        : proxy_(io_, {asio::ip::make_address("127.0.0.1"), 0}, destination, config, pace),
          thread_([this] {
              // The proxy stands for the network, which the host's load does not delay: like the
              // links' network threads, real-time priority when the system grants it (at a fast
              // pace a few ms of scheduling delay are many times that of audio). Refused: carry on.
              sched_param priority{};
              priority.sched_priority = pipeline::kNetworkThreadPriority;
              pthread_setschedparam(pthread_self(), SCHED_FIFO, &priority);
              io_.run();
          }) {}
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

// Measures the host's stalls while it lives (see HostStalls); read stalls() after stop().
class StallProbe {
  public:
    explicit StallProbe(audio::Pace pace) : pace_(pace), started_(steady_clock::now()) {
        const unsigned cpus = std::max(1u, std::thread::hardware_concurrency());
        found_.resize(cpus);
        for (unsigned cpu = 0; cpu < cpus; ++cpu) {
            threads_.emplace_back([this, cpu] { run(static_cast<int>(cpu)); });
        }
    }
    ~StallProbe() { stop(); }
    void stop() {
        stop_.store(true, std::memory_order_relaxed);
        for (std::thread& t : threads_) {
            if (t.joinable()) t.join();
        }
    }
    HostStalls stalls() const {  // after stop()
        HostStalls all;
        for (const Found& f : found_) {
            all.count += f.count;
            all.longest.insert(all.longest.end(), f.longest.begin(), f.longest.end());
        }
        keep_longest(all.longest);
        return all;
    }

  private:
    struct Found {
        std::uint64_t count = 0;
        std::vector<HostStall> longest;
    };

    static void keep_longest(std::vector<HostStall>& stalls) {
        std::sort(stalls.begin(), stalls.end(),
                  [](const HostStall& a, const HostStall& b) { return a.late_ms > b.late_ms; });
        if (stalls.size() > kListedHostStalls) stalls.resize(kListedHostStalls);
    }

    void run(int cpu) {
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(cpu, &set);
        pthread_setaffinity_np(pthread_self(), sizeof(set), &set);  // refused: wherever it runs
        sched_param priority{};
        priority.sched_priority = audio::kRealTimeSourcePriority;
        pthread_setschedparam(pthread_self(), SCHED_FIFO, &priority);
        Found& found = found_[static_cast<std::size_t>(cpu)];
        found.longest.reserve(2 * kListedHostStalls + 1);
        const auto period = std::chrono::duration_cast<steady_clock::duration>(
            std::chrono::duration<double, std::milli>(kStallProbePeriodMs));
        while (!stop_.load(std::memory_order_relaxed)) {
            const auto due = steady_clock::now() + period;
            std::this_thread::sleep_until(due);
            const double late_ms =
                std::chrono::duration<double, std::milli>(steady_clock::now() - due).count();
            if (late_ms <= kHostStallMs) continue;
            ++found.count;
            found.longest.push_back({pace_.media(due - started_).count(), late_ms, cpu});
            if (found.longest.size() > 2 * kListedHostStalls) keep_longest(found.longest);
        }
    }

    audio::Pace pace_;
    steady_clock::time_point started_;
    std::atomic<bool> stop_{false};
    std::vector<Found> found_;  // one per CPU, written by its thread until it is joined
    std::vector<std::thread> threads_;
};

// Averages the end-to-end latency polls over each whole second of audio (LatencySeconds).
class LatencyAverages {
  public:
    void add(double at_s, double latency_ms) {
        const auto second = static_cast<std::int64_t>(std::floor(at_s));
        if (second != second_) {
            close();
            second_ = second;
        }
        sum_ms_ += latency_ms;
        ++count_;
        if (!first_second_) first_second_ = second;
    }
    // The last second is still open when the sender stops: it is not whole, so it is left out,
    // as is the first (the receiver started within it).
    LatencySeconds result() const { return result_; }

  private:
    void close() {
        if (count_ > 0 && second_ != first_second_) {
            const double mean = sum_ms_ / static_cast<double>(count_);
            if (result_.seconds == 0) {
                result_.first_ms = result_.min_ms = result_.max_ms = mean;
            }
            result_.last_ms = mean;
            result_.min_ms = std::min(result_.min_ms, mean);
            result_.max_ms = std::max(result_.max_ms, mean);
            result_.per_second_ms.push_back(mean);
            ++result_.seconds;
        }
        sum_ms_ = 0.0;
        count_ = 0;
    }

    std::int64_t second_ = -1;
    std::optional<std::int64_t> first_second_;
    double sum_ms_ = 0.0;
    std::size_t count_ = 0;
    LatencySeconds result_;
};

// The offline encode + decode of the input, produced block by block as it is read: the same
// records the sending link makes (its encoder is fed in blocks too), without holding them.
class OfflineDecode {
  public:
    OfflineDecode(const std::filesystem::path& input, const pipeline::LinkConfig& sender)
        : reader_(input),
          encoder_(pipeline::encoder_config(sender), pipeline::curve_bank(sender)),
          decoder_(pipeline::curve_bank(sender)) {
        block_.resize(kBlockFrames * static_cast<std::size_t>(reader_.info().channels));
    }
    const audio::SoundInfo& info() const { return reader_.info(); }

    // Fills `out` with the next offline samples; fewer only at the end.
    std::size_t read(std::span<std::int16_t> out) {
        std::size_t done = 0;
        while (done < out.size()) {
            if (decoder_.pending() > 0) {
                done += decoder_.read(out.subspan(done));
            } else if (next_ < records_.size()) {
                decoder_.push(records_[next_++]);
            } else if (!refill()) {
                break;
            }
        }
        return done;
    }

  private:
    static constexpr std::size_t kBlockFrames = 4096;

    bool refill() {
        records_.clear();
        next_ = 0;
        if (flushed_) return false;
        const std::size_t frames = reader_.read(std::span<float>(block_));
        if (frames == 0) {
            encoder_.flush(records_);
            flushed_ = true;
        } else {
            const int channels = reader_.info().channels;
            const std::vector<float> mono = quality::mix_to_mono(
                std::span<const float>(block_.data(), frames * static_cast<std::size_t>(channels)),
                channels);
            encoder_.push(std::span<const float>(mono), records_);
        }
        return true;
    }

    audio::SoundFileReader reader_;
    codec::Encoder encoder_;
    codec::Decoder decoder_;
    std::vector<float> block_;
    std::vector<codec::Record> records_;
    std::size_t next_ = 0;
    bool flushed_ = false;
};

// The first `capacity` samples pushed and the last `capacity`, for the quality windows.
class Windows {
  public:
    explicit Windows(std::size_t capacity) : capacity_(capacity) {}
    void push(float v) {
        if (first_.size() < capacity_) first_.push_back(v);
        if (last_.size() < capacity_) {
            last_.push_back(v);
        } else {
            last_[next_] = v;
            next_ = (next_ + 1) % capacity_;
        }
    }
    const std::vector<float>& first() const { return first_; }
    std::vector<float> last() const {
        std::vector<float> out(last_.begin() + static_cast<std::ptrdiff_t>(next_), last_.end());
        out.insert(out.end(), last_.begin(), last_.begin() + static_cast<std::ptrdiff_t>(next_));
        return out;
    }

  private:
    std::size_t capacity_;
    std::vector<float> first_, last_;
    std::size_t next_ = 0;
};

bool silent(const std::vector<float>& x) {
    return std::all_of(x.begin(), x.end(), [](float v) { return v == 0.0f; });
}

// Puts the receiver's raw output (buffering first) on the sender's timeline, writes it and
// compares it with the offline decode, all block by block. Timeline positions before the first
// played one were never played: they are silence. Nothing is added after the output's end.
void compare_with_offline(const std::filesystem::path& raw_path, std::uint64_t lead,
                          std::int64_t first_position, OfflineDecode& offline,
                          const LoopbackOptions& options, LoopbackReport& report) {
    audio::SoundFileReader raw(raw_path);
    audio::SoundFileWriter out(options.output, report.rate_hz, 1);
    const auto window = static_cast<std::size_t>(kQualityWindowSeconds * report.rate_hz);
    Windows offline_windows(window), output_windows(window);
    constexpr std::size_t kBlock = 8192;
    std::vector<float> played(kBlock);
    std::vector<std::int16_t> reference(kBlock);
    std::vector<float> aligned;
    // Raw samples to skip (the buffering), or timeline samples that were never played.
    std::int64_t skip = static_cast<std::int64_t>(lead) - first_position;
    std::uint64_t unplayed = skip < 0 ? static_cast<std::uint64_t>(-skip) : 0;
    while (skip > 0) {
        const std::size_t got = raw.read(std::span<float>(played).first(
            static_cast<std::size_t>(std::min<std::int64_t>(skip, kBlock))));
        if (got == 0) break;
        skip -= static_cast<std::int64_t>(got);
    }
    std::uint64_t position = 0;
    while (position < report.input_samples) {
        const std::size_t want = static_cast<std::size_t>(
            std::min<std::uint64_t>(kBlock, report.input_samples - position));
        aligned.assign(want, 0.0f);
        std::size_t have = 0;
        const std::size_t silence =
            static_cast<std::size_t>(std::min<std::uint64_t>(unplayed, want));
        unplayed -= silence;
        have = silence;
        if (have < want) have += raw.read(std::span<float>(aligned).subspan(have, want - have));
        if (have == 0) break;  // the output ends here: what is missing is reported, not padded
        aligned.resize(have);
        const std::size_t got = offline.read(std::span<std::int16_t>(reference).first(have));
        for (std::size_t i = 0; i < have; ++i) {
            const auto value = static_cast<std::int16_t>(
                std::lround(std::clamp(aligned[i] * codec::kFullScale, -32768.0f, 32767.0f)));
            if (i >= got || value != reference[i]) ++report.differing_samples;
            output_windows.push(aligned[i]);
            offline_windows.push(i < got ? static_cast<float>(reference[i]) / codec::kFullScale
                                         : 0.0f);
        }
        out.write(std::span<const float>(aligned));
        position += have;
        if (have < want) break;
    }
    out.commit();
    report.output_samples = position;
    report.missing_samples = report.input_samples - position;
    report.identical = report.differing_samples == 0 && report.missing_samples == 0;
    if (!silent(output_windows.first())) {
        report.vs_offline =
            quality::evaluate(offline_windows.first(), output_windows.first(), report.rate_hz);
        report.timeline_error_samples = report.vs_offline->delay_samples;
        try {  // a window shorter than a ViSQOL patch, or without speech, has no MOS
            report.vs_offline->mos = quality::speech_mos(offline_windows.first(), report.rate_hz,
                                                         output_windows.first(), report.rate_hz);
        } catch (const quality::QualityError&) {
        }
        const std::vector<float> last = output_windows.last();
        if (!silent(last)) {
            report.timeline_error_end_samples =
                quality::evaluate(offline_windows.last(), last, report.rate_hz).delay_samples;
        }
    }
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
    sender.encoder.dtx = options.dtx;
    sender.network.packet_ms = options.packet_ms;
    sender.network.srtp_key_file = options.srtp_key_file;
    sender.network.redundancy = options.redundancy;
    sender.network.redundancy_auto = options.redundancy_auto;
    sender.network.redundancy_kbps = options.redundancy_kbps;
    sender.network.bind = "127.0.0.1:0";

    {
        const audio::SoundFileReader probe(options.input);
        report.rate_hz = probe.info().rate_hz;
        report.input_samples = static_cast<std::uint64_t>(probe.info().frames);
    }
    sender.audio.rate_hz = report.rate_hz;
    report.duration_s = static_cast<double>(report.input_samples) / report.rate_hz;

    pipeline::LinkConfig receiver = sender;
    receiver.mode = pipeline::LinkMode::kReceive;
    receiver.audio.output = pipeline::OutputKind::kFile;
    const std::filesystem::path raw_path = options.output.string() + ".raw.wav";
    receiver.audio.output_file = raw_path.string();
    receiver.network.peer.clear();
    receiver.network.allow = {"127.0.0.1"};  // the proxy, from whatever port it sends
    const bool fixed = options.jitter_target_ms.has_value() || options.latency == "fixed";
    if (fixed) {
        receiver.receiver.latency = "fixed";
        receiver.receiver.jitter_target_ms = options.jitter_target_ms.value_or(
            receiver.receiver.jitter_target_ms + kHostAllowanceMs * (options.pace.speed() - 1.0));
    } else if (options.latency != "adaptive") {
        throw std::runtime_error("loopback: latency must be adaptive or fixed, not " +
                                 options.latency);
    }
    receiver.receiver.drift_correction =
        options.drift_correction.value_or(receiver.receiver.drift_correction);
    report.latency_mode = receiver.receiver.latency;
    report.jitter_target_ms = fixed ? receiver.receiver.jitter_target_ms : 0.0;
    report.drift_ppm = options.drift_ppm;
    report.dtx = options.dtx;
    report.drift_correction = receiver.receiver.drift_correction;

    const audio::Pace pace = options.pace;
    const audio::Pace sender_pace = pace.drifted(options.drift_ppm);
    pipeline::Link receive_link(receiver, pace);
    net::ImpairmentConfig impairment = options.impairment;
    impairment.loss_ends_at_s = options.loss_ends_at_s;
    ProxyThread proxy(receive_link.local_endpoint(), impairment, pace);
    sender.network.peer = fmt::format("127.0.0.1:{}", proxy.endpoint().port());
    pipeline::Link send_link(sender, sender_pace);

    StallProbe stall_probe(pace);
    receive_link.start();
    send_link.start();
    const auto started = steady_clock::now();
    const double most_buffered_ms =
        fixed ? receiver.receiver.jitter_target_ms : receiver.receiver.adaptive.max_latency_ms;
    // The grace is for the machine, so it stays on the steady clock.
    const auto deadline =
        started +
        pace.wall(std::chrono::duration<double>(report.duration_s + most_buffered_ms / 1000.0)) +
        std::chrono::duration_cast<steady_clock::duration>(
            std::chrono::duration<double>(kGraceSeconds));
    const auto audio_seconds = [&] { return pace.media(steady_clock::now() - started).count(); };
    std::uint64_t resyncs_seen = 0;
    std::uint64_t redundancy =
        sender.network.redundancy_auto ? 0 : static_cast<std::uint64_t>(sender.network.redundancy);
    LatencyAverages latency;
    std::optional<SettledLate> at_settling;  // the receiver's counts when the link had settled
    bool streaming = true;
    Progress progress("loopback", report.input_samples);  // what the receiver has played
    while (steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
        const pipeline::ReceiveStats rx = receive_link.stats().receive;
        progress.update(std::min(rx.output_samples, report.input_samples));
        report.peak_latency_ms = std::max(report.peak_latency_ms, rx.latency_ms);
        if (!at_settling && audio_seconds() >= kSettledAfterSeconds) {
            at_settling = SettledLate{rx.packets, rx.late};
        }
        for (; resyncs_seen < rx.resyncs; ++resyncs_seen) {
            report.resyncs.push_back({audio_seconds(), rx.output_samples});
        }
        const pipeline::SendStats tx = send_link.stats().send;
        if (tx.redundancy != redundancy) {
            redundancy = tx.redundancy;
            report.redundancy_changes.push_back({audio_seconds(), redundancy, tx.redundant_blocks});
        }
        const auto lead = receive_link.lead_samples();
        if (streaming && send_link.input_finished()) streaming = false;
        if (streaming) {
            report.concealed_while_streaming = rx.concealed_samples;
            if (lead) {
                const auto captured = static_cast<double>(send_link.stats().send.frames_captured);
                const double reached =
                    static_cast<double>(receive_link.first_played_position()) +
                    static_cast<double>(rx.played_samples + rx.concealed_samples + rx.dtx_samples);
                latency.add(audio_seconds(), (captured - reached) * 1000.0 / report.rate_hz);
            }
        }
        if (!send_link.input_finished() || !lead) continue;
        const auto needed = static_cast<std::int64_t>(*lead) +
                            static_cast<std::int64_t>(report.input_samples) -
                            receive_link.first_played_position();
        if (static_cast<std::int64_t>(rx.output_samples) >= needed) {
            progress.finish();  // a run that times out leaves the bar where the output stopped
            break;
        }
    }
    send_link.stop();
    receive_link.stop();
    stall_probe.stop();
    report.host_stalls = stall_probe.stalls();
    report.latency = latency.result();
    report.sender = send_link.stats();
    report.receiver = receive_link.stats();
    if (at_settling) {
        report.settled = {report.receiver.receive.packets - at_settling->packets,
                          report.receiver.receive.late - at_settling->late};
    }
    report.injected = proxy.counters();
    for (; resyncs_seen < report.receiver.receive.resyncs; ++resyncs_seen) {
        report.resyncs.push_back({audio_seconds(), report.receiver.receive.output_samples});
    }

    const auto lead = receive_link.lead_samples();
    report.played = lead.has_value();
    report.lead_samples = lead.value_or(0);
    OfflineDecode offline(options.input, sender);
    try {
        compare_with_offline(raw_path, report.lead_samples,
                             report.played ? receive_link.first_played_position()
                                           : static_cast<std::int64_t>(report.lead_samples),
                             offline, options, report);
    } catch (...) {
        std::filesystem::remove(raw_path);
        throw;
    }
    std::filesystem::remove(raw_path);

    const double seconds = report.duration_s;
    const auto bytes = static_cast<double>(report.sender.send.wire_bytes);
    const auto packets = static_cast<double>(report.sender.send.packets);
    report.wire_kbps = bytes * 8.0 / seconds / 1000.0;
    report.ip_kbps = (bytes + kIpUdpHeaderBytes * packets) * 8.0 / seconds / 1000.0;
    return report;
}

// What RTCP told the sender (its round trip, null until known; the receiver's last report on its
// stream, null before one came) and what the receiver sent back.
json::Object rtcp_json(const LoopbackReport& r) {
    const net::RtcpStats& tx = r.sender.rtcp;
    const auto or_null = [](bool known, double value, int decimals) {
        return known ? json::rounded(value, decimals) : json::Object();
    };
    return {{"sr_sent", tx.sr_sent},
            {"rr_received", tx.rr_received},
            {"rr_sent", r.receiver.rtcp.rr_sent},
            {"rtt_ms", or_null(tx.rtt_ms >= 0.0, tx.rtt_ms, 3)},
            {"remote_fraction_lost", or_null(tx.has_remote_report, tx.remote_fraction_lost, 4)},
            {"remote_cumulative_lost",
             tx.has_remote_report ? json::Object(tx.remote_cumulative_lost) : json::Object()},
            {"remote_jitter_ms", or_null(tx.has_remote_report, tx.remote_jitter_ms, 3)}};
}

// The 1-s averages, null before the first whole second.
json::Object latency_json(const LatencySeconds& l) {
    const auto ms = [&l](double v) { return l.seconds > 0 ? json::rounded(v, 3) : json::Object(); };
    json::Object per_second = json::Object::array();
    for (const double v : l.per_second_ms) per_second.push_back(json::rounded(v, 3));
    return {{"first", ms(l.first_ms)}, {"last", ms(l.last_ms)}, {"min", ms(l.min_ms)},
            {"max", ms(l.max_ms)},     {"seconds", l.seconds},  {"per_second", per_second}};
}

namespace {
double samples_ms(std::uint64_t samples, int rate_hz) {
    return rate_hz > 0 ? static_cast<double>(samples) * 1000.0 / rate_hz : 0.0;
}
}  // namespace

std::string loopback_json(const LoopbackReport& r) {
    const pipeline::ReceiveStats& rx = r.receiver.receive;
    json::Object resyncs = json::Object::array();
    for (const ResyncEvent& e : r.resyncs) {
        resyncs.push_back({{"at_s", json::rounded(e.at_s, 3)}, {"output_sample", e.output_sample}});
    }
    json::Object redundancy = json::Object::array();
    for (const RedundancyChange& e : r.redundancy_changes) {
        redundancy.push_back({{"at_s", json::rounded(e.at_s, 3)},
                              {"level", e.level},
                              {"blocks_sent", e.blocks_sent}});
    }
    json::Object stalls = json::Object::array();
    for (const HostStall& e : r.host_stalls.longest) {
        stalls.push_back({{"at_s", json::rounded(e.at_s, 3)},
                          {"late_ms", json::rounded(e.late_ms, 3)},
                          {"cpu", e.cpu}});
    }
    return json::one_line(
        {{"rate_hz", r.rate_hz},
         {"input_samples", r.input_samples},
         {"output_samples", r.output_samples},
         {"wire_kbps", json::rounded(r.wire_kbps, 3)},
         {"ip_kbps", json::rounded(r.ip_kbps, 3)},
         {"injected",
          {{"dropped", r.injected.dropped},
           {"duplicated", r.injected.duplicated},
           {"reordered", r.injected.reordered},
           {"out_of_order", r.injected.out_of_order}}},
         {"concealed_samples", rx.concealed_samples},
         {"repaired_packets", rx.repaired},
         {"redundancy_changes", redundancy},
         {"dtx",
          {{"on", r.dtx},
           {"sender_ms", json::rounded(samples_ms(r.sender.send.dtx_samples, r.rate_hz), 3)},
           {"receiver_ms", json::rounded(samples_ms(rx.dtx_samples, r.rate_hz), 3)}}},
         {"concealed_while_streaming", r.concealed_while_streaming},
         {"settled",
          {{"after_s", kSettledAfterSeconds},
           {"packets", r.settled.packets},
           {"late", r.settled.late},
           {"late_percent",
            json::rounded(r.settled.packets > 0 ? 100.0 * static_cast<double>(r.settled.late) /
                                                      static_cast<double>(r.settled.packets)
                                                : 0.0,
                          3)}}},
         {"receiver_latency",
          {{"mode", r.latency_mode},
           {"target_ms", r.latency_mode == "fixed"
                             ? json::Object(json::rounded(r.jitter_target_ms, 3))
                             : json::Object()}}},
         {"latency_ms", latency_json(r.latency)},
         {"drift",
          {{"sender_ppm", json::rounded(r.drift_ppm, 3)}, {"correction", r.drift_correction}}},
         {"lead_samples", r.lead_samples},
         {"timeline_error_samples", r.timeline_error_samples},
         {"timeline_error_end_samples", r.timeline_error_end_samples},
         {"missing_samples", r.missing_samples},
         {"resyncs", resyncs},
         {"identical_to_offline", r.identical},
         {"differing_samples", r.differing_samples},
         {"vs_offline", r.vs_offline ? quality::json_object(*r.vs_offline) : json::Object()},
         {"rtcp", rtcp_json(r)},
         {"host_stalls", {{"count", r.host_stalls.count}, {"longest", stalls}}},
         // Each link's totals as the daemon's stats record has them (one schema, its keys
         // described in docs/daemon.md): packets, losses, drops by reason, RTCP, ...
         {"links",
          {{"sender", service::stats_record(r.sender, {}, r.duration_s)},
           {"receiver", service::stats_record(r.receiver, {}, r.duration_s)}}}});
}

std::string loopback_text(const LoopbackReport& r) {
    const pipeline::ReceiveStats& rx = r.receiver.receive;
    std::string text;
    text += fmt::format("input:     {} samples at {} Hz ({:.3f} s)\n", r.input_samples, r.rate_hz,
                        r.duration_s);
    text += fmt::format("wire:      {:.3f} kbps RTP ({:.3f} kbps with IPv4/UDP headers)\n",
                        r.wire_kbps, r.ip_kbps);
    text += fmt::format(
        "packets:   {} sent, {} received; injected: {} dropped, {} duplicated, "
        "{} reordered\n",
        r.sender.send.packets, rx.packets, r.injected.dropped, r.injected.duplicated,
        r.injected.reordered);
    text +=
        fmt::format("receiver:  {} lost, {} late, {} early, {} duplicate, {} dropped as invalid\n",
                    rx.lost, rx.late, rx.early, rx.duplicate, [&] {
                        std::uint64_t total = 0;
                        for (const auto n : rx.drops) total += n;
                        return total;
                    }());
    text += fmt::format("concealed: {} samples ({:.1f} ms)\n", rx.concealed_samples,
                        static_cast<double>(rx.concealed_samples) * 1000.0 / r.rate_hz);
    if (r.sender.send.redundant_blocks > 0 || rx.repaired > 0) {
        text += fmt::format("repaired:  {} lost packets from {} redundant blocks sent\n",
                            rx.repaired, r.sender.send.redundant_blocks);
    }
    if (r.dtx) {
        text += fmt::format(
            "dtx:       {} comfort-noise packets; {:.1f} ms not sent, {:.1f} ms of comfort noise "
            "played\n",
            r.sender.send.cn_packets, samples_ms(r.sender.send.dtx_samples, r.rate_hz),
            samples_ms(rx.dtx_samples, r.rate_hz));
    }
    text += fmt::format("buffering: {} samples before the first ({:.1f} ms)\n", r.lead_samples,
                        static_cast<double>(r.lead_samples) * 1000.0 / r.rate_hz);
    text += r.latency_mode == "fixed"
                ? fmt::format("target:    fixed, {:.1f} ms\n", r.jitter_target_ms)
                : std::string("target:    adaptive (the daemon's default)\n");
    text += fmt::format("latency:   {:.1f} ms at the highest (receiver)\n", r.peak_latency_ms);
    if (r.latency.seconds > 0) {
        text += fmt::format(
            "end to end: {:.1f} ms first, {:.1f} ms last, {:.1f} to {:.1f} ms (1-s averages of {} "
            "s)\n",
            r.latency.first_ms, r.latency.last_ms, r.latency.min_ms, r.latency.max_ms,
            r.latency.seconds);
    }
    if (r.drift_ppm != 0.0 || r.drift_correction) {
        text += fmt::format("drift:     sender clock {:+.1f} ppm; correction {}, at {:+.1f} ppm\n",
                            r.drift_ppm, r.drift_correction ? "on" : "off", rx.drift_ppm);
    }
    text +=
        fmt::format("timeline:  error {} samples over the first {:.0f} s, {} over the last\n",
                    r.timeline_error_samples, kQualityWindowSeconds, r.timeline_error_end_samples);
    if (r.missing_samples > 0) {
        text += fmt::format("output:    ends {} samples ({:.3f} s) before the input\n",
                            r.missing_samples, static_cast<double>(r.missing_samples) / r.rate_hz);
    }
    text += fmt::format("resyncs:   {}", r.resyncs.size());
    for (std::size_t i = 0; i < r.resyncs.size(); ++i) {
        text += fmt::format("{} at {:.3f} s (output sample {})", i == 0 ? ":" : ",",
                            r.resyncs[i].at_s, r.resyncs[i].output_sample);
    }
    text += "\n";
    text += fmt::format("host:      {} stalls over {:.0f} ms", r.host_stalls.count, kHostStallMs);
    for (std::size_t i = 0; i < r.host_stalls.longest.size(); ++i) {
        const HostStall& e = r.host_stalls.longest[i];
        text += fmt::format("{} {:.1f} ms at {:.3f} s (CPU {})", i == 0 ? "; longest:" : ",",
                            e.late_ms, e.at_s, e.cpu);
    }
    text += "\n";
    text +=
        fmt::format("offline:   {} ({} of {} samples differ from the offline decode)\n",
                    r.identical ? "identical" : "different", r.differing_samples, r.input_samples);
    if (r.vs_offline) {
        text += fmt::format(
            "quality:   {}STOI {:.5f}, segSNR {:.3f} dB, SNR {:.3f} dB vs offline (first {:.0f} "
            "s)\n",
            r.vs_offline->mos ? fmt::format("MOS {:.3f}, ", *r.vs_offline->mos) : std::string(),
            r.vs_offline->stoi, r.vs_offline->segsnr_db, r.vs_offline->snr_db,
            kQualityWindowSeconds);
    } else {
        text += "quality:   the output is silent\n";
    }
    return text;
}

}  // namespace extrema::cli
