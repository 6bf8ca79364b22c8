#include "jack_server.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

extern char** environ;

namespace extrema::audio::test {
namespace {

using namespace std::chrono_literals;

// A jackd start is a fraction of a second; 15 s leaves room for a heavily loaded machine.
constexpr auto kReadyTimeout = 15s;
constexpr auto kReadyPoll = 20ms;
// A clean jackd shutdown is quicker still.
constexpr auto kStopTimeout = 5s;

// execvp/posix_spawnp's argv: pointers into `args`, null-terminated.
std::vector<char*> argv_of(const std::vector<std::string>& args) {
    std::vector<char*> argv;
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    return argv;
}

pid_t spawn(const std::vector<std::string>& args, const std::string& output_path) {
    std::vector<char*> argv = argv_of(args);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, output_path.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
    pid_t pid = -1;
    const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot run " + args[0] + ": is jackd2 installed?");
    return pid;
}

// Starts jackd as a child that the kernel stops (SIGTERM) if this test process dies first, so
// a test killed by its timeout leaves no server behind.
pid_t spawn_server(const std::vector<std::string>& args, const std::string& output_path) {
    std::vector<char*> argv = argv_of(args);  // before fork: the child may not allocate
    const pid_t parent = ::getpid();
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("cannot fork for jackd");
    if (pid == 0) {  // child: async-signal-safe calls only
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) ::_exit(127);
        const int in = ::open("/dev/null", O_RDONLY);
        const int out = ::open(output_path.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        if (in < 0 || out < 0) ::_exit(127);
        ::dup2(in, STDIN_FILENO);
        ::dup2(out, STDOUT_FILENO);
        ::dup2(out, STDERR_FILENO);
        ::execvp(argv[0], argv.data());
        ::_exit(127);
    }
    return pid;
}

// Runs a command to completion (bounded by the caller's loop); returns its exit status.
int run(const std::vector<std::string>& args) {
    const pid_t pid = spawn(args, "/dev/null");
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool exited(pid_t pid) {
    int status = 0;
    return waitpid(pid, &status, WNOHANG) == pid;
}

}  // namespace

JackServer::JackServer(int rate_hz, int period_frames)
    : rate_hz_(rate_hz), period_frames_(period_frames) {
    static std::atomic<int> serial{0};
    name_ = "extrema-test-" + std::to_string(::getpid()) + "-" + std::to_string(serial++);
    log_path_ = std::filesystem::temp_directory_path() / (name_ + ".log");
    ::setenv("JACK_DEFAULT_SERVER", name_.c_str(), 1);
    ::setenv("JACK_NO_AUDIO_RESERVATION", "1", 1);
    ::setenv("JACK_NO_START_SERVER", "1", 1);
    // A JACK client that writes to a server socket closing under it must get EPIPE, not die.
    ::signal(SIGPIPE, SIG_IGN);
    if (launch(true)) {
        const std::string output = log();
        const bool realtime = output.find("Cannot use real-time scheduling") == std::string::npos &&
                              output.find("Cannot use real time scheduling") == std::string::npos;
        if (!realtime) {
            std::fprintf(stderr,
                         "[jack] NOTE: jackd %s runs without real-time scheduling "
                         "(xruns likely on a loaded machine)\n",
                         name_.c_str());
        }
        return;
    }
    std::fprintf(stderr,
                 "[jack] NOTE: jackd -R could not start (no real-time permission?); retrying "
                 "without -R. Its output:\n%s\n",
                 log().c_str());
    if (launch(false)) return;
    const std::string output = log();
    std::filesystem::remove(log_path_);
    throw std::runtime_error("jackd could not start, with or without -R:\n" + output);
}

JackServer::~JackServer() {
    terminate();
    std::error_code ec;
    std::filesystem::remove(log_path_, ec);
}

std::string JackServer::log() const {
    std::ifstream in(log_path_);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

bool JackServer::launch(bool realtime) {
    std::vector<std::string> args{"jackd"};
    if (realtime) args.emplace_back("-R");
    // -p 64 before -d: at most 64 ports, so the server's shared memory stays small (a small
    // /dev/shm otherwise kills it with SIGBUS); -p after the driver: the period in frames.
    for (const char* a : {"-p", "64", "-d", "dummy", "-r"}) args.emplace_back(a);
    args.push_back(std::to_string(rate_hz_));
    args.emplace_back("-p");
    args.push_back(std::to_string(period_frames_));
    pid_ = spawn_server(args, log_path_.string());
    const auto deadline = std::chrono::steady_clock::now() + kReadyTimeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (exited(pid_)) {
            pid_ = -1;
            return false;
        }
        // jack_lsp exits 0 only once the server answers (jack_wait -c lies: TESTING.md).
        if (run({"jack_lsp"}) == 0) return true;
        std::this_thread::sleep_for(kReadyPoll);
    }
    terminate();
    return false;
}

void JackServer::terminate() noexcept {
    if (pid_ > 0) {
        ::kill(pid_, SIGTERM);
        const auto deadline = std::chrono::steady_clock::now() + kStopTimeout;
        bool gone = false;
        while (!(gone = exited(pid_)) && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(10ms);
        }
        if (!gone) {
            std::fprintf(stderr, "[jack] jackd %s ignored SIGTERM for %lld s: killing it\n",
                         name_.c_str(), static_cast<long long>(kStopTimeout.count()));
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        if (::kill(pid_, 0) == 0) {
            std::fprintf(stderr, "[jack] jackd %s (pid %d) is still running after teardown\n",
                         name_.c_str(), static_cast<int>(pid_));
        }
        pid_ = -1;
    }
    // A killed jackd leaves its segments and semaphores behind; they carry the server's name
    // (jack_<name>_*, jack_sem.<uid>_<name>_*). The shared registry is left to other servers.
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/dev/shm", ec)) {
        const std::string file = entry.path().filename().string();
        if (file.rfind("jack", 0) == 0 && file.find(name_) != std::string::npos) {
            std::filesystem::remove(entry.path(), ec);
        }
    }
}

}  // namespace extrema::audio::test
