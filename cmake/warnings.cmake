# Strict warnings for our own targets only, through an INTERFACE target (never global flags).
add_library(salespipe_warnings INTERFACE)
target_compile_options(
  salespipe_warnings
  INTERFACE -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow
            -Wnon-virtual-dtor -Wold-style-cast -Wimplicit-fallthrough
            $<$<BOOL:${SALESPIPE_WERROR}>:-Werror>)
