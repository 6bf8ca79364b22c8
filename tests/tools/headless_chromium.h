#pragma once
// Debian's chromium, headless, for tests of the pages the tools write (../shared/TESTING.md):
// every run gets the flags that keep it off the network and a fresh, empty profile directory.
#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

namespace extrema::test {

// EXTREMA_CHROMIUM, set by the build (/usr/bin/chromium).
const char* chromium_path();

struct ChromiumRun {
    int exit_code = -1;
    std::string out;  // stdout (e.g. --dump-dom)
    std::string err;  // stderr (e.g. --enable-logging=stderr)
};

// Runs chromium headless with `args` appended (a URL last), killed after `timeout`.
ChromiumRun run_chromium(const std::vector<std::string>& args,
                         std::chrono::seconds timeout = std::chrono::seconds(90));

// What a page does when opened through the DevTools protocol (--remote-debugging-pipe): the value
// of a JavaScript expression awaited after the load event, everything the page reported as an
// error, and every URL it requested.
struct PageProbe {
    bool loaded = false;
    std::string value;                  // the expression's string result
    std::vector<std::string> errors;    // exceptions, console errors, log errors
    std::vector<std::string> requests;  // URLs of all requests, the page itself included
    std::string failure;                // why the probe could not finish, if it did not
};

// `expression` must evaluate to a string (or a Promise of one).
PageProbe probe_page(const std::string& url, const std::string& expression,
                     std::chrono::seconds timeout = std::chrono::seconds(90));

// file:// URL of a local path.
std::string file_url(const std::filesystem::path& path);

}  // namespace extrema::test
