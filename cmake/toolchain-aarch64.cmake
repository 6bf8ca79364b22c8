# Cross-compiles for 64-bit ARM (a Raspberry Pi 3/4/5 on a 64-bit OS) on a Debian amd64 host, with
# Debian's multiarch packages: the cross compiler (crossbuild-essential-arm64) and the libraries'
# :arm64 builds (tools/scripts/install-deps.sh --arm64). Test binaries run under qemu-user.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)
# Multiarch: the :arm64 libraries sit in /usr/lib/aarch64-linux-gnu, beside the host's, and share
# /usr/include; find_package() looks there by the compiler's library architecture.
set(CMAKE_LIBRARY_ARCHITECTURE aarch64-linux-gnu)
# pkg-config reads only the arm64 and architecture-independent .pc files, and ours for libsrtp2:
# Debian 12's libsrtp2-dev is not co-installable across architectures, so only its arm64 runtime
# (libsrtp2-1:arm64) is installed; its headers are the host package's (the same for every arch).
set(ENV{PKG_CONFIG_LIBDIR} "/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "${CMAKE_CURRENT_LIST_DIR}/aarch64")
# ctest and GoogleTest's test discovery run the arm64 binaries through this; -L: the arm64 loader
# and C/C++ runtime of the cross toolchain.
set(CMAKE_CROSSCOMPILING_EMULATOR qemu-aarch64 -L /usr/aarch64-linux-gnu)
