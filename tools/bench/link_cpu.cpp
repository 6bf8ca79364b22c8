// extrema_link_cpu [SECONDS] [PACKET_MS]: the CPU one duplex link costs. Two duplex Links talk to
// each other over UDP on 127.0.0.1 at 48 kHz, each with a tone as its microphone and a null sink
// as its speaker: one pretend duplex sound card, paced in real time, one thread like one duplex
// callback (audio::PacedDuplex), for SECONDS (default 60). The process's CPU time (getrusage)
// over that span, halved, is one link's cost, including its pretend device. First it measures
// what a bare 10 ms wake-up costs on this machine: that part of the device's figure is the
// device's own. Prints the figures; measuring, not asserting.
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <boost/asio/io_context.hpp>

#include "audio/source_thread.h"
#include "net/udp_socket.h"
#include "pipeline/link.h"

namespace {

using namespace extrema;

double cpu_seconds() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
           static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

// CPU seconds of this process's threads named `name` (from /proc/self/task/*/stat).
double thread_cpu_seconds(const std::string& name) {
    double total = 0.0;
    const long ticks_per_second = sysconf(_SC_CLK_TCK);
    for (const auto& task : std::filesystem::directory_iterator("/proc/self/task")) {
        std::ifstream comm(task.path() / "comm");
        std::string thread_name;
        std::getline(comm, thread_name);
        if (thread_name != name) continue;
        std::ifstream stat(task.path() / "stat");
        std::string text((std::istreambuf_iterator<char>(stat)), std::istreambuf_iterator<char>());
        // Fields after the parenthesised name: state is field 3, utime 14, stime 15.
        std::istringstream fields(text.substr(text.rfind(')') + 2));
        std::string field;
        double utime = 0.0;
        double stime = 0.0;
        for (int i = 3; i <= 15 && fields >> field; ++i) {
            if (i == 14) utime = std::stod(field);
            if (i == 15) stime = std::stod(field);
        }
        total += (utime + stime) / static_cast<double>(ticks_per_second);
    }
    return total;
}

std::string free_port() {
    boost::asio::io_context io;
    auto socket = net::bind_socket(io, net::resolve_endpoint(io, "127.0.0.1:0"));
    return "127.0.0.1:" + std::to_string(socket.local_endpoint().port());
}

pipeline::LinkConfig duplex(const std::string& bind, const std::string& peer, double packet_ms) {
    pipeline::LinkConfig config;
    config.mode = pipeline::LinkMode::kDuplex;
    config.audio.input = pipeline::InputKind::kTone;
    config.audio.output = pipeline::OutputKind::kNull;
    config.network.bind = bind;
    config.network.peer = peer;
    config.network.packet_ms = packet_ms;
    return config;
}

// What a thread costs that does nothing but wake every 10 ms on absolute deadlines, as the pretend
// duplex device (or any sound card's callback thread at a 10 ms period) does: this machine's
// price of a wake-up, which a link pays whatever it does once awake. Percent of one core.
double idle_wakeup_floor_percent(double seconds) {
    double percent = 0.0;
    std::thread([&] {
        const auto period = std::chrono::milliseconds(audio::kDefaultBlockMs);
        const int wakeups = static_cast<int>(seconds * 1000.0 / audio::kDefaultBlockMs);
        timespec before{};
        timespec after{};
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &before);
        auto due = std::chrono::steady_clock::now();
        for (int i = 0; i < wakeups; ++i) std::this_thread::sleep_until(due += period);
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &after);
        const double cpu = static_cast<double>(after.tv_sec - before.tv_sec) +
                           static_cast<double>(after.tv_nsec - before.tv_nsec) / 1e9;
        percent = 100.0 * cpu / seconds;
    }).join();
    return percent;
}

}  // namespace

int main(int argc, char** argv) {
    double seconds = 60.0;
    double packet_ms = pipeline::NetworkSettings{}.packet_ms;  // the daemon's default
    CLI::App app{
        "extrema_link_cpu: the CPU one duplex link costs (two links on 127.0.0.1, tone in, null "
        "out), measured over SECONDS"};
    app.add_option("seconds", seconds, "How long to measure, s")
        ->check(CLI::Range(1.0, 86400.0))
        ->capture_default_str();
    app.add_option("packet_ms", packet_ms, "Audio per packet, ms")
        ->check(CLI::Range(1.0, 100.0))
        ->capture_default_str();
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        const int code = app.exit(e);
        return code == 0 ? 0 : 2;  // 2: a usage error, as extrema and extremad
    }
    try {
        const double floor = idle_wakeup_floor_percent(std::min(seconds, 10.0));
        const std::string a = free_port();
        const std::string b = free_port();
        pipeline::Link link_a(duplex(a, b, packet_ms));
        pipeline::Link link_b(duplex(b, a, packet_ms));
        link_a.start();
        link_b.start();
        std::this_thread::sleep_for(std::chrono::seconds(1));  // past start-up
        const double cpu_before = cpu_seconds();
        const double net_before = thread_cpu_seconds(pipeline::kNetworkThreadName);
        const auto wall_before = std::chrono::steady_clock::now();
        std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
        const double cpu = cpu_seconds() - cpu_before;
        const double net = thread_cpu_seconds(pipeline::kNetworkThreadName) - net_before;
        const double wall =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_before).count();
        link_a.stop();
        link_b.stop();
        const pipeline::LinkStats s = link_a.stats();
        const double per_link_percent = 100.0 * cpu / wall / 2.0;
        std::printf(
            "duplex link, 48 kHz, %.1f ms packets, %.1f s: %.3f%% of one core per link "
            "(%.3f s CPU for two links)\n",
            packet_ms, wall, per_link_percent, cpu);
        std::printf(
            "  of which the link's network thread (encoder, validation, UDP): %.3f%%; the "
            "rest is the pretend duplex device: the tone generator, and the null sink whose "
            "period runs the jitter buffer and the decoder\n",
            100.0 * net / wall / 2.0);
        std::printf(
            "  an idle thread waking every %d ms costs %.3f%% here: that much of the pretend "
            "device's share is only its waking, as any sound card's callback thread at that "
            "period; the link's own share is %.3f%%\n",
            audio::kDefaultBlockMs, floor, per_link_percent - floor);
        std::printf(
            "link A: network thread woke %.1f times a second; sent %llu packets, received "
            "%llu, lost %llu, concealed %llu samples\n",
            static_cast<double>(s.network_wakeups) / s.uptime_s,
            static_cast<unsigned long long>(s.send.packets),
            static_cast<unsigned long long>(s.receive.packets),
            static_cast<unsigned long long>(s.receive.lost),
            static_cast<unsigned long long>(s.receive.concealed_samples));
    } catch (const std::exception& e) {
        std::fprintf(stderr, "extrema_link_cpu: %s\n", e.what());
        return 1;
    }
    return 0;
}
