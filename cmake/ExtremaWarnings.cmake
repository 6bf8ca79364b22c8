# Warning flags for every target of the project (not for third-party code).
set(EXTREMA_COMMON_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
    -Wimplicit-fallthrough)
if(EXTREMA_WERROR)
  list(APPEND EXTREMA_COMMON_WARNINGS -Werror)
endif()
add_library(extrema_warnings INTERFACE)
target_compile_options(extrema_warnings INTERFACE ${EXTREMA_COMMON_WARNINGS} -Wconversion -Wno-sign-conversion)
# Tests mix integer sample values and float maths freely; production code keeps -Wconversion.
add_library(extrema_test_warnings INTERFACE)
target_compile_options(extrema_test_warnings INTERFACE ${EXTREMA_COMMON_WARNINGS})
