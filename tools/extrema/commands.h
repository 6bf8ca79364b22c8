#pragma once
// Each subcommand of `extrema` lives in its own cmd_<name>.cpp and registers itself here.
// A command's callback throws on failure; main() prints "extrema: <message>" and exits 1.
#include <CLI/CLI.hpp>

namespace extrema::cli {

void add_encode_command(CLI::App& app);
void add_decode_command(CLI::App& app);
void add_info_command(CLI::App& app);
void add_eval_command(CLI::App& app);
void add_compress_command(CLI::App& app);
void add_svd_command(CLI::App& app);
void add_report_command(CLI::App& app);
void add_devices_command(CLI::App& app);
void add_loopback_command(CLI::App& app);

}  // namespace extrema::cli
