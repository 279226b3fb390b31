# Coverage-guided fuzzers (libFuzzer, with AddressSanitizer and UndefinedBehaviorSanitizer)
# for the kernel's parsers of untrusted input: the initrd's cpio reader, the ELF loader and
# the memory system calls' argument checks. Built with Debian's clang (libFuzzer lives in
# libclang-rt-14-dev) from the same sources the kernel links, over the unit tests' fake
# kernel; each runs for FUZZ_SECONDS in the test suite, starting from its corpus in
# tests/fuzz/corpus/<target>/.
find_program(FUZZ_CLANG NAMES clang-14 clang)
set(FUZZ_SECONDS 8 CACHE STRING "seconds each fuzzer runs in the test suite")
if(NOT FUZZ_CLANG)
  message(WARNING "clang not found: the fuzzers are not built (scripts/setup installs it)")
  return()
endif()

set(FUZZ_DIR ${CMAKE_CURRENT_LIST_DIR})
set(FUZZ_KSRC ${CMAKE_SOURCE_DIR}/src/platform/x86_64)
set(FUZZ_FAKE ${CMAKE_SOURCE_DIR}/tests/unit/linux)
set(FUZZ_FLAGS -g -O1 -std=gnu11 -D_DEFAULT_SOURCE -Wall -Wextra -Werror
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
  -I${FUZZ_KSRC} -I${FUZZ_KSRC}/include -I${FUZZ_FAKE})
set(FUZZ_COMMON ${FUZZ_FAKE}/fake-kernel.c ${FUZZ_KSRC}/lib/format.c ${FUZZ_KSRC}/linux/vma.c)
set(fuzz_cpio_SOURCES ${FUZZ_KSRC}/linux/cpio.c)
set(fuzz_elf_SOURCES ${FUZZ_KSRC}/linux/elf.c)
set(fuzz_syscall-mm_SOURCES ${FUZZ_KSRC}/linux/sys-mm.c)

set(fuzz_targets)
foreach(target cpio elf syscall-mm)
  set(out ${CMAKE_BINARY_DIR}/fuzz/fuzz-${target})
  set(srcs ${FUZZ_DIR}/fuzz-${target}.c ${fuzz_${target}_SOURCES} ${FUZZ_COMMON})
  add_custom_command(OUTPUT ${out}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/fuzz
    COMMAND ${FUZZ_CLANG} ${FUZZ_FLAGS} ${srcs} -o ${out}
    DEPENDS ${srcs} ${FUZZ_FAKE}/fake-kernel.h ${FUZZ_DIR}/areas.h
    IMPLICIT_DEPENDS C ${srcs}
    COMMENT "Building fuzzer fuzz-${target} with ${FUZZ_CLANG}" VERBATIM)
  list(APPEND fuzz_targets ${out})
  add_test(NAME fuzz/${target}@unit
    COMMAND ${FUZZ_DIR}/run-fuzzer ${out} ${FUZZ_DIR}/corpus/${target} ${FUZZ_SECONDS}
            ${CMAKE_BINARY_DIR}/fuzz/${target}.run)
  set_tests_properties(fuzz/${target}@unit PROPERTIES TIMEOUT 120 LABELS fuzz)
endforeach()
add_custom_target(fuzzers ALL DEPENDS ${fuzz_targets})
