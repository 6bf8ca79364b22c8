#include "cli_runner.h"

#include <sys/wait.h>

#include <array>
#include <cstdio>

namespace extrema::test {

CliResult run_shell(const std::string& command) {
    CliResult result;
    FILE* pipe = ::popen(("( " + command + " ) 2>&1").c_str(), "r");
    if (pipe == nullptr) return result;
    std::array<char, 4096> buffer{};
    while (const std::size_t n = std::fread(buffer.data(), 1, buffer.size(), pipe))
        result.output.append(buffer.data(), n);
    const int status = ::pclose(pipe);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

CliResult run_cli(const std::string& args) {
    return run_shell(std::string(EXTREMA_CLI) + " " + args);
}

}  // namespace extrema::test
