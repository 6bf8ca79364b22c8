// `extrema`: the command-line tool for files, quality measurement and the loopback harness.
#include "cli_app.h"
#include "cli_errors.h"

int main(int argc, char** argv) {
    CLI::App app;
    extrema::cli::build_extrema_app(app);
    return extrema::cli::run_command_line(app, argc, argv);
}
