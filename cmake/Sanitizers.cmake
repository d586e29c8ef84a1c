# ASan+UBSan for the asan preset: every target, tests and replayers included.
if(SOCKEYE_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-sanitize-recover=all
                      -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
