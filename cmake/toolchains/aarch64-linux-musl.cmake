# Static aarch64 musl build with zig (see zig-musl.cmake):
#   cmake -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/aarch64-linux-musl.cmake -DSOCKEYE_STATIC=ON ...
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(SOCKEYE_ZIG_TRIPLE aarch64-linux-musl)
include("${CMAKE_CURRENT_LIST_DIR}/zig-musl.cmake")
