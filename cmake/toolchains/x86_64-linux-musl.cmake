# Static x86_64 musl build with zig (see zig-musl.cmake):
#   cmake -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/x86_64-linux-musl.cmake -DSOCKEYE_STATIC=ON ...
set(CMAKE_SYSTEM_PROCESSOR x86_64)
set(SOCKEYE_ZIG_TRIPLE x86_64-linux-musl)
include("${CMAKE_CURRENT_LIST_DIR}/zig-musl.cmake")
