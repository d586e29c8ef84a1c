# sockeye_options: warnings (errors in CI) and hardening, applied to every
# target of ours through sockeye_add_module / sockeye_add_executable.
add_library(sockeye_options INTERFACE)
target_compile_options(sockeye_options INTERFACE
  -Wall -Wextra -Wconversion -Wsign-conversion -Wshadow -Wnon-virtual-dtor
  -Wold-style-cast -Wcast-align -Wnull-dereference -Wdouble-promotion -Wformat=2
  -fstack-protector-strong)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  # g++ 12 reports impossible overlaps in inlined std::string concatenation at
  # -O3 (GCC bug 105329); the warning is noise there, so it is off.
  target_compile_options(sockeye_options INTERFACE -Wno-restrict)
endif()
if(SOCKEYE_WERROR)
  target_compile_options(sockeye_options INTERFACE -Werror)
endif()
if(NOT CMAKE_BUILD_TYPE STREQUAL "Debug" AND NOT SOCKEYE_SANITIZE)
  target_compile_definitions(sockeye_options INTERFACE _FORTIFY_SOURCE=2)
endif()
if(CMAKE_BUILD_TYPE STREQUAL "Debug")
  # Bounds-checked standard containers in development builds.
  target_compile_definitions(sockeye_options INTERFACE _GLIBCXX_ASSERTIONS)
endif()
if(SOCKEYE_STATIC)
  target_compile_definitions(sockeye_options INTERFACE SOCKEYE_STATIC_BUILD)
else()
  target_link_options(sockeye_options INTERFACE -Wl,-z,relro,-z,now)
endif()

# sockeye_add_module(NAME DEPS...): src/NAME/**/*.cpp as library sockeye_NAME.
function(sockeye_add_module name)
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS "${CMAKE_CURRENT_SOURCE_DIR}/*.cpp")
  if(srcs)
    add_library(sockeye_${name} STATIC ${srcs})
    target_include_directories(sockeye_${name} PUBLIC "${PROJECT_SOURCE_DIR}/src")
    target_link_libraries(sockeye_${name} PUBLIC sockeye_options ${ARGN})
  else()
    add_library(sockeye_${name} INTERFACE)
    target_include_directories(sockeye_${name} INTERFACE "${PROJECT_SOURCE_DIR}/src")
    target_link_libraries(sockeye_${name} INTERFACE sockeye_options ${ARGN})
  endif()
endfunction()
