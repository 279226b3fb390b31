# The V8 binding's logic that stands alone: free-ranges.h against the V8 function it replaces,
# which the test loads from the runtime's libnode (so it runs with the prefix's ld.so, as the
# runtime programs do).
add_executable(test-free-ranges ${CMAKE_CURRENT_LIST_DIR}/engine/test-free-ranges.cc)
target_include_directories(test-free-ranges PRIVATE "${CMAKE_SOURCE_DIR}/src/core/engine")
target_link_options(test-free-ranges PRIVATE "LINKER:--dynamic-linker=${RUNTIME_INTERP}"
  "LINKER:--disable-new-dtags" "LINKER:-rpath,${RUNTIME_LIBDIR}")
target_link_libraries(test-free-ranges PRIVATE dl)
set_target_properties(test-free-ranges PROPERTIES SKIP_BUILD_RPATH TRUE)
add_test(NAME engine/free-ranges@unit COMMAND test-free-ranges "${RUNTIME_LIBDIR}/${RUNTIME_LIBNODE}")
set_tests_properties(engine/free-ranges@unit PROPERTIES TIMEOUT 60 LABELS engine)
