// `extrema`: the command-line tool for files, quality measurement and the loopback harness.
#include "cli_app.h"
#include "cli_errors.h"
#include "output_file.h"

int main(int argc, char** argv) {
    extrema::cli::remove_temporaries_on_signals();
    CLI::App app;
    extrema::cli::build_extrema_app(app);
    return extrema::cli::run_command_line(app, argc, argv);
}
