# ASan+UBSan for the asan preset: every target, tests and replayers included.
if(SOCKEYE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()

# libFuzzer needs coverage instrumentation in every library it reaches, not
# only in the fuzz target's own file.
if(SOCKEYE_FUZZ)
  add_compile_options(-fsanitize=fuzzer-no-link)
endif()
