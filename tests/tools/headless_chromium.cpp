#include "headless_chromium.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstring>

#include <nlohmann/json.hpp>

#include "temp_dir.h"

namespace extrema::test {
namespace {

using Clock = std::chrono::steady_clock;

// Every run gets a fresh, empty profile directory (TempDir), removed afterwards. Players may be
// started from script (a test has no user's click to unlock playback).
std::vector<std::string> base_args(const TempDir& profile) {
    return {chromium_path(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--autoplay-policy=no-user-gesture-required",
            "--user-data-dir=" + profile.path().string()};
}

// Starts argv with stdout/stderr sent to files and, if given, fds 3/4 bound to `pipe_in` (read by
// the child) and `pipe_out` (written by the child).
pid_t spawn(const std::vector<std::string>& argv, const std::filesystem::path& out,
            const std::filesystem::path& err, int pipe_in = -1, int pipe_out = -1) {
    std::vector<char*> c_argv;
    for (const auto& a : argv) c_argv.push_back(const_cast<char*>(a.c_str()));
    c_argv.push_back(nullptr);
    const pid_t pid = ::fork();
    if (pid != 0) return pid;
    // Child: only async-signal-safe calls until exec.
    const int out_fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    const int err_fd = ::open(err.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out_fd < 0 || err_fd < 0) ::_exit(126);
    ::dup2(out_fd, 1);
    ::dup2(err_fd, 2);
    const int null_fd = ::open("/dev/null", O_RDONLY);
    ::dup2(null_fd, 0);
    if (pipe_in >= 0) {
        // Move both out of the way first, so dup2 onto 3 cannot clobber the other one.
        const int in_copy = ::fcntl(pipe_in, F_DUPFD, 10);
        const int out_copy = ::fcntl(pipe_out, F_DUPFD, 10);
        ::dup2(in_copy, 3);
        ::dup2(out_copy, 4);
    }
    ::execv(c_argv[0], c_argv.data());
    ::_exit(127);
}

// Waits for `pid` until `deadline`, then kills it. Returns its exit code (-1 if killed).
int wait_or_kill(pid_t pid, Clock::time_point deadline) {
    int status = 0;
    while (Clock::now() < deadline) {
        const pid_t r = ::waitpid(pid, &status, WNOHANG);
        if (r == pid) return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        if (r < 0) return -1;
        ::usleep(20000);
    }
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    return -1;
}

using Json = nlohmann::json;

// The string at `pointer` in `message` ("" when it is not there).
std::string string_at(const Json& message, const char* pointer) {
    const Json::json_pointer at(pointer);
    return message.contains(at) && message[at].is_string() ? message[at].get<std::string>()
                                                           : std::string();
}

// One DevTools session over the pipe: messages are JSON texts ended by a NUL byte.
class DevTools {
  public:
    DevTools(int write_fd, int read_fd, PageProbe& probe)
        : write_fd_(write_fd), read_fd_(read_fd), probe_(probe) {}

    int send(const std::string& method, const Json& params = Json::object(),
             const std::string& session = "") {
        const int id = ++last_id_;
        Json message = {{"id", id}, {"method", method}, {"params", params}};
        if (!session.empty()) message["sessionId"] = session;
        std::string text = message.dump();
        text.push_back('\0');
        std::size_t done = 0;
        while (done < text.size()) {
            const ssize_t n = ::write(write_fd_, text.data() + done, text.size() - done);
            if (n <= 0) return -1;
            done += static_cast<std::size_t>(n);
        }
        return id;
    }

    // The response to request `id` (null on timeout); events seen meanwhile are recorded.
    Json response(int id, Clock::time_point deadline) {
        return next([&](const Json& m) { return m.value("id", 0) == id; }, deadline);
    }

    // The first event named `method` (null on timeout).
    Json event(const std::string& method, Clock::time_point deadline) {
        return next([&](const Json& m) { return string_at(m, "/method") == method; }, deadline);
    }

  private:
    template <typename Match>
    Json next(Match match, Clock::time_point deadline) {
        for (;;) {
            const auto end = buffer_.find('\0');
            if (end != std::string::npos) {
                Json message = Json::parse(std::string_view(buffer_).substr(0, end), nullptr,
                                           /*allow_exceptions=*/false);
                buffer_.erase(0, end + 1);
                if (!message.is_object()) {
                    probe_.errors.push_back("not a DevTools message");
                    continue;
                }
                record(message);
                if (match(message)) return message;
                continue;
            }
            const auto left =
                std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
            if (left.count() <= 0) return {};
            pollfd p{read_fd_, POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
            std::array<char, 65536> chunk{};
            const ssize_t n = ::read(read_fd_, chunk.data(), chunk.size());
            if (n <= 0) return {};  // the browser went away
            buffer_.append(chunk.data(), static_cast<std::size_t>(n));
        }
    }

    void record(const Json& m) {
        const std::string method = string_at(m, "/method");
        const auto excerpt = [&] { return m.dump().substr(0, 600); };
        if (method == "Runtime.exceptionThrown") {
            probe_.errors.push_back("exception: " + excerpt());
        } else if (method == "Runtime.consoleAPICalled" &&
                   (string_at(m, "/params/type") == "error" ||
                    string_at(m, "/params/type") == "assert")) {
            probe_.errors.push_back("console: " + excerpt());
        } else if (method == "Log.entryAdded" && string_at(m, "/params/entry/level") == "error") {
            probe_.errors.push_back("log: " + excerpt());
        } else if (method == "Network.requestWillBeSent") {
            // The request's own URL (data: URLs can be long: keep the scheme and a little more).
            probe_.requests.push_back(string_at(m, "/params/request/url").substr(0, 80));
        }
    }

    int write_fd_, read_fd_;
    PageProbe& probe_;
    int last_id_ = 0;
    std::string buffer_;
};

}  // namespace

const char* chromium_path() {
    return EXTREMA_CHROMIUM;
}

std::string file_url(const std::filesystem::path& path) {
    return "file://" + std::filesystem::absolute(path).string();
}

ChromiumRun run_chromium(const std::vector<std::string>& args, std::chrono::seconds timeout) {
    const TempDir profile("extrema-chromium");
    std::vector<std::string> argv = base_args(profile);
    argv.insert(argv.end(), args.begin(), args.end());
    const auto out = profile.path() / "stdout.txt";
    const auto err = profile.path() / "stderr.txt";
    ChromiumRun run;
    const pid_t pid = spawn(argv, out, err);
    if (pid < 0) return run;
    run.exit_code = wait_or_kill(pid, Clock::now() + timeout);
    run.out = read_text(out);
    run.err = read_text(err);
    return run;
}

PageProbe probe_page(const std::string& url, const std::string& expression,
                     std::chrono::seconds timeout) {
    PageProbe probe;
    // A write to a browser that died must fail with EPIPE, not kill the test.
    ::signal(SIGPIPE, SIG_IGN);
    const TempDir profile("extrema-chromium");
    std::vector<std::string> argv = base_args(profile);
    argv.push_back("--remote-debugging-pipe");
    int to_browser[2], from_browser[2];
    if (::pipe2(to_browser, O_CLOEXEC) != 0 || ::pipe2(from_browser, O_CLOEXEC) != 0) {
        probe.failure = "pipe() failed";
        return probe;
    }
    const pid_t pid = spawn(argv, profile.path() / "stdout.txt", profile.path() / "stderr.txt",
                            to_browser[0], from_browser[1]);
    ::close(to_browser[0]);
    ::close(from_browser[1]);
    const auto deadline = Clock::now() + timeout;
    {
        DevTools dt(to_browser[1], from_browser[0], probe);
        const auto fail = [&](const std::string& why) { probe.failure = why; };
        const std::string target = string_at(
            dt.response(dt.send("Target.createTarget", {{"url", "about:blank"}}), deadline),
            "/result/targetId");
        const std::string session =
            target.empty()
                ? std::string()
                : string_at(dt.response(dt.send("Target.attachToTarget",
                                                {{"targetId", target}, {"flatten", true}}),
                                        deadline),
                            "/result/sessionId");
        if (pid < 0 || session.empty()) {
            fail("no DevTools session (chromium did not start?)");
        } else {
            for (const char* domain :
                 {"Runtime.enable", "Log.enable", "Page.enable", "Network.enable"}) {
                dt.response(dt.send(domain, Json::object(), session), deadline);
            }
            dt.send("Page.navigate", {{"url", url}}, session);
            probe.loaded = !dt.event("Page.loadEventFired", deadline).is_null();
            if (!probe.loaded) {
                fail("the page never fired its load event");
            } else {
                const Json result = dt.response(dt.send("Runtime.evaluate",
                                                        {{"expression", expression},
                                                         {"awaitPromise", true},
                                                         {"returnByValue", true}},
                                                        session),
                                                deadline);
                probe.value = string_at(result, "/result/result/value");
                if (result.is_null()) fail("the probe expression did not finish in time");
            }
        }
        dt.send("Browser.close");
    }
    ::close(to_browser[1]);
    ::close(from_browser[0]);
    if (pid > 0) wait_or_kill(pid, Clock::now() + std::chrono::seconds(10));
    return probe;
}

}  // namespace extrema::test
