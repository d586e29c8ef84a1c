# Static aarch64 musl build with zig (see zig-musl.cmake):
#   cmake -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-musl.cmake -DSOCKEYE_STATIC=ON ...
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(SOCKEYE_ZIG_TRIPLE aarch64-linux-musl)
include("${CMAKE_CURRENT_LIST_DIR}/zig-musl.cmake")
# Programs built here run on an x86_64 host through Debian's qemu-user-static
# (called directly: binfmt_misc may not be registered), so ctest and
# gtest_discover_tests in the unit-test tree (static-build --tests) work too.
find_program(SOCKEYE_QEMU_AARCH64 qemu-aarch64-static NO_CMAKE_FIND_ROOT_PATH)
if(SOCKEYE_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${SOCKEYE_QEMU_AARCH64}")
endif()
