// extrema_config_docs FILE: rewrites the generated key reference in FILE (docs/config.md) from
// the key table; without FILE, prints it. `ninja config_docs` runs it after config_keys.cpp
// changes.
#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>

#include "config/config_reference.h"

int main(int argc, char** argv) {
    using namespace extrema::config;
    try {
        if (argc < 2) {
            std::cout << render_config_reference_markdown();
            return 0;
        }
        std::stringstream document;
        {
            std::ifstream in(argv[1]);
            if (!in) throw std::runtime_error(std::string("cannot read ") + argv[1]);
            document << in.rdbuf();
        }
        const std::string updated = update_config_reference(document.str());
        std::ofstream out(argv[1], std::ios::trunc);
        out << updated;
        if (!out.flush()) throw std::runtime_error(std::string("cannot write ") + argv[1]);
        return 0;
    } catch (const std::exception& error) {
        std::cerr << "extrema_config_docs: " << error.what() << '\n';
        return 1;
    }
}
