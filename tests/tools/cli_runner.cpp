#include "cli_runner.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>

namespace extrema::test {

CliResult run_cli(const std::string& args) {
    CliResult result;
    const std::string command = std::string(EXTREMA_CLI) + " " + args + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return result;
    std::array<char, 4096> buffer{};
    while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
        result.output.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

}  // namespace extrema::test
