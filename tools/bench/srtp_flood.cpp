// extrema_srtp_flood [SSRCS] [PER_SECOND]: what a flood of new SSRCs under SRTP, sent by someone
// holding the key, costs a receiver. A receiving Link (SRTP, null sink) runs in this process; a
// child process runs a tone sender Link to it with the same key and, from another socket on
// 127.0.0.1, sends SSRCS (default 100 000) SRTP packets, each from a new SSRC, at PER_SECOND
// (default 10 000). The receiver's process CPU (getrusage) over the flood, its resident memory
// (VmRSS, VmHWM) before and after, and what its stats say of the real sender are printed;
// measuring, not asserting.
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "extrema/codec/record.h"
#include "net/rtp_header.h"
#include "net/srtp_session.h"
#include "net/udp_socket.h"
#include "net/wire_limits.h"
#include "pipeline/link.h"

namespace {

using namespace extrema;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

// The flood starts this long after the real sender, once the receiver has locked to it.
constexpr auto kLead = 1s;
// A flooding SRTP session is replaced after this many SSRCs, so the flooder's own libsrtp2
// stream list (one per SSRC it protects) stays short and the flood keeps its rate.
constexpr std::uint32_t kSsrcsPerFloodSession = 256;

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// A line of /proc/self/status ("VmRSS", "VmHWM") in kB.
long status_kb(const std::string& field) {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
        if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
    }
    return -1;
}

std::string free_port() {
    boost::asio::io_context io;
    auto socket = net::bind_socket(io, net::resolve_endpoint(io, "127.0.0.1:0"));
    return "127.0.0.1:" + std::to_string(socket.local_endpoint().port());
}

// Child: the real sender, then the flood alongside it; exits when the flood is done.
int run_sender_and_flood(const std::string& peer, const std::string& key_file, std::uint32_t ssrcs,
                         double per_second) {
    pipeline::LinkConfig config;
    config.mode = pipeline::LinkMode::kSend;
    config.audio.input = pipeline::InputKind::kTone;
    config.network.bind = "127.0.0.1:0";
    config.network.peer = peer;
    config.network.srtp_key_file = key_file;
    pipeline::Link sender(config);
    sender.start();
    std::this_thread::sleep_for(kLead);

    boost::asio::io_context io;
    auto socket = net::bind_socket(io, net::resolve_endpoint(io, "127.0.0.1:0"));
    const auto target = net::resolve_endpoint(io, peer);
    const net::SrtpKey key = net::read_srtp_key_file(key_file);
    const std::vector<codec::Record> records = {codec::Record::anchor(0),
                                                codec::Record::curve(3, 480, 1000)};
    std::vector<std::uint8_t> bytes(net::kMaxDatagramBytes);
    std::unique_ptr<net::SrtpSession> srtp;
    const auto start = Clock::now();
    for (std::uint32_t i = 0; i < ssrcs; ++i) {
        if (i % kSsrcsPerFloodSession == 0) {
            srtp = std::make_unique<net::SrtpSession>(key, net::SrtpDirection::kSend);
        }
        const net::RtpHeader header{false, 96, 1, 480, 0x40000000u + i};
        net::pack_rtp_header(header, std::span<std::uint8_t>(bytes).first<net::kRtpHeaderBytes>());
        codec::pack_records(records, std::span<std::uint8_t>(bytes).subspan(net::kRtpHeaderBytes));
        std::size_t length = net::kRtpHeaderBytes + records.size() * codec::kRecordBytes;
        if (!srtp->protect(bytes, length)) return 1;
        boost::system::error_code error;
        socket.send_to(boost::asio::buffer(bytes.data(), length), target, 0, error);
        std::this_thread::sleep_until(start + std::chrono::duration<double>((i + 1) / per_second));
    }
    std::this_thread::sleep_for(500ms);
    sender.stop();
    return 0;
}

}  // namespace

int main(int argc, char** argv) {
    const auto ssrcs = static_cast<std::uint32_t>(argc > 1 ? std::atol(argv[1]) : 100000);
    const double per_second = argc > 2 ? std::atof(argv[2]) : 10000.0;
    try {
        char dir_template[] = "/tmp/extrema-srtp-flood-XXXXXX";
        if (mkdtemp(dir_template) == nullptr) throw std::runtime_error("cannot make a temp dir");
        const std::string key_file = std::string(dir_template) + "/key";
        std::ofstream(key_file) << std::string(60, 'a') << "\n";
        const std::string port = free_port();

        // Fork before any Link exists: the child must not inherit threads.
        const pid_t child = fork();
        if (child < 0) throw std::runtime_error("fork failed");
        if (child == 0) {
            try {
                _exit(run_sender_and_flood(port, key_file, ssrcs, per_second));
            } catch (const std::exception& e) {
                std::fprintf(stderr, "extrema_srtp_flood (sender): %s\n", e.what());
                _exit(1);
            }
        }

        pipeline::LinkConfig config;
        config.mode = pipeline::LinkMode::kReceive;
        config.audio.output = pipeline::OutputKind::kNull;
        config.network.bind = port;
        config.network.allow = {"127.0.0.1"};
        config.network.srtp_key_file = key_file;
        pipeline::Link receiver(config);
        receiver.start();
        std::this_thread::sleep_for(kLead);
        const long rss_before = status_kb("VmRSS");
        const pipeline::ReceiveStats before = receiver.stats().receive;
        const double cpu_before = cpu_seconds();
        const auto wall_before = Clock::now();
        int status = 0;
        waitpid(child, &status, 0);
        const double cpu = cpu_seconds() - cpu_before;
        const double wall = std::chrono::duration<double>(Clock::now() - wall_before).count();
        const long rss_after = status_kb("VmRSS");
        const long hwm = status_kb("VmHWM");
        receiver.stop();
        const pipeline::ReceiveStats after = receiver.stats().receive;
        std::remove(key_file.c_str());
        rmdir(dir_template);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            throw std::runtime_error("the sender/flood process failed");
        }
        const auto drop = [&](net::DropReason reason) {
            return static_cast<unsigned long long>(after.drops[static_cast<std::size_t>(reason)] -
                                                   before.drops[static_cast<std::size_t>(reason)]);
        };
        std::printf("flood of %u new SSRCs under SRTP at %.0f/s with the key, %.1f s:\n", ssrcs,
                    per_second, wall);
        std::printf(
            "  receiver CPU %.1f%% of one core; RSS %ld kB before, %ld kB after (peak %ld)\n",
            100.0 * cpu / wall, rss_before, rss_after, hwm);
        std::printf(
            "  real sender meanwhile: %llu packets, %llu late, %llu lost, %llu resyncs, jitter "
            "%.2f ms\n",
            static_cast<unsigned long long>(after.packets - before.packets),
            static_cast<unsigned long long>(after.late - before.late),
            static_cast<unsigned long long>(after.lost - before.lost),
            static_cast<unsigned long long>(after.resyncs - before.resyncs), after.jitter_ms);
        std::printf("  flood drops: foreign_ssrc %llu, auth %llu, replay %llu; datagrams %llu\n",
                    drop(net::DropReason::kForeignSsrc), drop(net::DropReason::kAuth),
                    drop(net::DropReason::kReplay),
                    static_cast<unsigned long long>(after.datagrams - before.datagrams));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "extrema_srtp_flood: %s\n", e.what());
        return 1;
    }
    return 0;
}
