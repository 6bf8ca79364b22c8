// extremad: the Extrema voice-link daemon (docs/daemon.md).
#include "daemon_run.h"

int main(int argc, char** argv) {
    return extrema::daemon::run_extremad(argc, argv);
}
