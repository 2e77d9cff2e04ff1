# ASan + UBSan for every target of ours when SALESPIPE_SANITIZE is on; any report aborts.
add_library(salespipe_sanitizers INTERFACE)
if(SALESPIPE_SANITIZE)
  target_compile_options(salespipe_sanitizers INTERFACE -fsanitize=address,undefined
                                                        -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(salespipe_sanitizers INTERFACE -fsanitize=address,undefined)
endif()
