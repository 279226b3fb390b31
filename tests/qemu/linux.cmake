# Threads of a Linux program in ring 0: clone, futexes, the scheduler.
# Uses the QEMU boot checker (tests/qemu/boot-check.sh).
set(LQ ${CMAKE_CURRENT_LIST_DIR}/linux)
add_executable(linux-threads-static ${LQ}/programs/threads.c)
target_link_options(linux-threads-static PRIVATE -static -pthread)
add_executable(linux-threads ${LQ}/programs/threads.c)
target_link_options(linux-threads PRIVATE -pthread)

function(linux_qemu_test name)
  add_test(NAME linux/${name}@qemu
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/boot-check.sh ${CMAKE_BINARY_DIR} ${name} ${ARGN})
  set_tests_properties(linux/${name}@qemu PROPERTIES TIMEOUT 300 LABELS linux)
endfunction()

foreach(kind static dynamic smp4)
  set(prog linux-threads)
  set(cpus 1)
  if(kind STREQUAL static)
    set(prog linux-threads-static)
  elseif(kind STREQUAL smp4)
    set(cpus 4) # threads spread over four CPUs: the locks (checked), TLB shootdowns, migration
  endif()
  linux_qemu_test(threads-${kind}
    --initrd-args "--program $<TARGET_FILE:${prog}>=/bin/threads"
    --cmdline "lockdebug init=/bin/threads" --status 5 --smp ${cpus}
    --contains "lock: debug mode on"
    --expect "^threads joined: counter=80000 \\(expected 80000\\) tls=4/4$"
    --expect "^condition signalled after >=20 ms$"
    --expect "^timed wait: ETIMEDOUT after about 30 ms$"
    --expect "^preempted busy loop released$"
    --expect "^thread CPU clock: a 30 ms sleep costs no CPU time$"
    --expect "^pinned to the last CPU: ok \\(${cpus} CPUs\\)$")
endforeach()

# The vDSO: clock_gettime, gettimeofday, time and getcpu without a system call, checked
# against the system calls on two CPUs; prints the rates of both (the comparison's figures).
foreach(kind static dynamic)
  add_executable(linux-clock-${kind} ${LQ}/programs/clock.c)
  if(kind STREQUAL static)
    target_link_options(linux-clock-${kind} PRIVATE -static)
  endif()
  linux_qemu_test(vdso-${kind}
    --initrd-args "--program $<TARGET_FILE:linux-clock-${kind}>=/bin/clock"
    --cmdline "lockdebug init=/bin/clock" --status 0 --smp 2
    --expect "^getcpu checked on 2 CPUs$" --expect "^clock: 0 checks failed$")
endforeach()

# V8 with its own worker threads (no --single-threaded) and one engine per CPU, on two CPUs:
# two apps compute at the same time, and the watchdog thread ends a runaway app. (The suite's
# other tests have windows of 150-1000 ms that TCG under load can miss: not checked here.)
linux_qemu_test(engines-on-two-cpus
  --initrd-args "--add ${CMAKE_SOURCE_DIR}/js=/js --add ${CMAKE_SOURCE_DIR}/tests/js=/tests/js"
  --cmdline "lockdebug init=/bin/rtjs -- --budget 60000 /tests/js/apps-isolation.test.js" --smp 2
  --expect "^ok - two apps on two engines compute at the same time$"
  --expect "^rtjs: app 'runaway' \\(id [0-9]+\\) ran past its 400 ms task budget and was ended$"
  --reject "one engine only" --reject "no watchdog")
# Two vCPUs must really run at once for the overlap check: no other test beside it.
set_tests_properties(linux/engines-on-two-cpus@qemu PROPERTIES RUN_SERIAL TRUE)

# A JavaScript driver's IRQ wait in ring 0 (rtjs_wait): the RTC's periodic interrupt at
# 64 Hz reaches the app 20 times while a JS timer fires in between, on one and two CPUs.
# Uses this build's runtime (its platform passes the wake word rtjs_wait takes). The budget is
# scripts/rtjs-run's for TCG: a loaded host's descheduling of the vCPU counts as CPU time.
foreach(cpus 1 2)
  linux_qemu_test(irq-wait-smp${cpus}
    --initrd-args "--program ${CMAKE_BINARY_DIR}/rtjs=/bin/rtjs --add ${LQ}/irq.js=/app/irq.js"
    --cmdline "lockdebug init=/bin/rtjs -- --budget 30000 /app/irq.js" --status 0 --smp ${cpus}
    --expect "^timer fired while waiting for IRQs$"
    --expect "^rtc irqs 20 in [0-9]+ ms, timer true$")
endforeach()

# Futex words read under a bucket lock, where a page fault cannot be served: unmapped words
# (EFAULT), untouched pages (faulted in outside the lock), and pages taken away by other
# threads during the calls, on two CPUs with the lock checks on (a fault under the lock
# would panic).
add_executable(linux-futex ${LQ}/programs/futex.c)
target_link_options(linux-futex PRIVATE -static -pthread)
linux_qemu_test(futex-faults
  --initrd-args "--program $<TARGET_FILE:linux-futex>=/bin/futex"
  --cmdline "lockdebug init=/bin/futex" --status 0 --smp 2
  --contains "lock: debug mode on"
  --expect "^futex: 0 checks failed$")

# The rtjs calls handing out MSI vectors and DMA areas, raced from two CPUs: each check and
# its action are one step under the owner's lock. The threads meet by spinning before each
# step: slow when the host runs the two vCPUs by turns (85 s for 4000 rounds beside a CPU
# burner), hence 1500 rounds (the old code failed about 25 of 4000) and a generous guard.
add_executable(linux-rtjs-calls ${LQ}/programs/rtjs-calls.c)
target_include_directories(linux-rtjs-calls PRIVATE ${CMAKE_SOURCE_DIR}/src/platform/x86_64/include)
target_link_options(linux-rtjs-calls PRIVATE -static -pthread)
linux_qemu_test(rtjs-calls-race
  --initrd-args "--program $<TARGET_FILE:linux-rtjs-calls>=/bin/rtjs-calls"
  --cmdline "lockdebug init=/bin/rtjs-calls" --status 0 --smp 2 --timeout 280
  --contains "lock: debug mode on"
  --expect "^rtjs calls: [0-9]+ rounds, 0 failed, 0 cleanup errors$")

# Balancing between busy CPUs: a thread pinned to CPU 1 keeps it busy; one of three unpinned
# threads started on CPU 0 must come over to it.
add_executable(linux-balance ${LQ}/programs/balance.c)
target_link_options(linux-balance PRIVATE -static -pthread)
linux_qemu_test(balance-busy-cpus
  --initrd-args "--program $<TARGET_FILE:linux-balance>=/bin/balance"
  --cmdline "lockdebug init=/bin/balance" --status 0 --smp 2 --timeout 280
  --expect "^a worker ran on CPU 1 beside the pinned thread: yes after [0-9]+ ms$")

# System calls whose buffer another thread unmaps during the call, on two CPUs: each answers
# a count or EFAULT (the kernel's copy resumes at its fixup), where the fault of the kernel's
# copy used to end the program ("access to unmapped memory").
add_executable(linux-user-copy ${LQ}/programs/user-copy.c)
target_include_directories(linux-user-copy PRIVATE ${CMAKE_SOURCE_DIR}/src/platform/x86_64/include)
target_link_options(linux-user-copy PRIVATE -static -pthread)
linux_qemu_test(user-copy-race
  --initrd-args "--program $<TARGET_FILE:linux-user-copy>=/bin/user-copy"
  --cmdline "lockdebug init=/bin/user-copy" --status 0 --smp 2 --timeout 280
  --contains "lock: debug mode on"
  --expect "^user-copy: rtjs_wait with its irqs page unmapped during the wait: EFAULT$"
  --expect "^user-copy: [0-9]+ rounds while the buffer was taken away [0-9]+ times: [0-9]+ answered, [0-9]+ EFAULT, 0 unexpected$")

# One write to the console is one piece of its output, however many pieces the kernel copies
# it in: two threads' long lines never mix.
add_executable(linux-console-lines ${LQ}/programs/console-lines.c)
target_link_options(linux-console-lines PRIVATE -static -pthread)
linux_qemu_test(console-whole-writes
  --initrd-args "--program $<TARGET_FILE:linux-console-lines>=/bin/console-lines"
  --cmdline "lockdebug init=/bin/console-lines" --status 0 --smp 2 --timeout 280
  --reject "^[ab]*(ab|ba)[ab]*$"
  --expect "^a{1000}$" --expect "^b{1000}$" --expect "console-lines: a write from untouched pages: 10$"
  --expect "^console-lines: 100 lines of 1000 bytes from each of two threads, writes whole$")

# Console reads whose buffer another thread unmaps during the call, on two CPUs: each answers
# a count or EFAULT, and the counts add up to every byte typed (a faulting copy used to drop
# the bytes it was given). The first byte typed is a newline: input that reaches the UART
# before the kernel has set it up may be dropped with its FIFO.
set(CONSOLE_READ_LINE "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-")
string(REPEAT "${CONSOLE_READ_LINE}\\n" 40 CONSOLE_READ_TEXT) # 40 lines of 65 bytes: 2600
add_executable(linux-console-read ${LQ}/programs/console-read.c)
target_link_options(linux-console-read PRIVATE -static -pthread)
linux_qemu_test(console-read-race
  --initrd-args "--program $<TARGET_FILE:linux-console-read>=/bin/console-read"
  --cmdline "lockdebug init=/bin/console-read -- 2601" --status 0 --smp 2 --timeout 280
  --input "\\n${CONSOLE_READ_TEXT}\\x04"
  --expect "^console-read: (2600|2601) of 2601 bytes typed were read \\([0-9]+ reads answered EFAULT, 0 other errors\\)$"
  --expect "^console-read: into memory that is not mapped: EFAULT$")
