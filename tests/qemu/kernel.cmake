# QEMU tests of the bare-metal kernel (TCG, seconds each). They boot
# ${CMAKE_BINARY_DIR}/rtjs.elf with -kernel (multiboot 1), or a GRUB2 ISO (multiboot2),
# through tests/qemu/boot-check.sh and assert on the serial log and the exit status.
if(TARGET rtjs_kernel)
  set(KCHECK ${CMAKE_SOURCE_DIR}/tests/qemu/boot-check.sh)
  set(KELF ${CMAKE_BINARY_DIR}/rtjs.elf)
  # The ISO under test powers off after ready; a small file stands in for the initrd.
  rtjs_make_iso(rtjs_test_iso ${CMAKE_BINARY_DIR}/rtjs-test.iso "poweroff" ${KCHECK})

  function(kernel_qemu_test name)
    # qemu-run must end with 0 (powered off with status 0) unless the test says otherwise.
    add_test(NAME kernel/${name}@qemu
      COMMAND ${KCHECK} ${CMAKE_BINARY_DIR} kernel/${name} --exit 0 ${ARGN})
    set_tests_properties(kernel/${name}@qemu PROPERTIES TIMEOUT 60 LABELS kernel)
  endfunction()

  kernel_qemu_test(boot-kernel --contains "boot: multiboot from 'qemu'" --contains "rtjs: ready"
    --contains "rtjs: power-off status=0"
    -- -k ${KELF} -a "poweroff" -t 30)
  kernel_qemu_test(boot-iso --contains "boot: multiboot2 from 'GRUB"
    --contains "boot: module 0 'initrd'" --contains "rtjs: ready"
    --contains "acpi: revision"
    -- -I ${CMAKE_BINARY_DIR}/rtjs-test.iso -t 45)
  # ACPI S5 itself (not the debug-port fallback) must end QEMU.
  kernel_qemu_test(poweroff-acpi --contains "rtjs: power-off status=0" --lacks "did not power off"
    --lacks "could not power off"
    -- -k ${KELF} -a "poweroff" -t 30)
  # i440fx has no FADT reset register: the keyboard controller resets.
  kernel_qemu_test(reboot --contains "rtjs: reboot" --contains "reset through the keyboard controller"
    -- -k ${KELF} -a "reboot" -t 30)
  # q35 (ICH9): FADT reset register, MCFG, and its own PM1 block for S5.
  kernel_qemu_test(q35-reboot --contains "reset through the FADT reset register"
    --lacks "keyboard controller"
    -- -k ${KELF} -a "reboot" -t 30 -- -machine q35)
  kernel_qemu_test(q35-poweroff --contains "MCFG 1" --contains "rtjs: ready"
    --contains "rtjs: power-off status=0" --lacks "did not power off"
    -- -k ${KELF} -a "poweroff" -t 30 -- -machine q35)
  kernel_qemu_test(smp4-madt --contains "4 CPUs (APIC ids 0 1 2 3)" --contains "smp: 4 CPUs online"
    --contains "rtjs: ready (4 CPUs"
    --contains "tlb: CPU 1 read 1 before and 2 after the remap" --contains "selftest smp: PASS"
    --contains "lock: debug mode on" --lacks "PANIC"
    -- -k ${KELF} -a "selftest=smp lockdebug poweroff" -s 4 -t 30)
  # The lock checker itself: locks in rank order pass, one taken against it is reported.
  kernel_qemu_test(lock-order --exit 3 --contains "lock: debug mode on"
    --contains "selftest lockorder: in order: no report"
    --contains "lock: order: RW lock selftest areas (rank 30) taken at"
    --contains "while holding spinlock selftest scheduler (rank 60"
    -- -k ${KELF} -a "lockdebug selftest=lockorder" -t 30)
  kernel_qemu_test(nosmp --contains "4 CPUs (APIC ids 0 1 2 3)" --contains "rtjs: ready (1 CPUs"
    --lacks "smp:"
    -- -k ${KELF} -a "nosmp poweroff" -s 4 -t 30)
  kernel_qemu_test(timer-rate --contains "(against the HPET)" --contains "selftest timer: PASS"
    -- -k ${KELF} -a "selftest=timer poweroff" -t 30)
  # Without an HPET the TSC is calibrated against the PIT.
  kernel_qemu_test(timer-rate-pit --contains "(against the PIT)" --contains "selftest timer: PASS"
    -- -k ${KELF} -a "selftest=timer poweroff" -t 30 -- -machine hpet=off)
  kernel_qemu_test(irq-ioapic --contains "selftest irq: PASS" --contains "ISA IRQ 0 -> GSI 2"
    -- -k ${KELF} -a "selftest=irq poweroff" -t 30)
  kernel_qemu_test(heap --contains "selftest heap: PASS" -- -k ${KELF} -a "selftest=heap poweroff" -t 30)
  kernel_qemu_test(address-space --contains "selftest vm: PASS"
    -- -k ${KELF} -a "selftest=vm poweroff" -t 30)
  # The hosted program's AVX registers survive interrupts that run kernel C.
  kernel_qemu_test(simd-state --contains "ymm0-15 intact across 100 interrupts"
    --contains "saves and restores ymm state"
    --contains "selftest simd: PASS"
    -- -k ${KELF} -a "selftest=simd poweroff" -t 30)
  kernel_qemu_test(pagefault --exit 3 --contains "FATAL: #PF page fault (vector 14)"
    --contains "page fault at address 0x00000000deadb000" --contains "CR2 00000000deadb000"
    --contains "selftest_pagefault+"
    --contains "kmain+" --contains "rtjs: power-off status=3"
    -- -k ${KELF} -a "selftest=pagefault" -t 30)
  kernel_qemu_test(divzero --exit 3 --contains "FATAL: #DE divide error (vector 0)"
    --contains "selftest_divzero+"
    -- -k ${KELF} -a "selftest=divzero" -t 30)
  kernel_qemu_test(panic --exit 3 --contains "PANIC: selftest panic requested" --contains "selftest_run+"
    -- -k ${KELF} -a "selftest=panic" -t 30)
  # No ACPI at all: the kernel says so, carries on, and powers off through the debug port.
  kernel_qemu_test(no-acpi --contains "acpi: no RSDP" --contains "rtjs: ready (1 CPUs"
    --contains "selftest heap: PASS"
    --contains "rtjs: power-off status=0" -- -k ${KELF} -a "selftest=heap poweroff" -t 30
    -- -machine acpi=off)
  # RAM above 4 GiB: direct map and allocator beyond the boot tables.
  kernel_qemu_test(ram-above-4g --contains "direct map of 6144 MiB" --contains "selftest vm: PASS"
    -- -k ${KELF} -a "selftest=vm poweroff" -m 5G -t 30)
  # Out of memory at start (the runtime's archive leaves 112 MiB almost full): the program's
  # fault ends it, and the machine powers off with its status instead of halting.
  kernel_qemu_test(out-of-memory --exit 139 --contains "out of memory on a page fault"
    --contains "rtjs: power-off status=139"
    --lacks "could not power off"
    -- -k ${KELF} -r ${CMAKE_BINARY_DIR}/initrd-runtime.cpio -m 112M -t 120)
  kernel_qemu_test(initrd-module --contains "boot: module 0" --contains "rtjs: ready"
    -- -k ${KELF} -r ${KCHECK} -a "poweroff" -t 30)
endif()
