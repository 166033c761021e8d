# CMake toolchain file: 32-bit little-endian MIPS Linux, glibc (Debian's
# mipsel-linux-gnu cross compiler, package gcc-mipsel-linux-gnu): the CPU of
# OpenWrt's ramips boards. Rust has no standard library to install for it
# (tier 3): cmake/SockctlCargo.cmake builds core from rust-src.
#
#   cmake -S . -B build-mipsel -DCMAKE_TOOLCHAIN_FILE=toolchain-mipsel.cmake \
#         -DCMAKE_FIND_ROOT_PATH=/path/to/staged/install
#
# As toolchain-armv7.cmake: find_* look only under the root paths for
# libraries, headers and packages, only on the host for programs; the
# target's root is appended to the command line's CMAKE_FIND_ROOT_PATH.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR mips)

set(CROSS_TRIPLE mipsel-linux-gnu)
set(CMAKE_C_COMPILER ${CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${CROSS_TRIPLE}-g++)

list(APPEND CMAKE_FIND_ROOT_PATH /usr/${CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
