# Unit tests of the runtime core's pure logic.
foreach(name timer-heap task-queue)
  add_executable(test-${name} ${CMAKE_CURRENT_LIST_DIR}/core/test-${name}.c)
  target_link_libraries(test-${name} PRIVATE rtjs-core-logic cmocka)
  add_test(NAME core/${name}@unit COMMAND test-${name})
  set_tests_properties(core/${name}@unit PROPERTIES TIMEOUT 60)
endforeach()
