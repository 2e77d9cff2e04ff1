# Strict warnings for our own targets only, through an INTERFACE target (never global flags).
add_library(salespipe_warnings INTERFACE)
target_compile_options(
  salespipe_warnings
  INTERFACE -Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow
            -Wnon-virtual-dtor -Wold-style-cast -Wimplicit-fallthrough
            # GCC 12 at -O2/-O3 reports -Wrestrict inside std::string's own code for ordinary
            # concatenations (GCC bug 105329); it is not about our code.
            $<$<AND:$<CXX_COMPILER_ID:GNU>,$<VERSION_LESS:$<CXX_COMPILER_VERSION>,13>>:-Wno-restrict>
            $<$<BOOL:${SALESPIPE_WERROR}>:-Werror>)
