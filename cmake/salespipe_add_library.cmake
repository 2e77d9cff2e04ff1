# salespipe_add_library(<name> SOURCES ... [DEPS ...] [PRIVATE_DEPS ...])
# One library per stage folder: salespipe_<name>, with includes written from src/.
function(salespipe_add_library name)
  cmake_parse_arguments(arg "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  set(target salespipe_${name})
  add_library(${target} STATIC ${arg_SOURCES})
  target_compile_features(${target} PUBLIC cxx_std_20)
  target_include_directories(${target} PUBLIC "${PROJECT_SOURCE_DIR}/src")
  target_link_libraries(${target} PUBLIC ${arg_DEPS} salespipe_sanitizers
                        PRIVATE ${arg_PRIVATE_DEPS} salespipe_warnings)
endfunction()
