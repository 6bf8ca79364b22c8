#include "daemon_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <sstream>
#include <system_error>
#include <thread>

extern char** environ;

namespace extrema::daemon::testing {
namespace {

using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

constexpr auto kPollPeriod = 10ms;

// What systemd hands a service; the test decides each of them, the test's own never leak in.
constexpr std::array<std::string_view, 8> kSystemdVariables{
    "NOTIFY_SOCKET", "WATCHDOG_USEC", "WATCHDOG_PID", "JOURNAL_STREAM",
    "INVOCATION_ID", "LISTEN_FDS",    "LISTEN_PID",   "LISTEN_FDNAMES"};

bool is_systemd_variable(std::string_view entry) {
    const std::string_view name = entry.substr(0, entry.find('='));
    for (const std::string_view variable : kSystemdVariables) {
        if (name == variable) return true;
    }
    return false;
}

std::vector<std::string> child_environment(const DaemonEnvironment& environment) {
    std::vector<std::string> entries;
    for (char** entry = environ; *entry != nullptr; ++entry) {
        const std::string_view text(*entry);
        const std::string name(text.substr(0, text.find('=')));
        if (!is_systemd_variable(text) && !environment.variables.contains(name)) {
            entries.emplace_back(text);
        }
    }
    for (const auto& [name, value] : environment.variables) entries.push_back(name + "=" + value);
    return entries;
}

std::vector<char*> null_terminated(std::vector<std::string>& strings) {
    std::vector<char*> pointers;
    for (std::string& text : strings) pointers.push_back(text.data());
    pointers.push_back(nullptr);
    return pointers;
}

// "WATCHDOG_PID=<pid>" into `buffer`, with nothing but async-signal-safe work: runs in the
// child between fork() and exec().
void format_watchdog_pid(char* buffer, std::size_t size, pid_t pid) {
    constexpr std::string_view prefix = "WATCHDOG_PID=";
    std::array<char, 24> digits{};
    std::size_t count = 0;
    do {
        digits[count++] = static_cast<char>('0' + pid % 10);
        pid /= 10;
    } while (pid > 0 && count < digits.size());
    std::size_t at = 0;
    for (const char c : prefix) buffer[at++] = c;
    while (count > 0 && at + 1 < size) buffer[at++] = digits[--count];
    buffer[at] = '\0';
}

int open_output(const std::filesystem::path& path) {
    const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) throw std::system_error(errno, std::generic_category(), path.string());
    return fd;
}

}  // namespace

DaemonProcess::DaemonProcess(const std::vector<std::string>& args,
                             const DaemonEnvironment& environment) {
    // Everything the child needs is built here: between fork() and exec() only
    // async-signal-safe calls are allowed.
    std::vector<std::string> argv_strings{EXTREMAD_PATH};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv = null_terminated(argv_strings);
    std::vector<std::string> env_strings = child_environment(environment);
    std::array<char, 64> watchdog_pid{};
    std::vector<char*> envp = null_terminated(env_strings);
    if (environment.watchdog_pid_is_child) envp.insert(envp.end() - 1, watchdog_pid.data());

    const int out_fd = open_output(dir_ / "stdout");
    const int err_fd = open_output(dir_ / "stderr");
    const int null_fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
    pid_ = fork();
    if (pid_ == 0) {
        if (environment.watchdog_pid_is_child) {
            format_watchdog_pid(watchdog_pid.data(), watchdog_pid.size(), getpid());
        }
        dup2(null_fd, STDIN_FILENO);
        dup2(out_fd, STDOUT_FILENO);
        dup2(err_fd, STDERR_FILENO);
        execve(argv[0], argv.data(), envp.data());
        constexpr std::string_view failed = "test: cannot exec extremad\n";
        (void)!write(STDERR_FILENO, failed.data(), failed.size());
        _exit(127);
    }
    const int fork_errno = errno;
    close(out_fd);
    close(err_fd);
    if (null_fd >= 0) close(null_fd);
    if (pid_ < 0) throw std::system_error(fork_errno, std::generic_category(), "fork");
}

DaemonProcess::~DaemonProcess() {
    if (pid_ > 0 && !status_) {
        kill(pid_, SIGKILL);
        reap(true);
    }
}

void DaemonProcess::send_signal(int signal_number) const {
    if (kill(pid_, signal_number) != 0) {
        throw std::system_error(errno, std::generic_category(), "kill");
    }
}

bool DaemonProcess::reap(bool block) {
    if (status_) return true;
    int status = 0;
    while (true) {
        const pid_t got = waitpid(pid_, &status, block ? 0 : WNOHANG);
        if (got == pid_) break;
        if (got == 0) return false;
        if (errno != EINTR) throw std::system_error(errno, std::generic_category(), "waitpid");
    }
    status_ = status;
    return true;
}

bool DaemonProcess::running() {
    return !reap(false);
}

int DaemonProcess::wait_exit(std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (!reap(false)) {
        if (Clock::now() >= deadline) {
            kill(pid_, SIGKILL);
            reap(true);
            return kTimedOut;
        }
        std::this_thread::sleep_for(kPollPeriod);
    }
    if (WIFEXITED(*status_)) return WEXITSTATUS(*status_);
    return 128 + WTERMSIG(*status_);
}

std::string DaemonProcess::stderr_text() const {
    return extrema::test::read_text(dir_ / "stderr");
}

std::string DaemonProcess::stdout_text() const {
    return extrema::test::read_text(dir_ / "stdout");
}

std::optional<std::string> DaemonProcess::await_stderr(std::string_view needle,
                                                       std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    while (true) {
        // Whether it had exited is asked before reading: all it wrote is then in the text.
        const bool exited = !running();
        const std::string text = stderr_text();
        const std::size_t at = text.find(needle, stderr_cursor_);
        const std::size_t end = at == std::string::npos ? at : text.find('\n', at);
        // A line still being written counts only once the child can write no more of it.
        if (at != std::string::npos && (end != std::string::npos || exited)) {
            const std::size_t begin = text.rfind('\n', at);
            const std::size_t from = begin == std::string::npos ? 0 : begin + 1;
            stderr_cursor_ = end == std::string::npos ? text.size() : end + 1;
            return text.substr(from, (end == std::string::npos ? text.size() : end) - from);
        }
        if (exited || Clock::now() >= deadline) return std::nullopt;
        std::this_thread::sleep_for(kPollPeriod);
    }
}

std::string describe_stderr(const DaemonProcess& daemon) {
    std::istringstream lines(daemon.stderr_text());
    std::string out = "extremad's stderr:\n";
    for (std::string line; std::getline(lines, line);) out += "    " + line + "\n";
    return out;
}

}  // namespace extrema::daemon::testing
