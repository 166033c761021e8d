# SockctlCargo: build libsockctl.a from the sockctl sources with cargo, for
# the target of the project's C compiler, inside a CMake build.
#
#   list(APPEND CMAKE_MODULE_PATH /path/to/sockctl/cmake)
#   include(SockctlCargo)
#   sockctl_cargo_build(SOURCE_DIR /path/to/sockctl)
#   target_link_libraries(app PRIVATE sockctl::static)   # or sockctl::sockctl
#
# The Rust target triple comes from the C compiler: CMAKE_C_COMPILER_TARGET
# (clang) or `${CMAKE_C_COMPILER} -dumpmachine`, looked up in the toolchain
# table beside this module, ../mk/targets.tab (glibc: the row whose binutils
# triple is the compiler's, e.g. arm-linux-gnueabi -> armv5te-unknown-linux-gnueabi,
# i686-linux-gnu -> i586-unknown-linux-gnu; musl: the musl row of the
# compiler's CPU family); macOS and FreeBSD compilers (arm64-apple-darwin*,
# aarch64-unknown-macos, x86_64-unknown-freebsd, ...) to their rows' targets;
# else, and for the host, CMAKE_SYSTEM_PROCESSOR or the compiler's CPU:
#
#   arm*-linux-gnueabihf, armv7*     -> armv7-unknown-linux-gnueabihf
#   arm*-linux-musleabihf            -> armv7-unknown-linux-musleabihf
#   aarch64*, arm64                  -> aarch64-unknown-linux-gnu  (-musl)
#   x86_64*, amd64                   -> x86_64-unknown-linux-gnu   (-musl)
#   s390x*                           -> s390x-unknown-linux-gnu
#   mips-*, mipsel-* (32-bit)        -> mips-unknown-linux-gnu, mipsel-... (-musl)
#   riscv64*                         -> riscv64gc-unknown-linux-gnu (-musl)
#
# musl: the triple says musl, or the compiler is a musl wrapper (musl-gcc
# reports the host's GNU triple). Cache variables:
#
#   SOCKCTL_RUST_TARGET       the Rust triple (empty: derived as above)
#   SOCKCTL_CARGO             cargo (found on PATH, or in ~/.cargo/bin)
#   SOCKCTL_RUSTC             rustc (beside cargo, or on PATH)
#   SOCKCTL_CARGO_TARGET_DIR  cargo's --target-dir (default: <build>/sockctl-cargo)
#
# The build runs, in SOURCE_DIR:
#
#   cargo build --manifest-path staticlib/Cargo.toml --release --target <triple> --target-dir <dir>
#
# and, where the toolchain has no standard library for the triple (the MIPS
# targets are tier 3: rustup has none to install) but has the rust-src
# component, builds core from it: the same command with -Z build-std=core
# and RUSTC_BOOTSTRAP=1 in the environment (docs/CROSS.md says what that
# means for a toolchain).
#
# (staticlib/ is the crate that makes the sockctl rlib the C library,
# built alone, with the workspace's release profile and no feature unified
# into it), with the codegen of tools/c-codegen.sh for the C compiler and
# its flags (SOCKCTL_C_CALLS, RUSTFLAGS and RUSTC_BOOTSTRAP=1 in the
# environment; -Z build-std=core where it says so), with CARGO_TARGET_<TRIPLE>_LINKER set to
# the C compiler. A static library needs no linker, but cargo then uses the
# same toolchain as the C side should anything be linked. It reruns when a
# Rust source, a manifest, a lock file or a build script changes; a build
# that leaves no archive, or an empty one, fails.
#
# Where the repository has tools/ship-archive.sh (what make uses to turn
# cargo's archive into the shipped one: sockctl's object alone, without the
# Rust compiler's builtins, whose sqrt, fmod, __aeabi_idiv, ... would
# replace the C program's own; no debug information; and on 32-bit ARM no
# unwind tables, whose personality reference would make every C program
# need libgcc_s.so.1), the module links that script's output,
# <build>/sockctl/<triple>/libsockctl.a, made with the toolchain's binutils
# (the prefix of CMAKE_OBJCOPY: its objcopy, ar and nm); without the
# script, cargo's archive itself.
#
# Defines the imported targets sockctl::static (libsockctl.a and the include
# directory; the archive needs no other link flag) and sockctl::sockctl
# (the same, as the installed package names it), and sets
# SOCKCTL_RUST_TARGET_USED and SOCKCTL_ARCHIVE (the archive linked).
#
# Errors, at configure time: no cargo, no rustc, a C compiler whose target
# has no mapping (set SOCKCTL_RUST_TARGET), a Rust target whose standard
# library is not installed (rustup target add ...) and cannot be built here
# (no rust-src, or a triple rustc does not know); at build time: cargo
# failed, or produced no archive.

# Build-time check, run as `cmake -DSOCKCTL_CHECK_ARCHIVE=<file> -P SockctlCargo.cmake`.
if(CMAKE_SCRIPT_MODE_FILE)
  if(DEFINED SOCKCTL_CHECK_ARCHIVE)
    if(NOT EXISTS "${SOCKCTL_CHECK_ARCHIVE}")
      message(FATAL_ERROR "SockctlCargo: cargo finished but produced no ${SOCKCTL_CHECK_ARCHIVE}")
    endif()
    file(SIZE "${SOCKCTL_CHECK_ARCHIVE}" _size)
    if(_size EQUAL 0)
      message(FATAL_ERROR "SockctlCargo: cargo produced an empty ${SOCKCTL_CHECK_ARCHIVE}")
    endif()
  endif()
  return()
endif()

include_guard(GLOBAL)
set(_SOCKCTL_CARGO_MODULE "${CMAKE_CURRENT_LIST_FILE}")

# sockctl_rust_target(<out-var>): the Rust triple for the C compiler.
function(sockctl_rust_target out)
  if(SOCKCTL_RUST_TARGET)
    set(${out} "${SOCKCTL_RUST_TARGET}" PARENT_SCOPE)
    return()
  endif()

  set(machine "${CMAKE_C_COMPILER_TARGET}")
  if(NOT machine)
    execute_process(COMMAND "${CMAKE_C_COMPILER}" -dumpmachine
      OUTPUT_VARIABLE machine OUTPUT_STRIP_TRAILING_WHITESPACE
      ERROR_QUIET RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      set(machine "")
    endif()
  endif()
  string(TOLOWER "${machine}" machine)
  get_filename_component(cc_name "${CMAKE_C_COMPILER}" NAME)

  set(libc gnu)
  if(machine MATCHES "musl" OR cc_name MATCHES "musl")
    set(libc musl)
  endif()

  # The architecture: the compiler's triple, else the toolchain file's processor.
  if(machine)
    string(REGEX REPLACE "-.*" "" arch "${machine}")
  else()
    string(TOLOWER "${CMAKE_SYSTEM_PROCESSOR}" arch)
  endif()

  set(triple "")
  # The table's row for this compiler.
  get_filename_component(module_dir "${_SOCKCTL_CARGO_MODULE}" DIRECTORY)
  set(table "${module_dir}/../mk/targets.tab")
  string(REPLACE "-unknown-" "-" gnu "${machine}")
  if(machine AND EXISTS "${table}")
    file(STRINGS "${table}" rows REGEX "^[a-z0-9]")
    foreach(row IN LISTS rows)
      string(REGEX REPLACE "[ \t]+" ";" cols "${row}")
      list(GET cols 0 row_target)
      list(GET cols 1 row_arch)
      list(GET cols 3 row_libc)
      list(GET cols 6 row_binutils)
      if(libc STREQUAL "musl" AND row_libc STREQUAL "musl" AND row_arch STREQUAL arch)
        set(triple "${row_target}")
      elseif(libc STREQUAL "gnu" AND row_libc STREQUAL "glibc" AND row_binutils STREQUAL gnu)
        set(triple "${row_target}")
      endif()
    endforeach()
  endif()
  if(triple)
  elseif(machine MATCHES "-(apple|macos|darwin)")
    # macOS: Apple clang's arm64-apple-darwin23.0.0, zig cc's aarch64-unknown-macos.
    if(arch MATCHES "^(aarch64|arm64)$")
      set(triple "aarch64-apple-darwin")
    elseif(arch STREQUAL "x86_64")
      set(triple "x86_64-apple-darwin")
    endif()
  elseif(machine MATCHES "-freebsd")
    if(arch MATCHES "^(x86_64|amd64)$")
      set(triple "x86_64-unknown-freebsd")
    endif()
  elseif(arch MATCHES "^(aarch64|arm64)$")
    set(triple "aarch64-unknown-linux-${libc}")
  elseif(arch MATCHES "^(x86_64|amd64)$")
    set(triple "x86_64-unknown-linux-${libc}")
  elseif(arch STREQUAL "s390x" AND libc STREQUAL "gnu")
    set(triple "s390x-unknown-linux-gnu")
  elseif(arch MATCHES "^(mips|mipsel)$")
    set(triple "${arch}-unknown-linux-${libc}")
  elseif(arch STREQUAL "riscv64")
    set(triple "riscv64gc-unknown-linux-${libc}")
  elseif(arch MATCHES "^arm")
    # Hard float only: Debian's arm-linux-gnueabihf-gcc targets ARMv7-A.
    if(machine MATCHES "gnueabihf$" OR (NOT machine AND arch MATCHES "^armv7"))
      set(triple "armv7-unknown-linux-gnueabihf")
    elseif(machine MATCHES "musleabihf$")
      set(triple "armv7-unknown-linux-musleabihf")
    endif()
  endif()

  if(NOT triple)
    message(FATAL_ERROR
      "SockctlCargo: no Rust target known for the C compiler ${CMAKE_C_COMPILER} "
      "(target '${machine}', CMAKE_SYSTEM_PROCESSOR '${CMAKE_SYSTEM_PROCESSOR}'). "
      "Set -DSOCKCTL_RUST_TARGET=<rust triple>.")
  endif()
  set(${out} "${triple}" PARENT_SCOPE)
endfunction()

# sockctl_cargo_build(SOURCE_DIR <sockctl repository>)
function(sockctl_cargo_build)
  cmake_parse_arguments(arg "" "SOURCE_DIR" "" ${ARGN})
  if(NOT arg_SOURCE_DIR)
    message(FATAL_ERROR "sockctl_cargo_build: SOURCE_DIR is required")
  endif()
  get_filename_component(src "${arg_SOURCE_DIR}" ABSOLUTE)
  if(NOT EXISTS "${src}/Cargo.toml" OR NOT EXISTS "${src}/include/sockctl.h")
    message(FATAL_ERROR "SockctlCargo: ${src} is not the sockctl repository (no Cargo.toml or include/sockctl.h)")
  endif()
  if(TARGET sockctl::static)
    message(FATAL_ERROR "SockctlCargo: sockctl::static is already defined (find_package(sockctl) and sockctl_cargo_build together?)")
  endif()

  set(SOCKCTL_RUST_TARGET "" CACHE STRING "Rust target triple for libsockctl.a (empty: from the C compiler)")
  set(SOCKCTL_CARGO_TARGET_DIR "${CMAKE_BINARY_DIR}/sockctl-cargo" CACHE PATH "cargo --target-dir for libsockctl.a")

  # Host programs, whatever the toolchain file says about programs.
  find_program(SOCKCTL_CARGO cargo HINTS "$ENV{CARGO_HOME}/bin" "$ENV{HOME}/.cargo/bin" NO_CMAKE_FIND_ROOT_PATH)
  if(NOT SOCKCTL_CARGO OR NOT EXISTS "${SOCKCTL_CARGO}")
    message(FATAL_ERROR "SockctlCargo: cargo not found (SOCKCTL_CARGO='${SOCKCTL_CARGO}'): "
      "install Rust (https://rustup.rs) or set -DSOCKCTL_CARGO=/path/to/cargo")
  endif()
  get_filename_component(cargo_bin "${SOCKCTL_CARGO}" DIRECTORY)
  find_program(SOCKCTL_RUSTC rustc HINTS "${cargo_bin}" NO_CMAKE_FIND_ROOT_PATH)
  if(NOT SOCKCTL_RUSTC OR NOT EXISTS "${SOCKCTL_RUSTC}")
    message(FATAL_ERROR "SockctlCargo: rustc not found (SOCKCTL_RUSTC='${SOCKCTL_RUSTC}'): set -DSOCKCTL_RUSTC=/path/to/rustc")
  endif()

  sockctl_rust_target(triple)

  # The target's standard library must be installed (rustup target add), or
  # core is built from rust-src; asked in the source directory, so that a
  # rust-toolchain file there counts.
  execute_process(COMMAND "${SOCKCTL_RUSTC}" --print sysroot
    WORKING_DIRECTORY "${src}"
    OUTPUT_VARIABLE sysroot OUTPUT_STRIP_TRAILING_WHITESPACE
    ERROR_VARIABLE err RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "SockctlCargo: ${SOCKCTL_RUSTC} --print sysroot failed: ${err}")
  endif()
  set(build_std "")
  set(bootstrap "")
  if(NOT IS_DIRECTORY "${sysroot}/lib/rustlib/${triple}/lib")
    execute_process(COMMAND "${SOCKCTL_RUSTC}" --print target-list
      WORKING_DIRECTORY "${src}" OUTPUT_VARIABLE known ERROR_QUIET)
    string(REPLACE "\n" ";" known "${known}")
    if(NOT triple IN_LIST known)
      message(FATAL_ERROR "SockctlCargo: the Rust target ${triple} is not installed in ${sysroot}, "
        "and ${SOCKCTL_RUSTC} does not know it (set -DSOCKCTL_RUST_TARGET=<installed triple>)")
    elseif(NOT IS_DIRECTORY "${sysroot}/lib/rustlib/src/rust/library/core")
      message(FATAL_ERROR "SockctlCargo: the Rust target ${triple} is not installed in ${sysroot} "
        "(rustup target add ${triple}; where rustup has no standard library for it, "
        "rustup component add rust-src: core is then built from source)")
    endif()
    set(build_std -Z build-std=core)
    set(bootstrap RUSTC_BOOTSTRAP=1)
    message(STATUS "SockctlCargo: no standard library for ${triple} in ${sysroot}: core is built from rust-src")
  endif()

  # Compiled like the C it replaces: tools/c-codegen.sh asks the project's
  # C compiler, with its flags (CMAKE_C_FLAGS and those of the build type),
  # what it makes of the original's lines; its answer goes to the sockctl
  # crate (SOCKCTL_C_CALLS) and to rustc (RUSTFLAGS), as make does.
  # (Both scripts use the toolchain's binutils: the prefix of CMAKE_OBJCOPY,
  # /usr/bin/arm-linux-gnueabihf-objcopy -> /usr/bin/arm-linux-gnueabihf-.)
  set(ship "${src}/tools/ship-archive.sh")
  if(EXISTS "${ship}" OR EXISTS "${src}/tools/c-codegen.sh")
    if(NOT CMAKE_OBJCOPY MATCHES "^(.*)objcopy$")
      message(FATAL_ERROR "SockctlCargo: no objcopy for this toolchain (CMAKE_OBJCOPY='${CMAKE_OBJCOPY}'), "
        "whose binutils tools/ship-archive.sh and tools/c-codegen.sh need: install the target's binutils or set -DCMAKE_OBJCOPY=<prefix>objcopy")
    endif()
    set(tools "${CMAKE_MATCH_1}")
  endif()
  set(codegen_env "")
  if(EXISTS "${src}/tools/c-codegen.sh")
    string(TOUPPER "${CMAKE_BUILD_TYPE}" build_type)
    execute_process(
      COMMAND "${CMAKE_COMMAND}" -E env "CC=${CMAKE_C_COMPILER}" "CPPFLAGS="
        "CFLAGS=${CMAKE_C_FLAGS} ${CMAKE_C_FLAGS_${build_type}}"
        "${src}/tools/c-codegen.sh" "${triple}" "${tools}"
      OUTPUT_VARIABLE codegen ERROR_VARIABLE err RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
      message(FATAL_ERROR "SockctlCargo: ${err}")
    endif()
    string(REGEX MATCH "c_calls='([^']*)'" _ "${codegen}")
    set(c_calls "${CMAKE_MATCH_1}")
    string(REGEX MATCH "c_rustflags='([^']*)'" _ "${codegen}")
    set(c_rustflags "${CMAKE_MATCH_1}")
    string(REGEX MATCH "c_build_std=([a-z]*)" _ "${codegen}")
    if(CMAKE_MATCH_1 STREQUAL "yes" AND NOT build_std)
      set(build_std -Z build-std=core)
    endif()
    set(codegen_env "SOCKCTL_C_CALLS=${c_calls}" "RUSTFLAGS=${c_rustflags} $ENV{RUSTFLAGS}" RUSTC_BOOTSTRAP=1)
    message(STATUS "SockctlCargo: compiled like ${CMAKE_C_COMPILER}: ${c_calls}; RUSTFLAGS=${c_rustflags}")
  endif()

  set(target_dir "${SOCKCTL_CARGO_TARGET_DIR}")
  set(cargo_archive "${target_dir}/${triple}/release/libsockctl.a")
  string(TOUPPER "${triple}" triple_env)
  string(REPLACE "-" "_" triple_env "${triple_env}")

  # What cargo reads; a change to any of these reruns it (new files: reconfigure).
  file(GLOB_RECURSE inputs CONFIGURE_DEPENDS
    "${src}/src/*.rs" "${src}/sockctl-core/src/*.rs" "${src}/staticlib/src/*.rs")
  list(APPEND inputs "${src}/Cargo.toml" "${src}/build.rs" "${src}/sockctl-core/Cargo.toml"
    "${src}/staticlib/Cargo.toml" "${src}/Cargo.lock" "${src}/tools/c-codegen.sh" "${src}/tools/c-codegen/lines.c")

  add_custom_command(
    OUTPUT "${cargo_archive}"
    COMMAND "${CMAKE_COMMAND}" -E env "CARGO_TARGET_${triple_env}_LINKER=${CMAKE_C_COMPILER}" ${bootstrap} ${codegen_env}
      "${SOCKCTL_CARGO}" build --manifest-path staticlib/Cargo.toml --release --target "${triple}" --target-dir "${target_dir}" ${build_std}
    # cargo leaves a fresh archive alone: mark it up to date for the build tool.
    COMMAND "${CMAKE_COMMAND}" -E touch_nocreate "${cargo_archive}"
    COMMAND "${CMAKE_COMMAND}" "-DSOCKCTL_CHECK_ARCHIVE=${cargo_archive}" -P "${_SOCKCTL_CARGO_MODULE}"
    DEPENDS ${inputs}
    WORKING_DIRECTORY "${src}"
    COMMENT "cargo build --manifest-path staticlib/Cargo.toml --release --target ${triple} ${build_std}"
    USES_TERMINAL
    VERBATIM)

  if(EXISTS "${ship}")
    set(archive "${CMAKE_BINARY_DIR}/sockctl/${triple}/libsockctl.a")
    add_custom_command(
      OUTPUT "${archive}"
      COMMAND "${ship}" "${cargo_archive}" "${archive}" "${triple}" "${tools}"
      COMMAND "${CMAKE_COMMAND}" "-DSOCKCTL_CHECK_ARCHIVE=${archive}" -P "${_SOCKCTL_CARGO_MODULE}"
      DEPENDS "${cargo_archive}" "${ship}"
      COMMENT "tools/ship-archive.sh: libsockctl.a as shipped (${triple})"
      VERBATIM)
  else()
    set(archive "${cargo_archive}")
  endif()
  add_custom_target(sockctl_cargo DEPENDS "${archive}")

  add_library(sockctl::static STATIC IMPORTED GLOBAL)
  set_target_properties(sockctl::static PROPERTIES
    IMPORTED_LOCATION "${archive}"
    IMPORTED_LINK_INTERFACE_LANGUAGES "C"
    INTERFACE_INCLUDE_DIRECTORIES "${src}/include")
  add_dependencies(sockctl::static sockctl_cargo)

  add_library(sockctl::sockctl INTERFACE IMPORTED GLOBAL)
  set_target_properties(sockctl::sockctl PROPERTIES INTERFACE_LINK_LIBRARIES sockctl::static)

  set(SOCKCTL_RUST_TARGET_USED "${triple}" PARENT_SCOPE)
  set(SOCKCTL_ARCHIVE "${archive}" PARENT_SCOPE)
  message(STATUS "SockctlCargo: libsockctl.a for ${triple}, built by ${SOCKCTL_CARGO}, linked as ${archive}")
endfunction()
