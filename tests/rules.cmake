# How tests are named, labelled and judged: checked at configure time, so a test that breaks
# the rules stops the build's configuration with a message saying which rule.
#
# Name:   area/what@target, lower case, e.g. js/url@sim, kernel/heap@qemu, linux/vma@unit.
#         The area is what is tested (js, kernel, linux, net, storage, ...); the same test file
#         run on several targets keeps its area/what and changes only the target.
# Target: where it runs, one of
#           unit   a host program testing pure logic (cmocka, fuzzers)
#           sim    rtjs-sim, the runtime hosted on Linux with the simulated PC
#           ring0  rtjs-runtime on Linux: the ring-0 platform's program without the kernel
#           qemu   the rtjs kernel booted in QEMU
#           setup  a fixture other tests depend on (FIXTURES_SETUP)
#         The target becomes the test's label (ctest -L qemu); other labels name areas.
# Skip:   a test that cannot run here exits 77 and has SKIP_RETURN_CODE 77 (never "passed").
# JavaScript test files (tests/js/harness.js) end with the line "N passed, 0 failed", N >= 1;
# run them through ${RTJS_JS_TEST} (directly) or boot-check.sh --summary (in QEMU), which fail
# a file that stopped early or registered no test even when its exit status was 0.
set(RTJS_TEST_TARGETS unit sim ring0 qemu setup)
set(RTJS_TEST_NAME_RE "^[a-z0-9][a-z0-9.-]*(/[a-z0-9][a-z0-9.-]*)+@([a-z0-9]+)$")
set(RTJS_JS_TEST "${CMAKE_CURRENT_LIST_DIR}/js/run-test.sh")

# Checks the names of the tests registered in the current directory and labels each with its
# target. Every directory that registers tests defers a call to it (cmake_language(DEFER CALL
# rtjs_test_rules)); tests/ checks that none was missed.
function(rtjs_test_rules)
  set_property(DIRECTORY PROPERTY RTJS_TEST_RULES_RAN TRUE)
  get_property(tests DIRECTORY PROPERTY TESTS)
  string(REPLACE ";" ", " targets "${RTJS_TEST_TARGETS}")
  foreach(t IN LISTS tests)
    if(NOT t MATCHES "${RTJS_TEST_NAME_RE}" OR NOT CMAKE_MATCH_2 IN_LIST RTJS_TEST_TARGETS)
      message(FATAL_ERROR "test '${t}' (${CMAKE_CURRENT_SOURCE_DIR}): name it area/what@target, "
        "the target one of: ${targets} (tests/rules.cmake)")
    endif()
    set(target ${CMAKE_MATCH_2})
    get_test_property(${t} LABELS labels)
    if(NOT labels)
      set(labels "")
    endif()
    foreach(l IN LISTS labels)
      if(l IN_LIST RTJS_TEST_TARGETS AND NOT l STREQUAL target)
        message(FATAL_ERROR "test '${t}' is labelled '${l}' but its target is '${target}' (tests/rules.cmake)")
      endif()
    endforeach()
    list(APPEND labels ${target})
    list(REMOVE_DUPLICATES labels)
    set_tests_properties(${t} PROPERTIES LABELS "${labels}")
  endforeach()
endfunction()

# Every directory under tests/ with tests must have had its names checked and labels set.
function(rtjs_test_rules_everywhere dir)
  get_property(tests DIRECTORY ${dir} PROPERTY TESTS)
  get_property(subdirs DIRECTORY ${dir} PROPERTY SUBDIRECTORIES)
  if(tests)
    get_property(checked DIRECTORY ${dir} PROPERTY RTJS_TEST_RULES_RAN)
    if(NOT checked)
      message(FATAL_ERROR "${dir} registers tests: add cmake_language(DEFER CALL rtjs_test_rules) "
        "at the top of its CMakeLists.txt (tests/rules.cmake)")
    endif()
  endif()
  foreach(sub IN LISTS subdirs)
    rtjs_test_rules_everywhere(${sub})
  endforeach()
endfunction()
