# salespipe_add_test(<name> LABEL <stage> SOURCES ... DEPS ...)
# One GoogleTest binary per library target, labelled by stage (`ctest -L clean`).
# Sanitizer options come from the environment the Makefile sets for ctest.
function(salespipe_add_test name)
  cmake_parse_arguments(arg "" "LABEL" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${arg_SOURCES})
  target_link_libraries(${name} PRIVATE ${arg_DEPS} salespipe_testing GTest::gtest_main
                                        salespipe_warnings salespipe_sanitizers)
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST PROPERTIES LABELS "${arg_LABEL}")
endfunction()
