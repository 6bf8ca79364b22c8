// extrema_docs: writes what is rendered from the parsers (tools/extrema/cli_docs.h).
//   extrema_docs readme README.md   rewrite the README's synopsis block
//   extrema_docs synopsis           print it
//   extrema_docs all DIR            extrema.1, extremad.8, extremad.toml.5 and the completions
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "cli_app.h"
#include "cli_docs.h"
#include "daemon_run.h"

namespace {

void write(const std::filesystem::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::trunc);
    out << text;
    if (!out.flush()) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

int main(int argc, char** argv) {
    using namespace extrema;
    try {
        CLI::App extrema;
        cli::build_extrema_app(extrema);
        CLI::App extremad;
        daemon::CommandLine line;
        daemon::add_extremad_options(extremad, line);
        const std::string mode = argc > 1 ? argv[1] : "";
        if (mode == "synopsis") {
            std::cout << cli::render_synopsis_block(extrema);
        } else if (mode == "readme" && argc == 3) {
            std::stringstream document;
            {
                std::ifstream in(argv[2]);
                if (!in) throw std::runtime_error(std::string("cannot read ") + argv[2]);
                document << in.rdbuf();
            }
            write(argv[2], cli::update_readme_synopsis(document.str(), extrema));
        } else if (mode == "all" && argc == 3) {
            const std::filesystem::path dir = argv[2];
            std::filesystem::create_directories(dir / "bash");
            std::filesystem::create_directories(dir / "zsh");
            write(dir / "extrema.1", cli::render_extrema_man(extrema));
            write(dir / "extremad.8", cli::render_extremad_man(extremad));
            write(dir / "extremad.toml.5", cli::render_config_man());
            write(dir / "bash" / "extrema", cli::render_bash_completion(extrema));
            write(dir / "bash" / "extremad", cli::render_bash_completion(extremad));
            write(dir / "zsh" / "_extrema", cli::render_zsh_completion(extrema));
            write(dir / "zsh" / "_extremad", cli::render_zsh_completion(extremad));
        } else {
            std::cerr << "usage: extrema_docs synopsis | readme README.md | all DIR\n";
            return 2;
        }
        return 0;
    } catch (const std::exception& error) {
        std::cerr << "extrema_docs: " << error.what() << '\n';
        return 1;
    }
}
