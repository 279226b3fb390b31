# The runtime in ring 0: Linux programs from the initrd, up to the whole
# JavaScript suite, booted under QEMU. Each test boots the kernel once.
set(R0 ${CMAKE_CURRENT_LIST_DIR}/ring0)
set(R0_CHECK ${CMAKE_CURRENT_LIST_DIR}/boot-check.sh ${CMAKE_BINARY_DIR})

foreach(prog hello fault unknown-syscall)
  add_executable(ring0-${prog} ${R0}/programs/${prog}.c)
  add_executable(ring0-${prog}-static ${R0}/programs/${prog}.c)
  target_link_options(ring0-${prog}-static PRIVATE -static)
endforeach()
add_executable(ring0-dma-static ${R0}/programs/dma.c)
target_include_directories(ring0-dma-static PRIVATE ${CMAKE_SOURCE_DIR}/src/platform/x86_64/include)
target_link_options(ring0-dma-static PRIVATE -static)

function(ring0_test name)
  add_test(NAME ${name}@qemu COMMAND ${R0_CHECK} ${name} ${ARGN})
  set_tests_properties(${name}@qemu PROPERTIES TIMEOUT 300)
endfunction()

ring0_test(linux/static-program
  --initrd-args "--program $<TARGET_FILE:ring0-hello-static>=/bin/hello"
  --cmdline "init=/bin/hello -- one two" --status 7
  --expect "^hello from ring 0: argc=3 \\[one\\] \\[two\\] heap=ok sigaction=ok$")
ring0_test(linux/dynamic-program
  --initrd-args "--program $<TARGET_FILE:ring0-hello>=/bin/hello"
  --cmdline "init=/bin/hello -- dyn" --status 7
  --expect "^hello from ring 0: argc=2 \\[dyn\\] heap=ok sigaction=ok$")
ring0_test(linux/page-fault-report
  --initrd-args "--program $<TARGET_FILE:ring0-fault>=/bin/fault"
  --cmdline "lockdebug init=/bin/fault" --status 139
  --expect "^about to fault$"
  --expect "access to unmapped memory at address 0x13370000, instruction at 0x[0-9a-f]+ \\(fault: write_somewhere_bad\\+0x")
# rtjs_dma_free frees only what rtjs_dma_alloc returned.
ring0_test(kernel/dma-ownership
  --initrd-args "--program $<TARGET_FILE:ring0-dma-static>=/bin/dma"
  --cmdline "init=/bin/dma" --status 0
  --expect "^ok - the kernel's own memory: -1 Invalid argument$"
  --expect "^ok - the allocation itself: 0$"
  --expect "^dma ownership: 0 checks failed$")
ring0_test(linux/unknown-syscall
  --initrd-args "--program $<TARGET_FILE:ring0-unknown-syscall-static>=/bin/u"
  --cmdline "init=/bin/u" --status 0
  --expect "^linux: unknown system call io_uring_setup \\(425\\): -ENOSYS$"
  --expect "^io_uring_setup: -1 ENOSYS, again -1$")

# JavaScript on the kernel: the runtime program, its libraries and the test files.
set(R0_JS_INITRD "--add ${CMAKE_SOURCE_DIR}/js=/js --add ${CMAKE_SOURCE_DIR}/tests/js=/tests/js")
# The watchdog (a thread of its own since the kernel has clone) counts CPU time of the app's
# thread, so waiting is not charged; but TCG runs the guest's code several times slower than
# the host, and loading a suite's modules is one task of init, so init gets a larger budget;
# a loaded host's descheduling of the vCPU also counts as CPU time under TCG (docs/design.md):
# at load 22 a suite's loading ran past 20 s.
set(R0_RTJS "init=/bin/rtjs -- --single-threaded --cpus 1 --budget 60000")
# A whole suite under TCG on a loaded machine can take minutes (net-stack's transfers through
# a lossy cable): its hang guard is just under ctest's own limit for the test.
set(R0_SUITE_GUARD 280)
ring0_test(js/hello
  --initrd-args "--add ${R0}/first.js=/app/first.js"
  --cmdline "${R0_RTJS} /app/first.js" --status 3
  --expect "^first line from JavaScript 42$" --expect "^timer fired after [0-9]+ ms$")
file(GLOB r0_js_tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/js/*.test.js)
# Every suite runs here, the apps suites included (the kernel has threads for the watchdog
# and the engines).
foreach(t ${r0_js_tests})
  get_filename_component(base ${t} NAME)
  string(REGEX REPLACE "\\.test\\.js$" "" name ${base})
  ring0_test(js/${name}
    --initrd-args "${R0_JS_INITRD}"
    --cmdline "${R0_RTJS} /tests/js/${base}" --status 0
    --summary --timeout ${R0_SUITE_GUARD})
endforeach()
# The adversarial suite: a hostile app against the binding and the limits, on the kernel.
file(GLOB r0_attack_tests CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/js/attack/*.test.js)
foreach(t ${r0_attack_tests})
  get_filename_component(base ${t} NAME)
  string(REGEX REPLACE "\\.test\\.js$" "" name ${base})
  ring0_test(js/attack/${name}
    --initrd-args "${R0_JS_INITRD}"
    --cmdline "${R0_RTJS} /tests/js/attack/${base}" --status 0
    --summary --timeout ${R0_SUITE_GUARD})
endforeach()
# A test file whose event loop runs dry before its summary line ends with status 1, saying
# what never settled (tests/js/harness.js; the other cases: harness/run-test@sim).
ring0_test(harness/never-settles
  --initrd-args "${R0_JS_INITRD} --add ${CMAKE_SOURCE_DIR}/tests/harness=/tests/harness"
  --cmdline "${R0_RTJS} /tests/harness/never-settles.js" --status 1
  --expect "^ended without its summary line: 2 pending, 'never settles' never settled$")
# The permission options on the kernel's command line: init holds what they allow.
ring0_test(cli/permission-options
  --initrd-args "${R0_JS_INITRD}"
  --cmdline "${R0_RTJS} --permission --allow-net=:8080,10.0.2.2:80 /tests/js/fixtures/access/held.js" --status 0
  --expect "^held {\"listen\":\\[\"8080\"\\],\"connect\":\\[\"10.0.2.2:80\"\\],\"raw\":false}$"
  --expect "^ERR_ACCESS_DENIED: app 'init' \\(id 1\\) may not power the machine off or reboot it \\(permission power\\): grant it with --allow-power")
ring0_test(cli/repl-serial
  --initrd-args "--add ${R0}/first.js=/app/first.js" --cmdline "${R0_RTJS} -i" --status 0
  # The first byte can arrive before the kernel sets up the UART (its FIFO reset drops it).
  --input "\\n6*7\\nlet s = 'ring' + 0\\ns.toUpperCase()\\n.exit\\n"
  --expect "^42$" --expect "^'RING0'$")
# Ctrl-C over the serial console ends a REPL line that runs forever; the session goes on.
add_test(NAME cli/repl-interrupt@qemu COMMAND python3 ${R0}/repl-interrupt.test.py ${CMAKE_BINARY_DIR})
set_tests_properties(cli/repl-interrupt@qemu PROPERTIES TIMEOUT 600)

# The JavaScript drivers on the kernel: PCI as QEMU reports it, the RTC, power-off.
add_test(NAME drivers/machine@qemu COMMAND ${R0}/machine.test.sh ${CMAKE_BINARY_DIR})
set_tests_properties(drivers/machine@qemu PROPERTIES TIMEOUT 300)

# SMP stress: a worker app per CPU, cross-CPU remote calls with transferred buffers,
# code generated all along (V8 flipping code pages); every call must come back right.
ring0_test(js/smp-stress
  --initrd-args "--add ${R0}/smp-stress.js=/app/stress.js" --smp 4
  --cmdline "lockdebug init=/bin/rtjs -- --cpus 4 --budget 120000 /app/stress.js 4 40" --status 0
  --expect "^stress: 4 workers on CPUs 0,1,2,3, 160 of 160 cross-CPU calls answered correctly$"
  --contains "lock: debug mode on")

# The VGA console on the kernel: keys typed through QEMU's monitor, 42 read back from
# VGA text memory.
add_test(NAME drivers/vga-console@qemu COMMAND ${R0}/vga-console.test.sh ${CMAKE_BINARY_DIR})
set_tests_properties(drivers/vga-console@qemu PROPERTIES TIMEOUT 300)

# Virtual consoles and logins on the kernel: QEMU's sendkey on two consoles, VGA memory read back.
add_test(NAME sessions/sendkey@qemu COMMAND ${R0}/sessions-sendkey.test.sh ${CMAKE_BINARY_DIR})
set_tests_properties(sessions/sendkey@qemu PROPERTIES TIMEOUT 300)

# Power from JavaScript: init reboots the machine through the kernel.
ring0_test(js/reboot
  --initrd-args "--add ${R0}/reboot.js=/app/reboot.js"
  --cmdline "init=/bin/rtjs -- --cpus 1 --budget 30000 /app/reboot.js"
  --expect "^rebooting from JavaScript$" --expect "^rtjs: reboot$")
