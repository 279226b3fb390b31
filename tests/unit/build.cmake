# Build tools. prebind (src/platform/hosted/prebind.c), which binds the runtime libraries'
# references to themselves, on a library made for the test: linked with -z now as libnode is,
# so that its PLT relocations are bound too.
add_library(prebind-fixture SHARED ${CMAKE_CURRENT_LIST_DIR}/build/prebind-lib.c)
target_link_options(prebind-fixture PRIVATE "LINKER:-z,now")
set_target_properties(prebind-fixture PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/prebind-original")
add_library(prebind-fixture2 SHARED ${CMAKE_CURRENT_LIST_DIR}/build/prebind-lib2.c)
target_link_options(prebind-fixture2 PRIVATE "LINKER:-z,now")
set_target_properties(prebind-fixture2 PROPERTIES LIBRARY_OUTPUT_DIRECTORY "${CMAKE_CURRENT_BINARY_DIR}/prebind-original")
add_executable(prebind-fixture-main ${CMAKE_CURRENT_LIST_DIR}/build/prebind-main.c)
target_link_libraries(prebind-fixture-main PRIVATE prebind-fixture prebind-fixture2)
add_test(NAME build/prebind@unit COMMAND "${CMAKE_CURRENT_LIST_DIR}/build/prebind.test.sh" $<TARGET_FILE:prebind>
  $<TARGET_FILE:prebind-fixture-main> "${CMAKE_CURRENT_BINARY_DIR}/prebind-original" "${CMAKE_CURRENT_BINARY_DIR}/prebind-work")
set_tests_properties(build/prebind@unit PROPERTIES TIMEOUT 60 LABELS build)
if(TARGET rtjs-sim)
  add_test(NAME build/sim-libraries@unit COMMAND "${CMAKE_CURRENT_LIST_DIR}/build/sim-libraries.test.sh" $<TARGET_FILE:rtjs-sim>)
  set_tests_properties(build/sim-libraries@unit PROPERTIES TIMEOUT 60 LABELS build)
endif()
