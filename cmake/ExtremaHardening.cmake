# Debian's hardening build flags (dpkg-buildflags with hardening=+all, less PIE, which GCC on
# Debian already defaults to): a fortified libc, stack protector, format checks, read-only
# relocations bound at start-up. Left out of sanitizer and fuzzer builds, which bring their own
# instrumentation (and FORTIFY_SOURCE hides calls from ASan's interceptors).
# On in the `package` preset, which builds the .deb (tools/scripts/check-deb.sh); off elsewhere so
# the test builds share their compiled objects with every other build of the project.
option(EXTREMA_HARDENING "Build with Debian's hardening flags" OFF)
if(EXTREMA_HARDENING AND EXTREMA_SANITIZE STREQUAL "" AND NOT EXTREMA_BUILD_FUZZERS)
  # FORTIFY_SOURCE needs the optimiser: not in Debug.
  add_compile_options(-fstack-protector-strong -Wformat -Werror=format-security
                      $<$<NOT:$<CONFIG:Debug>>:-D_FORTIFY_SOURCE=2>)
  add_link_options(-Wl,-z,relro -Wl,-z,now)
endif()
