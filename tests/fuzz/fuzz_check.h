#pragma once
// The fuzz targets' assertion: a broken invariant must crash in every build type (whatever NDEBUG
// says) so that libFuzzer reports it and saves the input that broke it.
#include <cstdio>
#include <cstdlib>

#define FUZZ_REQUIRE(condition)                                                                    \
    do {                                                                                           \
        if (!(condition)) {                                                                        \
            std::fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #condition); \
            std::abort();                                                                          \
        }                                                                                          \
    } while (false)
