// `extrema`: the command-line tool for files, quality measurement and the loopback harness.
#include <cstdio>
#include <exception>

#include "commands.h"
#include "extrema_version.h"
#include "output_file.h"

int main(int argc, char** argv) {
    CLI::App app{"extrema: the extrema stream codec for low-bandwidth voice links"};
    app.set_version_flag("--version", std::string("extrema ") + EXTREMA_VERSION);
    app.require_subcommand(1);
    extrema::cli::remove_temporaries_on_signals();
    extrema::cli::add_encode_command(app);
    extrema::cli::add_decode_command(app);
    extrema::cli::add_info_command(app);
    extrema::cli::add_eval_command(app);
    extrema::cli::add_compress_command(app);
    extrema::cli::add_svd_command(app);
    extrema::cli::add_report_command(app);
    extrema::cli::add_devices_command(app);
    extrema::cli::add_loopback_command(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e);
    } catch (const std::exception& e) {
        std::fprintf(stderr, "extrema: %s\n", e.what());
        return 1;
    }
    return 0;
}
