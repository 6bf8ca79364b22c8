#include "cli_app.h"

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "commands.h"
#include "config/help_format.h"
#include "extrema_version.h"

namespace extrema::cli {
namespace {

// A few commands that work as written, shown at the end of each command's --help and in
// extrema(1). Front_Center.wav ships with alsa-utils' sound files.
const std::vector<std::pair<std::string, std::vector<std::string>>>& command_examples() {
    static const std::vector<std::pair<std::string, std::vector<std::string>>> kExamples{
        {"encode",
         {"extrema encode /usr/share/sounds/alsa/Front_Center.wav speech.xtr",
          "extrema encode speech.wav low.xtr --threshold 400 --lowpass 4000",
          "arecord -f S16_LE -r 48000 -d 5 | extrema encode - speech.xtr"}},
        {"decode", {"extrema decode speech.xtr speech.wav", "extrema decode speech.xtr - | aplay"}},
        {"info", {"extrema info speech.xtr", "extrema info --json speech.xsvd"}},
        {"eval",
         {"extrema eval speech.wav decoded.wav --xtr speech.xtr",
          "extrema eval speech.wav decoded.wav --json"}},
        {"compress",
         {"extrema compress speech.wav even.wav --threshold-db -30 --makeup-db auto",
          "extrema compress - limited.wav --ratio inf < speech.wav"}},
        {"svd encode", {"extrema svd encode speech.wav speech.xsvd --rank 16"}},
        {"svd decode", {"extrema svd decode speech.xsvd speech.wav"}},
        {"report",
         {"extrema report /usr/share/sounds/alsa/Front_Center.wav -o report.html",
          "extrema report speech.wav -o report.html --threshold 200 --rank 24"}},
        {"devices", {"extrema devices", "extrema devices --json"}},
        {"loopback",
         {"extrema loopback speech.wav received.wav",
          "extrema loopback speech.wav received.wav --loss 10 --jitter-ms 20 --json"}},
    };
    return kExamples;
}

// Each command's examples become its footer, which --help and extrema(1) print.
void set_examples(CLI::App& app, const std::string& prefix) {
    for (CLI::App* sub : app.get_subcommands({})) {
        const std::string path = prefix + sub->get_name();
        for (const auto& [command, lines] : command_examples()) {
            if (command != path) continue;
            std::string footer;
            for (const auto& line : lines) footer += line + "\n";
            sub->footer(footer);
        }
        set_examples(*sub, path + " ");
    }
}

}  // namespace

void build_extrema_app(CLI::App& app) {
    app.name("extrema");
    app.description(
        "extrema: the extrema stream codec for low-bandwidth voice links. Files in, files out; "
        "'-' reads standard input or writes standard output. Exit status: 0 success, 1 a "
        "runtime error (bad or missing file, device, network), 2 a usage error.");
    app.set_version_flag("--version", std::string("extrema ") + EXTREMA_VERSION);
    app.require_subcommand(1);
    app.formatter(std::make_shared<HelpFormatter>());
    add_encode_command(app);
    add_decode_command(app);
    add_info_command(app);
    add_eval_command(app);
    add_compress_command(app);
    add_svd_command(app);
    add_report_command(app);
    add_devices_command(app);
    add_loopback_command(app);
    set_examples(app, "");
}

}  // namespace extrema::cli
