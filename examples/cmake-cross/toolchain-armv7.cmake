# CMake toolchain file: ARMv7 Linux, hard float (Debian's arm-linux-gnueabihf
# cross compiler, package gcc-arm-linux-gnueabihf).
#
#   cmake -S . -B build-armv7 -DCMAKE_TOOLCHAIN_FILE=toolchain-armv7.cmake \
#         -DCMAKE_FIND_ROOT_PATH=/path/to/staged/install
#
# The find_* commands look only under the root paths for libraries, headers
# and packages (ONLY), and only on the host for programs (NEVER). The target's
# own root is appended to what the command line gives in CMAKE_FIND_ROOT_PATH
# (list(APPEND), not set(): set() would hide a -DCMAKE_FIND_ROOT_PATH=...).
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR armv7l)

set(CROSS_TRIPLE arm-linux-gnueabihf)
set(CMAKE_C_COMPILER ${CROSS_TRIPLE}-gcc)
set(CMAKE_CXX_COMPILER ${CROSS_TRIPLE}-g++)

list(APPEND CMAKE_FIND_ROOT_PATH /usr/${CROSS_TRIPLE})
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
