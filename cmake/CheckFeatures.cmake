# Fail at configure time, with a clear message, when the compiler or library
# lacks something sockeye relies on.
include(CheckCXXSourceCompiles)
set(CMAKE_REQUIRED_FLAGS "-std=c++20")
check_cxx_source_compiles([[
#include <span>
#include <bit>
#include <concepts>
#include <compare>
#include <cstdint>
int main() {
  std::uint8_t b[2] = {1, 2};
  std::span<const std::uint8_t> s(b);
  return std::popcount(static_cast<unsigned>(s.size())) == 1 ? 0 : 1;
}]] SOCKEYE_CXX20_LIBRARY_OK)
if(NOT SOCKEYE_CXX20_LIBRARY_OK)
  message(FATAL_ERROR "sockeye needs a C++20 compiler and library with <span>, <bit>, "
                      "<concepts> and <compare> (g++ >= 12 or clang >= 14).")
endif()
unset(CMAKE_REQUIRED_FLAGS)
